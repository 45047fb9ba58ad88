// Page tests of the classroom features: links that replay a run, links that
// are broken or hostile, the settings form and its checks, the batch
// calculator, the schedule preview, lessons (each run from its link to the
// diagnosis it names), and the downloads.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/
//
// test.sh builds www/pkg, serves www/ and sets LAB_URL.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LOAD_TIMEOUT_MS, download, launch, pollUntil, sleep, textOf,
  updateCounts, waitForEnd,
} from './support.mjs';

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)),
  'screenshots');

// Two slow cores: generous limits, each wait a poll that ends early.
const RUN_TIMEOUT_MS = 90_000;
const REPLY_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 240_000;
const OBSERVE_MS = 1_500;

// The reference run: 354 training samples, batch 32 × 4 → 3 updates per
// epoch, 100 epochs.
const REFERENCE_TOTAL_UPDATES = 300;

/** A hash as the page writes it: the settings and view in URL parameters. */
function hashOf(fields) {
  return `#${new URLSearchParams(fields).toString()}`;
}

/** Waits for the engine's first report on `page`; returns the counts. */
async function ready(page) {
  return pollUntil(() => updateCounts(page), (counts) => counts.total > 0,
    LOAD_TIMEOUT_MS, '#update-count to show the run');
}

/** The config in the page's own hash (written once the run is ready). */
async function configInUrl(page) {
  const hash = await page.evaluate(() => window.location.hash.slice(1));
  const text = new URLSearchParams(hash).get('config');
  return text === null ? null : JSON.parse(text);
}

/** Opens the settings and the group `id`, if closed. */
async function openGroup(page, id) {
  for (const selector of ['#settings-panel', `#group-${id}`]) {
    const details = page.locator(selector);
    if (!(await details.evaluate((element) => element.open))) {
      await page.click(`${selector} > summary`);
    }
  }
}

/** Types `value` into a settings field, as a person would. */
async function fill(page, id, value) {
  await page.fill(`#field-${id}`, value);
}

async function cellText(page, key, column) {
  return (await textOf(page, `#calc-${key}-${column}`)).trim();
}

