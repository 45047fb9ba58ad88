// The bench's Web Worker: runs the engine's workloads with the wasm build
// the page uses, timed with performance.now() here in the worker, after a
// warm-up (V8 compiles hot wasm functions in tiers, so the first calls are
// slower).

import init, { Engine } from '../../www/pkg/landscape_lab.js';
import { createRowPool, mapWorkerCount } from '../../www/js/rows-pool.js';

const WARM_UP_RUNS = 2;
// Timed runs last at least MIN_TOTAL_MS in all (more runs than asked for
// when they are short, at most MAX_RUNS), so that a burst of load on a
// shared machine moves the median less.
const MIN_TOTAL_MS = 2000;
const MAX_RUNS = 51;
const ALL_UPDATES = 1e9;
const NO_BUDGET_MS = Infinity;
const ready = init();

/** A trained run: the engine of `config` after every update. */
function trainedEngine(config) {
  const engine = new Engine(config);
  while (engine.status() === 'running') {
    engine.runUpdates(ALL_UPDATES, NO_BUDGET_MS);
  }
  return engine;
}

/**
 * Times of `once()` (milliseconds, or a promise of them) after the warm-up:
 * `repeats` runs, or more when they would take less than MIN_TOTAL_MS.
 */
async function timeRuns(repeats, once) {
  let lastMs = 0;
  for (let run = 0; run < WARM_UP_RUNS; run++) lastMs = await once();
  const runs = Math.max(repeats,
    Math.min(MAX_RUNS, Math.ceil(MIN_TOTAL_MS / Math.max(lastMs, 1e-3))));
  const times = [];
  for (let run = 0; run < runs; run++) times.push(await once());
  return times;
}

/** A whole map around the final weights, timed after warm-up. */
async function surface({ config, repeats }) {
  const engine = trainedEngine(config);
  const times = await timeRuns(repeats, () => {
    const startMs = performance.now();
    engine.startSurface();
    engine.computeSurface(NO_BUDGET_MS);
    return performance.now() - startMs;
  });
  const result = {
    times,
    loss: Array.from(engine.shownLoss()),
    alphas: Array.from(engine.shownAlphas()),
    betas: Array.from(engine.shownBetas()),
    centerLoss: engine.shownCenterLoss(),
    path: Array.from(engine.shownPath()),
  };
  engine.free();
  return result;
}

/**
 * A whole map around the final weights with its rows shared out to the
 * page's map workers (www/js/rows-pool.js), as the lab page computes it:
 * from the engine's request to its last row put in, timed after warm-up.
 */
async function sharedSurface({ config, repeats }) {
  const engine = trainedEngine(config);
  const size = mapWorkerCount();
  if (size === 0) {
    throw new Error('this browser starts no map workers (one core?)');
  }
  // A map shown already, so later maps have no coarse picture first.
  engine.startSurface();
  while (engine.surfacePending()) {
    engine.computeSurface(NO_BUDGET_MS);
  }
  const configJson = engine.configJson();
  const resolution = JSON.parse(configJson).landscape.resolution;
  let mapId = 0;
  let waiting = null;
  const pool = createRowPool(size, {
    row(id, row, loss) {
      if (id === mapId && engine.putSurfaceRow(row, loss)) {
        waiting.resolve();
      }
    },
    failed(id, message) {
      waiting.reject(new Error(`map worker: ${message}`));
    },
  });
  const once = async () => {
    const startMs = performance.now();
    const done = new Promise((resolve, reject) => {
      waiting = { resolve, reject };
    });
    engine.startSurface();
    mapId += 1;
    pool.share({
      mapId,
      config: configJson,
      center: engine.surfaceCenter(),
      directions: [engine.surfaceDirection(0), engine.surfaceDirection(1)],
      halfWidth: engine.surfaceHalfWidth(),
      resolution,
    });
    await done;
    return performance.now() - startMs;
  };
  const times = await timeRuns(repeats, once);
  pool.terminate();
  const result = { times, workers: size, loss: Array.from(engine.shownLoss()) };
  engine.free();
  return result;
}

/** `count` updates from a fresh run (built outside the timing). */
async function updates({ config, repeats, count }) {
  let history = null;
  const times = await timeRuns(repeats, () => {
    const engine = new Engine(config);
    const startMs = performance.now();
    const done = engine.runUpdates(count, NO_BUDGET_MS);
    const elapsedMs = performance.now() - startMs;
    if (done !== count) {
      throw new Error(`the run made ${done} updates, not ${count}`);
    }
    history = {
      batchLoss: JSON.parse(engine.updatesSince(0)).map((u) => u.batch_loss),
      epochs: JSON.parse(engine.epochsSince(0))
        .map((e) => [e.train_loss_eval, e.val_loss]),
    };
    engine.free();
    return elapsedMs;
  });
  return { times, ...history };
}

const WORKLOADS = { surface, sharedSurface, updates };

self.onmessage = async (event) => {
  const { id, workload, ...task } = event.data;
  try {
    await ready;
    const run = WORKLOADS[workload];
    if (!run) throw new Error(`unknown workload "${workload}"`);
    self.postMessage({ id, result: await run(task) });
  } catch (error) {
    self.postMessage({ id, error: String(error?.stack ?? error) });
  }
};
