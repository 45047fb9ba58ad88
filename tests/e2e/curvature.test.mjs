// The curvature panel: after some training, "Measure" fills in λmax, the
// Hessian trace, ε-sharpness and the share of the path in the map's plane,
// with numbers the engine computes (the CLI's surface.json has the same
// measures). test.sh serves www/ and sets LAB_URL.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const LAB_URL = process.env.LAB_URL ?? 'http://127.0.0.1:8765/';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
const WAIT_MS = 120_000;

describe('curvature panel', () => {
  let context;
  let profile;
  let page;
  const errors = [];

  before(async () => {
    profile = await mkdtemp(join(tmpdir(), 'landscape-lab-curvature-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') {
        errors.push(m.text());
      }
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(LAB_URL);
  });

  after(async () => {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('measures the minimum once a map is shown', async () => {
    // A map must exist for the path's share; the first one comes after a
    // few updates.
    await page.waitForFunction(
      () => parseInt(document.querySelector('#update-count').textContent) > 30,
      null, { timeout: WAIT_MS });
    await page.click('#measure-curvature');
    await page.waitForFunction(
      () => /update \d+/.test(
        document.querySelector('#curvature-status').textContent),
      null, { timeout: WAIT_MS });
    const text = (id) => page.textContent(`#curvature-${id}`);
    const lambda = Number(await text('lambda'));
    assert.ok(lambda > 0, `λmax ${lambda} is a positive number`);
    assert.match(await text('trace'), /^\d+\.\d+ ± \d+\.\d+$/);
    assert.match(await text('eps'), /^\d+\.\d+ \(ε = 0\.001\)$/);
    const captured = await text('captured');
    assert.match(captured, /^\d+\.\d % on the (random|principal)/,
      `captured share: ${captured}`);
    assert.ok(Number(await text('off-plane')) >= 0);
  });

  it('logged no console or page errors', () => {
    assert.deepEqual(errors, []);
  });
});
