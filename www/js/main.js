// Boot: loads the wasm drawing functions, starts the engine's worker, wires
// the controls and charts, and shows any failure on the page in #error.

import { MESSAGE, message, describeError } from './protocol.js';
import { createControls } from './controls.js';

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

/** The seed in the page's URL (?seed=123), if it is a valid one. */
function seedFromUrl() {
  const text = new URLSearchParams(window.location.search).get('seed');
  if (text === null || !/^\d+$/.test(text)) {
    return null;
  }
  const seed = Number(text);
  return Number.isSafeInteger(seed) ? seed : null;
}

/**
 * Settings from the page's URL, ?config={"optimizer":{"lr":0.1}} (JSON, keys as
 * in the CLI's config files); omitted keys keep the reference run's values.
 * The engine checks the values and names a bad one in #error.
 */
function configFromUrl() {
  const text = new URLSearchParams(window.location.search).get('config');
  if (text === null) {
    return {};
  }
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The config in the URL is not JSON: ${describeError(error)}`,
    );
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error('The config in the URL must be a JSON object.');
  }
  return config;
}

/** The map plane in the page's URL (?plane=pca), if any. */
function planeFromUrl() {
  const name = new URLSearchParams(window.location.search).get('plane');
  return name === null || !/^[a-z_]+$/.test(name) ? null : name;
}

function writeToUrl(key, value) {
  const url = new URL(window.location.href);
  url.searchParams.set(key, String(value));
  window.history.replaceState(null, '', url);
}

/** `text` with a capital first letter and a full stop. */
function sentence(text) {
  const trimmed = String(text).trim();
  if (trimmed === '') {
    return '';
  }
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
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
  let baseConfig = configFromUrl();
  const seed = seedFromUrl();
  if (seed !== null) {
    baseConfig.seed = seed;
  }
  const plane = planeFromUrl();
  if (plane !== null) {
    baseConfig = withPlane(baseConfig, plane);
  }

  const wasm = await loadWasm();
  const { createCharts } = await import('./charts.js');
  const charts = createCharts(wasm, showError);

  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    type: 'module',
  });
  let currentRun = null;

  function send(type, fields = {}) {
    worker.postMessage(message(type, fields));
  }

  const controls = createControls({
    play: () => send(MESSAGE.PLAY),
    pause: () => send(MESSAGE.PAUSE),
    step: () => send(MESSAGE.STEP),
    reset: () => send(MESSAGE.RESET),
    newSeed: () => {
      const seed = wasm.randomSeed();
      writeToUrl('seed', seed);
      send(MESSAGE.RESET, { seed, play: true });
    },
    plane: (name) => {
      writeToUrl('plane', name);
      baseConfig = withPlane(baseConfig, name);
      send(MESSAGE.RESET, { config: baseConfig, play: true });
    },
    speed: (updatesPerSecond) => send(MESSAGE.SPEED, { updatesPerSecond }),
  });
  controls.disable();

  const diagnosis = document.getElementById('diagnosis');
  const diagnosisFix = document.getElementById('diagnosis-fix');
  const runSetup = document.getElementById('run-setup');
  const parameterCount = document.getElementById('parameter-count');
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
      controls.showSeed(data.run.seed);
      controls.showPlane(data.run.config.landscape.plane);
      // A plane change restarts with the seed of the run it replaces.
      baseConfig.seed = data.run.seed;
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
      const verdict = data.diagnosis;
      diagnosis.dataset.code = verdict.code;
      diagnosis.textContent = sentence(verdict.message);
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
    },
    [MESSAGE.PATH](data) {
      charts.setPath(data.path);
    },
    [MESSAGE.ERROR](data) {
      showError(`The engine stopped: ${data.message}`);
      controls.disable('stopped');
    },
  };

  worker.addEventListener('message', (event) => {
    const data = event.data;
    // Messages from a run that has since been reset are stale.
    if (data.type !== MESSAGE.READY && data.runId !== currentRun) {
      return;
    }
    const handler = handlers[data.type];
    if (handler) {
      handler(data);
    } else {
      showError(`The engine sent an unknown message "${data.type}".`);
    }
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    showError(
      `The training worker failed: ${event.message || 'it could not start'}.`,
    );
    controls.disable('stopped');
  });

  send(MESSAGE.SPEED, { updatesPerSecond: controls.speed() });
  send(MESSAGE.INIT, { config: baseConfig });
}

boot().catch((error) => showError(error));
