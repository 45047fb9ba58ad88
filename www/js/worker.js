// The engine's Web Worker: trains and computes loss maps in short slices so
// that pause, step and reset messages are handled within a few milliseconds.
//
// One slice: a few optimizer updates (paced to the chosen updates per second),
// then rows of the map in progress until the slice's budget is spent, then
// the news is posted and the worker yields. A finished map is replaced by a
// new one around the current weights, so the map follows training; once the
// run ends, one last map is computed around the final weights.
//
// A panic in the engine is a bug: the panic hook (src/web/panic.rs) reports
// its message as a 'wasm-panic' event just before the call traps with a bare
// "unreachable". The worker sends that message to the page and touches the
// engine no more; the page replaces the worker.

import init, { Engine } from '../pkg/landscape_lab.js';
import { MESSAGE, message, describeError } from './protocol.js';
import { createRowPool, mapWorkerCount } from './rows-pool.js';

const SLICE_BUDGET_MS = 12;
const TRAIN_SHARE_OF_SLICE = 0.6;
const MAX_CREDIT_UPDATES = 20;
const SURFACE_PROGRESS_INTERVAL_MS = 120;
const PATH_INTERVAL_MS = 100;

const state = {
  engine: null,
  config: {},
  runId: 0,
  playing: false,
  updatesPerSecond: 40,
  creditUpdates: 0,
  lastTickMs: 0,
  sentUpdates: 0,
  sentEpochs: 0,
  lastSurfaceProgressMs: 0,
  lastPathMs: 0,
  pathDirty: false,
  tickQueued: false,
  timer: null,
  // Map workers (rows-pool.js), started with the first map they can take;
  // null before, and for good once one has failed.
  rowPool: null,
  rowPoolFailed: false,
  // The map in progress, counted over the worker's life, and the one whose
  // rows the map workers were given.
  mapId: 0,
  sharedMapId: 0,
  configJson: '',
  mapResolution: 0,
};

const wasmReady = init();

// The message of the engine's panic, once there has been one.
let panicMessage = null;
self.addEventListener('wasm-panic', (event) => {
  panicMessage = String(event.detail);
});

// A MessageChannel schedules the next slice without setTimeout's clamping, so
// messages from the page still get their turn between slices.
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  state.tickQueued = false;
  tick();
};

function queueTick() {
  if (state.timer !== null) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  if (!state.tickQueued) {
    state.tickQueued = true;
    channel.port2.postMessage(null);
  }
}

function waitThenTick(delayMs) {
  if (state.timer === null && !state.tickQueued) {
    state.timer = setTimeout(() => {
      state.timer = null;
      tick();
    }, delayMs);
  }
}

function post(type, fields = {}, transfer = []) {
  self.postMessage(message(type, { runId: state.runId, ...fields }), transfer);
}

function fail(error) {
  state.playing = false;
  if (panicMessage !== null) {
    // The hook has logged the panic; its trap needs no second report.
    state.engine = null;
    clearTimeout(state.timer);
    post(MESSAGE.PANIC, { message: panicMessage });
    return;
  }
  const text = describeError(error);
  console.error('engine:', text);
  post(MESSAGE.ERROR, { message: text });
}

function buildEngine(config) {
  if (state.engine) {
    state.engine.free();
    state.engine = null;
  }
  // The old run's map, if the map workers were at it, is of no use now.
  state.mapId += 1;
  state.rowPool?.cancel();
  state.runId += 1;
  state.engine = new Engine(JSON.stringify(config));
  state.config = config;
  state.sentUpdates = 0;
  state.sentEpochs = 0;
  state.creditUpdates = 0;
  state.lastTickMs = performance.now();
  state.pathDirty = false;
  const run = JSON.parse(state.engine.runInfo());
  // What the map workers need of the run, made once.
  state.configJson = state.engine.configJson();
  state.mapResolution = run.config.landscape.resolution;
  post(MESSAGE.READY, { run });
  postProgress();
}

function postProgress() {
  const engine = state.engine;
  const updates = JSON.parse(engine.updatesSince(state.sentUpdates));
  const epochs = JSON.parse(engine.epochsSince(state.sentEpochs));
  state.sentUpdates += updates.length;
  state.sentEpochs += epochs.length;
  post(MESSAGE.PROGRESS, {
    counts: {
      updatesDone: engine.updatesDone(),
      totalUpdates: engine.totalUpdates(),
      epochsDone: engine.epochsDone(),
      totalEpochs: engine.totalEpochs(),
      status: engine.status(),
      playing: state.playing,
    },
    updates,
    epochs,
    diagnosis: JSON.parse(engine.diagnosisJson()),
  });
}

function postSurface() {
  const engine = state.engine;
  const loss = new Float64Array(engine.shownLoss());
  const path = new Float64Array(engine.shownPath());
  const surface = {
    alphas: Array.from(engine.shownAlphas()),
    betas: Array.from(engine.shownBetas()),
    loss,
    centerLoss: engine.shownCenterLoss(),
    centerUpdate: engine.shownCenterUpdate(),
    planeLabel: engine.shownPlaneLabel(),
  };
  post(MESSAGE.SURFACE, { surface, path }, [loss.buffer, path.buffer]);
  state.lastPathMs = performance.now();
  state.pathDirty = false;
}

