// The page's figures at devicePixelRatio 2, in Debian's chromium through
// playwright-core: canvases are sized CSS size × 2 and drawn full size, the
// 3-D surface is drawn once it scrolls into view and turns when dragged, the slices and prediction tabs draw what
// the worker computes, and hovering the map or a curve reads the value out.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/views.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { LAB_URL, pollUntil } from './support.mjs';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DEVICE_PIXEL_RATIO = 2;
const LOAD_TIMEOUT_MS = 60_000;
const DRAW_TIMEOUT_MS = 120_000;
// Okabe–Ito blue, the first series of every chart on a light page.
const SERIES_BLUE = [0x00, 0x72, 0xb2];

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

/** Pixels of canvas `id` in viridis's dark purple end. */
function purpleCount(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d')
      .getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 0x60 && data[i + 1] < 0x50 && data[i + 2] > 0x50) {
        count += 1;
      }
    }
    return count;
  }, id);
}

/** A hash of canvas `id`'s pixels, to tell two drawings apart. */
function pixelHash(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d')
      .getImageData(0, 0, canvas.width, canvas.height);
    let hash = 0;
    for (let i = 0; i < data.length; i += 97) {
      hash = (hash * 31 + data[i]) >>> 0;
    }
    return hash;
  }, id);
}

describe('Landscape Lab figures at devicePixelRatio 2', () => {
  let browser;
  let page;
  let userDataDir;
  const problems = [];

  before(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'landscape-lab-views-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: LOAD_TIMEOUT_MS,
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: DEVICE_PIXEL_RATIO,
    });
    page = await context.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error}`));
    await page.goto(LAB_URL, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
    if (userDataDir) {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it('sizes every canvas at CSS size × devicePixelRatio', async () => {
    const ids = ['landscape', 'curve-loss', 'curve-gradnorm', 'surface3d'];
    for (const id of ids) {
      const sizes = await pollUntil(
        () => page.evaluate((canvasId) => {
          const canvas = document.getElementById(canvasId);
          return {
            ratio: window.devicePixelRatio,
            width: canvas.width,
            cssWidth: canvas.clientWidth,
            height: canvas.height,
            cssHeight: canvas.clientHeight,
          };
        }, id),
        (s) => s.cssWidth > 0 && s.width === Math.round(s.cssWidth * 2),
        DRAW_TIMEOUT_MS,
        `#${id} to be sized for the screen`,
      );
      assert.equal(sizes.ratio, DEVICE_PIXEL_RATIO);
      assert.equal(sizes.height, Math.round(sizes.cssHeight * 2),
        `#${id}: backing store height is twice the CSS height`);
    }
  });

  it('draws the 3-D surface only once it is scrolled into view', async () => {
    const drawnUpdates = () => page.evaluate(() => ({
      map: document.getElementById('landscape').dataset.drawnUpdate,
      surface3d: document.getElementById('surface3d').dataset.drawnUpdate,
      below: document.getElementById('surface3d').getBoundingClientRect()
        .top - window.innerHeight,
    }));
    const hidden = await pollUntil(drawnUpdates, (d) => Boolean(d.map),
      DRAW_TIMEOUT_MS, 'a map to be drawn');
    assert.ok(hidden.below > 0,
      `the 3-D view starts below the fold (${hidden.below} CSS px)`);
    assert.equal(hidden.surface3d, undefined,
      `map of update ${hidden.map} drawn, the hidden 3-D view not drawn`);
    assert.equal(await purpleCount(page, 'surface3d'), 0,
      'the 3-D canvas is blank while it is off screen');

    await page.locator('#surface3d').scrollIntoViewIfNeeded();
    const shown = await pollUntil(drawnUpdates, (d) => Boolean(d.surface3d),
      10_000, 'the 3-D view to be drawn once it is on screen');
    assert.ok(Number(shown.surface3d) >= Number(hidden.map),
      `the 3-D view shows the latest map (update ${shown.surface3d}, ` +
      `the map was at ${hidden.map} before)`);
  });

  it('draws the map as a 3-D surface that turns when dragged', async () => {
    const canvas = page.locator('#surface3d');
    await canvas.scrollIntoViewIfNeeded();
    await pollUntil(() => purpleCount(page, 'surface3d'), (n) => n > 2000,
      DRAW_TIMEOUT_MS, 'the 3-D surface to be drawn in viridis');
    const before = await pixelHash(page, 'surface3d');
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 90,
      box.y + box.height / 2 + 15, { steps: 6 });
    await page.mouse.up();
    const yaw = Number(await canvas.getAttribute('data-yaw'));
    assert.ok(Math.abs(yaw - (0.75 + 0.9)) < 0.05,
      `90 CSS px of drag turn the view by 0.9 rad: yaw ${yaw}`);
    await pollUntil(() => pixelHash(page, 'surface3d'), (h) => h !== before,
      10_000, 'the turned surface to be redrawn');
  });

  it('draws the slices and the prediction the worker computes', async () => {
    await page.click('#tab-slices');
    const blue = await pollUntil(() => countNear(page, 'slices', SERIES_BLUE),
      (n) => n > 500, DRAW_TIMEOUT_MS, 'the slices to be drawn');
    assert.ok(blue > 500, `slice lines drawn (${blue} blue pixels)`);

    await page.click('#tab-prediction');
    // The reference run is regression: validation samples in orange at 90 %
    // opacity over the white page, #f5 93 22 → #f6 9e 38.
    const orange = await pollUntil(
      () => countNear(page, 'prediction', [0xf6, 0x9e, 0x38]),
      (n) => n > 500, DRAW_TIMEOUT_MS, 'the prediction to be drawn');
    assert.ok(orange > 500, `validation samples drawn (${orange} pixels)`);
    await page.click('#tab-surface3d');
  });

  it('reads out the value under the pointer on the map and a curve', async () => {
    const map = page.locator('#landscape');
    await map.scrollIntoViewIfNeeded();
    await pollUntil(() => purpleCount(page, 'landscape'), (n) => n > 2000,
      DRAW_TIMEOUT_MS, 'the map to be drawn');
    const box = await map.boundingBox();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    const mapText = await pollUntil(
      () => page.locator('#landscape-readout').textContent(),
      (text) => /α .+, β .+: loss \d/.test(text), 10_000,
      'the map readout');
    assert.match(mapText, /loss \d/);

    const curve = page.locator('#curve-gradnorm');
    await curve.scrollIntoViewIfNeeded();
    const curveBox = await curve.boundingBox();
    await page.mouse.move(curveBox.x + curveBox.width * 0.6,
      curveBox.y + curveBox.height * 0.5);
    const curveText = await pollUntil(
      () => page.locator('#curve-gradnorm-readout').textContent(),
      (text) => /^update \d+: gradient norm/.test(text), 10_000,
      'the gradient-norm readout');
    assert.match(curveText, /smoothed/);
  });

  it('logs no errors', () => {
    assert.deepEqual(problems, []);
  });
});
