// A map worker: computes rows of the engine's maps beside the engine's own
// worker, so a map's grid rows are shared out over the machine's cores
// (rows-pool.js hands them out). It builds the run from the engine's settings
// once per run (wasm SurfaceRows), starts each map from the engine's centre
// and directions, and computes its rows one per task, so a new map or a
// cancel is heard between two rows. Its rows are bit for bit the rows the
// engine would compute itself.
//
// Engine worker → map worker:
//   MAP    { mapId, config | null, center, directionA, directionB,
//            halfWidth, rows }    config: the run's settings JSON when they
//                                 changed (null: the same run as before)
//   CANCEL {}                     drop the current map's remaining rows
// Map worker → engine worker:
//   ROW    { mapId, row, loss }   one grid row's losses (a Float64Array)
//   FAILED { mapId, message }     the map worker cannot go on

import init, { SurfaceRows } from '../pkg/landscape_lab.js';
import { ROWS_MESSAGE, describeError } from './protocol.js';

const ready = init();

const state = {
  rows: null,
  map: null,
  queued: false,
};

// A MessageChannel runs the next row as its own task without setTimeout's
// clamping, so messages from the engine's worker get their turn in between.
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  state.queued = false;
  nextRow();
};

function queueRow() {
  if (!state.queued) {
    state.queued = true;
    channel.port2.postMessage(null);
  }
}

function report(mapId, error) {
  state.map = null;
  self.postMessage({
    type: ROWS_MESSAGE.FAILED,
    mapId,
    message: describeError(error),
  });
}

function nextRow() {
  const map = state.map;
  if (map === null || map.rows.length === 0) {
    return;
  }
  const row = map.rows.shift();
  let loss;
  try {
    loss = state.rows.row(row);
  } catch (error) {
    report(map.mapId, error);
    return;
  }
  self.postMessage({ type: ROWS_MESSAGE.ROW, mapId: map.mapId, row, loss },
    [loss.buffer]);
  queueRow();
}

async function handle(data) {
  await ready;
  switch (data.type) {
    case ROWS_MESSAGE.CANCEL:
      state.map = null;
      break;
    case ROWS_MESSAGE.MAP:
      state.map = null;
      if (data.config !== null) {
        state.rows?.free();
        state.rows = null;
        state.rows = new SurfaceRows(data.config);
      }
      state.rows.start(data.center, data.directionA, data.directionB,
        data.halfWidth);
      state.map = { mapId: data.mapId, rows: [...data.rows] };
      queueRow();
      break;
    default:
      throw new Error(`unknown message type "${data.type}"`);
  }
}

self.onmessage = (event) => {
  handle(event.data).catch((error) => report(event.data?.mapId ?? null,
    error));
};
