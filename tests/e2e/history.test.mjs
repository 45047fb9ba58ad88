// The page's copy of the history stays bounded on a long run: a million
// updates of records through appendRecords (www/js/history.js, which the
// charts use) keep at most MAX_RECORDS per kind, in order, with the first
// and last updates, the largest gradient-norm spike and a non-finite record
// still there. Runs in Node: the module has no DOM.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RECORDS, appendRecords, emptyHistory,
} from '../../www/js/history.js';

const UPDATES = 1_000_000;
const BATCH = 500; // records per PROGRESS message at top speed
const SPIKE_AT = 123_457;
const NOT_FINITE_AT = 400_001;
const UPDATES_PER_EPOCH = 3;

/** The engine's record of update `k`: a slowly falling gradient norm. */
function updateRecord(k) {
  let gradNorm = 1 + 1 / (1 + k);
  if (k === SPIKE_AT) {
    gradNorm = 1e6;
  } else if (k === NOT_FINITE_AT) {
    gradNorm = Infinity;
  }
  return { update: k, lr: 1e-3, grad_norm: gradNorm, clipped: k % 7 === 0 };
}

function epochRecord(epoch) {
  const loss = 1 / epoch;
  return {
    epoch,
    train_loss_running: loss,
    train_loss_eval: loss,
    val_loss: loss * 1.1,
  };
}

it('keeps a bounded history of a million updates, spikes included', () => {
  const history = emptyHistory();
  let longest = 0;
  for (let start = 0; start < UPDATES; start += BATCH) {
    const updates = [];
    const epochs = [];
    for (let k = start; k < start + BATCH; k += 1) {
      updates.push(updateRecord(k));
      if ((k + 1) % UPDATES_PER_EPOCH === 0) {
        epochs.push(epochRecord((k + 1) / UPDATES_PER_EPOCH));
      }
    }
    appendRecords(history, updates, epochs);
    longest = Math.max(longest, history.update.length, history.epoch.length);
  }

  assert.ok(longest <= MAX_RECORDS,
    `at most ${MAX_RECORDS} records of a kind, got ${longest}`);
  assert.ok(history.update.length > MAX_RECORDS / 2,
    `the recent half is kept whole: ${history.update.length}`);
  for (const name of ['lr', 'gradNorm', 'clipped']) {
    assert.equal(history[name].length, history.update.length,
      `${name} stays aligned with the update numbers`);
  }
  for (const name of ['trainRunning', 'trainEval', 'val']) {
    assert.equal(history[name].length, history.epoch.length, name);
  }

  const updates = history.update;
  assert.ok(updates.every((k, i) => i === 0 || k > updates[i - 1]),
    'in order');
  assert.equal(updates[0], 0, 'the first update stays');
  assert.equal(updates.at(-1), UPDATES - 1, 'the last update stays');
  const spike = updates.indexOf(SPIKE_AT);
  assert.ok(spike >= 0 && history.gradNorm[spike] === 1e6,
    'the largest gradient norm stays');
  const notFinite = updates.indexOf(NOT_FINITE_AT);
  assert.ok(notFinite >= 0 && history.gradNorm[notFinite] === null,
    'a non-finite gradient norm stays, as no data');
  const clipped = history.clipped.filter(Boolean).length;
  assert.ok(clipped > 0 && clipped < updates.length, 'clipping marks kept');
  assert.equal(history.epoch.at(-1),
    Math.floor(UPDATES / UPDATES_PER_EPOCH), 'the last epoch stays');
});