function postPath() {
  const path = new Float64Array(state.engine.shownPath());
  post(MESSAGE.PATH, { path }, [path.buffer]);
  state.lastPathMs = performance.now();
  state.pathDirty = false;
}

function postSurfaceProgress() {
  const engine = state.engine;
  post(MESSAGE.SURFACE_PROGRESS, {
    fraction: engine.surfaceProgress(),
    centerUpdate: engine.pendingCenterUpdate(),
  });
  state.lastSurfaceProgressMs = performance.now();
}

function train(nowMs) {
  const engine = state.engine;
  const elapsedMs = Math.max(0, nowMs - state.lastTickMs);
  state.lastTickMs = nowMs;
  if (!state.playing || engine.status() !== 'running') {
    state.creditUpdates = 0;
    return 0;
  }
  state.creditUpdates = Math.min(
    state.creditUpdates + (elapsedMs * state.updatesPerSecond) / 1000,
    MAX_CREDIT_UPDATES,
  );
  const wanted = Math.floor(state.creditUpdates);
  if (wanted < 1) {
    return 0;
  }
  const budgetMs = SLICE_BUDGET_MS * TRAIN_SHARE_OF_SLICE;
  const done = engine.runUpdates(wanted, budgetMs);
  state.creditUpdates -= done;
  if (engine.status() !== 'running') {
    state.playing = false;
  }
  return done;
}

/**
 * Starts a map around the current weights, replacing one in progress. Its
 * progress is first told once it has taken SURFACE_PROGRESS_INTERVAL_MS, so
 * a map that finishes sooner never shows a note stuck at 0 %.
 */
function startMap() {
  state.engine.startSurface();
  state.mapId += 1;
  state.rowPool?.cancel();
  state.lastSurfaceProgressMs = performance.now();
}

/** Whether the map workers compute the rows of the map in progress. */
function mapShared() {
  return state.rowPool !== null && state.sharedMapId === state.mapId &&
    state.engine.surfacePending();
}

/**
 * Gives the full grid of the map in progress to the map workers, when there
 * are some (its coarse picture, if any, is computed here first); true when
 * they have it.
 */
function shareMap() {
  const engine = state.engine;
  if (state.rowPoolFailed || engine.surfaceCoarsePending()) {
    return false;
  }
  if (state.sharedMapId === state.mapId) {
    return state.rowPool !== null;
  }
  if (state.rowPool === null) {
    const size = mapWorkerCount();
    if (size === 0) {
      state.rowPoolFailed = true;
      return false;
    }
    state.rowPool = createRowPool(size, { row: putRow, failed: poolFailed });
  }
  state.sharedMapId = state.mapId;
  state.rowPool.share({
    mapId: state.mapId,
    config: state.configJson,
    center: engine.surfaceCenter(),
    directions: [engine.surfaceDirection(0), engine.surfaceDirection(1)],
    halfWidth: engine.surfaceHalfWidth(),
    resolution: state.mapResolution,
  });
  return true;
}

/** A row from a map worker, put in if its map is still the one in progress. */
function putRow(mapId, row, loss) {
  const engine = state.engine;
  if (!engine || panicMessage !== null || mapId !== state.mapId ||
      !engine.surfacePending()) {
    return;
  }
  try {
    if (mapAdvanced(engine.putSurfaceRow(row, loss))) {
      scheduleNext();
    }
  } catch (error) {
    fail(error);
  }
}

/**
 * A map worker cannot go on: the map workers are let go, and this worker
 * computes the rest of the map (and every later one) itself.
 */
function poolFailed(mapId, text) {
  console.warn(`map worker: ${text}; the engine's worker computes the maps`);
  state.rowPool?.terminate();
  state.rowPool = null;
  state.rowPoolFailed = true;
  if (state.engine) {
    queueTick();
  }
}

function mapWork(sliceStartMs) {
  const engine = state.engine;
  if (engine.surfaceWanted()) {
    startMap();
  }
  if (!engine.surfacePending() || shareMap()) {
    return;
  }
  const spentMs = performance.now() - sliceStartMs;
  const budgetMs = Math.max(1, SLICE_BUDGET_MS - spentMs);
  mapAdvanced(engine.computeSurface(budgetMs));
}

/**
 * Tells the page of a map that moved on: the map itself once `finished`,
 * else its progress at most every SURFACE_PROGRESS_INTERVAL_MS. Returns
 * `finished`.
 */
function mapAdvanced(finished) {
  if (finished) {
    postSurface();
    postSurfaceProgress();
  } else if (
    performance.now() - state.lastSurfaceProgressMs >
    SURFACE_PROGRESS_INTERVAL_MS
  ) {
    postSurfaceProgress();
  }
  return finished;
}

