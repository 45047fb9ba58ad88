// The comparison page's results: the two maps on one colour scale, the line
// between the minima, both runs' loss curves (drawn by the wasm functions on
// canvases sized for the screen's pixel density), the table of measures and
// the seed-spread table. Every text from data goes in with textContent.

import { element, fitToScreen } from './dom.js';

// Okabe–Ito blue for run A, orange for run B (sky blue on dark pages).
const RUN_COLORS = Object.freeze({
  light: ['#0072b2', '#e69f00'],
  dark: ['#56b4e9', '#e69f00'],
});
// A curve whose values span more than this factor gets a log axis.
const LOG_AXIS_MIN_RATIO = 1000;
const MIN_REDRAW_INTERVAL_MS = 100;
// Moving-average weight of the gradient-norm chart (raw values drawn faint).
const GRADIENT_SMOOTHING = 0.8;

/** Rows of the table of measures: key, name, what it says, digits. */
const MEASURES = Object.freeze([
  ['lambda_max', 'λmax', 'Curvature along the sharpest direction ' +
    '(top Hessian eigenvalue). Lower is flatter.'],
  ['trace', 'Hessian trace', 'Curvature summed over all directions. ' +
    'Lower is flatter.'],
  ['eps_sharpness', 'ε-sharpness', 'Largest rise of the loss within a ' +
    'tiny box around the weights, in % of 1 + loss. Lower is flatter.'],
  ['train_loss', 'Train loss', 'How well the run fits its training data.'],
  ['val_loss', 'Validation loss', 'Loss on held-out data: how well it ' +
    'generalizes.'],
  ['gap', 'Gap', 'Validation minus train loss.'],
  ['train_accuracy', 'Train accuracy', 'Share of training samples ' +
    'classified correctly.'],
  ['val_accuracy', 'Validation accuracy', 'Share of held-out samples ' +
    'classified correctly.'],
  ['updates', 'Optimizer updates', 'Steps the optimizer took: equal ' +
    'epochs are not equal work.'],
]);
const MEASURE_NAMES = Object.freeze(
  Object.fromEntries(MEASURES.map(([key, name]) => [key, name])));
// The names inside a sentence: lower case, but Hessian is a name.
const MEASURE_WORDS = Object.freeze(Object.fromEntries(MEASURES.map(
  ([key, name]) => [key, name.startsWith('Hessian') ? name :
    name[0].toLowerCase() + name.slice(1)])));
const PERCENT_MEASURES = new Set(['train_accuracy', 'val_accuracy']);

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

function theme() {
  return { scale: window.devicePixelRatio || 1, dark: darkQuery.matches };
}

/** A measure for the table: 4 significant digits, % for accuracies. */
export function formatMeasure(key, value) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  if (key === 'updates') {
    return Math.round(value).toLocaleString('en-US');
  }
  if (PERCENT_MEASURES.has(key)) {
    return `${(value * 100).toFixed(1)} %`;
  }
  return Number(value.toPrecision(4)).toString();
}

function cell(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) {
    node.className = className;
  }
  return node;
}

/** Whether the positive values span more than LOG_AXIS_MIN_RATIO. */
function spansDecades(values) {
  const positive = values.filter((value) => value !== null && value > 0);
  if (positive.length === 0) {
    return false;
  }
  return Math.max(...positive) / Math.min(...positive) > LOG_AXIS_MIN_RATIO;
}

/**
 * Creates the results view. `wasm` is the loaded module (drawComparisonMaps,
 * drawComparisonInterpolation, drawCurve); `onError(error)` hears about
 * drawing failures.
 */
