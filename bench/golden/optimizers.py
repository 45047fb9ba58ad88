"""Golden values for src/optim tests.

Implements torch.optim.SGD / Adam / AdamW's documented update rules in NumPy float32
(the arithmetic the engine uses) and prints the parameters after each step. When PyTorch
is installed it runs torch.optim on the same numbers and prints those too, so the two can
be compared.

Run: python3 bench/golden/optimizers.py
"""
import numpy as np

GRADS = [np.array(g, dtype=np.float32) for g in ([0.5, 0.25], [-1.0, 0.5], [0.2, -0.3])]
THETA0 = np.array([1.0, -2.0], dtype=np.float32)


def sgd(momentum, nesterov, weight_decay, lr, steps):
    theta = THETA0.copy()
    buf = None
    f = np.float32
    for g in GRADS[:steps]:
        g = g + f(weight_decay) * theta
        if momentum:
            buf = g.copy() if buf is None else f(momentum) * buf + g
            g = g + f(momentum) * buf if nesterov else buf
        theta = theta - f(lr) * g
    return theta


def adam(decoupled, weight_decay, lr, steps, betas=(0.9, 0.999), eps=1e-8):
    theta = THETA0.copy()
    m = np.zeros(2, np.float32)
    v = np.zeros(2, np.float32)
    f = np.float32
    b1, b2 = betas
    for t, g in enumerate(GRADS[:steps], start=1):
        if decoupled:
            theta = theta * f(1 - lr * weight_decay)
        else:
            g = g + f(weight_decay) * theta
        m = f(b1) * m + f(1 - b1) * g
        v = f(b2) * v + f(1 - b2) * g * g
        bc1 = 1 - b1**t
        bc2_sqrt = np.sqrt(1 - b2**t)
        denom = np.sqrt(v) * f(1 / bc2_sqrt) + f(eps)
        theta = theta - f(lr / bc1) * m / denom
    return theta


def with_torch():
    try:
        import torch
    except ImportError:
        print("torch not installed: NumPy values only")
        return
    for name, make in [
        ("SGD momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1)),
        ("SGD nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True,
                                                   weight_decay=0.1)),
        ("AdamW", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
        ("Adam", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    ]:
        theta = torch.tensor(THETA0.tolist(), requires_grad=True)
        opt = make([theta])
        steps = 2 if name.startswith("SGD") else 3
        for g in GRADS[:steps]:
            theta.grad = torch.tensor(g.tolist())
            opt.step()
        print(f"torch {name}: {theta.detach().numpy().tolist()}")


if __name__ == "__main__":
    print("SGD momentum 0.9, wd 0.1, lr 0.1, 2 steps:", sgd(0.9, False, 0.1, 0.1, 2).tolist())
    print("SGD nesterov 0.9, wd 0.1, lr 0.1, 2 steps:", sgd(0.9, True, 0.1, 0.1, 2).tolist())
    print("AdamW wd 0.1, lr 0.01, 3 steps:", [f"{x:.8g}" for x in adam(True, 0.1, 0.01, 3)])
    print("Adam  wd 0.1, lr 0.01, 3 steps:", [f"{x:.8g}" for x in adam(False, 0.1, 0.01, 3)])
    with_torch()
