// Page tests of "diagnose your own training log": each format's fixture
// (tests/fixtures/logs/) given to the file picker shows its verdict and its
// curves in the lab's colours, pasted text is read the same way, a damaged
// file shows its message, and an earlier log can be overlaid.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/import.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, pollUntil } from './support.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)),
  '..', 'fixtures', 'logs');
const REPLY_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 180_000;
// Okabe–Ito blue and orange: train and validation on a light page.
const TRAIN_BLUE = [0x00, 0x72, 0xb2];
const VAL_ORANGE = [0xe6, 0x9f, 0x00];
const EARLIER_GREEN = [0x00, 0x9e, 0x73];
// A drawn line of a curve chart covers at least this many device pixels.
const MIN_LINE_PIXELS = 150;

const CASES = [
  { files: ['csv/epochs.csv'], code: 'overfitting_past_optimum' },
  { files: ['lightning/metrics.csv'], code: 'overfitting_begins' },
  {
    files: [
      'tensorboard/run-dynamics_Loss_train-tag-Loss.csv',
      'tensorboard/run-dynamics_Loss_val-tag-Loss.csv',
      'tensorboard/run-dynamics-tag-LR.csv',
      'tensorboard/run-dynamics-tag-GradNorm.json',
    ],
    code: 'lr_too_high',
  },
  { files: ['huggingface/trainer_state.json'], code: 'normal' },
  { files: ['keras/history.json'], code: 'underfitting' },
  { files: ['text/printout.txt'], code: 'normal' },
  { files: ['text/keras_console.txt'], code: 'diverged' },
];

/** How many pixels of canvas `id` are within 12 of `rgb` in each channel. */
function countNear(page, id, rgb) {
  return page.evaluate(([canvasId, colour]) => {
    const canvas = document.getElementById(canvasId);
    if (canvas.width < 2 || canvas.height < 2) {
      return 0;
    }
    const { data } = canvas.getContext('2d')
      .getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - colour[0]) <= 12 &&
          Math.abs(data[i + 1] - colour[1]) <= 12 &&
          Math.abs(data[i + 2] - colour[2]) <= 12) {
        count += 1;
      }
    }
    return count;
  }, [id, rgb]);
}

/** Waits until the import verdict is `code`; returns its text. */
async function verdict(page, code) {
  await pollUntil(
    () => page.locator('#import-diagnosis').getAttribute('data-code'),
    (shown) => shown === code, REPLY_TIMEOUT_MS,
    `#import-diagnosis to show ${code}`);
  return (await page.locator('#import-diagnosis').textContent()) ?? '';
}

describe('diagnose your own training log', { timeout: TEST_TIMEOUT_MS }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await browser.open();
    // The page wires the panel once the wasm module has loaded.
    await page.locator('#import-panel[data-ready="true"]')
      .waitFor({ state: 'attached' });
  });

  after(async () => {
    await browser?.close();
  });

  it('shows each fixture\'s verdict and curves', async () => {
    for (const { files, code } of CASES) {
      await page.setInputFiles('#import-files',
        files.map((file) => join(FIXTURES, file)));
      const text = await verdict(page, code);
      assert.ok(text.length > 20, `${files[0]}: the evidence is shown`);
      const fix = await page.locator('#import-fix').textContent();
      assert.match(fix, /^What to do: /, files[0]);
      const blue = await countNear(page, 'import-loss', TRAIN_BLUE);
      assert.ok(blue >= MIN_LINE_PIXELS,
        `${files[0]}: the train loss is drawn (${blue} blue pixels)`);
      if (code !== 'diverged') {
        const orange = await countNear(page, 'import-loss', VAL_ORANGE);
        assert.ok(orange >= MIN_LINE_PIXELS,
          `${files[0]}: the validation loss is drawn (${orange} pixels)`);
      }
    }
    assert.deepEqual(browser.problems, []);
  });

  it('reads pasted text and overlays the previous log', async () => {
    await page.setInputFiles('#import-files', join(FIXTURES, 'csv/epochs.csv'));
    await verdict(page, 'overfitting_past_optimum');
    const printout = await readFile(join(FIXTURES, 'text/printout.txt'),
      'utf8');
    await page.fill('#import-text', printout);
    await page.click('#import-paste');
    const text = await verdict(page, 'normal');
    assert.match(text, /^Normal training: Train loss 0\.4101/);
    const status = await page.locator('#import-status').textContent();
    assert.match(status, /^Read pasted log \(text log\)\./);

    assert.equal(await countNear(page, 'import-loss', EARLIER_GREEN), 0);
    await page.check('#import-overlay');
    const green = await pollUntil(
      () => countNear(page, 'import-loss', EARLIER_GREEN),
      (count) => count >= MIN_LINE_PIXELS, REPLY_TIMEOUT_MS,
      'the earlier log\'s train loss in green');
    assert.ok(green >= MIN_LINE_PIXELS);
    assert.deepEqual(browser.problems, []);
  });

  it('shows the message for a damaged log', async () => {
    await page.setInputFiles('#import-files',
      join(FIXTURES, 'malformed/wrong_type.csv'));
    await pollUntil(
      () => page.locator('#import-status').getAttribute('data-state'),
      (state) => state === 'error', REPLY_TIMEOUT_MS,
      '#import-status to show an error');
    const status = await page.locator('#import-status').textContent();
    assert.equal(status,
      'wrong_type.csv: line 3, column "train_loss": "abc" is not a number');
    assert.deepEqual(browser.problems, []);
  });
});
