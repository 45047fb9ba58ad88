"""The bench's workloads in NumPy and, when it is importable, PyTorch (CPU, f32).

Every peer reads what the engine exported, so all do the same work on the same numbers:

- `DIR/reference/` and `DIR/digits/`: `prepared.json` (the train split, z-scored, from
  `landscape-lab prepared`) and `surface.json` (centre weights, the two filter-normalized
  directions, the layout, the grid and the engine's losses, from `landscape-lab surface`).
  The surface is L(a, b) = mean loss of theta + a*d1 + b*d2 over the train rows.
- `DIR/updates/`: `prepared.json` (split and initial weights), `updates.csv` and
  `epochs.csv` from `landscape-lab train` on the same configuration (no shuffling, so the
  batches are rows 0-31, 32-63, ... in order; 12 updates per epoch, the last of 2 rows).

Surface variants:
- naive: one forward pass over the whole split per grid point (PyTorch: the way the
  method's reference code does it, writing theta + a*d1 + b*d2 into the model's parameters
  and calling the model; here on the whole split in one batch, which favours it);
- batched: the weights of one grid row (51 points) stacked, one batched product per layer;
- factored: the first layer's pre-activation is linear in (a, b),
  Z(a, b) = (X W0' + b0) + a (X D1' + e1) + b (X D2' + e2), so its three products are
  computed once and each grid row only combines them and runs the output layer.

1000 AdamW updates at batch 32 do what the engine's trainer does in them: per update a
forward and backward pass, the gradient's norm (the engine records it) and the AdamW step;
at each epoch's end (every 12th update) the loss of the whole train and validation splits.

Prints `note,TEXT` and
`result,WORKLOAD,IMPLEMENTATION,THREADS,MEDIAN_MS,RUNS,MAX_ABS_DIFF,FASTEST_MS` lines,
where MAX_ABS_DIFF compares the peer's values with the engine's (the surface's losses;
for the updates every batch loss and every evaluated loss).

Run: python3 bench/peers.py DIR [--repeats 5] [--threads 1] [--only numpy|torch]
     [--skip-naive]; bench/run.sh exports DIR and runs it.
"""
import argparse
import csv
import ctypes
import json
import math
import os
import statistics
import sys
import time

import numpy as np

UPDATES = 1000


def note(text):
    print(f"note,{text}", flush=True)


def result(workload, implementation, threads, times_ms, diff):
    median = statistics.median(times_ms)
    print(f"result,{workload},{implementation},{threads},{median:.3f},{len(times_ms)},"
          f"{diff:.3g},{min(times_ms):.3f}", flush=True)


MIN_TOTAL_MS = 2000
MAX_RUNS = 51


def timed(repeats, work):
    """One warm-up call, then `repeats` timed calls, or more when they would take less than
    MIN_TOTAL_MS in all (at most MAX_RUNS); the times in ms and the last value."""
    started = time.perf_counter()
    value = work()
    warm_up_ms = (time.perf_counter() - started) * 1e3
    runs = max(repeats, min(MAX_RUNS, math.ceil(MIN_TOTAL_MS / max(warm_up_ms, 1e-3))))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = work()
        times.append((time.perf_counter() - started) * 1e3)
    return times, value


def load_json(path):
    with open(path) as file:
        return json.load(file)


class SurfaceCase:
    """One exported surface: data, centre, directions, grid and the engine's losses."""

    def __init__(self, folder):
        prepared = load_json(os.path.join(folder, "prepared.json"))
        surface = load_json(os.path.join(folder, "surface.json"))
        features = prepared["n_features"]
        self.x = np.asarray(prepared["train_x"], dtype=np.float32).reshape(-1, features)
        self.y = np.asarray(prepared["train_y"], dtype=np.float32)
        self.layout = surface["layout"]
        self.center = np.asarray(surface["weights"], dtype=np.float32)
        self.d1, self.d2 = (np.asarray(d, dtype=np.float32) for d in surface["directions"])
        self.alphas = np.asarray(surface["alphas"], dtype=np.float32)
        self.betas = np.asarray(surface["betas"], dtype=np.float32)
        self.engine = np.array([np.nan if v is None else v for v in surface["loss"]],
                               dtype=np.float64).reshape(len(self.betas), len(self.alphas))
        n_outputs = self.layout[-1]["shape"][0]
        self.classes = n_outputs if n_outputs > 1 else 0
        if self.classes:
            self.labels = self.y.astype(np.int64)
        else:
            self.y = self.y.reshape(-1, 1)

    def blocks(self, flat):
        """(weight, bias) per layer, as views of `flat` (leading axes kept)."""
        layers = []
        for weight, bias in zip(self.layout[0::2], self.layout[1::2]):
            w = flat[..., weight["offset"]:weight["offset"] + math.prod(weight["shape"])]
            b = flat[..., bias["offset"]:bias["offset"] + bias["shape"][0]]
            layers.append((w.reshape(flat.shape[:-1] + tuple(weight["shape"])), b))
        return layers

    def max_diff(self, values):
        finite = np.isfinite(self.engine)
        return float(np.max(np.abs(np.asarray(values, dtype=np.float64)[finite]
                                   - self.engine[finite])))


