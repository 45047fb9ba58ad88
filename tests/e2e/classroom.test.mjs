// Page tests of the classroom features: the keyboard shortcuts, classroom
// mode with hidden parts restored from a link, and training on a CSV file
// of one's own (a refused file — each of the corpus, one too wide, one too
// long — shows the CSV reader's message and leaves the run alone; a good
// one trains).
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/classroom.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launch, pollUntil, textOf, updateCounts, waitForEnd,
} from './support.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(HERE, '..', 'corpus', 'csv');
const RAGGED_CSV = join(CORPUS, 'ragged.csv');
const IRIS_CSV = join(HERE, '..', '..', 'www', 'data', 'iris.csv');
const SCREENSHOT_PATH = join(HERE, 'screenshots', 'classroom.png');
const REPLY_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 180_000;
// Enough time for a paused run to show it would have moved, were it not.
const PAUSE_OBSERVE_MS = 800;
// More than the page's focusable controls with the data settings open.
const TAB_PRESSES_MAX = 200;

/** The first number of "12 / 300" in element `selector`. */
async function countOf(page, selector) {
  return Number(/\d+/.exec(await textOf(page, selector))?.[0] ?? NaN);
}

/** Pixels of canvas `id` that differ from its top-left (background) pixel. */
function inkOf(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d')
      .getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) +
          Math.abs(data[i + 2] - data[2]) > 60) {
        ink += 1;
      }
    }
    return ink;
  }, id);
}

async function waitForStatus(page, wanted) {
  await pollUntil(() => textOf(page, '#run-status'),
    (text) => text === wanted, REPLY_TIMEOUT_MS, `status “${wanted}”`);
}

