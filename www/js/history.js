// The page's copy of a run's history, bounded the way the engine bounds its
// own (src/train/history.rs): past MAX_RECORDS records of a kind, the older
// half is thinned to the lowest and highest value of every four (in order),
// and any non-finite one is kept, and so is the first, where the curves
// start. So a run of a million updates costs the page the same memory, and
// the charts the same drawing time, as one of twenty thousand, and spikes
// and divergence stay visible.
//
// No DOM here: the page test of the bound imports this module in Node.

/** Records of one kind kept before the older half is thinned. */
export const MAX_RECORDS = 20_000;
const GROUP = 4;

/** Empty columns: per update and per epoch, one array per quantity. */
export function emptyHistory() {
  return {
    update: [],
    lr: [],
    gradNorm: [],
    clipped: [],
    epoch: [],
    trainRunning: [],
    trainEval: [],
    val: [],
  };
}

const UPDATE_COLUMNS = Object.freeze(['update', 'lr', 'gradNorm', 'clipped']);
const EPOCH_COLUMNS = Object.freeze(
  ['epoch', 'trainRunning', 'trainEval', 'val']);

/** `value` if it is a finite number, else null (drawn as "no data"). */
export function finiteOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Which indices of the older half of `values` stay: of every four, the
 * lowest and the highest, and every null (non-finite); and the first.
 */
function keptOfOlderHalf(values) {
  const older = values.length >> 1;
  const keep = new Array(values.length).fill(true);
  for (let start = 0; start + GROUP <= older; start += GROUP) {
    let low = -1;
    let high = -1;
    for (let index = start; index < start + GROUP; index += 1) {
      const value = values[index];
      if (value === null) {
        continue;
      }
      if (low < 0 || value < values[low]) {
        low = index;
      }
      if (high < 0 || value > values[high]) {
        high = index;
      }
    }
    for (let index = start; index < start + GROUP; index += 1) {
      keep[index] = values[index] === null || index === low ||
        index === high || index === 0;
    }
  }
  return keep;
}

/** Thins `columns` of `history` alike, judged by the column `by`. */
function thin(history, columns, by) {
  const keep = keptOfOlderHalf(history[by]);
  for (const name of columns) {
    history[name] = history[name].filter((_, index) => keep[index]);
  }
}

/** Appends the engine's update and epoch records to `history`. */
export function appendRecords(history, updates, epochs) {
  for (const record of updates) {
    history.update.push(record.update);
    history.lr.push(finiteOrNull(record.lr));
    history.gradNorm.push(finiteOrNull(record.grad_norm));
    history.clipped.push(Boolean(record.clipped));
  }
  for (const record of epochs) {
    history.epoch.push(record.epoch);
    history.trainRunning.push(finiteOrNull(record.train_loss_running));
    history.trainEval.push(finiteOrNull(record.train_loss_eval));
    history.val.push(finiteOrNull(record.val_loss));
  }
  if (history.update.length > MAX_RECORDS) {
    thin(history, UPDATE_COLUMNS, 'gradNorm');
  }
  if (history.epoch.length > MAX_RECORDS) {
    const by = history.val.some((value) => value !== null)
      ? 'val'
      : 'trainEval';
    thin(history, EPOCH_COLUMNS, by);
  }
}