describe('Landscape Lab classroom features', () => {
  let browser;

  before(async () => {
    browser = await launch();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  it('replays a run bit for bit from its link', { timeout: TEST_TIMEOUT_MS },
    async () => {
      // A short run: 10 epochs of the reference loop, at full speed.
      const hash = hashOf({
        config: JSON.stringify({ epochs: 10, seed: 12345 }),
        speed: '300',
      });
      const first = await browser.open(hash);
      await ready(first);
      await waitForEnd(first, RUN_TIMEOUT_MS);
      const epochs = await download(first, '#download-epochs-csv');
      const updates = await download(first, '#download-updates-csv');
      assert.equal(epochs.name, 'epochs.csv');
      const epochLines = epochs.bytes.toString().trim().split('\n');
      assert.equal(epochLines.length, 1 + 10, 'a header and 10 epochs');
      assert.match(epochLines[0], /^epoch,train_loss_running,train_loss_eval/);

      // The page rewrote its link to carry every setting.
      const written = await configInUrl(first);
      assert.equal(written.epochs, 10);
      assert.equal(written.seed, 12345);
      assert.equal(written.batch_size, 32, 'omitted keys are written out');
      const link = first.url();
      await first.close();

      const second = await browser.open(link.slice(link.indexOf('#')));
      await ready(second);
      await waitForEnd(second, RUN_TIMEOUT_MS);
      const epochsAgain = await download(second, '#download-epochs-csv');
      const updatesAgain = await download(second, '#download-updates-csv');
      assert.equal(epochsAgain.bytes.toString(), epochs.bytes.toString(),
        'the same link must give the same losses, digit for digit');
      assert.equal(updatesAgain.bytes.toString(), updates.bytes.toString());
      assert.equal(second.url(), link, 'the link stays the same');
      await second.close();
    });

  it('falls back to the reference run with a notice for broken or hostile ' +
    'links', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const markup = '<img src=x onerror="window.__injected=1">';
    const hostile = [
      ['truncated', '#config=%7B%22epochs%22%3A1'],
      ['wrong type', hashOf({ config: '{"epochs":"ten"}' })],
      ['not an object', hashOf({ config: '[1,2,3]' })],
      ['unknown key', hashOf({ config: '{"bogus":1}' })],
      ['out of range', hashOf({ config: '{"batch_size":0}' })],
      ['markup in a value',
        hashOf({ config: JSON.stringify({ data: { source: markup } }) })],
      ['markup as a lesson',
        hashOf({ preset: '<script>window.__injected=1</script>' })],
      ['malformed escapes', '#config=%E0%A4%A&open=%%%'],
      ['one megabyte', `#config=${'x'.repeat(1 << 20)}`],
    ];
    for (const [what, hash] of hostile) {
      const page = await browser.open(hash);
      const counts = await ready(page);
      assert.equal(counts.total, REFERENCE_TOTAL_UPDATES,
        `${what}: the reference run starts`);
      const notice = page.locator('#url-notice');
      assert.ok(await notice.isVisible(), `${what}: a notice is shown`);
      const text = await textOf(page, '#url-notice-text');
      assert.match(text, /reference run is shown instead/, what);
      assert.ok(text.length < 1000, `${what}: the notice stays short`);
      assert.ok(!(await page.locator('#error').isVisible()),
        `${what}: no error`);
      const injected = await page.evaluate(() => ({
        flag: window.__injected,
        images: document.querySelectorAll('img').length,
        scripts: [...document.scripts].filter((s) => !s.src).length,
      }));
      assert.deepEqual(injected, { flag: undefined, images: 0, scripts: 0 },
        `${what}: nothing from the link became markup`);
      await page.close();
    }
    assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
  });

  it('shows an invalid value next to its field and leaves the run alone',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(hashOf({ open: 'settings,batching' }));
      await ready(page);
      const hashBefore = await page.evaluate(() => window.location.hash);

      await fill(page, 'batch-size', '0');
      const message = page.locator('#field-batch-size-message');
      await message.waitFor({ state: 'visible', timeout: REPLY_TIMEOUT_MS });
      assert.equal(await message.textContent(),
        'batch_size must be at least 1, got 0', 'the engine’s own message');
      // A negative size gets the same rule, not another.
      await fill(page, 'batch-size', '-5');
      await pollUntil(() => message.textContent(),
        (text) => text === 'batch_size must be at least 1, got -5',
        REPLY_TIMEOUT_MS, 'the same rule for -5');
      assert.equal(
        await page.getAttribute('#field-batch-size', 'aria-invalid'), 'true');
      assert.ok(await page.isDisabled('#settings-apply'),
        'an invalid value cannot be applied');
      await page.keyboard.press('Enter');

      // The run keeps going with its own settings.
      const during = await updateCounts(page);
      await sleep(OBSERVE_MS);
      const later = await updateCounts(page);
      assert.equal(later.total, REFERENCE_TOTAL_UPDATES);
      assert.ok(later.done >= during.done, 'the run did not restart');
      assert.equal(await page.evaluate(() => window.location.hash),
        hashBefore, 'the link is unchanged');

      await openGroup(page, 'optimizer');
      await fill(page, 'optimizer-lr', 'fast');
      const lrMessage = page.locator('#field-optimizer-lr-message');
      await lrMessage.waitFor({ state: 'visible', timeout: REPLY_TIMEOUT_MS });
      assert.equal(await lrMessage.textContent(),
        'optimizer.lr must be a number, got "fast"');

      // A missing width is not skipped.
      await openGroup(page, 'model');
      await fill(page, 'model-hidden', '4,,4');
      const hiddenMessage = page.locator('#field-model-hidden-message');
      await hiddenMessage.waitFor({ state: 'visible',
        timeout: REPLY_TIMEOUT_MS });
      assert.equal(await hiddenMessage.textContent(),
        'model.hidden must be whole numbers separated by commas, got "4,,4"');
      await fill(page, 'model-hidden', '64');

      // Fixed values apply and restart the run with them.
      await fill(page, 'optimizer-lr', '0.002');
      await fill(page, 'batch-size', '64');
      await message.waitFor({ state: 'hidden', timeout: REPLY_TIMEOUT_MS });
      await pollUntil(() => page.isEnabled('#settings-apply'), Boolean,
        REPLY_TIMEOUT_MS, 'Apply to be enabled');
      await page.click('#settings-apply');
      // ceil(354 / 64) = 6 micro-batches, ceil(6 / 4) = 2 updates per epoch.
      await pollUntil(() => updateCounts(page), (c) => c.total === 200,
        REPLY_TIMEOUT_MS, 'the run to restart with 200 updates');
      const config = await pollUntil(() => configInUrl(page),
        (c) => c?.batch_size === 64, REPLY_TIMEOUT_MS,
        'the link to carry batch_size 64');
      assert.equal(config.optimizer.lr, 0.002);
      await page.close();
    });

  it('answers the practice questions in the batch calculator',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(hashOf({ open: 'settings,batching' }));
      await ready(page);
      // Before any change: the run's own 354 samples, batch 32 × 4.
      await pollUntil(() => page.inputValue('#calc-samples'),
        (value) => value === '354', REPLY_TIMEOUT_MS, 'the run’s samples');
      assert.equal(await cellText(page, 'micro_batches_per_epoch', 'kept'),
        '12');
      assert.equal(await cellText(page, 'updates_per_epoch', 'kept'), '3');

      // Question 1: 10,000 samples, batch 32, 100 epochs.
      await fill(page, 'accumulation-steps', '1');
      await page.fill('#calc-samples', '10000');
      await pollUntil(
        () => cellText(page, 'micro_batches_per_epoch', 'kept'),
        (text) => text === '313', REPLY_TIMEOUT_MS, '313 micro-batches');
      assert.equal(
        await cellText(page, 'micro_batches_per_epoch', 'dropped'), '312');
      assert.equal(await cellText(page, 'total_updates', 'kept'), '31,300');
      assert.equal(await cellText(page, 'total_updates', 'dropped'),
        '31,200');
      assert.equal(await cellText(page, 'last_micro_batch', 'kept'), '16');
      assert.match(await textOf(page, '#calc-formula'),
        /⌈10,000 \/ 32⌉ = 313 micro-batches/);

      // Question 3: batch 8 with 4 accumulation steps.
      await fill(page, 'batch-size', '8');
      await fill(page, 'accumulation-steps', '4');
      await pollUntil(
        () => cellText(page, 'effective_batch_size', 'kept'),
        (text) => text === '32', REPLY_TIMEOUT_MS, 'effective batch 32');
      assert.equal(await cellText(page, 'micro_batches_per_epoch', 'kept'),
        '1,250');
      assert.equal(await cellText(page, 'updates_per_epoch', 'kept'), '313');

      // Fewer samples than the effective batch: one micro-batch, and the
      // formula says an update sees only the epoch's samples.
      await page.fill('#calc-samples', '5');
      const formula = await pollUntil(() => textOf(page, '#calc-formula'),
        (text) => text.startsWith('⌈5 / 8⌉'), REPLY_TIMEOUT_MS,
        'the formula for 5 samples');
      assert.match(formula, /= 1 micro-batch \(/);
      assert.match(formula, /only 5 samples, so an update sees at most/);
      assert.match(formula, /With drop_last=True: .*leaves no batch/,
        'why the drop_last column is empty');
      await page.fill('#calc-samples', '10000');
      await page.screenshot({
        path: join(SCREENSHOTS, 'calculator.png'),
        fullPage: false,
      });
      await page.close();
    });

  it('previews the schedule before training', { timeout: TEST_TIMEOUT_MS },
    async () => {
      const page = await browser.open(hashOf({ open: 'settings,schedule' }));
      await ready(page);
      const caption = '#schedule-preview-caption';
      await pollUntil(() => textOf(page, caption),
        (text) => text.startsWith('300 optimizer updates; warmup over the ' +
          'first 30'), REPLY_TIMEOUT_MS, 'the reference schedule caption');
      const colours = await pollUntil(() => page.evaluate(() => {
        const canvas = document.getElementById('schedule-preview');
        const { width, height } = canvas;
        const data = canvas.getContext('2d')
          .getImageData(0, 0, width, height).data;
        return new Set(new Uint32Array(data.buffer)).size;
      }), (count) => count >= 3, REPLY_TIMEOUT_MS, 'a drawn preview');
      assert.ok(colours >= 3);

      // A different schedule is previewed without touching the run.
      await page.selectOption('#field-schedule-name', 'step');
      // Halved every 100 updates: 0.001, 0.0005, 0.00025.
      await pollUntil(() => textOf(page, caption),
        (text) => text === '300 optimizer updates; starts at 0.001, peaks ' +
          'at 0.001, ends at 0.00025.', REPLY_TIMEOUT_MS,
        'the step schedule caption');
      assert.equal((await updateCounts(page)).total, REFERENCE_TOTAL_UPDATES);
      await page.close();
    });

  it('loads a lesson from the picker and from a link',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open();
      await ready(page);
      // The presets as the engine lists them, read independently of the
      // page's own modules.
      const presets = await page.evaluate(async () => {
        const wasm = await import('./pkg/landscape_lab.js');
        await wasm.default();
        return JSON.parse(wasm.presetsJson());
      });
      const byName = new Map(presets.map((preset) => [preset.name, preset]));
      const options = await page.$$eval('#preset option',
        (list) => list.map((option) => option.value).filter(Boolean));
      assert.deepEqual(options, presets.map((preset) => preset.name),
        'every preset is offered');

      const lesson = byName.get('lr_too_high');
      await page.selectOption('#preset', lesson.name);
      const config = await pollUntil(() => configInUrl(page),
        (c) => JSON.stringify(c) === JSON.stringify(lesson.config),
        REPLY_TIMEOUT_MS, 'the link to carry the lesson’s settings');
      assert.equal(config.seed, lesson.config.seed);
      assert.equal(await textOf(page, '#preset-explanation'),
        lesson.explanation);
      assert.match(await textOf(page, '#preset-expected'),
        /learning rate too high/);
      await page.close();

      const quiet = byName.get('underfitting_low_lr');
      const linked = await browser.open(
        hashOf({ preset: quiet.name, speed: '300' }));
      await ready(linked);
      assert.equal(await linked.inputValue('#preset'), quiet.name);
      assert.equal(await textOf(linked, '#preset-explanation'),
        quiet.explanation);
      assert.match(await textOf(linked, '#settings-summary'),
        new RegExp(`, lr ${quiet.config.optimizer.lr} `));
      await linked.screenshot({ path: join(SCREENSHOTS, 'lesson.png') });
      await linked.close();
    });

  it('runs every lesson from its link to the diagnosis it names',
    { timeout: TEST_TIMEOUT_MS * 3 }, async () => {
      const page = await browser.open();
      await ready(page);
      const presets = await page.evaluate(async () => {
        const wasm = await import('./pkg/landscape_lab.js');
        await wasm.default();
        return JSON.parse(wasm.presetsJson());
      });
      await page.close();
      assert.ok(presets.length >= 8, `${presets.length} lessons`);

      // Each to its end at full speed (the longest, overfitting on the
      // digits, is 1,800 updates): a "normal" verdict seen early would say
      // nothing, and the native test checks the verdict at the end too.
      for (const preset of presets) {
        const startedMs = Date.now();
        const lesson = await browser.open(
          hashOf({ preset: preset.name, speed: '300' }));
        await ready(lesson);
        assert.equal(await lesson.inputValue('#preset'), preset.name);
        const status = await waitForEnd(lesson, RUN_TIMEOUT_MS);
        const diagnosis = lesson.locator('#diagnosis');
        const shown = {
          status,
          code: await diagnosis.getAttribute('data-code'),
        };
        assert.deepEqual(shown, {
          status: preset.expected_diagnosis === 'diverged'
            ? 'diverged' : 'finished',
          code: preset.expected_diagnosis,
        }, `${preset.name}: ${await diagnosis.textContent()}`);
        assert.ok((await diagnosis.textContent()).length > 20,
          `${preset.name}: the evidence is written out`);
        assert.ok((await textOf(lesson, '#diagnosis-fix')).length > 0,
          `${preset.name}: a fix is given`);
        if (status === 'diverged') {
          // The run keeps its last finite weights, and the map around them
          // draws (cells whose loss is not finite shown as no data).
          await pollUntil(() => textOf(lesson, '#landscape-note'),
            (text) => text === 'up to date', RUN_TIMEOUT_MS,
            `${preset.name}: the map around the last finite weights`);
          await lesson.locator('#landscape').screenshot({
            path: join(SCREENSHOTS, `map-${preset.name}.png`),
          });
        }
        await lesson.locator('.diagnosis-panel').screenshot({
          path: join(SCREENSHOTS, `diagnosis-${preset.name}.png`),
        });
        console.log(`${preset.name}: ${shown.code} in ` +
          `${Date.now() - startedMs} ms`);
        await lesson.close();
      }
    });

  it('explains the plane the map is drawn on', async () => {
    const page = await browser.open();
    await ready(page);
    await pollUntil(() => textOf(page, '#plane-explain'),
      (text) => text.includes('filter-normalized'), REPLY_TIMEOUT_MS,
      'the random plane explained');
    await page.selectOption('#plane', 'pca');
    await pollUntil(() => textOf(page, '#plane-explain'),
      (text) => text.includes('principal components'), REPLY_TIMEOUT_MS,
      'the principal-components plane explained');
    assert.ok(!(await textOf(page, '#plane-explain')).includes('random'));
    await page.close();
  });

  it('keeps the chosen views and open sections in the link',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(hashOf({
        open: 'settings,schedule',
        smoothing: '0.25',
        y: 'log',
        x: 'epochs',
        view: 'slices',
        speed: '100',
        // Values no control offers are ignored.
        bogus: 'x',
      }));
      await ready(page);
      const shown = await page.evaluate(() => ({
        smoothing: document.getElementById('curve-smoothing').value,
        y: document.getElementById('curve-y-scale').value,
        x: document.getElementById('curve-x-unit').value,
        tab: document.querySelector('[role="tab"][aria-selected="true"]')
          .dataset.viewTab,
        speed: document.getElementById('speed').value,
        schedule: document.getElementById('group-schedule').open,
        batching: document.getElementById('group-batching').open,
      }));
      assert.deepEqual(shown, {
        smoothing: '0.25', y: 'log', x: 'epochs', tab: 'slices',
        speed: '100', schedule: true, batching: false,
      });

      await page.selectOption('#curve-y-scale', 'linear');
      await page.click('#tab-prediction');
      await page.click('#group-batching > summary');
      const params = await pollUntil(() => page.evaluate(() =>
        Object.fromEntries(new URLSearchParams(window.location.hash.slice(1)))),
      (p) => p.y === 'linear' && p.view === 'prediction' &&
        p.open === 'settings,schedule,batching', REPLY_TIMEOUT_MS,
      'the link to follow the views');
      assert.equal(params.smoothing, '0.25');
      assert.equal(params.bogus, undefined);
      await page.close();
    });

  it('downloads the settings, the PyTorch script (and copies it), the ' +
    'samples, the run, the map and the figures', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await browser.open(hashOf({ speed: '300' }));
    await ready(page);

    const config = await download(page, '#download-config-json');
    assert.deepEqual(JSON.parse(config.bytes.toString()),
      await configInUrl(page), 'the settings file is the link’s config');

    const script = (await download(page, '#download-pytorch')).bytes
      .toString();
    assert.match(script, /^import torch$/m);
    assert.match(script, /^BATCH_SIZE = 32$/m);
    assert.match(script, /"diabetes\.csv"/);

    // The same script on the clipboard.
    await browser.context.grantPermissions(
      ['clipboard-read', 'clipboard-write'],
      { origin: new URL(page.url()).origin });
    if (!(await page.locator('#downloads').evaluate((menu) => menu.open))) {
      await page.click('#downloads > summary');
    }
    await page.click('#download-copy-pytorch');
    await pollUntil(() => textOf(page, '#share-status'),
      (text) => text === 'PyTorch script copied.', REPLY_TIMEOUT_MS,
      'the script to be copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
      script, 'the clipboard holds the script the download has');

    const samples = await download(page, '#download-samples-csv');
    assert.equal(samples.name, 'diabetes.csv');
    assert.equal(samples.bytes.toString().trim().split('\n').length, 443,
      'a header and 442 patients');

    const run = JSON.parse(
      (await download(page, '#download-run-json')).bytes.toString());
    assert.deepEqual(Object.keys(run).sort(),
      ['config', 'epochs', 'summary', 'updates']);
    assert.equal(run.summary.total_updates, REFERENCE_TOTAL_UPDATES);

    // The map on screen, once the one around the final weights is drawn.
    await waitForEnd(page, RUN_TIMEOUT_MS);
    await pollUntil(() => textOf(page, '#landscape-note'),
      (text) => text === 'up to date', RUN_TIMEOUT_MS,
      'the map around the final weights');
    const surfaceFile = await download(page, '#download-surface-json');
    assert.equal(surfaceFile.name, 'surface.json');
    const surface = JSON.parse(surfaceFile.bytes.toString());
    const side = surface.resolution;
    assert.equal(surface.alphas.length, side);
    assert.equal(surface.betas.length, side);
    // The reference map: 51 × 51 over [−1, 1], so α = 0 in the middle.
    assert.equal(side, 51);
    assert.deepEqual([surface.alphas[0], surface.alphas.at(-1)],
      [-surface.range, surface.range], 'α spans the range');
    assert.equal(surface.loss.length, side * side, 'a loss per grid point');
    assert.equal(surface.non_finite_count, 0);
    assert.ok(surface.loss.every(Number.isFinite), 'every loss a number');
    // The grid's middle is the centre weights: the map's own centre loss.
    const middle = (side - 1) / 2;
    assert.equal(surface.alphas[middle], 0);
    assert.ok(Math.abs(surface.loss[middle * side + middle] -
      surface.center_loss) <= 1e-6 * surface.center_loss,
    `${surface.loss[middle * side + middle]} at (0, 0), centre loss ` +
      `${surface.center_loss}`);
    assert.equal(surface.center_update, REFERENCE_TOTAL_UPDATES);
    assert.equal(surface.weights.length, surface.directions[0].length);
    assert.ok(surface.path.length >= 2, `${surface.path.length} checkpoints`);
    const last = surface.path.at(-1);
    assert.equal(last.update, REFERENCE_TOTAL_UPDATES,
      'the path ends at the final weights');
    assert.ok(Math.hypot(last.alpha, last.beta) < 1e-6,
      `the final weights sit at the centre: (${last.alpha}, ${last.beta})`);
    assert.ok(surface.path.every((point) =>
      Number.isFinite(point.alpha) && Number.isFinite(point.beta) &&
      Number.isFinite(point.loss)), 'every checkpoint on the plane');
    assert.ok(surface.captured_fraction >= 0 &&
      surface.captured_fraction <= 1, `${surface.captured_fraction}`);

    // Figures: once the menu opens it lists every drawn canvas.
    await page.click('body');
    await page.click('#downloads > summary');
    const figure = page.locator('#downloads-png [data-canvas="curve-loss"]');
    await figure.waitFor({ state: 'visible', timeout: REPLY_TIMEOUT_MS });
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      figure.click(),
    ]);
    const { readFile } = await import('node:fs/promises');
    const png = await readFile(await file.path());
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47],
      'a PNG file');
    assert.ok(png.length > 1000, `PNG of ${png.length} bytes`);
    await page.close();
  });

  it('logged no console or page errors', () => {
    assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
  });
});