# ---- NumPy surfaces ------------------------------------------------------------------

def numpy_loss_sum(case, outputs, rows=slice(None)):
    """Sum over data rows of the per-sample loss of `outputs` (..., rows, n_out), in f64.

    Cross-entropy loops over the few classes, each step vectorized over every point and
    row: NumPy's reductions along a short last axis are slow."""
    if not case.classes:
        return np.square(outputs - case.y[rows]).astype(np.float64).sum(axis=(-2, -1))
    columns = [outputs[..., k] for k in range(outputs.shape[-1])]
    top = columns[0].copy()
    for column in columns[1:]:
        np.maximum(top, column, out=top)
    total = np.zeros_like(top)
    for column in columns:
        total += np.exp(column - top)
    labels = case.labels[rows]
    picked = np.take_along_axis(
        outputs, np.broadcast_to(labels[:, None], outputs.shape[:-1] + (1,)), axis=-1)[..., 0]
    return (np.log(total) + top - picked).astype(np.float64).sum(axis=-1)


def numpy_mean_loss(case, outputs):
    return numpy_loss_sum(case, outputs) / len(case.x)


def numpy_naive(case):
    losses = np.empty(case.engine.shape)
    for j, beta in enumerate(case.betas):
        for i, alpha in enumerate(case.alphas):
            weights = case.center + alpha * case.d1 + beta * case.d2
            h = case.x
            layers = case.blocks(weights)
            for k, (w, b) in enumerate(layers):
                h = h @ w.T + b
                if k + 1 < len(layers):
                    np.maximum(h, 0, out=h)
            losses[j, i] = numpy_mean_loss(case, h)
    return losses


def numpy_batched(case):
    """Grid row by grid row: the row's 51 weight vectors stacked, one product per layer.

    The data is shared by every point, so the first layer is one matrix product of the
    data with all the points' first-layer weights side by side; the layers above are a
    stack of products, one per point, with their weights transposed to contiguous
    matrices (NumPy runs a stack through BLAS only then)."""
    points = len(case.alphas)
    rows = len(case.x)
    losses = np.empty(case.engine.shape)
    for j, beta in enumerate(case.betas):
        weights = (case.center[None] + case.alphas[:, None] * case.d1[None]
                   + beta * case.d2[None])
        (w0, b0), *above = case.blocks(weights)
        width = w0.shape[1]
        z = case.x @ w0.reshape(points * width, -1).T
        h = z.reshape(rows, points, width).transpose(1, 0, 2) + b0[:, None, :]
        for w, b in above:
            np.maximum(h, 0, out=h)
            h = np.matmul(h, np.ascontiguousarray(w.transpose(0, 2, 1))) + b[:, None, :]
        losses[j] = numpy_mean_loss(case, h)
    return losses


