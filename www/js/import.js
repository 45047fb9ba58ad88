// Diagnose your own log: training logs dropped, picked or pasted on the page
// are read here, in the browser (nothing is uploaded), by the wasm export
// importLogs (the same readers as the command line's `diagnose`), and their
// curves are drawn with the lab's own drawCurve, following the curve options
// (smoothing, y axis). The previous log can be overlaid for comparison.

import { element } from './dom.js';
import { sentence, verdictLine } from './verdicts.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const PASTED_NAME = 'pasted log';
// A curve whose values span more than this factor gets a log axis.
const LOG_AXIS_MIN_RATIO = 1000;
// Okabe–Ito colours; the overlaid earlier log takes the last two.
const PALETTE = Object.freeze({
  light: ['#0072b2', '#e69f00', '#009e73', '#cc79a7'],
  dark: ['#56b4e9', '#e69f00', '#2fbf8f', '#cc79a7'],
});

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

/** Resizes the canvas's backing store to CSS size × devicePixelRatio. */
function fitToScreen(canvas) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
}

/** Whether the positive values span more than `ratio`. */
function spansDecades(values, ratio) {
  const positive = values.filter((value) => value !== null && value > 0);
  if (positive.length === 0) {
    return false;
  }
  return Math.max(...positive) / Math.min(...positive) > ratio;
}

/** The rows' (x, y) for `key`, x from `xKey`; rows without y left out. */
function column(rows, xKey, key) {
  const kept = rows.filter((row) => row[key] !== null && row[xKey] !== null);
  return { x: kept.map((row) => row[xKey]), y: kept.map((row) => row[key]) };
}

/** Where a run's `key` is drawn: every step when the log has it per step. */
function detail(result, key) {
  if (result.steps.some((row) => row[key] !== null)) {
    return { xLabel: 'step', ...column(result.steps, 'step', key) };
  }
  return {
    xLabel: result.position,
    ...column(result.points, result.position, key),
  };
}

/**
 * Wires the import panel, if the page has one. `wasm` is the loaded module
 * (importLogs, drawCurve); `onError(error)` is told about drawing failures.
 */
