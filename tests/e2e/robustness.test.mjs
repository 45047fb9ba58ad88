// Page tests of interruptions: a reset while a map is half computed, a new
// link pasted while training, and reloading the page mid-run. Each leaves a
// working run and no error. Throughout, the page asks for nothing but its
// own files, and its Content-Security-Policy allows no inline script and no
// eval.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/robustness.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LAB_URL, LOAD_TIMEOUT_MS, launch, pollUntil, textOf, updateCounts,
} from './support.mjs';

const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 240_000;

// A fine grid and a wide layer, so that a map takes long enough to be caught
// half done, even shared out to map workers.
const FINE_MAP = {
  seed: 11, model: { hidden: [256] }, landscape: { resolution: 201 },
};

function hashOf(config, speed = '100') {
  return `#${new URLSearchParams({ config: JSON.stringify(config), speed })}`;
}

/** The map's progress in percent while one is computed, else null. */
async function mapPercent(page) {
  const note = await textOf(page, '#landscape-note');
  const match = /around update \d+: (\d+) %/.exec(note);
  return match ? Number(match[1]) : null;
}

/** The config in the page's own hash. */
async function configInUrl(page) {
  const hash = await page.evaluate(() => window.location.hash.slice(1));
  return JSON.parse(new URLSearchParams(hash).get('config'));
}

describe('interruptions', () => {
  let browser;
  // Requests for anything but the page's own files (and data: URLs).
  const elsewhere = [];
  let requests = 0;
  before(async () => {
    browser = await launch();
    browser.context.on('request', (request) => {
      requests += 1;
      const url = request.url();
      if (!url.startsWith(LAB_URL) && !url.startsWith('data:')) {
        elsewhere.push(url);
      }
    });
  });
  after(async () => {
    await browser?.close();
  });

  it('resets in the middle of a map and computes the next one',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(hashOf(FINE_MAP));
      await pollUntil(() => mapPercent(page),
        (percent) => percent !== null && percent > 0 && percent < 80,
        RUN_TIMEOUT_MS, 'a map half computed');
      await page.click('#reset');
      await pollUntil(() => updateCounts(page), (counts) => counts.done > 5,
        RUN_TIMEOUT_MS, 'the new run to train');
      // Paused, the map in progress finishes and none follows (the note
      // was cleared by the reset, so this is the new run's map).
      await page.click('#pause');
      await pollUntil(() => textOf(page, '#landscape-note'),
        (note) => note === 'up to date', RUN_TIMEOUT_MS,
        'the map after the reset to finish');
      assert.ok(!(await page.locator('#error').isVisible()), 'no error');
      await page.close();
      assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
    });

  it('follows a link pasted while training and a reload mid-run',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(hashOf(FINE_MAP));
      await pollUntil(() => updateCounts(page), (counts) => counts.done > 20,
        RUN_TIMEOUT_MS, 'the first run to train');

      // Another run's link, pasted over this one mid-map.
      const other = { seed: 12, epochs: 20, batch_size: 16 };
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, hashOf(other).slice(1));
      await pollUntil(() => updateCounts(page), (counts) => counts.total ===
        120 && counts.done > 5, RUN_TIMEOUT_MS, 'the pasted run to train');
      assert.equal(await textOf(page, '#seed'), '12');
      const linked = await configInUrl(page);
      assert.equal(linked.batch_size, 16);

      // Reloading mid-run starts the same run again from its link.
      await page.reload({ waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
      await pollUntil(() => updateCounts(page),
        (counts) => counts.total === 120 && counts.done > 5, RUN_TIMEOUT_MS,
        'the reloaded run to train');
      assert.equal(await textOf(page, '#seed'), '12');
      assert.deepEqual(await configInUrl(page), linked,
        'the reload keeps every setting');
      assert.ok(!(await page.locator('#url-notice').isVisible()));
      assert.ok(!(await page.locator('#error').isVisible()), 'no error');
      await page.close();
      assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
    });

  it('asked for nothing but its own files, under a strict policy', async () => {
    assert.ok(requests > 10, `${requests} requests were seen`);
    assert.deepEqual(elsewhere, [], 'no request left the page’s origin');
    const page = await browser.open();
    const policy = await page.evaluate(() => document.querySelector(
      'meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
    const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    assert.match(policy, /default-src 'self'/, policy);
    assert.ok(scripts.includes("'self'") &&
      !/unsafe-inline|'unsafe-eval'/.test(scripts),
    `script-src allows no inline script and no eval: ${scripts}`);
    const inline = await page.evaluate(() =>
      [...document.scripts].filter((script) => !script.src).length);
    assert.equal(inline, 0, 'no inline script in the page');
    await page.close();
  });
});