def numpy_factored(case, block_rows=256):
    """One hidden layer: the first layer's three products once, then each grid row.

    Buffers are allocated once; each grid row fills the hidden activations of its 51
    points in place, `block_rows` data rows at a time so that they stay in cache, and
    runs the output layer as a stack of products."""
    (w0, b0), (w1, b1) = case.blocks(case.center)
    (v0, e0), (u1, c1) = case.blocks(case.d1)
    (s0, f0), (t1, g1) = case.blocks(case.d2)
    base = case.x @ w0.T + b0
    first = case.x @ v0.T + e0
    second = case.x @ s0.T + f0
    w1, u1, t1 = (np.ascontiguousarray(m.T) for m in (w1, u1, t1))
    alphas = case.alphas[:, None, None]
    rows = len(case.x)
    hidden = np.empty((len(case.alphas), min(block_rows, rows), base.shape[1]),
                      dtype=np.float32)
    shifted = np.empty_like(base)
    losses = np.zeros(case.engine.shape)
    for j, beta in enumerate(case.betas):
        np.multiply(second, beta, out=shifted)
        shifted += base
        weight = w1[None] + alphas * u1[None] + beta * t1[None]
        bias = b1[None] + case.alphas[:, None] * c1[None] + beta * g1[None]
        for start in range(0, rows, block_rows):
            block = slice(start, min(start + block_rows, rows))
            part = hidden[:, :block.stop - start]
            np.multiply(alphas, first[None, block], out=part)
            part += shifted[None, block]
            np.maximum(part, 0, out=part)
            outputs = np.matmul(part, weight) + bias[:, None, :]
            losses[j] += numpy_loss_sum(case, outputs, block)
    return losses / rows


# ---- NumPy training ------------------------------------------------------------------

class UpdatesCase:
    """The training workload: data, initial weights, AdamW settings, engine's losses."""

    def __init__(self, folder):
        prepared = load_json(os.path.join(folder, "prepared.json"))
        features = prepared["n_features"]
        self.x = np.asarray(prepared["train_x"], dtype=np.float32).reshape(-1, features)
        self.y = np.asarray(prepared["train_y"], dtype=np.float32).reshape(-1, 1)
        self.val_x = np.asarray(prepared["val_x"], dtype=np.float32).reshape(-1, features)
        self.val_y = np.asarray(prepared["val_y"], dtype=np.float32).reshape(-1, 1)
        self.initial = np.asarray(prepared["initial_weights"], dtype=np.float32)
        self.layout = prepared["layout"]
        config = prepared["config"]
        optimizer = config["optimizer"]
        self.lr = optimizer["lr"]
        self.betas = tuple(optimizer["betas"])
        self.eps = optimizer["eps"]
        decay = optimizer["weight_decay"]
        self.weight_decay = 0.01 if decay is None else decay
        self.batch = config["batch_size"]
        assert not config["shuffle"] and config["accumulation_steps"] == 1
        assert config["clip_norm"] is None and config["schedule"]["name"] == "constant"
        self.starts = list(range(0, len(self.x), self.batch))
        with open(os.path.join(folder, "updates.csv")) as file:
            self.engine_batch = np.array(
                [float(row["batch_loss"]) for row in csv.DictReader(file)][:UPDATES])
        epochs = UPDATES // len(self.starts)
        with open(os.path.join(folder, "epochs.csv")) as file:
            rows = list(csv.DictReader(file))[:epochs]
        self.engine_eval = np.array(
            [[float(r["train_loss_eval"]), float(r["val_loss"])] for r in rows])

    def max_diff(self, batch_losses, eval_losses):
        evaluated = np.asarray(eval_losses)[:len(self.engine_eval)]
        return max(float(np.max(np.abs(np.asarray(batch_losses) - self.engine_batch))),
                   float(np.max(np.abs(evaluated - self.engine_eval))))


