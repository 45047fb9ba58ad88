// End-to-end test of the served page: Debian's chromium driven by
// playwright-core. test.sh builds www/pkg, serves www/ and sets LAB_URL.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/
//
// The tests run in order and share one page, as a user would: it loads,
// trains, draws, then the controls are exercised one after another.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const LAB_URL = process.env.LAB_URL ?? 'http://127.0.0.1:8765/';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_PATH = join(
  dirname(fileURLToPath(import.meta.url)), 'screenshots', 'page.png');

// Root needs --no-sandbox; the closed network needs the background-
// networking flags, or chromium keeps trying to reach Google's hosts.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Two slow cores: every wait is generous, and each is a poll that
// returns as soon as the condition holds.
const LOAD_TIMEOUT_MS = 60_000;
const TRAINING_TIMEOUT_MS = 30_000;
const LANDSCAPE_TIMEOUT_MS = 180_000;
const CURVE_TIMEOUT_MS = 60_000;
const WORKER_REPLY_TIMEOUT_MS = 10_000;
const PAUSE_OBSERVE_MS = 1_500;
const POLL_MS = 100;

// A blank or single-colour canvas must fail; a curve has at least a
// background, axes and a line.
const MIN_CURVE_COLOURS = 3;

// Before its first surface the map is a grey "no data" plot with axis
// labels, which has many grey shades already. So "drawn" means coloured:
// a colour map (the page's is viridis) gives many saturated colours, over
// a large share of the canvas, where the greys of the placeholder give
// none. A pixel is saturated when max(R, G, B) - min(R, G, B) is at least
// MIN_CHROMA; every viridis colour has 70 or more, the theme's greys 20 at
// most.
const MIN_CHROMA = 48;
const MIN_LANDSCAPE_COLOURS = 20;
const MIN_LANDSCAPE_COLOURED_SHARE = 0.2;
const CURVE_IDS = ['curve-loss', 'curve-lr', 'curve-gradnorm'];

// "After reset" allows for the few updates that may land between the
// click and the first observation.
const SMALL_UPDATE_COUNT = 5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** First integer in a text such as "123", "1,234" or "123 / 300". */
function parseFirstInteger(text) {
  const match = /\d[\d,]*/.exec(text ?? '');
  return match ? Number(match[0].replaceAll(',', '')) : null;
}

/** Second integer, the total in "123 / 300", or null when absent. */
function parseTotal(text) {
  const match = /\d[\d,]*\s*\/\s*(\d[\d,]*)/.exec(text ?? '');
  return match ? Number(match[1].replaceAll(',', '')) : null;
}

/** Polls `read` until `accept(value)` holds; returns that value. */
async function pollUntil(read, accept, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ` +
        `last value: ${JSON.stringify(last)}`);
    }
    await sleep(POLL_MS);
  }
}

/**
 * Reads every pixel of a canvas in the page and counts its distinct RGBA
 * colours, its distinct saturated colours, and the share of saturated
 * pixels. A canvas without a 2-D context (WebGL, or handed to a worker as
 * an OffscreenCanvas) is copied onto a scratch 2-D canvas first.
 */
async function canvasColours(page, id) {
  return page.evaluate(({ canvasId, minChroma }) => {
    const canvas = document.getElementById(canvasId);
    if (!(canvas instanceof HTMLCanvasElement)) {
      return { error: `#${canvasId} is not a <canvas>` };
    }
    const { width, height } = canvas;
    const empty = { width, height, colours: 0, coloured: 0, colouredShare: 0 };
    if (width === 0 || height === 0) return empty;

    let context = null;
    try {
      context = canvas.getContext('2d');
    } catch {
      context = null;
    }
    if (context === null) {
      const scratch = document.createElement('canvas');
      scratch.width = width;
      scratch.height = height;
      context = scratch.getContext('2d');
      context.drawImage(canvas, 0, 0);
    }
    const rgba = context.getImageData(0, 0, width, height).data;
    const pixels = new Uint32Array(rgba.buffer);

    const all = new Set(pixels);
    const coloured = new Set();
    let colouredPixels = 0;
    for (let i = 0; i < pixels.length; i++) {
      const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) >= minChroma) {
        coloured.add(pixels[i]);
        colouredPixels++;
      }
    }
    return {
      width,
      height,
      colours: all.size,
      coloured: coloured.size,
      colouredShare: colouredPixels / pixels.length,
    };
  }, { canvasId: id, minChroma: MIN_CHROMA });
}

async function textOf(page, selector) {
  return page.locator(selector).textContent({ timeout: LOAD_TIMEOUT_MS });
}

async function updateCount(page) {
  return parseFirstInteger(await textOf(page, '#update-count'));
}

