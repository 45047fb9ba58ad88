"""Turns the bench's result lines into the README's table and checks issue 8's targets.

Input: the `note,…`, `result,WORKLOAD,IMPLEMENTATION,THREADS,MEDIAN_MS,RUNS,MAX_ABS_DIFF`
and `frames,PAGE_RUN,LONGEST_TASK_MS,TASKS_OVER_50,FRAMES,MEDIAN_GAP_MS,P99_GAP_MS,
WORST_GAP_MS,STATUS` lines that bench/run.sh collects from the native bench,
bench/browser.mjs and bench/peers.py. Prints Markdown.

Run: python3 bench/report.py RESULTS.csv --wasm-bytes N --wasm-gzip-bytes N
"""
import argparse
import collections

WORKLOADS = {
    "surface": "Reference surface: MLP 10→64→1, 354 rows, 51×51",
    "updates": "1000 AdamW updates, batch 32 (with 83 epoch-end evaluations)",
    "digits": "Digits surface: MLP 64→128→10, 1437 rows, 51×51",
    "coarse": "Digits surface, coarse 11×11 (a sub-grid of the 51×51)",
    "render": "Drawing one landscape view (reference map, main thread)",
}
ENGINES = ("native (release)", "wasm (worker)")


def is_engine(row):
    return row.implementation.startswith(("native", "wasm"))
TARGET_SURFACE_VS_BEST = 3.0
TARGET_SURFACE_VS_LOOP = 10.0
TARGET_NATIVE_VS_BEST = 5.0
TARGET_UPDATES_PER_SECOND = 50_000
TARGET_UPDATES_VS_NUMPY = 3.0
TARGET_LONGEST_TASK_MS = 50.0
TARGET_COARSE_MS = 200.0
TARGET_DIGITS_MS = 2000.0
TARGET_WASM_GZIP_KB = 400.0

Row = collections.namedtuple(
    "Row", "workload implementation threads median_ms runs diff fastest_ms")
Frames = collections.namedtuple(
    "Frames", "run longest_ms over_50 frames median_gap_ms p99_gap_ms worst_gap_ms status")


def read(path):
    rows, frames, notes = [], [], []
    with open(path) as file:
        for line in file:
            kind, _, rest = line.rstrip("\n").partition(",")
            if kind == "result":
                # An implementation's name may hold commas; the numbers never do.
                w, rest = rest.split(",", 1)
                name, threads, ms, runs, diff, fastest = rest.rsplit(",", 5)
                rows.append(Row(w, name, int(threads), float(ms), int(runs), diff,
                                float(fastest)))
            elif kind == "frames":
                parts = rest.split(",")
                frames.append(Frames(parts[0], float(parts[1]), int(parts[2]), int(parts[3]),
                                     float(parts[4]), float(parts[5]), float(parts[6]),
                                     parts[7]))
            elif kind == "note":
                notes.append(rest)
    return rows, frames, notes


def label(row):
    if is_engine(row):
        return f"**{row.implementation}**"
    threads = "1 thread" if row.threads == 1 else f"{row.threads} threads"
    return f"{row.implementation}, {threads}"


def ratio(numerator, denominator):
    return f"{numerator / denominator:.1f}×" if denominator else "–"


