// A few comparison workers (compare-worker.js) sharing a list of tasks: the
// full comparison first, then the seeds of the spread, each task given to
// the next idle worker. A new list cancels the old one: busy workers are
// terminated and replaced, idle ones kept, and messages of the old list are
// dropped.

const WORKER_URL = new URL('./compare-worker.js', import.meta.url);
// More workers than this gains little for five seeds and costs memory.
const MAX_WORKERS = 4;

/** Workers for this device: one per core, at least one, at most four. */
export function poolSize() {
  const cores = navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

/**
 * Creates the pool. `handlers.progress(index, progress)`,
 * `handlers.result(index, message)` and `handlers.error(index, message)`
 * hear about task `index` of the current list.
 */
export function createPool(size, handlers) {
  const slots = [];
  let generation = 0;
  let tasks = [];
  let next = 0;

  function spawn() {
    const slot = { worker: new Worker(WORKER_URL, { type: 'module' }),
      task: null };
    slot.worker.onmessage = (event) => receive(slot, event.data);
    slot.worker.onerror = (event) => {
      event.preventDefault();
      const index = slot.task?.index ?? null;
      slot.task = null;
      handlers.error(index, event.message || 'the worker failed to start');
    };
    return slot;
  }

  function assign(slot) {
    if (next >= tasks.length) {
      return;
    }
    const index = next;
    next += 1;
    slot.task = { index, generation };
    slot.worker.postMessage({
      type: 'task',
      taskId: `${generation}:${index}`,
      ...tasks[index],
    });
  }

  function receive(slot, message) {
    const [messageGeneration, index] =
      String(message.taskId ?? '').split(':').map(Number);
    if (message.taskId !== null && messageGeneration !== generation) {
      return;
    }
    switch (message.type) {
      case 'progress':
        handlers.progress(index, message.progress);
        break;
      case 'result':
        slot.task = null;
        handlers.result(index, message);
        assign(slot);
        break;
      case 'error':
        slot.task = null;
        handlers.error(Number.isNaN(index) ? null : index, message.message);
        assign(slot);
        break;
      default:
        break;
    }
  }

  /** Starts `list` (task fields for the worker), cancelling the previous. */
  function run(list) {
    generation += 1;
    tasks = list;
    next = 0;
    for (let i = 0; i < slots.length; i += 1) {
      if (slots[i].task !== null) {
        slots[i].worker.terminate();
        slots[i] = spawn();
      }
    }
    while (slots.length < size) {
      slots.push(spawn());
    }
    for (const slot of slots) {
      assign(slot);
    }
  }

  /** Stops every task of the current list. */
  function cancel() {
    run([]);
  }

  return { run, cancel };
}