/** Waits until the update count has not moved for a while; returns it. */
async function settledUpdateCount(page) {
  let previous = await updateCount(page);
  const deadline = Date.now() + WORKER_REPLY_TIMEOUT_MS;
  for (;;) {
    await sleep(400);
    const current = await updateCount(page);
    if (current === previous) return current;
    if (Date.now() > deadline) {
      assert.fail(`update count kept moving (${previous} -> ${current}) ` +
        'after #pause');
    }
    previous = current;
  }
}

describe('Landscape Lab page', () => {
  let context;
  let page;
  let userDataDir;
  // Every console error and uncaught exception, from the page or its
  // workers, for the whole run.
  const problems = [];

  // Each step builds on the state the previous one left. Once one fails,
  // the later steps are skipped rather than each waiting out its timeout;
  // the screenshot and the error check are plain tests that always run.
  let failedStep = null;
  function step(name, timeoutMs, body) {
    it(name, { timeout: timeoutMs }, async (t) => {
      if (failedStep !== null) {
        t.skip(`"${failedStep}" failed`);
        return;
      }
      try {
        await body();
      } catch (error) {
        failedStep = name;
        throw error;
      }
    });
  }

  before(async () => {
    // A fresh profile each run, so no state leaks between runs.
    userDataDir = await mkdtemp(join(tmpdir(), 'landscape-lab-e2e-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: LOAD_TIMEOUT_MS,
    });
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);

    // Console messages and uncaught errors of web workers reach these
    // listeners too (seen with playwright-core 1.65).
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url, lineNumber } = message.location();
      problems.push(`console error: ${message.text()} (${url}:${lineNumber})`);
    });
    page.on('pageerror', (error) => {
      problems.push(`page error: ${error.stack ?? error.message}`);
    });
    page.on('crash', () => problems.push('page crashed'));

    // The reference run at 10 updates/s lasts 30 s instead of 7.5 s, so a
    // busy machine does not see it end before the controls are tried.
    await page.goto(`${LAB_URL}#speed=10`,
      { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
  });

  after(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  step('has the controls, counters, canvases and progress bar',
    LOAD_TIMEOUT_MS * 3, async () => {
    for (const id of ['play', 'pause', 'step', 'reset']) {
      await page.locator(`#${id}`).waitFor({ state: 'attached' });
    }
    for (const id of ['landscape', ...CURVE_IDS]) {
      const tag = await page.locator(`#${id}`).evaluate((e) => e.tagName);
      assert.equal(tag, 'CANVAS', `#${id} should be a <canvas>`);
    }
    const progressTag = await page.locator('#landscape-progress')
      .evaluate((e) => e.tagName);
    assert.equal(progressTag, 'PROGRESS',
      '#landscape-progress should be a <progress>');
    await page.locator('#diagnosis').waitFor({ state: 'attached' });
    await page.locator('#error').waitFor({ state: 'attached' });

    // The counters hold integers once the wasm engine has booted.
    await pollUntil(() => updateCount(page), (n) => n !== null,
      LOAD_TIMEOUT_MS, '#update-count to show an integer');
    await pollUntil(async () => parseFirstInteger(
      await textOf(page, '#epoch-count')), (n) => n !== null,
    LOAD_TIMEOUT_MS, '#epoch-count to show an integer');
  });

  step('starts training on load: the update count grows',
    TRAINING_TIMEOUT_MS + LOAD_TIMEOUT_MS, async () => {
    const first = await updateCount(page);
    const later = await pollUntil(() => updateCount(page),
      (n) => n !== null && n > first, TRAINING_TIMEOUT_MS,
      `#update-count to grow past ${first}`);
    assert.ok(later > first, `update count ${later} should exceed ${first}`);
  });

  step('draws a landscape and the three curves',
    LANDSCAPE_TIMEOUT_MS + CURVE_TIMEOUT_MS * CURVE_IDS.length, async () => {
    const landscape = await pollUntil(
      () => canvasColours(page, 'landscape'),
      (r) => r.error !== undefined
        || (r.coloured >= MIN_LANDSCAPE_COLOURS
          && r.colouredShare >= MIN_LANDSCAPE_COLOURED_SHARE),
      LANDSCAPE_TIMEOUT_MS,
      `#landscape to show a colour map (>= ${MIN_LANDSCAPE_COLOURS} ` +
      `saturated colours over >= ${MIN_LANDSCAPE_COLOURED_SHARE * 100} % ` +
      'of the canvas)');
    assert.equal(landscape.error, undefined, landscape.error);

    for (const id of CURVE_IDS) {
      const curve = await pollUntil(() => canvasColours(page, id),
        (r) => r.error !== undefined || r.colours >= MIN_CURVE_COLOURS,
        CURVE_TIMEOUT_MS, `#${id} to show >= ${MIN_CURVE_COLOURS} colours`);
      assert.equal(curve.error, undefined, curve.error);
    }

    const progress = await page.locator('#landscape-progress').evaluate(
      (e) => ({ value: e.value, max: e.max }));
    assert.ok(progress.value >= 0 && progress.value <= progress.max,
      `progress ${progress.value} should lie in [0, ${progress.max}]`);
  });

  // Taken here, whether or not drawing succeeded: a finished map is the
  // picture worth keeping, and a failed one is the picture worth seeing.
  it('saves a full-page screenshot', async () => {
    await mkdir(dirname(SCREENSHOT_PATH), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
  });

  step('shows a diagnosis message', CURVE_TIMEOUT_MS * 2, async () => {
    const text = await pollUntil(() => textOf(page, '#diagnosis'),
      (t) => (t ?? '').trim().length > 0, CURVE_TIMEOUT_MS,
      '#diagnosis to show a message');
    // The verdict is named before its evidence.
    const verdicts = ['Normal training', 'Too early to tell', 'Underfitting',
      'Diverged', 'Learning rate too high', 'Overfitting begins',
      'Overfitting, past the optimum'];
    assert.ok(verdicts.some((name) => text.trim().startsWith(`${name}: `)),
      `the verdict is named before its evidence: ${text}`);
  });

  step('pause stops the update count', WORKER_REPLY_TIMEOUT_MS * 3,
    async () => {
    // The 300-update run can end while the map is drawn (7.5 s at the
    // default pace); an ended run has nothing to pause, so start it over.
    if ((await textOf(page, '#run-status')) === 'finished') {
      await page.click('#reset');
      await pollUntil(() => page.isEnabled('#pause'), Boolean,
        WORKER_REPLY_TIMEOUT_MS, '#pause to be enabled after #reset');
    }
    await page.click('#pause');
    // Updates already in flight from the worker may still arrive.
    const paused = await settledUpdateCount(page);
    await sleep(PAUSE_OBSERVE_MS);
    assert.equal(await updateCount(page), paused,
      'the update count changed while paused');
  });

  step('step does exactly one update', WORKER_REPLY_TIMEOUT_MS * 4,
    async () => {
    // A run that already finished cannot step; start it over, paused.
    const text = await textOf(page, '#update-count');
    const total = parseTotal(text);
    if (total !== null && parseFirstInteger(text) >= total) {
      await page.click('#reset');
      await page.click('#pause');
      await settledUpdateCount(page);
    }

    const beforeStep = await updateCount(page);
    await page.click('#step');
    const afterStep = await pollUntil(() => updateCount(page),
      (n) => n !== beforeStep, WORKER_REPLY_TIMEOUT_MS,
      `#update-count to change from ${beforeStep} after #step`);
    assert.equal(afterStep, beforeStep + 1, 'one step should be one update');

    // And it stays paused afterwards.
    await sleep(PAUSE_OBSERVE_MS);
    assert.equal(await updateCount(page), beforeStep + 1,
      'the update count kept changing after a single step');
  });

  step('reset starts over and play resumes training',
    WORKER_REPLY_TIMEOUT_MS * 2 + TRAINING_TIMEOUT_MS * 2, async () => {
    const beforeReset = await updateCount(page);

    // Record the smallest count shown after the click: a reset that
    // keeps training could move past it before the next poll.
    await page.evaluate(() => {
      const element = document.getElementById('update-count');
      const parse = (text) => {
        const match = /\d[\d,]*/.exec(text ?? '');
        return match ? Number(match[0].replaceAll(',', '')) : null;
      };
      window.__e2eMinUpdates = Infinity;
      const record = () => {
        const value = parse(element.textContent);
        if (value !== null) {
          window.__e2eMinUpdates = Math.min(window.__e2eMinUpdates, value);
        }
      };
      new MutationObserver(record).observe(element,
        { childList: true, characterData: true, subtree: true });
    });
    await page.click('#reset');
    // The poll also reads the count itself, in case the page replaces
    // the element instead of changing its text.
    const smallest = await pollUntil(
      async () => Math.min(
        await page.evaluate(() => window.__e2eMinUpdates),
        (await updateCount(page)) ?? Infinity),
      (n) => n <= SMALL_UPDATE_COUNT, WORKER_REPLY_TIMEOUT_MS,
      `#update-count to drop to <= ${SMALL_UPDATE_COUNT} after #reset ` +
      `(was ${beforeReset})`);
    assert.ok(smallest <= SMALL_UPDATE_COUNT);

    const afterReset = await updateCount(page);
    await page.click('#play');
    const resumed = await pollUntil(() => updateCount(page),
      (n) => n !== null && n > afterReset, TRAINING_TIMEOUT_MS,
      `#update-count to grow past ${afterReset} after #play`);
    assert.ok(resumed > afterReset);
  });

  it('shows no error and logged no console or page errors', async () => {
    const errorBox = page.locator('#error');
    const errorText = ((await errorBox.textContent()) ?? '').trim();
    const visible = await errorBox.isVisible();
    assert.ok(errorText === '' || !visible,
      `#error shows: ${JSON.stringify(errorText)}`);
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