def numpy_updates(case):
    """1000 AdamW updates of the one-hidden-layer MSE model over one flat vector."""
    layout = {block["name"]: block for block in case.layout}

    def view(flat, name):
        block = layout[name]
        return flat[block["offset"]:block["offset"] + math.prod(block["shape"])].reshape(
            block["shape"])

    params = case.initial.copy()
    grad = np.zeros_like(params)
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    w0, b0, w1, b1 = (view(params, n) for n in ("0.weight", "0.bias", "2.weight", "2.bias"))
    gw0, gb0, gw1, gb1 = (view(grad, n) for n in ("0.weight", "0.bias", "2.weight", "2.bias"))
    beta1, beta2 = (np.float32(b) for b in case.betas)
    # 1 - beta in double, then rounded: 1 - float32(0.999) is off by 1e-5 relative.
    keep1, keep2 = (np.float32(1 - b) for b in case.betas)
    eps = np.float32(case.eps)

    def mse(x, y):
        h = np.maximum(x @ w0.T + b0, 0)
        return float(np.square(h @ w1.T + b1 - y).mean())

    batch_losses, eval_losses = [], []
    for update in range(UPDATES):
        start = case.starts[update % len(case.starts)]
        x, y = case.x[start:start + case.batch], case.y[start:start + case.batch]

        # Forward, then backward of the per-sample mean squared error.
        z = x @ w0.T + b0
        h = np.maximum(z, 0)
        diff = h @ w1.T + b1 - y
        batch_losses.append(float(np.square(diff).mean()))
        d_out = diff * np.float32(2 / len(x))
        np.matmul(d_out.T, h, out=gw1)
        gb1[:] = d_out.sum(axis=0)
        d_z = (d_out @ w1) * (z > 0)
        np.matmul(d_z.T, x, out=gw0)
        gb0[:] = d_z.sum(axis=0)
        math.sqrt(float(np.dot(grad, grad)))

        # AdamW: decoupled decay, then the bias-corrected Adam step, in the order of
        # PyTorch's formula (step size lr / (1 - beta1^t), sqrt(v) / sqrt(1 - beta2^t)).
        step = update + 1
        params *= np.float32(1 - case.lr * case.weight_decay)
        m *= beta1
        m += keep1 * grad
        v *= beta2
        v += keep2 * np.square(grad)
        step_size = np.float32(case.lr / (1 - case.betas[0] ** step))
        inverse_correction = np.float32(1 / math.sqrt(1 - case.betas[1] ** step))
        params -= step_size * m / (np.sqrt(v) * inverse_correction + eps)

        if step % len(case.starts) == 0:
            eval_losses.append((mse(case.x, case.y), mse(case.val_x, case.val_y)))
    return batch_losses, eval_losses


# ---- PyTorch -------------------------------------------------------------------------

