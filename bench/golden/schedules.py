"""Golden values for src/optim/schedule.rs.

Steps PyTorch's *recursive* (chainable) forms of LinearLR and CosineAnnealingLR, chained
the way SequentialLR does (the cosine restarts from the base rate at the milestone), and
checks them against the closed forms the engine uses. The reference run: base 1e-3,
N = 300 updates, warmup W = floor(0.1·N) = 30, start_factor 0.01, eta_min 1e-6.
When PyTorch is installed it also runs torch.optim.lr_scheduler and prints the same points.

Run: python3 bench/golden/schedules.py
"""
import math

BASE, N, W, START, ETA_MIN = 1e-3, 300, 30, 0.01, 1e-6
T_MAX = N - W


def recursive():
    """lr used by update k, k = 0..N-1, by PyTorch's chainable update rules."""
    lrs = []
    lr = BASE * START  # LinearLR at last_epoch 0
    for k in range(N):
        lrs.append(lr)
        e = k + 1  # the scheduler's last_epoch after this update's scheduler.step()
        if e < W:
            lr = lr * (1 + (1 - START) / (W * START + (e - 1) * (1 - START)))
        elif e == W:
            lr = BASE  # SequentialLR calls cosine.step(0): closed form at epoch 0
        else:
            c = e - W
            lr = (1 + math.cos(math.pi * c / T_MAX)) / (
                1 + math.cos(math.pi * (c - 1) / T_MAX)) * (lr - ETA_MIN) + ETA_MIN
    return lrs


def closed(k):
    k = min(k, N - 1)
    if k < W:
        return BASE * (START + (1 - START) * k / W)
    return ETA_MIN + (BASE - ETA_MIN) * (1 + math.cos(math.pi * (k - W) / T_MAX)) / 2


def with_torch():
    try:
        import torch
    except ImportError:
        print("torch not installed: recursive NumPy-free values only")
        return
    from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.AdamW([p], lr=BASE)
    warm = LinearLR(opt, start_factor=START, total_iters=W)
    cos = CosineAnnealingLR(opt, T_max=T_MAX, eta_min=ETA_MIN)
    sched = SequentialLR(opt, [warm, cos], milestones=[W])
    lrs = []
    for _ in range(N):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    for k in (0, 15, 30, 165, 299):
        print(f"torch lr[{k}] = {lrs[k]:.12g}")


if __name__ == "__main__":
    lrs = recursive()
    worst = max(abs(a - closed(k)) / closed(k) for k, a in enumerate(lrs))
    for k in (0, 15, 29, 30, 165, 299):
        print(f"lr[{k}] recursive {lrs[k]:.12g} closed {closed(k):.12g}")
    print(f"max relative difference recursive vs closed form: {worst:.2e}")
    assert worst < 1e-9
    with_torch()