export function createView(wasm, onError) {
  const canvases = {
    maps: element('maps'),
    interpolation: element('interpolation'),
    train: element('curve-train'),
    val: element('curve-val'),
    gradNorm: element('curve-gradnorm'),
  };
  const metricsBody = element('metrics-body');
  const spreadBody = element('spread-body');
  const state = { view: null, surfaces: null, xUnit: 'epoch' };
  let frameQueued = false;
  let lastDrawMs = 0;

  function safely(draw) {
    try {
      draw();
    } catch (error) {
      onError(error);
    }
  }

  function drawMaps() {
    const canvas = canvases.maps;
    fitToScreen(canvas);
    const { view, surfaces } = state;
    const spec = {
      maps: view.maps,
      shared_range: view.shared_range,
      ...theme(),
    };
    wasm.drawComparisonMaps(canvas, surfaces[0], surfaces[1],
      JSON.stringify(spec));
  }

  function drawInterpolation() {
    const canvas = canvases.interpolation;
    fitToScreen(canvas);
    const { view } = state;
    const spec = {
      interpolation: view.interpolation,
      labels: view.labels,
      loss_name: view.loss_name,
      ...theme(),
    };
    wasm.drawComparisonInterpolation(canvas, JSON.stringify(spec));
  }

  /**
   * One chart of both runs: `pick(curve)` gives its x (in epochs) and y;
   * `smoothing` is the moving average's weight (0 draws the raw values).
   */
  function drawRunsChart(canvas, title, yLabel, pick, smoothing = 0) {
    const { view, xUnit } = state;
    const colors = RUN_COLORS[darkQuery.matches ? 'dark' : 'light'];
    fitToScreen(canvas);
    const series = view.curves.map((curve, side) => {
      const [epochs, y] = pick(curve);
      return {
        label: view.labels[side],
        color: colors[side],
        x: epochs.map((epoch) =>
          xUnit === 'update' ? epoch * curve.updates_per_epoch : epoch),
        y,
      };
    }).filter((line) => line.y.some((value) => value !== null));
    const spec = {
      title: series.length > 0 ? title : `${title}: no data`,
      x_label: xUnit === 'update' ? 'optimizer update' : 'epoch',
      y_label: yLabel,
      log_y: spansDecades(series.flatMap((line) => line.y)),
      series,
      smoothing,
      ...theme(),
    };
    wasm.drawCurve(canvas, JSON.stringify(spec));
  }

  function drawCurves() {
    const lossName = state.view.loss_name;
    drawRunsChart(canvases.train, 'Train loss (per epoch)', lossName,
      (curve) => [curve.epochs, curve.train_loss]);
    drawRunsChart(canvases.val, 'Validation loss (per epoch)', lossName,
      (curve) => [curve.epochs, curve.val_loss]);
    // Update k ends at epoch (k + 1) / updates per epoch.
    drawRunsChart(canvases.gradNorm, 'Gradient norm (per update)',
      'gradient norm', (curve) => [
        curve.updates.map((k) => (k + 1) / curve.updates_per_epoch),
        curve.grad_norm,
      ], GRADIENT_SMOOTHING);
  }

  function drawAll() {
    frameQueued = false;
    lastDrawMs = performance.now();
    if (!state.view) {
      return;
    }
    safely(drawMaps);
    safely(drawInterpolation);
    safely(drawCurves);
  }

  /** Redraws on the next animation frame, at most every 100 ms. */
  function redraw() {
    if (frameQueued) {
      return;
    }
    frameQueued = true;
    const wait = Math.max(0,
      MIN_REDRAW_INTERVAL_MS - (performance.now() - lastDrawMs));
    setTimeout(() => requestAnimationFrame(drawAll), wait);
  }

  function fillMetrics(view) {
    element('metrics-a').textContent = view.labels[0];
    element('metrics-b').textContent = view.labels[1];
    const rows = [];
    for (const [key, name, meaning] of MEASURES) {
      const values = view.metrics.map((metrics) => metrics[key]);
      if (values.every((value) => value === null || value === undefined)) {
        continue;
      }
      const row = document.createElement('tr');
      row.dataset.measure = key;
      row.append(
        cell('th', name),
        cell('td', formatMeasure(key, values[0]), 'number'),
        cell('td', formatMeasure(key, values[1]), 'number'),
        cell('td', meaning, 'meaning'));
      row.firstChild.scope = 'row';
      rows.push(row);
    }
    metricsBody.replaceChildren(...rows);
  }

  /**
   * Shows a finished comparison: its view and both surfaces. The curves'
   * x axis counts epochs when both runs train for as many, else updates.
   * Returns the x unit chosen.
   */
  function showComparison(view, surfaces) {
    state.view = view;
    state.surfaces = surfaces;
    const [first, second] = view.curves.map((curve) => curve.epochs.length);
    state.xUnit = first === second ? 'epoch' : 'update';
    fillMetrics(view);
    drawAll();
    return state.xUnit;
  }

  /** Empties the results before a new run. */
  function clear() {
    state.view = null;
    state.surfaces = null;
    metricsBody.replaceChildren();
    spreadBody.replaceChildren();
    for (const canvas of Object.values(canvases)) {
      fitToScreen(canvas);
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    }
  }

  /** Names the spread table's columns after the runs. */
  function setLabels(labels) {
    element('spread-a').textContent = `${labels[0]} (mean ± sd)`;
    element('spread-b').textContent = `${labels[1]} (mean ± sd)`;
    element('spread-lower').textContent = `${labels[0]} lower on`;
    element('metrics-a').textContent = labels[0];
    element('metrics-b').textContent = labels[1];
  }

  /** Fills the spread table with `rows` (from spreadRowsJson). */
  function showSpread(rows) {
    const body = rows.map((row) => {
      const line = document.createElement('tr');
      line.dataset.measure = row.metric;
      const format = (value) => formatMeasure(row.metric, value);
      const spread = (mean, sd) => `${format(mean)} ± ${format(sd)}`;
      line.append(
        cell('th', MEASURE_NAMES[row.metric] ?? row.metric),
        cell('td', spread(row.a_mean, row.a_std), 'number'),
        cell('td', spread(row.b_mean, row.b_std), 'number'),
        cell('td', `${row.a_lower}/${row.seeds}`, 'number'));
      line.firstChild.scope = 'row';
      return line;
    });
    spreadBody.replaceChildren(...body);
  }

  /** Switches the curves' x axis between "epoch" and "update". */
  function setXUnit(unit) {
    state.xUnit = unit;
    if (state.view) {
      safely(drawCurves);
    }
  }

  new ResizeObserver(redraw).observe(canvases.maps.parentElement);
  new ResizeObserver(redraw).observe(canvases.train.parentElement);
  darkQuery.addEventListener('change', redraw);

  return { showComparison, clear, setLabels, showSpread, setXUnit };
}

