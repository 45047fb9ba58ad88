// The engine worker's map workers (rows-worker.js): a map's grid rows shared
// out over the machine's cores, row j to worker j mod the pool's size, so the
// rows fill in from the top at about the same pace. The engine's worker keeps
// training meanwhile and puts each row in as it comes (putSurfaceRow); rows
// may come in any order. A new map replaces the old one's remaining rows.

import { ROWS_MESSAGE } from './protocol.js';

const WORKER_URL = new URL('./rows-worker.js', import.meta.url);
// Past this many, a 51-row map gains little and the copies of the run cost
// memory.
const MAX_WORKERS = 8;

/**
 * Map workers for this device: one per core, none on a single core (the
 * engine's worker computes the map itself there), none where a worker cannot
 * start workers of its own.
 */
export function mapWorkerCount() {
  const cores = navigator.hardwareConcurrency || 1;
  if (typeof Worker === 'undefined' || cores < 2) {
    return 0;
  }
  return Math.min(MAX_WORKERS, cores);
}

/**
 * Starts `size` map workers. `handlers.row(mapId, row, loss)` hears each
 * row; `handlers.failed(mapId, message)` hears that a worker cannot go on
 * (the pool is then of no further use).
 */
export function createRowPool(size, handlers) {
  const workers = [];
  for (let k = 0; k < size; k += 1) {
    const worker = new Worker(WORKER_URL, { type: 'module' });
    const slot = { worker, config: null };
    worker.onmessage = ({ data }) => {
      if (data.type === ROWS_MESSAGE.ROW) {
        handlers.row(data.mapId, data.row, data.loss);
      } else if (data.type === ROWS_MESSAGE.FAILED) {
        slot.config = null;
        handlers.failed(data.mapId, data.message);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      slot.config = null;
      handlers.failed(null, event.message || 'a map worker failed to start');
    };
    workers.push(slot);
  }

  return {
    /**
     * Shares out the rows of map `mapId` of the run with settings `config`
     * (JSON text) at `center` on the plane of `directions` (Float32Arrays).
     */
    share({ mapId, config, center, directions, halfWidth, resolution }) {
      workers.forEach((slot, k) => {
        const rows = [];
        for (let j = k; j < resolution; j += workers.length) {
          rows.push(j);
        }
        slot.worker.postMessage({
          type: ROWS_MESSAGE.MAP,
          mapId,
          config: slot.config === config ? null : config,
          center,
          directionA: directions[0],
          directionB: directions[1],
          halfWidth,
          rows,
        });
        slot.config = config;
      });
    },

    /** Drops the current map's remaining rows. */
    cancel() {
      for (const slot of workers) {
        slot.worker.postMessage({ type: ROWS_MESSAGE.CANCEL });
      }
    },

    terminate() {
      for (const slot of workers) {
        slot.worker.terminate();
      }
    },
  };
}
