// Charts glue: keeps the history and the latest map the worker sent, sizes the
// canvases for the screen's pixel density, and redraws them with the wasm
// drawing functions in animation frames.
//
// Only a chart whose data, options or size changed is redrawn, and one frame
// draws at most MAX_CHARTS_PER_FRAME of them (the map's contours count as
// one), taking the curves in turn, so no frame draws everything at once.
//
// The map is drawn in two layers: the contours (slow, only when a new map
// arrives or the canvas changes size) into an off-screen canvas, then copied
// and overlaid with the path (fast, whenever the weights move).
//
// The curves follow the options above them (smoothing, y scale, x unit), and
// hovering a chart or the map shows the value under the pointer: Rust maps
// the pointer's pixel back to data with the layout it drew.

import {
  chartScale, element, fitToScreen, onChartScaleChange,
} from './dom.js';
import { appendRecords, emptyHistory, finiteOrNull } from './history.js';

const MIN_CURVE_INTERVAL_MS = 50;
const CURVES = Object.freeze(['loss', 'lr', 'gradNorm']);
const MAX_CHARTS_PER_FRAME = 2;
// A second chart is drawn in a frame only if the first took less than this.
const FRAME_BUDGET_MS = 6;
const DEFAULT_SMOOTHING = 0.6;
const NARROW_MAP_CSS_PX = 560;
const NORMALIZATION_NAMES = Object.freeze({
  filter: 'filter-normalized',
  layer: 'layer-normalized',
  model: 'model-normalized',
  none: 'unnormalized',
});

/** How the map's plane was chosen, for its title. */
function planeName(landscape) {
  switch (landscape?.plane) {
    case 'random':
      return `${NORMALIZATION_NAMES[landscape.normalization] ?? ''}` +
        ' random plane';
    case 'pca':
      return 'plane of the path’s principal components';
    case 'parameters':
      return 'the two parameters';
    default:
      return null;
  }
}
const LOSS_LABELS = Object.freeze({
  mse: 'mean squared error',
  bce: 'binary cross-entropy',
  cross_entropy: 'cross-entropy',
});
// A curve whose values span more than this factor gets a log axis.
const LOG_AXIS_MIN_RATIO = 1000;

// Okabe–Ito colours: distinguishable with every common colour-vision
// deficiency. Blue is swapped for sky blue on dark backgrounds.
const PALETTE = Object.freeze({
  light: { first: '#0072b2', second: '#e69f00', third: '#009e73' },
  dark: { first: '#56b4e9', second: '#e69f00', third: '#2fbf8f' },
});

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

