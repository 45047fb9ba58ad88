// The comparison page's Web Worker: computes comparisons with the engine, one
// task at a time, and posts its progress between short slices of work. The
// page runs several of these workers side by side, one task each: the full
// comparison (landscapes, measures, interpolation) and the seeds of the
// spread (measures only). The page cancels work by terminating the worker.
//
// Page → worker:
//   { type: 'task', taskId, a, b, labels, seedOffset, withViews }
//        a, b: run configs (objects); labels: [A, B]
// Worker → page:
//   { type: 'progress', taskId, progress }
//        progress: { stage, side?, label, done, total, fraction }
//   { type: 'result', taskId, metrics, elapsedMs, view?, surfaces? }
//        metrics: [A, B]; with views also the comparison's view (maps,
//        curves, interpolation, table) and both surfaces as Float64Arrays
//   { type: 'error', taskId, message }

import init, { ComparisonTask } from '../pkg/landscape_lab.js';

// Work between two progress messages: short enough for a smooth bar, long
// enough that posting costs nothing noticeable.
const SLICE_MS = 60;

const wasmReady = init();
const queue = [];
let busy = false;

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

function runTask(request) {
  const started = performance.now();
  const task = new ComparisonTask(
    JSON.stringify(request.a),
    JSON.stringify(request.b),
    JSON.stringify(request.labels),
    request.seedOffset,
    request.withViews,
  );
  try {
    while (!task.advance(SLICE_MS)) {
      self.postMessage({
        type: 'progress',
        taskId: request.taskId,
        progress: JSON.parse(task.progressJson()),
      });
    }
    const result = {
      type: 'result',
      taskId: request.taskId,
      metrics: JSON.parse(task.metricsJson()),
      elapsedMs: performance.now() - started,
    };
    const transfer = [];
    if (request.withViews) {
      result.view = JSON.parse(task.viewJson());
      result.surfaces = [0, 1].map((side) => task.surfaceLoss(side));
      transfer.push(...result.surfaces.map((surface) => surface.buffer));
    }
    self.postMessage(result, transfer);
  } finally {
    task.free();
  }
}

async function drain() {
  if (busy) {
    return;
  }
  busy = true;
  try {
    await wasmReady;
    while (queue.length > 0) {
      const request = queue.shift();
      try {
        runTask(request);
      } catch (error) {
        self.postMessage({
          type: 'error',
          taskId: request.taskId,
          message: describe(error),
        });
      }
    }
  } catch (error) {
    self.postMessage({
      type: 'error',
      taskId: null,
      message: `the engine did not load: ${describe(error)}`,
    });
  } finally {
    busy = false;
  }
}

self.onmessage = (event) => {
  if (event.data?.type === 'task') {
    queue.push(event.data);
    drain();
  }
};