describe('classroom', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  let lab;

  before(async () => {
    lab = await launch();
  });

  after(async () => {
    await lab?.close();
  });

  it('answers the keyboard shortcuts', { timeout: TEST_TIMEOUT_MS },
    async () => {
      const page = await lab.open();
      await waitForStatus(page, 'training');
      await page.locator('body').click({ position: { x: 5, y: 5 } });

      await page.keyboard.press('Space');
      await waitForStatus(page, 'paused');
      const paused = (await updateCounts(page)).done;
      await page.waitForTimeout(PAUSE_OBSERVE_MS);
      assert.equal((await updateCounts(page)).done, paused,
        'space paused the run, so no update may land');

      await page.keyboard.press('ArrowRight');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done === paused + 1, REPLY_TIMEOUT_MS,
        '→ to apply exactly one update');

      const epochs = await countOf(page, '#epoch-count');
      await page.keyboard.press('Shift+ArrowRight');
      await pollUntil(() => countOf(page, '#epoch-count'),
        (count) => count === epochs + 1, REPLY_TIMEOUT_MS,
        'shift+→ to finish one more epoch');
      assert.equal(await textOf(page, '#run-status'), 'paused',
        'a whole epoch leaves the run paused');

      await page.keyboard.press('l');
      await pollUntil(() => textOf(page, '#landscape-note'),
        (text) => text.includes(`around update ${paused + 1}`) ||
          /around update \d+/.test(text) || text === 'up to date',
        REPLY_TIMEOUT_MS, 'l to start a map around the current weights');

      await page.keyboard.press('r');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done === 0, REPLY_TIMEOUT_MS, 'r to reset the run');

      await page.keyboard.press('?');
      assert.ok(await page.locator('#shortcut-help').isVisible(),
        '? opens the list of shortcuts');
      await page.keyboard.press('Escape');
      assert.ok(!(await page.locator('#shortcut-help').isVisible()),
        'Esc closes it');

      await page.keyboard.press('Space');
      await waitForStatus(page, 'training');
      await page.close();
    });

  it('answers the shortcuts after a click on Pause or Step',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open();
      await waitForStatus(page, 'training');
      await page.click('#pause');
      await waitForStatus(page, 'paused');
      // Focus is on the Pause button, disabled now: space plays.
      await page.keyboard.press('Space');
      await waitForStatus(page, 'training');
      await page.keyboard.press('Space');
      await waitForStatus(page, 'paused');
      const paused = (await updateCounts(page)).done;

      await page.keyboard.press('ArrowRight');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done === paused + 1, REPLY_TIMEOUT_MS,
        '→ after clicking Pause to apply one update');
      await page.click('#step');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done === paused + 2, REPLY_TIMEOUT_MS, 'Step clicked');
      await page.keyboard.press('ArrowRight');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done === paused + 3, REPLY_TIMEOUT_MS,
        '→ after clicking Step to apply one more');
      await page.close();
    });

  it('draws the charts’ text and lines larger in classroom mode',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open('#classroom=1&speed=300');
      await waitForEnd(page, TEST_TIMEOUT_MS / 2);
      // The finished run's learning-rate chart no longer changes but for
      // the mode.
      await page.waitForTimeout(PAUSE_OBSERVE_MS);
      const large = await inkOf(page, 'curve-lr');
      await page.locator('#classroom-panel > summary').click();
      await page.locator('#classroom-mode').uncheck();
      const normal = await pollUntil(() => inkOf(page, 'curve-lr'),
        (ink) => ink !== large, REPLY_TIMEOUT_MS,
        'the chart to be redrawn on leaving classroom mode');
      assert.ok(large > 1.25 * normal,
        `classroom ink ${large} px against ${normal} px`);
      await page.close();
    });

  it('hides the parts a link names, in large type',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open(
        '#preset=lr_too_high&classroom=1&hide_controls=1&hide_settings=1');
      await pollUntil(() => textOf(page, '#run-setup'),
        (text) => text.includes('updates'), REPLY_TIMEOUT_MS,
        'the lesson to start');
      assert.ok(!(await page.locator('section.controls').isVisible()),
        'the run controls are hidden');
      assert.ok(!(await page.locator('#settings-panel').isVisible()),
        'the settings are hidden');
      assert.ok(await page.locator('#preset').isVisible(),
        'the lesson picker stays');
      const fontPx = await page.evaluate(() =>
        parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(fontPx >= 20, `large type, got ${fontPx} px`);
      assert.match(page.url(), /classroom=1/, 'the mode stays in the link');
      assert.match(page.url(), /hide_controls=1/, 'so do the hidden parts');
      await page.screenshot({ path: SCREENSHOT_PATH });

      await page.locator('#classroom-panel > summary').click();
      await page.locator('#classroom-mode').uncheck();
      assert.ok(await page.locator('section.controls').isVisible(),
        'leaving classroom mode shows the controls again');
      assert.doesNotMatch(page.url(), /classroom=1/,
        'and the link no longer asks for it');

      await page.evaluate(() => {
        window.location.hash =
          'preset=lr_too_high&classroom=1&hide_settings=1';
      });
      await pollUntil(() => page.locator('#settings-panel').isVisible(),
        (visible) => !visible, REPLY_TIMEOUT_MS,
        'a pasted link to hide the settings');
      await page.evaluate(() => {
        window.location.hash = 'preset=lr_too_high';
      });
      await pollUntil(() => page.locator('#settings-panel').isVisible(),
        (visible) => visible, REPLY_TIMEOUT_MS,
        'a link without classroom mode to show them');
      await page.close();
    });

  it('refuses a ragged CSV with its message and keeps the run',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open();
      await waitForStatus(page, 'training');
      const setup = await textOf(page, '#run-setup');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      await page.setInputFiles('#csv-file', RAGGED_CSV);
      await pollUntil(() => textOf(page, '#csv-message'),
        (text) => text.includes('CSV row 3 has 2 cells, the header has 3'),
        REPLY_TIMEOUT_MS, 'the CSV reader’s message');
      await page.waitForTimeout(PAUSE_OBSERVE_MS);
      assert.equal(await textOf(page, '#run-setup'), setup,
        'the run on screen is the same run');
      assert.equal(await textOf(page, '#run-status'), 'training',
        'and it keeps training');
      await page.close();
    });

  it('shows the reader’s message for each refused file of the corpus',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      // expected.tsv: file, task, message (or "OK rows"). Files refused as
      // regression are the ones a file chosen on the page meets.
      const table = await readFile(join(CORPUS, 'expected.tsv'), 'utf8');
      const refused = table.split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.split('\t'))
        .filter(([, task, expected]) => task === 'regression' &&
          !expected.startsWith('OK'));
      const page = await lab.open();
      await waitForStatus(page, 'training');
      const setup = await textOf(page, '#run-setup');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      for (const [file, , expected] of refused) {
        await page.setInputFiles('#csv-file', join(CORPUS, file));
        await pollUntil(() => textOf(page, '#csv-message'),
          (text) => text.startsWith(`${file}: `) && text.includes(expected),
          REPLY_TIMEOUT_MS, `the message for ${file}`);
      }
      assert.equal(await textOf(page, '#run-setup'), setup,
        'no refused file changed the run');
      await page.close();
    });

  it('states the limit a file too wide or too long is over',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open();
      await waitForStatus(page, 'training');
      const setup = await textOf(page, '#run-setup');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      // Made here rather than kept under tests/: the tall one is 12 MB.
      const header = Array.from({ length: 4097 }, (_, i) => `c${i}`);
      const values = Array(4097).fill('1').join(',');
      const wide = `${header.join(',')}\n${values}\n${values}\n`;
      const tall = 'a,b,c,d,e,f,g,h,i,y\n' +
        '1,2,3,4,5,6,7,8,9,0\n'.repeat(600_000);
      for (const [name, text, expected] of [
        ['wide.csv', wide, 'the CSV has 4097 columns; the limit is 4096'],
        ['tall.csv', tall, 'the CSV has more than 5000000 cells'],
      ]) {
        await page.setInputFiles('#csv-file', {
          name, mimeType: 'text/csv', buffer: Buffer.from(text),
        });
        await pollUntil(() => textOf(page, '#csv-message'),
          (message) => message.startsWith(`${name}: ${expected}`),
          REPLY_TIMEOUT_MS, `the limit for ${name}`);
      }
      assert.equal(await textOf(page, '#run-setup'), setup,
        'no refused file changed the run');
      await page.close();
    });

  it('trains on a good CSV without putting it in the link',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      // The settings open at the data group, where the upload box is.
      const page = await lab.open('#open=settings,data');
      await waitForStatus(page, 'training');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      await page.setInputFiles('#csv-file', IRIS_CSV);
      await pollUntil(() => textOf(page, '#csv-status'),
        (text) => /150 rows.*multi-class/.test(text), REPLY_TIMEOUT_MS,
        'the status to name rows and task');
      await page.click('#csv-train');
      await pollUntil(() => textOf(page, '#run-setup'),
        (text) => text.includes('inline: 120 training / 30 validation'),
        REPLY_TIMEOUT_MS, 'a run on the file’s 150 rows');
      assert.equal(await page.locator('#csv-message').isVisible(), false,
        'no problem is shown');
      assert.match(await textOf(page, '#csv-status'),
        /^Training on iris\.csv: 150 rows/, 'the file being trained on');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done > 0, REPLY_TIMEOUT_MS, 'training on the file');
      const linked = JSON.parse(new URLSearchParams(
        new URL(page.url()).hash.slice(1)).get('config'));
      assert.equal(linked.data.train, undefined,
        'the samples are not in the link');
      assert.equal(linked.data.source, 'diabetes',
        'the link opens on the reference data');
      // Copying the link says so rather than promising the same run.
      await lab.context.grantPermissions(['clipboard-read', 'clipboard-write'],
        { origin: new URL(page.url()).origin });
      await page.click('#copy-link');
      await pollUntil(() => textOf(page, '#share-status'),
        (text) => text.startsWith('Link copied'), REPLY_TIMEOUT_MS,
        'the link to be copied');
      assert.match(await textOf(page, '#share-status'),
        /not the file's samples/);
      await page.close();
    });

  it('takes another task and validation share for a file before training',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open('#open=settings,data');
      await waitForStatus(page, 'training');
      const setup = await textOf(page, '#run-setup');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      await page.setInputFiles('#csv-file', IRIS_CSV);
      await pollUntil(() => page.locator('#csv-choices').isVisible(),
        (visible) => visible, REPLY_TIMEOUT_MS, 'the reader’s choices');
      assert.equal(await page.inputValue('#csv-target'), 'target');
      assert.equal(await page.inputValue('#csv-task'), 'multiclass',
        'the detected task is chosen');
      assert.equal(await textOf(page, '#csv-task-detected'),
        'detected: multi-class classification');
      assert.equal(await page.inputValue('#csv-val-fraction'), '0.2',
        'the run’s validation share to start with');
      assert.equal(await page.isEnabled('#csv-train'), true);
      assert.equal(await textOf(page, '#run-setup'), setup,
        'reading the file does not start a run');

      // The engine's messages, beside the choice they are about.
      await page.fill('#csv-val-fraction', '1.5');
      await pollUntil(() => textOf(page, '#csv-val-fraction-message'),
        (text) => text === 'data.val_fraction must be in [0, 1), got 1.5',
        REPLY_TIMEOUT_MS, 'the engine’s message for the share');
      assert.equal(await page.isEnabled('#csv-train'), false,
        'no training on a bad share');
      await page.fill('#csv-val-fraction', '0.4');
      await page.selectOption('#csv-task', 'binary');
      await pollUntil(() => textOf(page, '#csv-task-message'),
        (text) => text.includes('a binary target must be 0 or 1, got class 2'),
        REPLY_TIMEOUT_MS, 'the engine’s message for the task');
      assert.equal(await page.locator('#csv-val-fraction-message')
        .isVisible(), false, 'the share is good now');
      assert.equal(await page.isEnabled('#csv-train'), false);
      await page.locator('#csv-upload').screenshot({
        path: join(HERE, 'screenshots', 'csv-choices.png'),
      });
      assert.equal(await textOf(page, '#run-setup'), setup,
        'nothing reached the run on screen');

      // Species as numbers to fit: regression, 40 % held out.
      await page.selectOption('#csv-task', 'regression');
      await pollUntil(() => page.isEnabled('#csv-train'), (enabled) => enabled,
        REPLY_TIMEOUT_MS, 'the choices to be accepted');
      await page.click('#csv-train');
      await pollUntil(() => textOf(page, '#run-setup'),
        (text) => text.includes('inline: 90 training / 60 validation'),
        REPLY_TIMEOUT_MS, 'a run holding out 40 % of 150 rows');
      assert.match(await textOf(page, '#run-setup'), /MLP 4 → 64 → 1 /,
        'one output: a regression model');
      assert.match(await textOf(page, '#loss-caption'),
        /^Mean squared error per epoch/, 'the regression loss');
      assert.equal(await page.inputValue('#field-data-task'), 'regression');
      assert.equal(await page.inputValue('#field-data-val-fraction'), '0.4');
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done > 0, REPLY_TIMEOUT_MS, 'training on the file');
      await page.close();
    });

  it('trains a file on the settings applied after it was read',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await lab.open('#open=settings,data,batching');
      await waitForStatus(page, 'training');
      await pollUntil(() => page.locator('#csv-upload').getAttribute(
        'data-ready'), (ready) => ready === 'true', REPLY_TIMEOUT_MS,
      'the upload box to be wired');
      await page.setInputFiles('#csv-file', IRIS_CSV);
      await pollUntil(() => page.isEnabled('#csv-train'), (enabled) => enabled,
        REPLY_TIMEOUT_MS, 'the choices to be accepted');

      // Other settings change and apply while the file waits.
      await page.fill('#field-epochs', '7');
      await pollUntil(() => page.isEnabled('#settings-apply'), Boolean,
        REPLY_TIMEOUT_MS, 'Apply to be enabled');
      await page.click('#settings-apply');
      // The reference data: ceil(354 / 32) = 12 micro-batches, 3 updates.
      await pollUntil(() => updateCounts(page), (c) => c.total === 21,
        REPLY_TIMEOUT_MS, 'the run to restart with 7 epochs');

      await page.click('#csv-train');
      await pollUntil(() => textOf(page, '#run-setup'),
        (text) => text.includes('inline: 120 training / 30 validation'),
        REPLY_TIMEOUT_MS, 'a run on the file');
      // ceil(120 / 32) = 4 micro-batches, one update per epoch, 7 epochs.
      await pollUntil(() => updateCounts(page), (c) => c.total === 7,
        REPLY_TIMEOUT_MS, 'the file trained for the applied 7 epochs');
      await page.close();
    });

  it('names every control, reaches each by Tab with a visible focus, and ' +
    'fits a phone and a projector', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await lab.open('#open=settings,data');
    await waitForStatus(page, 'training');

    const unnamed = await page.evaluate(() => {
      const nameOf = (control) => {
        const labelled = control.getAttribute('aria-labelledby');
        return [
          ...[...(control.labels ?? [])].map((label) => label.textContent),
          control.getAttribute('aria-label'),
          labelled && document.getElementById(labelled)?.textContent,
          control.tagName === 'BUTTON' ? control.textContent : null,
        ].filter((name) => name && name.trim() !== '').join(' ');
      };
      return [...document.querySelectorAll(
        'input, select, textarea, button, canvas')]
        .filter((control) => control.checkVisibility() &&
          nameOf(control) === '')
        .map((control) => control.id || control.outerHTML.slice(0, 80));
    });
    assert.deepEqual(unnamed, [], 'every control and figure has a name');
    assert.equal(await page.getAttribute('#diagnosis', 'aria-live'),
      'polite', 'the diagnosis is read out as it changes');

    // Tab from the top through the whole page, once round.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const reached = new Map();
    for (let i = 0; i < TAB_PRESSES_MAX; i += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const active = document.activeElement;
        const style = getComputedStyle(active);
        return {
          id: active.id || `${active.tagName} ${active.textContent.trim()}`,
          outline: style.outlineStyle === 'none'
            ? 0 : Number.parseFloat(style.outlineWidth),
        };
      });
      if (reached.has(focused.id) || focused.id.startsWith('BODY')) {
        break;
      }
      reached.set(focused.id, focused.outline);
    }
    for (const id of ['preset', 'copy-link', 'pause', 'speed', 'plane',
      'field-data-source', 'field-seed', 'csv-file', 'curve-smoothing',
      'measure-curvature', 'import-files']) {
      assert.ok(reached.has(id), `Tab reaches #${id}: ${[...reached.keys()]}`);
    }
    const unmarked = [...reached].filter(([, outline]) => !(outline >= 1))
      .map(([id]) => id);
    assert.deepEqual(unmarked, [], 'each focused control is outlined');

    const noSidewaysScrolling = async (mode) => {
      for (const [width, height] of [[375, 740], [1920, 1080]]) {
        await page.setViewportSize({ width, height });
        const overflow = await pollUntil(() => page.evaluate(() =>
          document.documentElement.scrollWidth -
            document.documentElement.clientWidth), (extra) => extra <= 0,
        REPLY_TIMEOUT_MS, `no sideways scrolling at ${width} px ${mode}`);
        assert.equal(overflow, 0);
      }
    };
    await noSidewaysScrolling('');
    await page.locator('#classroom-panel > summary').click();
    await page.locator('#classroom-mode').check();
    await noSidewaysScrolling('in classroom mode');
    await page.close();
  });

  it('logs no console errors', () => {
    assert.deepEqual(lab.problems, []);
  });
});
