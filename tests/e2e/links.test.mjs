// Page tests of hostile links beyond the settings themselves (lab.test.mjs
// covers broken and hostile configs, lessons and a 1 MB hash): the view
// parameters with wrong types or markup, markup shown back as text, and the
// older ?seed= and ?config= query links.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/links.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  LOAD_TIMEOUT_MS, launch, pollUntil, textOf, updateCounts,
} from './support.mjs';

const TEST_TIMEOUT_MS = 240_000;
const REFERENCE_TOTAL_UPDATES = 300;
const INJECT = 'window.__injected=1';

/** Waits for the engine's first report on `page`; returns the counts. */
async function ready(page) {
  return pollUntil(() => updateCounts(page), (counts) => counts.total > 0,
    LOAD_TIMEOUT_MS, '#update-count to show the run');
}

/** What a link could have injected: a flag, images, inline scripts. */
async function injected(page) {
  return page.evaluate(() => ({
    flag: window.__injected,
    images: document.querySelectorAll('img').length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
  }));
}

describe('hostile links', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('ignores view parameters of the wrong type or with markup, keeping ' +
    'their defaults and the link’s valid settings',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const hash = `#${new URLSearchParams({
        config: '{"seed":3}',
        speed: 'fast',
        open: `<img src=x onerror="${INJECT}">`,
        smoothing: `<script>${INJECT}</script>`,
        y: '1e999',
        view: 'x'.repeat(5000),
        classroom: 'true',
      })}`;
      const page = await browser.open(hash);
      const counts = await ready(page);
      assert.equal(counts.total, REFERENCE_TOTAL_UPDATES);
      assert.equal(await textOf(page, '#seed'), '3',
        'the valid settings are used');
      const shown = await page.evaluate(() => ({
        speed: document.querySelector('#speed').value,
        smoothing: document.querySelector('#curve-smoothing').value,
        y: document.querySelector('#curve-y-scale').value,
        settingsOpen: document.querySelector('#settings-panel').open,
        classroom: document.querySelector('#classroom-mode').checked,
      }));
      assert.deepEqual(shown, {
        speed: '40', smoothing: '0.6', y: 'auto', settingsOpen: false,
        classroom: false,
      }, 'each bad value leaves its control at the default');
      assert.deepEqual(await injected(page),
        { flag: undefined, images: 0, scripts: 0 });
      assert.ok(!(await page.locator('#error').isVisible()), 'no error');

      // The page writes its own link back, without the bad values.
      await pollUntil(() => page.evaluate(() => window.location.hash),
        (written) => written.includes('speed=40'), LOAD_TIMEOUT_MS,
        'the page to write its link');
      const written = await page.evaluate(() =>
        decodeURIComponent(window.location.hash));
      assert.ok(!/[<>]|fast|1e999|xxxxx/.test(written), written);
      await page.close();
      assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
    });

  it('shows markup from a link as text in the notice',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await browser.open(
        `#${new URLSearchParams({ config: '{"epochs":"<b>ten</b>"}' })}`);
      await ready(page);
      const text = await textOf(page, '#url-notice-text');
      assert.match(text, /<b>ten<\/b>/, 'the value is named, as typed');
      assert.equal(await page.locator('#url-notice b').count(), 0,
        'and is not markup');
      await page.close();
      assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
    });

  it('reads the older query links with the same care',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const cases = [
        ['a seed with markup', `?seed=${encodeURIComponent(
          `<img src=x onerror="${INJECT}">`)}`, /seed in the address/],
        ['a truncated config', '?config=%7B%22epochs%22%3A1',
          /not valid JSON/],
        ['a plane that is not a name', '?plane=%22%3E%3Cscript%3E',
          /map plane in the address/],
      ];
      for (const [what, query, expected] of cases) {
        const page = await browser.open(query);
        const counts = await ready(page);
        assert.equal(counts.total, REFERENCE_TOTAL_UPDATES, what);
        assert.equal(await textOf(page, '#seed'), '0',
          `${what}: the reference run's seed`);
        const text = await textOf(page, '#url-notice-text');
        assert.match(text, expected, what);
        assert.match(text, /reference run is shown instead/, what);
        assert.deepEqual(await injected(page),
          { flag: undefined, images: 0, scripts: 0 }, what);
        await page.close();
      }
      assert.deepEqual(browser.problems, [], browser.problems.join('\n'));
    });
});
