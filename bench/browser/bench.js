// The bench page's main thread: hands workloads to the engine's worker and
// times drawing a map with the page's own drawing code. The driver
// (bench/browser.mjs) calls window.bench through playwright and waits for
// window.benchReady.

import init, {
  drawLandscape,
  drawLandscapeBase,
  drawLandscapeOverlay,
} from '../../www/pkg/landscape_lab.js';

const WARM_UP_DRAWS = 3;

const worker = new Worker('./worker.js', { type: 'module' });
let nextId = 0;
const pending = new Map();

worker.onmessage = (event) => {
  const { id, error, result } = event.data;
  const waiting = pending.get(id);
  pending.delete(id);
  if (error) {
    waiting.reject(new Error(error));
  } else {
    waiting.resolve(result);
  }
};
worker.onerror = (event) => {
  for (const waiting of pending.values()) {
    waiting.reject(new Error(`bench worker failed: ${event.message}`));
  }
  pending.clear();
};

/** Runs `task` ({workload, config, repeats, …}) in the worker. */
function inWorker(task) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...task });
  });
}

/** Milliseconds of `draw()` until its pixels exist (one pixel read back). */
function timeDraw(canvas, draw) {
  const context = canvas.getContext('2d', { willReadFrequently: false });
  const startMs = performance.now();
  draw();
  context.getImageData(0, 0, 1, 1);
  return performance.now() - startMs;
}

/**
 * Draws a map the way the page does, on a `width` × `height` canvas:
 * `full` is the whole map (contours, axes, colour bar, path), `overlay`
 * the cached base copied back plus the path, as each path update draws it.
 */
function drawTimes({ surface, path, width, height, scale, repeats }) {
  const canvas = document.getElementById('map');
  canvas.width = width;
  canvas.height = height;
  const base = document.createElement('canvas');
  base.width = width;
  base.height = height;
  const loss = Float64Array.from(surface.loss);
  const points = Float64Array.from(path);
  const meta = JSON.stringify({
    alphas: surface.alphas,
    betas: surface.betas,
    rows_done: surface.betas.length,
    center_loss: surface.centerLoss,
    title: 'Loss around the weights after update 300',
    scale,
    dark: false,
  });
  const full = () => drawLandscape(canvas, loss, points, meta);
  const overlay = () => {
    canvas.getContext('2d').drawImage(base, 0, 0);
    drawLandscapeOverlay(canvas, loss, points, meta);
  };
  drawLandscapeBase(base, loss, meta);
  const times = { full: [], overlay: [] };
  for (let round = 0; round < WARM_UP_DRAWS + repeats; round++) {
    const fullMs = timeDraw(canvas, full);
    const overlayMs = timeDraw(canvas, overlay);
    if (round >= WARM_UP_DRAWS) {
      times.full.push(fullMs);
      times.overlay.push(overlayMs);
    }
  }
  return times;
}

window.bench = { inWorker, drawTimes };
init().then(() => {
  window.benchReady = true;
});