def table(rows):
    lines = ["| workload | implementation | median ms | fastest ms | runs "
             "| max abs diff from the engine | native faster by | wasm faster by |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for workload, title in WORKLOADS.items():
        chosen = [r for r in rows if r.workload == workload]
        engine = {r.implementation: r.median_ms for r in chosen if r.implementation in ENGINES}
        for row in sorted(chosen, key=lambda r: (not is_engine(r), r.median_ms)):
            engine_row = is_engine(row)
            diff = "reference" if row.implementation == ENGINES[0] else (
                "–" if workload == "render" else row.diff)
            native = "" if engine_row else ratio(row.median_ms, engine.get(ENGINES[0], 0))
            wasm = "" if engine_row else ratio(row.median_ms, engine.get(ENGINES[1], 0))
            lines.append(f"| {title} | {label(row)} | {row.median_ms:.1f} | "
                         f"{row.fastest_ms:.1f} | {row.runs} | {diff} | {native} | {wasm} |")
            title = ""
    return "\n".join(lines)


def frames_table(frames):
    lines = ["| page run (at 300 updates/s) | longest main-thread task ms | tasks over 50 ms "
             "| frames | median frame ms | 99th pct frame ms | longest frame ms | at the end |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for f in frames:
        longest = f"{f.longest_ms:.0f}" if f.over_50 else "none over 50"
        lines.append(f"| {f.run} | {longest} | {f.over_50} | {f.frames} | "
                     f"{f.median_gap_ms:.1f} | {f.p99_gap_ms:.1f} | {f.worst_gap_ms:.0f} | "
                     f"{f.status} |")
    return "\n".join(lines)


def targets(rows, frames, wasm_gzip_bytes):
    def find(workload, implementation, threads=None):
        for r in rows:
            if (r.workload == workload and r.implementation == implementation
                    and (threads is None or r.threads == threads)):
                return r
        return None

    def peers(workload):
        return [r for r in rows if r.workload == workload and not is_engine(r)]

    verdicts = []

    def check(text, holds, measured):
        verdicts.append(f"| {text} | {measured} | {'holds' if holds else '**does not hold**'} |")

    wasm, native = find("surface", ENGINES[1]), find("surface", ENGINES[0])
    surface_peers = peers("surface")
    if surface_peers:
        best = min(surface_peers, key=lambda r: r.median_ms)
        best_text = f"{best.implementation}, {best.threads} thr., {best.median_ms:.1f} ms"
        if wasm:
            speedup = best.median_ms / wasm.median_ms
            check(f"reference surface, wasm ≥ {TARGET_SURFACE_VS_BEST:.0f}× the best peer",
                  speedup >= TARGET_SURFACE_VS_BEST,
                  f"{speedup:.2f}× ({wasm.median_ms:.1f} ms vs {best_text})")
        loop = find("surface", "PyTorch naive loop", 1) or find("surface", "NumPy naive loop")
        if wasm and loop:
            speedup = loop.median_ms / wasm.median_ms
            check(f"reference surface, wasm ≥ {TARGET_SURFACE_VS_LOOP:.0f}× the per-point loop",
                  speedup >= TARGET_SURFACE_VS_LOOP,
                  f"{speedup:.1f}× ({loop.implementation}, {loop.median_ms:.0f} ms)")
        if native:
            speedup = best.median_ms / native.median_ms
            check(f"reference surface, native ≥ {TARGET_NATIVE_VS_BEST:.0f}× the best peer",
                  speedup >= TARGET_NATIVE_VS_BEST,
                  f"{speedup:.2f}× ({native.median_ms:.1f} ms vs {best_text})")

    wasm_updates = find("updates", ENGINES[1])
    if wasm_updates:
        per_second = 1000 / (wasm_updates.median_ms / 1e3)
        check(f"≥ {TARGET_UPDATES_PER_SECOND:,} AdamW updates/s in the browser",
              per_second >= TARGET_UPDATES_PER_SECOND, f"{per_second:,.0f} updates/s")
        numpy = find("updates", "NumPy AdamW")
        if numpy:
            speedup = numpy.median_ms / wasm_updates.median_ms
            check(f"training in the browser ≥ {TARGET_UPDATES_VS_NUMPY:.0f}× NumPy",
                  speedup >= TARGET_UPDATES_VS_NUMPY,
                  f"{speedup:.2f}× ({numpy.median_ms:.1f} ms)")

    for f in frames:
        check(f"page ({f.run} run): no main-thread task over {TARGET_LONGEST_TASK_MS:.0f} ms",
              f.over_50 == 0,
              f"{f.over_50} tasks over 50 ms, longest {f.longest_ms:.0f} ms" if f.over_50
              else "none")

    coarse = find("coarse", ENGINES[1])
    # The page computes a full map with its map workers where it has them.
    digits = min((r for r in rows if r.workload == "digits"
                  and r.implementation.startswith("wasm")),
                 key=lambda r: r.median_ms, default=None)
    if coarse:
        check(f"digits, first (coarse) picture < {TARGET_COARSE_MS:.0f} ms in the browser",
              coarse.median_ms < TARGET_COARSE_MS, f"{coarse.median_ms:.0f} ms (11×11)")
    if digits:
        check(f"digits, full 51×51 < {TARGET_DIGITS_MS / 1000:.0f} s in the browser",
              digits.median_ms < TARGET_DIGITS_MS,
              f"{digits.median_ms:.0f} ms ({digits.implementation})")
    if wasm_gzip_bytes:
        kb = wasm_gzip_bytes / 1000
        check(f"wasm ≤ {TARGET_WASM_GZIP_KB:.0f} KB gzip", kb <= TARGET_WASM_GZIP_KB,
              f"{kb:.0f} KB")
    return "\n".join(["| target (issue 8) | measured | verdict |", "|---|---|---|"] + verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--wasm-bytes", type=int, default=0)
    parser.add_argument("--wasm-gzip-bytes", type=int, default=0)
    args = parser.parse_args()
    rows, frames, notes = read(args.results)

    print(table(rows))
    if frames:
        print()
        print(frames_table(frames))
    print()
    if args.wasm_bytes:
        print(f"wasm: www/pkg/landscape_lab_bg.wasm {args.wasm_bytes / 1000:.0f} KB, "
              f"{args.wasm_gzip_bytes / 1000:.0f} KB gzip -9")
        print()
    print(targets(rows, frames, args.wasm_gzip_bytes))
    if notes:
        print()
        for text in notes:
            print(f"- {text}")


if __name__ == "__main__":
    main()
