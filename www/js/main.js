// Boot: loads the wasm drawing functions, starts the engine's worker, wires
// the controls, settings, lessons, exports and charts, keeps the run in the
// URL, and shows any failure on the page in #error.

import { MESSAGE, message, describeError } from './protocol.js';
import { createControls } from './controls.js';
import { readUrlState, writeUrlState } from './url-state.js';
import { applyViews, readViews, watchViews } from './view-state.js';
import { createSettings } from './settings.js';
import { createCalculator } from './calculator.js';
import { createSchedulePreview } from './schedule-preview.js';
import { createLessons } from './lessons.js';
import { createExports } from './exports.js';
import { createClassroom } from './classroom.js';
import { createUpload } from './upload.js';
import { createCrashNotice } from './crash.js';
import { sentence, verdictLine } from './verdicts.js';

const PACKAGE_URL = '../pkg/landscape_lab.js';
const BUILD_HINT =
  'Build it with: wasm-pack build --release --target web ' +
  '--out-dir www/pkg --no-typescript';

const errorBox = document.getElementById('error');

function showError(error) {
  const text = describeError(error);
  console.error(text);
  errorBox.textContent = text;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.textContent = '';
  errorBox.hidden = true;
}

window.addEventListener('error', (event) => {
  showError(event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => {
  showError(event.reason);
});

const EXPORT_TIMEOUT_MS = 10_000;
const MAX_NOTICE_MESSAGE_CHARS = 240;

const notice = document.getElementById('url-notice');
const noticeText = document.getElementById('url-notice-text');

/** At most MAX_NOTICE_MESSAGE_CHARS of an engine message about a link. */
function excerpt(text) {
  return text.length > MAX_NOTICE_MESSAGE_CHARS
    ? `${text.slice(0, MAX_NOTICE_MESSAGE_CHARS)}…`
    : text;
}

/** Shows why the link's settings were not used (text only, never markup). */
function showNotice(lines) {
  if (lines.length === 0) {
    return;
  }
  noticeText.textContent =
    `${lines.join(' ')} The reference run is shown instead.`;
  notice.hidden = false;
}

document.getElementById('url-notice-close').addEventListener('click', () => {
  notice.hidden = true;
});

/**
 * The config to start with: the link's (checked by the engine), a lesson's,
 * or the reference run's. Problems become notices.
 */
function startingConfig(wasm, lessons, requested) {
  const notices = [...requested.notices];
  let config = {};
  if (requested.config !== null) {
    const result = JSON.parse(
      wasm.checkConfig(JSON.stringify(requested.config)));
    if (result.valid) {
      config = result.config;
    } else {
      notices.push('The link’s settings cannot be used: ' +
        `${excerpt(result.message)}.`);
    }
  } else if (requested.preset !== null) {
    const preset = lessons.find(requested.preset);
    if (preset) {
      config = preset.config;
    } else {
      notices.push(`The link names no known lesson: “${requested.preset}”.`);
    }
  }
  return { config: notices.length > 0 ? {} : config, notices };
}

const SCHEDULE_CAPTIONS = Object.freeze({
  constant: 'Learning rate per optimizer update: constant.',
  warmup_cosine:
    'Learning rate per optimizer update: a linear warm-up, then a cosine ' +
    'decay to almost zero.',
  step: 'Learning rate per optimizer update: cut by a factor at fixed steps.',
  exponential:
    'Learning rate per optimizer update: multiplied by a constant factor ' +
    'after every update.',
  one_cycle:
    'Learning rate per optimizer update: one cycle, up to a peak and down ' +
    'far below the start.',
});

const LOSS_NAMES = Object.freeze({
  mse: 'Mean squared error',
  bce: 'Binary cross-entropy',
  cross_entropy: 'Cross-entropy',
});

/** The captions under the charts. */
function chartCaptions(run) {
  const clip = run.clip_norm;
  const lossName = LOSS_NAMES[run.loss] ?? 'Loss';
  return {
    loss:
      `${lossName} per epoch (log scale). Train (running) averages the ` +
      'mini-batches while the weights still move; train (evaluated) and ' +
      'validation are measured at the end of the epoch. Validation is data ' +
      'the network never trains on.',
    lr: SCHEDULE_CAPTIONS[run.config.schedule.name] ??
      'Learning rate per optimizer update.',
    gradNorm: Number.isFinite(clip)
      ? 'Length of the gradient before clipping. Above the dashed line the ' +
        `step is shortened to length ${clip} (gradient clipping).`
      : 'Length of the gradient; clipping is off in this run.',
  };
}

/** One line describing the run, e.g. "MLP 10 → 64 → 1 · AdamW …". */
function describeRun(run) {
  const config = run.config;
  const optimizer = {
    sgd: 'SGD',
    adam: 'Adam',
    adamw: 'AdamW',
  }[config.optimizer.name] ?? config.optimizer.name;
  const schedule = {
    constant: 'constant',
    warmup_cosine: 'warm-up then cosine decay',
    step: 'step decay',
    exponential: 'exponential decay',
    one_cycle: 'one-cycle',
  }[config.schedule.name] ?? config.schedule.name;
  const parts = [
    `MLP ${run.layer_sizes.join(' → ')} (${run.parameter_count} weights)`,
    `${optimizer}, learning rate ${config.optimizer.lr}, ${schedule}`,
    `batches of ${config.batch_size}` +
      (config.accumulation_steps > 1
        ? ` × ${config.accumulation_steps} accumulated per update`
        : ''),
    `${String(config.data.source ?? 'data').replaceAll('_', ' ')}: ` +
      `${run.train_samples} training / ${run.val_samples} validation samples`,
    `${run.total_updates} updates over ${run.total_epochs} epochs`,
  ];
  return parts.join(' · ');
}

async function loadWasm() {
  try {
    const wasm = await import(PACKAGE_URL);
    await wasm.default();
    return wasm;
  } catch (error) {
    throw new Error(
      `Could not load the WebAssembly module (${describeError(error)}). ` +
        BUILD_HINT,
    );
  }
}

/** `config` with the map plane set to `plane` (other settings kept). */
function withPlane(config, plane) {
  return { ...config, landscape: { ...(config.landscape ?? {}), plane } };
}

async function boot() {
  const wasm = await loadWasm();
  const { createCharts } = await import('./charts.js');
  const charts = createCharts(wasm, showError);
  const { createImport } = await import('./import.js');
  createImport(wasm, showError);
  const { createCurvature } = await import('./curvature.js');
  const curvature = createCurvature(
    () => send(MESSAGE.VIEW, { view: 'curvature' }),
  );
  const { createViews } = await import('./views.js');
  const views = createViews(
    wasm,
    (view) => send(MESSAGE.VIEW, { view }),
    showError,
  );

  /** A new engine worker, its messages handled (`handlers`, below). */
  function spawnWorker() {
    const started = new Worker(new URL('./worker.js', import.meta.url), {
      type: 'module',
    });
    started.addEventListener('message', (event) => {
      const data = event.data;
      // Messages from a run that has since been reset are stale, and so is
      // anything from a worker that has been replaced. A panic counts
      // whenever it comes, even before the run's first READY.
      const current = data.type === MESSAGE.READY ||
        data.type === MESSAGE.PANIC || data.runId === currentRun;
      if (started !== worker || !current) {
        return;
      }
      const handler = handlers[data.type];
      if (handler) {
        handler(data);
      } else {
        showError(`The engine sent an unknown message "${data.type}".`);
      }
    });
    started.addEventListener('error', (event) => {
      event.preventDefault();
      if (started !== worker) {
        return;
      }
      const reason = event.message || 'it could not start';
      showError(`The training worker failed: ${reason}.`);
      controls.disable('stopped');
    });
    return started;
  }

  /** Starts the engine in `worker` on `config`, playing. */
  function startEngine(config) {
    send(MESSAGE.SPEED, { updatesPerSecond: controls.speed() });
    send(MESSAGE.INIT, { config });
  }

  let worker = spawnWorker();
  // Set when the engine panicked: its worker is gone until a restart.
  let crashed = false;
  let currentRun = null;
  // The running run's settings, every key present (from READY).
  let currentConfig = null;

  function send(type, fields = {}) {
    if (crashed) {
      // Only a new run can follow a crash, and it needs a new engine.
      if (type === MESSAGE.RESET && currentConfig !== null) {
        const config = { ...(fields.config ?? currentConfig) };
        if (Number.isSafeInteger(fields.seed)) {
          config.seed = fields.seed;
        }
        restartEngine(config);
      }
      return;
    }
    worker.postMessage(message(type, fields));
  }

  /** Starts `config` from the beginning, playing. */
  function startRun(config) {
    send(MESSAGE.RESET, { config, play: true });
  }

  const controls = createControls({
    play: () => send(MESSAGE.PLAY),
    pause: () => send(MESSAGE.PAUSE),
    step: () => send(MESSAGE.STEP),
    reset: () => send(MESSAGE.RESET),
    newSeed: () => {
      send(MESSAGE.RESET, { seed: wasm.randomSeed(), play: true });
    },
    plane: (name) => {
      if (currentConfig !== null) {
        startRun(withPlane(currentConfig, name));
      }
    },
    speed: (updatesPerSecond) => {
      send(MESSAGE.SPEED, { updatesPerSecond });
      saveUrl();
    },
  });
  controls.disable();

  const lessons = createLessons(wasm, (preset) => startRun(preset.config));
  let preview = null;
  const settings = createSettings({
    wasm,
    onApply: startRun,
    onDraft: (draft) => {
      calculator.update(draft);
      preview?.update(draft);
    },
    onToggle: () => {
      preview?.redraw();
      saveUrl();
    },
  });
  const calculator = createCalculator(settings.side('batching'), wasm);
  preview = createSchedulePreview(settings.side('schedule'), wasm,
    showError);

  createUpload({ wasm, run: () => currentConfig, onStart: startRun });

  /**
   * The run for a link: samples from a file stay out of it (a link is no
   * place for megabytes), so the link opens the reference data instead.
   */
  function linkConfig(config) {
    if (config.data?.source !== 'inline') {
      return config;
    }
    const linked = { ...config, data: { source: 'diabetes' } };
    delete linked.loss;
    return linked;
  }

  /** Puts the run and the open sections in the URL. */
  function saveUrl() {
    if (currentConfig !== null) {
      writeUrlState({
        config: linkConfig(currentConfig),
        open: settings.openSections(),
        speed: controls.speed(),
        views: readViews(),
      });
    }
  }

  // Export requests to the worker, answered by EXPORTED messages.
  const pendingExports = new Map();
  let nextRequestId = 1;
  function fromWorker(what) {
    const requestId = nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pendingExports.delete(requestId);
        reject(new Error(`The engine did not send the ${what} export.`));
      }, EXPORT_TIMEOUT_MS);
      pendingExports.set(requestId, { resolve, reject, timer });
      send(MESSAGE.EXPORT, { what, requestId });
    });
  }
  createExports({
    wasm,
    run: () => currentConfig,
    fromWorker,
    onError: showError,
  });

  createClassroom({
    epoch: () => send(MESSAGE.EPOCH),
    landscape: () => send(MESSAGE.LANDSCAPE),
  });

  /** Applies what the URL asks for; returns the config to start. */
  function followUrl() {
    const requested = readUrlState();
    const start = startingConfig(wasm, lessons, requested);
    notice.hidden = true;
    showNotice(start.notices);
    if (requested.open !== null) {
      settings.setOpenSections(requested.open);
    }
    if (requested.speed !== null) {
      controls.setSpeed(requested.speed);
    }
    applyViews(requested.views);
    return start.config;
  }
  watchViews(saveUrl);
  const firstConfig = followUrl();
  // A link pasted over this page's own starts its run.
  window.addEventListener('hashchange', () => startRun(followUrl()));

  const diagnosis = document.getElementById('diagnosis');
  const diagnosisFix = document.getElementById('diagnosis-fix');
  const runSetup = document.getElementById('run-setup');
  const parameterCount = document.getElementById('parameter-count');
  const planeExplain = document.getElementById('plane-explain');
  const lossCaption = document.getElementById('loss-caption');
  const lrCaption = document.getElementById('lr-caption');
  const gradNormCaption = document.getElementById('gradnorm-caption');
  const progress = document.getElementById('landscape-progress');
  const progressNote = document.getElementById('landscape-note');

  const handlers = {
    [MESSAGE.READY](data) {
      currentRun = data.runId;
      clearError();
      charts.reset(data.run);
      views.reset();
      controls.showSeed(data.run.seed);
      controls.showPlane(data.run.config.landscape.plane);
      planeExplain.textContent = planeExplanation(data.run.config.landscape);
      currentConfig = data.run.config;
      settings.load(currentConfig);
      lessons.showRun(currentConfig);
      saveUrl();
      runSetup.textContent = describeRun(data.run);
      parameterCount.textContent = String(data.run.parameter_count);
      const captions = chartCaptions(data.run);
      lossCaption.textContent = captions.loss;
      lrCaption.textContent = captions.lr;
      gradNormCaption.textContent = captions.gradNorm;
      progress.value = 0;
      progressNote.textContent = '';
    },
    [MESSAGE.PROGRESS](data) {
      controls.showCounts(data.counts);
      charts.addHistory(data.updates, data.epochs);
      if (data.updates.length > 0) {
        views.weightsMoved();
      }
      const verdict = data.diagnosis;
      diagnosis.dataset.code = verdict.code;
      diagnosis.textContent = verdictLine(verdict);
      diagnosisFix.textContent = verdict.fix
        ? `What to do: ${sentence(verdict.fix)}`
        : '';
    },
    [MESSAGE.SURFACE_PROGRESS](data) {
      progress.value = data.fraction;
      progressNote.textContent = data.centerUpdate >= 0
        ? `around update ${data.centerUpdate}: ` +
          `${Math.round(data.fraction * 100)} %`
        : 'up to date';
    },
    [MESSAGE.SURFACE](data) {
      charts.setSurface(data.surface, data.path);
      views.setSurface(data.surface, data.path);
    },
    [MESSAGE.PATH](data) {
      charts.setPath(data.path);
      views.setPath(data.path);
    },
    [MESSAGE.VIEW_DATA](data) {
      if (data.view === 'curvature') {
        curvature.show(data.json);
      } else {
        views.setData(data.view, data.json);
      }
    },
    [MESSAGE.EXPORTED](data) {
      const pending = pendingExports.get(data.requestId);
      if (pending) {
        clearTimeout(pending.timer);
        pendingExports.delete(data.requestId);
        if (data.error === undefined) {
          pending.resolve(data.text);
        } else {
          pending.reject(new Error(`Export failed: ${data.error}.`));
        }
      }
    },
    [MESSAGE.ERROR](data) {
      showError(`The engine stopped: ${data.message}`);
      controls.disable('stopped');
    },
    [MESSAGE.PANIC](data) {
      // The worker's engine is unusable after a panic: it goes, the run on
      // screen stays, and the notice offers a new engine.
      crashed = true;
      worker.terminate();
      worker = null;
      for (const [requestId, pending] of pendingExports) {
        clearTimeout(pending.timer);
        pending.reject(new Error('The engine crashed before the export.'));
        pendingExports.delete(requestId);
      }
      controls.disable('crashed');
      crashNotice.show(data.message);
    },
  };

  const crashNotice = createCrashNotice(errorBox,
    () => restartEngine(currentConfig ?? firstConfig));

  /** After a panic: a new engine for `config`; settings and link are kept. */
  function restartEngine(config) {
    crashed = false;
    crashNotice.hide();
    currentRun = null;
    controls.disable();
    worker = spawnWorker();
    startEngine(config);
  }

  startEngine(firstConfig);
}

boot().catch((error) => showError(error));

/** What d₁ and d₂ are on the map's plane, for the text above the map. */
function planeExplanation(landscape) {
  if (landscape.plane === 'pca') {
    return 'the top two principal components d₁, d₂ of the optimizer ' +
      'path’s checkpoints (Li et al., 2018): the plane that holds as much ' +
      'of the path’s movement as a plane can, so the path drawn on it is ' +
      'close to the real one.';
  }
  if (landscape.plane === 'parameters') {
    return 'the model’s two parameters themselves: α and β are the change ' +
      'in each, and the map is the whole loss surface, not a slice.';
  }
  const scaled = {
    filter: 'filter-normalized — each neuron’s slice of a direction is ' +
      'scaled to the size of that neuron’s weights —',
    layer: 'layer-normalized — each layer’s slice of a direction is scaled ' +
      'to the size of that layer’s weights —',
    model: 'scaled to the size of all the weights together —',
  }[landscape.normalization];
  return scaled === undefined
    ? 'two random directions d₁, d₂, not normalized: one unit along α or ' +
      'β is a step of one unit of Gaussian noise per weight.'
    : `two random directions d₁, d₂. The directions are ${scaled} so one ` +
      'unit along α or β is a change as large as the weights themselves.';
}