def torch_peers(torch, args, cases, updates_case):
    threads = args.threads
    torch.set_num_threads(threads)
    note(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")

    def tensor(a):
        return torch.from_numpy(np.ascontiguousarray(a))

    def model_for(layout):
        """nn.Sequential of Linear layers with ReLU between, as the layout names them."""
        layers = []
        for k, weight in enumerate(layout[0::2]):
            out_features, in_features = weight["shape"]
            layers.append(torch.nn.Linear(in_features, out_features))
            if 2 * (k + 1) < len(layout):
                layers.append(torch.nn.ReLU())
        return torch.nn.Sequential(*layers)

    def criterion(case):
        return torch.nn.CrossEntropyLoss() if case.classes else torch.nn.MSELoss()

    for workload, case in cases:
        x = tensor(case.x)
        y = tensor(case.labels) if case.classes else tensor(case.y)
        loss_fn = criterion(case)

        def mean_loss(outputs):
            """Per-point mean loss of (points, rows, n_out) outputs."""
            if case.classes:
                targets = y.expand(outputs.shape[0], -1)
                return torch.nn.functional.cross_entropy(
                    outputs.transpose(1, 2), targets, reduction="none").mean(dim=1)
            return (outputs - y).square().mean(dim=(1, 2))

        center, d1, d2 = tensor(case.center), tensor(case.d1), tensor(case.d2)
        alphas = tensor(case.alphas)

        def naive():
            model = model_for(case.layout).eval()
            params = list(model.parameters())
            pieces = [(p, center[s], d1[s], d2[s]) for p, s in zip(params, (
                slice(b["offset"], b["offset"] + math.prod(b["shape"])) for b in case.layout))]
            losses = np.empty(case.engine.shape)
            with torch.no_grad():
                for j, beta in enumerate(case.betas.tolist()):
                    for i, alpha in enumerate(case.alphas.tolist()):
                        for p, c, u, t in pieces:
                            p.copy_((c + alpha * u + beta * t).view_as(p))
                        losses[j, i] = loss_fn(model(x), y).item()
            return losses

        def unpack(flat):
            return case.blocks(flat)

        def batched():
            losses = np.empty(case.engine.shape)
            with torch.no_grad():
                for j, beta in enumerate(case.betas.tolist()):
                    weights = center[None] + alphas[:, None] * d1[None] + beta * d2[None]
                    h = x.expand(len(alphas), -1, -1)
                    layers = unpack(weights)
                    for k, (w, b) in enumerate(layers):
                        h = torch.baddbmm(b[:, None, :], h, w.transpose(1, 2))
                        if k + 1 < len(layers):
                            h.clamp_(min=0)
                    losses[j] = mean_loss(h).numpy()
            return losses

        def factored():
            (w0, b0), (w1, b1) = unpack(center)
            (v0, e0), (u1, c1) = unpack(d1)
            (s0, f0), (t1, g1) = unpack(d2)
            column = alphas[:, None, None]
            losses = np.empty(case.engine.shape)
            with torch.no_grad():
                base = torch.addmm(b0, x, w0.T)
                first = torch.addmm(e0, x, v0.T)
                second = torch.addmm(f0, x, s0.T)
                for j, beta in enumerate(case.betas.tolist()):
                    hidden = torch.addcmul((base + beta * second)[None], column, first[None])
                    hidden.clamp_(min=0)
                    weight = w1[None] + column * u1[None] + beta * t1[None]
                    bias = b1[None] + alphas[:, None] * c1[None] + beta * g1[None]
                    outputs = torch.baddbmm(bias[:, None, :], hidden, weight.transpose(1, 2))
                    losses[j] = mean_loss(outputs).numpy()
            return losses

        variants = [("batched", batched), ("factored", factored)]
        if not args.skip_naive:
            variants.insert(0, ("naive loop", naive))
        for name, work in variants:
            times, losses = timed(args.repeats, work)
            result(workload, f"PyTorch {name}", threads, times, case.max_diff(losses))

    if updates_case is not None:
        case = updates_case
        x, y = tensor(case.x), tensor(case.y)
        val_x, val_y = tensor(case.val_x), tensor(case.val_y)
        batches = [(x[s:s + case.batch], y[s:s + case.batch]) for s in case.starts]
        total_norm = getattr(torch.nn.utils, "get_total_norm", None)

        def train():
            model = model_for(case.layout)
            with torch.no_grad():
                flat = tensor(case.initial)
                for p, b in zip(model.parameters(), case.layout):
                    p.copy_(flat[b["offset"]:b["offset"] + p.numel()].view_as(p))
            optimizer = torch.optim.AdamW(model.parameters(), lr=case.lr, betas=case.betas,
                                          eps=case.eps, weight_decay=case.weight_decay)
            loss_fn = torch.nn.MSELoss()
            params = list(model.parameters())
            batch_losses, eval_losses = [], []
            for update in range(UPDATES):
                xb, yb = batches[update % len(batches)]
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                grads = [p.grad for p in params]
                if total_norm is not None:
                    total_norm(grads)
                else:
                    torch.linalg.vector_norm(torch.stack(
                        [torch.linalg.vector_norm(g) for g in grads]))
                optimizer.step()
                batch_losses.append(loss.item())
                if (update + 1) % len(batches) == 0:
                    with torch.no_grad():
                        eval_losses.append((loss_fn(model(x), y).item(),
                                            loss_fn(model(val_x), val_y).item()))
            return batch_losses, eval_losses

        times, (batch_losses, eval_losses) = timed(args.repeats, train)
        result("updates", "PyTorch AdamW", threads, times,
               case.max_diff(batch_losses, eval_losses))


# ---- Main ----------------------------------------------------------------------------

def openblas_core():
    """The OpenBLAS kernel NumPy runs (the name OpenBLAS reports), if it can be read."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                       "openblas_get_corename64_", "openblas_get_corename"):
            function = getattr(library, symbol, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return function().decode()
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", choices=("numpy", "torch"))
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out the per-point loops (slow, and not threaded)")
    args = parser.parse_args()

    cases = [(name, SurfaceCase(os.path.join(args.dir, name))) for name in
             ("surface", "digits")]
    updates_case = UpdatesCase(os.path.join(args.dir, "updates"))

    if args.only != "torch":
        core = openblas_core()
        note(f"numpy {np.__version__}, OpenBLAS kernel {core or 'unknown'}, "
             f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
             f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
        for workload, case in cases:
            variants = [("batched", numpy_batched), ("factored", numpy_factored)]
            if not args.skip_naive:
                variants.insert(0, ("naive loop", numpy_naive))
            for name, work in variants:
                times, losses = timed(args.repeats, lambda: work(case))
                result(workload, f"NumPy {name}", args.threads, times, case.max_diff(losses))
        times, (batch_losses, eval_losses) = timed(args.repeats,
                                                   lambda: numpy_updates(updates_case))
        result("updates", "NumPy AdamW", args.threads, times,
               updates_case.max_diff(batch_losses, eval_losses))

    if args.only != "numpy":
        try:
            import torch
        except ImportError:
            note(f"PyTorch is not importable by {sys.executable}: its rows are skipped")
            return
        torch_peers(torch, args, cases, updates_case)


if __name__ == "__main__":
    main()
