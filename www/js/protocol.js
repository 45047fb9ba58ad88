// Messages between the page (main thread) and the engine's Web Worker.
//
// Page → worker:
//   INIT     { config }            load the wasm, build the engine, play
//   PLAY     {}                    keep training (paced by SPEED)
//   PAUSE    {}                    stop training; the map still finishes
//   STEP     {}                    pause, then apply exactly one update
//   EPOCH    {}                    pause, then apply updates until the
//                                  epoch count goes up (or the run ends)
//   LANDSCAPE {}                   start a new map around the current
//                                  weights now (replacing one in progress)
//   RESET    { seed?, config?, play? }
//            rebuild the run (same settings and seed, or the given ones);
//            play: true/false, or omitted to keep playing or paused as before
//            (a run that had ended plays)
//   SPEED    { updatesPerSecond }  pace of training while playing
//   EXPORT   { what, requestId }   the run as text: what is "epochs-csv",
//                                  "updates-csv", "run-json" or
//                                  "surface-json" (the shown map)
//   VIEW     { view }              data for a view of the current weights:
//                                  view is "slices" or "prediction"
//   PANIC_FOR_TEST {}              make the engine panic; only the page test
//                                  of a crash sends it
//
// Worker → page (every message carries the run id it belongs to, so the page
// drops messages of a run it has already reset):
//   READY    { run }               the run's fixed facts (totals, seed, setup)
//   PROGRESS { counts, updates, epochs, diagnosis }
//            counts: updatesDone, totalUpdates, epochsDone, totalEpochs,
//                    status ("running" | "finished" | "diverged"), playing
//            updates / epochs: records new since the previous PROGRESS
//   SURFACE_PROGRESS { fraction, centerUpdate }
//   SURFACE  { surface, path }     a finished map and the path on its plane
//   PATH     { path }              the path on the shown map's plane, updated
//   EXPORTED { what, requestId, text | error }   an EXPORT's text, or why
//                                  there is none
//   VIEW_DATA { view, json }       a view's data as JSON text, for its drawing
//                                  function (drawSlices, drawPrediction)
//   ERROR    { message }           something failed; shown in #error
//   PANIC    { message }           the engine panicked (a bug) with this
//                                  message; the worker must be replaced

export const MESSAGE = Object.freeze({
  INIT: 'init',
  PLAY: 'play',
  PAUSE: 'pause',
  STEP: 'step',
  EPOCH: 'epoch',
  LANDSCAPE: 'landscape',
  RESET: 'reset',
  SPEED: 'speed',
  EXPORT: 'export',
  VIEW: 'view',
  PANIC_FOR_TEST: 'panic-for-test',
  READY: 'ready',
  PROGRESS: 'progress',
  SURFACE_PROGRESS: 'surface-progress',
  SURFACE: 'surface',
  PATH: 'path',
  EXPORTED: 'exported',
  VIEW_DATA: 'view-data',
  ERROR: 'error',
  PANIC: 'panic',
});

// Between the engine's worker and its map workers (rows-worker.js, which
// describes them).
export const ROWS_MESSAGE = Object.freeze({
  MAP: 'map',
  CANCEL: 'cancel',
  ROW: 'row',
  FAILED: 'failed',
});

/** Builds a message of `type` with `fields`. */
export function message(type, fields = {}) {
  return { type, ...fields };
}

/** A readable text for anything thrown, for the #error box and the console. */
export function describeError(error) {
  if (error instanceof Error) {
    return error.message || String(error);
  }
  if (typeof error === 'string') {
    return error;
  }
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