/**
 * A plain-language summary of the spread rows: which measures run A has
 * lower on every seed, which run B, and where the seeds disagree.
 */
export function spreadVerdict(rows, labels) {
  if (rows.length === 0) {
    return '';
  }
  const seeds = Math.max(...rows.map((row) => row.seeds));
  const groups = { a: [], b: [], same: [], mixed: [] };
  for (const row of rows) {
    const name = MEASURE_WORDS[row.metric] ?? row.metric;
    const identical = row.a_mean === row.b_mean && row.a_std === 0 &&
      row.b_std === 0;
    if (identical) {
      groups.same.push(name);
    } else if (row.a_lower === row.seeds) {
      groups.a.push(name);
    } else if (row.a_lower === 0) {
      groups.b.push(name);
    } else {
      groups.mixed.push(`${name} (${row.a_lower}/${row.seeds})`);
    }
  }
  const every = seeds === 1 ? 'On the one seed so far' :
    `On all ${seeds} seeds`;
  const clear = [];
  if (groups.a.length > 0) {
    clear.push(`${labels[0]} is lower in ${list(groups.a)}`);
  }
  if (groups.b.length > 0) {
    clear.push(`${labels[1]} is lower in ${list(groups.b)}`);
  }
  const parts = [];
  if (clear.length > 0) {
    parts.push(`${every}, ${clear.join('; ')}.`);
  }
  if (groups.mixed.length > 0) {
    parts.push(`The seeds disagree on ${list(groups.mixed)}: there the ` +
      'difference is within the seed-to-seed spread.');
  }
  if (groups.same.length > 0) {
    parts.push(`Equal on every seed: ${list(groups.same)}.`);
  }
  return parts.join(' ');
}

function list(names) {
  if (names.length <= 1) {
    return names.join('');
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