function tick() {
  const engine = state.engine;
  if (!engine) {
    return;
  }
  const sliceStartMs = performance.now();
  try {
    const done = train(sliceStartMs);
    if (done > 0) {
      postProgress();
      state.pathDirty = true;
    }
    mapWork(sliceStartMs);
    if (
      state.pathDirty &&
      engine.hasShownSurface() &&
      performance.now() - state.lastPathMs > PATH_INTERVAL_MS
    ) {
      postPath();
    }
    scheduleNext();
  } catch (error) {
    fail(error);
  }
}

function scheduleNext() {
  const engine = state.engine;
  if (engine.surfaceWanted() || (engine.surfacePending() && !mapShared())) {
    queueTick();
  } else if (state.playing && engine.status() === 'running') {
    const msPerUpdate = 1000 / state.updatesPerSecond;
    waitThenTick(Math.max(4, msPerUpdate * (1 - state.creditUpdates)));
  } else if (state.pathDirty && engine.hasShownSurface()) {
    waitThenTick(PATH_INTERVAL_MS);
  }
}

function setPlaying(playing) {
  state.playing = playing;
  state.lastTickMs = performance.now();
  state.creditUpdates = playing ? 1 : 0;
  postProgress();
  queueTick();
}

/** A view's data as JSON text for a VIEW message. */
function viewJson(view) {
  switch (view) {
    case 'slices':
      return state.engine.slicesJson();
    case 'prediction':
      return state.engine.predictionJson();
    case 'curvature':
      return state.engine.curvatureJson();
    default:
      throw new Error(`unknown view "${view}"`);
  }
}

/** The run as text for an EXPORT message. */
function exportText(what) {
  const engine = state.engine;
  if (!engine) {
    throw new Error('there is no run to export yet');
  }
  switch (what) {
    case 'epochs-csv':
      return engine.epochsCsv();
    case 'updates-csv':
      return engine.updatesCsv();
    case 'run-json':
      return engine.runJson();
    case 'surface-json':
      return engine.surfaceJson();
    default:
      throw new Error(`unknown export "${what}"`);
  }
}

async function handle(data) {
  await wasmReady;
  if (panicMessage !== null) {
    // After a panic the engine is unusable; the page is replacing it.
    return;
  }
  switch (data.type) {
    case MESSAGE.INIT:
      buildEngine(data.config ?? {});
      setPlaying(true);
      break;
    case MESSAGE.PLAY:
      setPlaying(state.engine?.status() === 'running');
      break;
    case MESSAGE.PAUSE:
      setPlaying(false);
      break;
    case MESSAGE.STEP:
      state.playing = false;
      if (state.engine.step()) {
        state.pathDirty = true;
      }
      setPlaying(false);
      break;
    case MESSAGE.EPOCH: {
      state.playing = false;
      const engine = state.engine;
      const epochs = engine.epochsDone();
      while (engine.status() === 'running' && engine.epochsDone() === epochs) {
        if (engine.step()) {
          state.pathDirty = true;
        }
      }
      setPlaying(false);
      break;
    }
    case MESSAGE.LANDSCAPE: {
      // A map around the current weights, unless one is shown or on its
      // way already (or the plane cannot be made yet: the principal
      // components need two checkpoints).
      const engine = state.engine;
      const stale = engine.surfacePending() &&
        engine.pendingCenterUpdate() !== engine.updatesDone();
      if (engine.surfaceWanted() || stale) {
        startMap();
        queueTick();
      }
      break;
    }
    case MESSAGE.RESET: {
      const config = { ...(data.config ?? state.config) };
      if (Number.isSafeInteger(data.seed) && data.seed >= 0) {
        config.seed = data.seed;
      }
      // Playing or paused as before, unless told; a run that had ended
      // starts playing again.
      const ended = state.engine?.status() !== 'running';
      const play = typeof data.play === 'boolean'
        ? data.play
        : state.playing || ended;
      buildEngine(config);
      setPlaying(play);
      break;
    }
    case MESSAGE.SPEED:
      if (Number.isFinite(data.updatesPerSecond) && data.updatesPerSecond > 0) {
        state.updatesPerSecond = data.updatesPerSecond;
      }
      break;
    case MESSAGE.VIEW:
      post(MESSAGE.VIEW_DATA, { view: data.view, json: viewJson(data.view) });
      break;
    case MESSAGE.EXPORT: {
      // A failed export is the page's to report; the run goes on.
      const reply = { what: data.what, requestId: data.requestId };
      try {
        reply.text = exportText(data.what);
      } catch (error) {
        reply.error = describeError(error);
      }
      post(MESSAGE.EXPORTED, reply);
      break;
    }
    case MESSAGE.PANIC_FOR_TEST:
      state.engine.panicForTest();
      break;
    default:
      throw new Error(`unknown message type "${data.type}"`);
  }
}

self.onmessage = (event) => {
  handle(event.data).catch(fail);
};
