"""Replays the reference run in PyTorch from the engine's own start and compares.

Input: the JSON written by `landscape-lab prepared --config CONFIG --out prepared.json`
(split and z-scored data, initial weights, the config) for a config with "shuffle": false,
so the batch order is the same in both. The loop is the source material's, with the
semantics DESIGN.md fixes: AdamW, LinearLR warmup + CosineAnnealingLR chained by
SequentialLR and sized in optimizer updates, gradient accumulation whose windows are
weighted by their real sizes (the leftover window included), clip_grad_norm_, and losses
evaluated on whole splits at each epoch's end.

Prints the per-epoch evaluated train loss and validation loss, to compare with the
engine's epochs.csv, and the values tests/golden.rs asserts.

Run: target/release/landscape-lab prepared --config bench/golden/no_shuffle.json \
         --out /tmp/prepared.json
     python3 bench/golden/reference_run.py /tmp/prepared.json [epochs.csv]
"""
import csv
import json
import math
import sys

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float32)


def main(path, engine_csv=None):
    run = json.load(open(path))
    cfg = run["config"]
    f = run["n_features"]
    x_train = torch.tensor(run["train_x"]).reshape(-1, f)
    y_train = torch.tensor(run["train_y"]).reshape(-1, 1)
    x_val = torch.tensor(run["val_x"]).reshape(-1, f)
    y_val = torch.tensor(run["val_y"]).reshape(-1, 1)

    hidden = cfg["model"]["hidden"][0]
    model = nn.Sequential(nn.Linear(f, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    flat = torch.tensor(run["initial_weights"])
    with torch.no_grad():
        for block, (name, p) in zip(run["layout"], model.named_parameters()):
            assert block["name"] == name, (block["name"], name)
            p.copy_(flat[block["offset"]:block["offset"] + p.numel()].reshape(p.shape))

    opt_cfg = cfg["optimizer"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=opt_cfg["lr"],
                                  betas=tuple(opt_cfg["betas"]), eps=opt_cfg["eps"],
                                  weight_decay=opt_cfg["weight_decay"])
    batch, accum, epochs = cfg["batch_size"], cfg["accumulation_steps"], cfg["epochs"]
    n = len(x_train)
    micro = math.ceil(n / batch)
    updates_per_epoch = math.ceil(micro / accum)
    total = updates_per_epoch * epochs
    sched = cfg["schedule"]
    warmup = int(total * sched["warmup_fraction"])
    S = torch.optim.lr_scheduler
    scheduler = S.SequentialLR(optimizer, [
        S.LinearLR(optimizer, start_factor=sched["start_factor"], total_iters=warmup),
        S.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=sched["eta_min"]),
    ], milestones=[warmup])
    loss_fn = nn.MSELoss()

    rows = []
    for epoch in range(1, epochs + 1):
        starts = list(range(0, n, batch))
        for w in range(0, len(starts), accum):
            window = starts[w:w + accum]
            samples = sum(min(s + batch, n) - s for s in window)
            optimizer.zero_grad()
            for s in window:
                xb, yb = x_train[s:s + batch], y_train[s:s + batch]
                (loss_fn(model(xb), yb) * len(xb) / samples).backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=cfg["clip_norm"])
            optimizer.step()
            scheduler.step()
        with torch.no_grad():
            train = loss_fn(model(x_train), y_train).item()
            val = loss_fn(model(x_val), y_val).item()
        rows.append((epoch, train, val))

    engine = {}
    if engine_csv:
        for r in csv.DictReader(open(engine_csv)):
            engine[int(r["epoch"])] = (float(r["train_loss_eval"]), float(r["val_loss"]))
    worst = 0.0
    for epoch, train, val in rows:
        if epoch in engine:
            et, ev = engine[epoch]
            worst = max(worst, abs(et - train) / train, abs(ev - val) / val)
        if epoch in (1, 10, 50, 100):
            print(f"epoch {epoch:3d}: torch train {train:.7f} val {val:.7f}"
                  + (f" | engine {engine[epoch][0]:.7f} {engine[epoch][1]:.7f}"
                     if epoch in engine else ""))
    if engine:
        print(f"max relative difference engine vs torch over all epochs: {worst:.2e}")


if __name__ == "__main__":
    main(*sys.argv[1:])