export function createImport(wasm, onError) {
  const panel = document.getElementById('import-panel');
  if (!panel) {
    return null;
  }
  const picker = element('import-files');
  const dropZone = element('import-drop');
  const pasted = element('import-text');
  const pasteButton = element('import-paste');
  const overlay = element('import-overlay');
  const status = element('import-status');
  const result = element('import-result');
  const verdict = element('import-diagnosis');
  const fix = element('import-fix');
  const notJudged = element('import-not-judged');
  const readList = element('import-read');
  const canvases = {
    loss: element('import-loss'),
    lr: element('import-lr'),
    gradNorm: element('import-gradnorm'),
  };
  const smoothingInput = document.getElementById('curve-smoothing');
  const yScaleInput = document.getElementById('curve-y-scale');
  const state = { current: null, previous: null };

  function showProblem(text) {
    status.textContent = text;
    status.dataset.state = 'error';
    result.hidden = true;
  }

  /** Replaces the items of a list with `lines` (text only). */
  function fillList(list, lines) {
    list.replaceChildren(...lines.map((line) => {
      const item = document.createElement('li');
      item.textContent = line;
      return item;
    }));
  }

  function show(run) {
    const names = run.files.map((file) =>
      `${file.file} (${file.format_name})`);
    status.textContent = `Read ${names.join(', ')}. ${sentence(run.judged)}`;
    status.dataset.state = 'ok';
    const code = run.diagnosis.code;
    verdict.dataset.code = code;
    verdict.textContent = verdictLine(run.diagnosis);
    fix.textContent = `What to do: ${sentence(run.diagnosis.fix)}`;
    fillList(notJudged, run.not_judged.map((line) =>
      `Not judged: ${sentence(line)}`));
    fillList(readList, run.files.flatMap((file) => [
      ...file.used.map((line) => `${file.file}: ${line}`),
      ...file.notes.map((line) => `${file.file}: ${sentence(line)}`),
    ]));
    result.hidden = false;
  }

  /** The curve options shared with the lab's own charts. */
  function options() {
    const smoothing = Number(smoothingInput?.value ?? 0);
    return {
      smoothing: Number.isFinite(smoothing) ? smoothing : 0,
      yScale: yScaleInput?.value ?? 'auto',
    };
  }

  /** The runs to draw: the current one, and the previous if overlaid. */
  function runs() {
    const shown = [{ run: state.current, label: '' }];
    if (overlay.checked && state.previous !== null) {
      shown.push({ run: state.previous, label: 'earlier: ' });
    }
    return shown;
  }

  function drawChart(canvas, spec) {
    fitToScreen(canvas);
    wasm.drawCurve(canvas, JSON.stringify({
      ...spec,
      scale: window.devicePixelRatio || 1,
      dark: darkQuery.matches,
    }));
  }

  function draw() {
    if (state.current === null) {
      return;
    }
    const colours = darkQuery.matches ? PALETTE.dark : PALETTE.light;
    const { smoothing, yScale } = options();
    const shown = runs();
    const lossSeries = shown.flatMap(({ run, label }, index) => [
      ['train', 'train_loss'],
      ['validation', 'val_loss'],
    ].map(([name, key], which) => ({
      label: `${label}${name}`,
      color: colours[2 * index + which],
      ...column(run.points, run.position, key),
    })));
    const lossValues = lossSeries.flatMap((series) => series.y);
    const logLoss = yScale === 'log' ||
      (yScale === 'auto' && spansDecades(lossValues, LOG_AXIS_MIN_RATIO));
    const grouping = state.current.grouping;
    const perPoint = {
      epochs: 'per epoch',
      evaluations: 'per evaluation',
      windows: `per window of ${grouping.steps} steps`,
    }[grouping.kind] ?? '';
    drawChart(canvases.loss, {
      title: `Loss ${perPoint}`,
      x_label: state.current.position,
      y_label: 'loss',
      log_y: logLoss,
      smoothing,
      series: lossSeries,
    });
    for (const [name, key, title, yLabel] of [
      ['lr', 'lr', 'Learning rate', 'learning rate'],
      ['gradNorm', 'grad_norm', 'Gradient norm', 'gradient L2 norm'],
    ]) {
      const series = shown.map(({ run, label }, index) => {
        const { xLabel, x, y } = detail(run, key);
        return { xLabel, label: `${label}${yLabel}`, x, y,
          color: colours[2 * index] };
      });
      drawChart(canvases[name], {
        title: series.every((line) => line.x.length === 0)
          ? `${title}: not in the log`
          : title,
        x_label: series[0].xLabel,
        y_label: yLabel,
        log_y: false,
        smoothing: name === 'gradNorm' ? smoothing : 0,
        series: series.map(({ label, color, x, y }) =>
          ({ label, color, x, y })),
      });
    }
  }

  function redraw() {
    try {
      draw();
    } catch (error) {
      onError(error);
    }
  }

  /** Diagnoses `files` ([{name, text}]) as one run. */
  function diagnose(files) {
    let run;
    try {
      run = JSON.parse(wasm.importLogs(JSON.stringify(files), ''));
    } catch (error) {
      showProblem(error?.message ?? String(error));
      return;
    }
    if (state.current !== null) {
      state.previous = state.current;
    }
    state.current = run;
    overlay.disabled = state.previous === null;
    show(run);
    redraw();
  }

  async function readFiles(fileList) {
    const files = [];
    for (const file of fileList) {
      if (file.size > MAX_FILE_BYTES) {
        showProblem(`${file.name}: the file is ` +
          `${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ` +
          `${MAX_FILE_BYTES / 1024 / 1024} MB.`);
        return;
      }
      files.push({ name: file.name, text: await file.text() });
    }
    if (files.length > 0) {
      diagnose(files);
    }
  }

  picker.addEventListener('change', () => {
    readFiles([...picker.files]).catch(onError);
  });
  pasteButton.addEventListener('click', () => {
    if (pasted.value.trim() === '') {
      showProblem('Paste a log into the box first.');
      return;
    }
    diagnose([{ name: PASTED_NAME, text: pasted.value }]);
  });
  for (const type of ['dragenter', 'dragover']) {
    dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      dropZone.dataset.over = 'true';
    });
  }
  dropZone.addEventListener('dragleave', () => {
    delete dropZone.dataset.over;
  });
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    delete dropZone.dataset.over;
    readFiles([...(event.dataTransfer?.files ?? [])]).catch(onError);
  });
  overlay.addEventListener('change', redraw);
  smoothingInput?.addEventListener('input', redraw);
  yScaleInput?.addEventListener('change', redraw);
  darkQuery.addEventListener('change', redraw);
  new ResizeObserver(redraw).observe(canvases.loss);
  // Tells tests (and styles) that a chosen file will now be read.
  panel.dataset.ready = 'true';

  return { diagnose };
}