/** Whether the positive values in `values` span more than `ratio`. */
function spansDecades(values, ratio) {
  let low = Infinity;
  let high = 0;
  for (const value of values) {
    if (value !== null && value > 0) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return high > 0 && high / low > ratio;
}

/** A number for a readout: 4 significant digits, or a dash. */
function formatValue(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return Number(value.toPrecision(4)).toString();
}

/**
 * Creates the charts. `wasm` is the loaded drawing module (drawCurve,
 * drawLandscapeBase, drawLandscapeOverlay); `onError(error)` is told about
 * drawing failures.
 */
export function createCharts(wasm, onError) {
  const { drawCurve, drawLandscapeBase, drawLandscapeOverlay } = wasm;
  const canvases = {
    landscape: element('landscape'),
    loss: element('curve-loss'),
    lr: element('curve-lr'),
    gradNorm: element('curve-gradnorm'),
  };
  const baseLayer = document.createElement('canvas');

  const state = {
    run: null,
    history: emptyHistory(),
    surface: null,
    path: new Float64Array(0),
    // What needs drawing: the map's contours (base) and path (overlay), and
    // each curve.
    dirty: { base: true, overlay: true, loss: true, lr: true, gradNorm: true },
    frameRequested: false,
    lastDrawMs: { loss: -Infinity, lr: -Infinity, gradNorm: -Infinity },
    // The curve the next frame looks at first.
    nextCurve: 0,
    options: {
      smoothing: DEFAULT_SMOOTHING,
      yScale: 'auto',
      xUnit: 'updates',
    },
    // The spec each chart was last drawn from and the frame it returned.
    drawn: {},
  };
  const readouts = {
    landscape: document.getElementById('landscape-readout'),
    loss: document.getElementById('curve-loss-readout'),
    lr: document.getElementById('curve-lr-readout'),
    gradNorm: document.getElementById('curve-gradnorm-readout'),
  };

  function requestDraw() {
    if (!state.frameRequested) {
      state.frameRequested = true;
      requestAnimationFrame(draw);
    }
  }

  function markDirty(...names) {
    for (const name of names) {
      state.dirty[name] = true;
    }
    requestDraw();
  }

  function markAllDirty() {
    markDirty('base', 'overlay', ...CURVES);
  }

  const nameOf = new Map(
    Object.entries(canvases).map(([name, canvas]) => [canvas, name]));
  const resizeObserver = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const name = nameOf.get(entry.target);
      markDirty(name === 'landscape' ? 'base' : name);
    }
  });
  for (const canvas of Object.values(canvases)) {
    resizeObserver.observe(canvas);
  }
  darkQuery.addEventListener('change', markAllDirty);
  onChartScaleChange(markAllDirty);

  function theme() {
    return {
      scale: chartScale(),
      dark: darkQuery.matches,
    };
  }

  function landscapeTitle() {
    const surface = state.surface;
    if (!surface) {
      return 'Loss around the current weights';
    }
    const update = surface.centerUpdate;
    const short = `Loss around the weights after update ${update}`;
    // The width in the chart's own text units: classroom mode's larger
    // text needs the short title sooner.
    const narrow = canvases.landscape.clientWidth *
      (window.devicePixelRatio || 1) / chartScale() < NARROW_MAP_CSS_PX;
    const plane = surface.planeLabel ||
      planeName(state.run?.config?.landscape);
    return narrow || !plane ? short : `${short} (${plane})`;
  }

  function landscapeMeta() {
    const surface = state.surface;
    const title = landscapeTitle();
    return JSON.stringify({
      alphas: surface ? surface.alphas : [],
      betas: surface ? surface.betas : [],
      rows_done: surface ? surface.betas.length : 0,
      center_loss: surface ? finiteOrNull(surface.centerLoss) : null,
      title,
      ...theme(),
    });
  }

  /** Draws the map's dirty layers; true when the contours were redrawn. */
  function drawMap() {
    const canvas = canvases.landscape;
    const resized = fitToScreen(canvas);
    const loss = state.surface ? state.surface.loss : new Float64Array(0);
    const meta = landscapeMeta();
    const redrawBase = state.dirty.base || resized;
    state.dirty.base = false;
    state.dirty.overlay = false;
    if (redrawBase) {
      baseLayer.width = canvas.width;
      baseLayer.height = canvas.height;
      drawLandscapeBase(baseLayer, loss, meta);
      canvas.dataset.drawnUpdate = state.surface
        ? String(state.surface.centerUpdate)
        : '';
    }
    const context = canvas.getContext('2d');
    context.drawImage(baseLayer, 0, 0);
    drawLandscapeOverlay(canvas, loss, state.path, meta);
    return redrawBase;
  }

  /** The y axis of a chart: the chosen scale, or `auto` when not chosen. */
  function logAxis(auto) {
    const choice = state.options.yScale;
    return choice === 'auto' ? auto : choice === 'log';
  }

  function curveSpecs() {
    const run = state.run;
    const history = state.history;
    const options = state.options;
    const palette = darkQuery.matches ? PALETTE.dark : PALETTE.light;
    const totalEpochs = run ? run.total_epochs : 1;
    const totalUpdates = run ? run.total_updates : 1;
    const perEpoch = Math.max(1, totalUpdates / Math.max(1, totalEpochs));
    const inEpochs = options.xUnit === 'epochs';
    // Update k ends at epoch (k + 1) / updates per epoch; epoch e ends with
    // update e · updates per epoch − 1.
    const updateX = inEpochs
      ? history.update.map((update) => (update + 1) / perEpoch)
      : history.update;
    const epochX = inEpochs
      ? history.epoch
      : history.epoch.map((epoch) => epoch * perEpoch - 1);
    const xLabel = inEpochs ? 'epoch' : 'optimizer update';
    const xRange = inEpochs
      ? (totalEpochs > 1 ? [1 / perEpoch, totalEpochs] : null)
      : (totalUpdates > 1 ? [0, totalUpdates - 1] : null);
    const clipNorm = run ? run.clip_norm : null;
    const smoothing = options.smoothing;
    const clippedX = [];
    const clippedY = [];
    history.clipped.forEach((clipped, index) => {
      if (clipped) {
        clippedX.push(updateX[index]);
        clippedY.push(history.gradNorm[index]);
      }
    });
    return {
      loss: {
        title: 'Loss per epoch',
        x_label: xLabel,
        y_label: LOSS_LABELS[run?.loss] ?? 'loss',
        log_y: logAxis(true),
        x_range: xRange,
        smoothing,
        series: [
          {
            label: 'train (running)',
            color: palette.first,
            x: epochX,
            y: history.trainRunning,
          },
          {
            label: 'train (evaluated)',
            color: palette.second,
            x: epochX,
            y: history.trainEval,
          },
          // A run without a validation set has no validation curve (rather
          // than a row of "not finite" marks).
          ...(history.val.every((v) => v === null) ? [] : [{
            label: 'validation',
            color: palette.third,
            x: epochX,
            y: history.val,
          }]),
        ],
      },
      lr: {
        title: 'Learning rate per update',
        x_label: xLabel,
        y_label: 'learning rate',
        log_y: logAxis(false),
        x_range: xRange,
        series: [
          {
            label: '',
            color: palette.first,
            x: updateX,
            y: history.lr,
          },
        ],
      },
      gradNorm: {
        title: 'Gradient norm per update (before clipping)',
        x_label: xLabel,
        y_label: 'gradient L2 norm',
        log_y: logAxis(spansDecades(history.gradNorm, LOG_AXIS_MIN_RATIO)),
        x_range: xRange,
        smoothing,
        hline: Number.isFinite(clipNorm)
          ? { value: clipNorm, label: `clip threshold ${clipNorm}` }
          : null,
        marks: Number.isFinite(clipNorm)
          ? { label: 'clipped', x: clippedX, y: clippedY }
          : null,
        series: [
          {
            label: 'gradient norm',
            color: palette.first,
            x: updateX,
            y: history.gradNorm,
          },
        ],
      },
    };
  }

  function drawOneCurve(name, spec) {
    const canvas = canvases[name];
    fitToScreen(canvas);
    const specJson = JSON.stringify({ ...spec, ...theme() });
    const frameJson = drawCurve(canvas, specJson);
    state.drawn[name] = { specJson, frameJson };
    state.lastDrawMs[name] = performance.now();
  }

  /**
   * One animation frame: the map's path if it moved, then dirty charts in
   * turn until MAX_CHARTS_PER_FRAME are drawn or the frame's budget is used.
   * A curve is redrawn at most once per MIN_CURVE_INTERVAL_MS.
   */
  function draw() {
    state.frameRequested = false;
    const startMs = performance.now();
    let drawn = 0;
    const mayDrawMore = () => drawn === 0 ||
      (drawn < MAX_CHARTS_PER_FRAME &&
        performance.now() - startMs < FRAME_BUDGET_MS);
    try {
      if (state.dirty.base || state.dirty.overlay) {
        drawn += drawMap() ? 1 : 0;
      }
      let specs = null;
      for (let tried = 0; tried < CURVES.length && mayDrawMore(); tried += 1) {
        const name = CURVES[state.nextCurve];
        state.nextCurve = (state.nextCurve + 1) % CURVES.length;
        const sinceMs = performance.now() - state.lastDrawMs[name];
        if (!state.dirty[name] || sinceMs < MIN_CURVE_INTERVAL_MS) {
          continue;
        }
        state.dirty[name] = false;
        specs ??= curveSpecs();
        drawOneCurve(name, specs[name]);
        drawn += 1;
      }
    } catch (error) {
      onError(error);
    }
    if (Object.values(state.dirty).some(Boolean)) {
      requestDraw();
    }
  }

  /** The pointer's position in device pixels of `canvas`. */
  function devicePixel(canvas, event) {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / Math.max(1, box.width),
      y: ((event.clientY - box.top) * canvas.height) / Math.max(1, box.height),
    };
  }

  function showLandscapeValue(event) {
    const output = readouts.landscape;
    const surface = state.surface;
    if (!output || !surface) {
      return;
    }
    const canvas = canvases.landscape;
    const { x, y } = devicePixel(canvas, event);
    const found = JSON.parse(
      wasm.landscapeReadout(
        surface.loss,
        landscapeMeta(),
        canvas.width,
        canvas.height,
        x,
        y,
      ),
    );
    output.textContent = found === null
      ? ''
      : `α ${formatValue(found.alpha)}, β ${formatValue(found.beta)}: ` +
        `loss ${found.loss === null ? 'no data' : formatValue(found.loss)}`;
  }

  function showCurveValue(name, event) {
    const output = readouts[name];
    const drawn = state.drawn[name];
    if (!output || !drawn) {
      return;
    }
    const { x, y } = devicePixel(canvases[name], event);
    const found = JSON.parse(
      wasm.curveReadout(drawn.specJson, drawn.frameJson, x, y),
    );
    if (found === null || found.values.length === 0) {
      output.textContent = '';
      return;
    }
    const unit = state.options.xUnit === 'epochs' ? 'epoch' : 'update';
    const parts = found.values.map((value) => {
      const label = value.label || 'value';
      const smoothed = value.smoothed === null
        ? ''
        : ` (smoothed ${formatValue(value.smoothed)})`;
      const raw = value.y === null ? 'not finite' : formatValue(value.y);
      return `${label} ${raw}${smoothed}`;
    });
    const at = formatValue(found.values[0].x);
    output.textContent = `${unit} ${at}: ${parts.join(' · ')}`;
  }

  canvases.landscape.addEventListener('pointermove', (event) => {
    try {
      showLandscapeValue(event);
    } catch (error) {
      onError(error);
    }
  });
  canvases.landscape.addEventListener('pointerleave', () => {
    if (readouts.landscape) {
      readouts.landscape.textContent = '';
    }
  });
  for (const name of ['loss', 'lr', 'gradNorm']) {
    canvases[name].addEventListener('pointermove', (event) => {
      try {
        showCurveValue(name, event);
      } catch (error) {
        onError(error);
      }
    });
    canvases[name].addEventListener('pointerleave', () => {
      if (readouts[name]) {
        readouts[name].textContent = '';
      }
    });
  }

  // The options above the curves.
  const smoothingInput = document.getElementById('curve-smoothing');
  const smoothingValue = document.getElementById('curve-smoothing-value');
  const yScaleInput = document.getElementById('curve-y-scale');
  const xUnitInput = document.getElementById('curve-x-unit');
  function readOptions() {
    if (smoothingInput) {
      const weight = Number(smoothingInput.value);
      state.options.smoothing = Number.isFinite(weight) ? weight : 0;
      if (smoothingValue) {
        smoothingValue.textContent = state.options.smoothing.toFixed(2);
      }
    }
    if (yScaleInput) {
      state.options.yScale = yScaleInput.value;
    }
    if (xUnitInput) {
      state.options.xUnit = xUnitInput.value;
    }
    markDirty(...CURVES);
  }
  for (const input of [smoothingInput, yScaleInput, xUnitInput]) {
    input?.addEventListener('input', readOptions);
  }
  readOptions();

  return {
    /** Forgets everything of the previous run. */
    reset(run) {
      state.run = run;
      state.history = emptyHistory();
      state.surface = null;
      state.path = new Float64Array(0);
      state.drawn = {};
      markAllDirty();
    },

    /**
     * Appends new per-update and per-epoch records (the older ones thinned
     * on long runs, see history.js).
     */
    addHistory(updates, epochs) {
      appendRecords(state.history, updates, epochs);
      // The loss is per epoch; the learning rate and gradient norm per update.
      if (updates.length > 0) {
        markDirty('lr', 'gradNorm');
      }
      if (epochs.length > 0) {
        markDirty('loss');
      }
    },

    /** Shows a finished map and the path on its plane. */
    setSurface(surface, path) {
      state.surface = surface;
      state.path = path;
      markDirty('base');
    },

    /** Moves the path on the shown map. */
    setPath(path) {
      state.path = path;
      markDirty('overlay');
    },
  };
}
