// Page test of an engine that panics: the worker reports the panic's message,
// the page says it is a bug and shows the message, and the restart button
// brings up a new engine on the same settings, seed and link. The panic is
// made on purpose by a message only this test sends (Engine.panicForTest).
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/crash.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LOAD_TIMEOUT_MS, launch, pollUntil, textOf, updateCounts,
} from './support.mjs';

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)),
  'screenshots');
const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 240_000;

// Not the reference run, so that "the same settings" is a real check.
const SETTINGS = { seed: 4242, epochs: 300, batch_size: 16 };
const PANIC_TEXT = 'deliberate panic for the page test';

/** The config in the page's own hash. */
async function configInUrl(page) {
  const hash = await page.evaluate(() => window.location.hash.slice(1));
  return JSON.parse(new URLSearchParams(hash).get('config'));
}

/** The page's engine worker. */
function engineWorker(page) {
  return page.workers().find((worker) => worker.url().endsWith('/worker.js'));
}

describe('an engine that panics', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the panic as a bug and restarts on the same settings',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const hash = `#${new URLSearchParams({
        config: JSON.stringify(SETTINGS),
        speed: '60',
      })}`;
      const page = await browser.open(hash);
      await pollUntil(() => updateCounts(page), (counts) => counts.done > 10,
        RUN_TIMEOUT_MS, 'the run to train a few updates');
      const before = {
        config: await configInUrl(page),
        total: (await updateCounts(page)).total,
        seed: await textOf(page, '#seed'),
      };
      assert.equal(before.config.seed, SETTINGS.seed);
      assert.equal(before.config.batch_size, SETTINGS.batch_size);

      // The message goes straight into the worker, as the page never sends it.
      const worker = engineWorker(page);
      assert.ok(worker, 'the page runs its engine in a worker');
      const closed = new Promise((resolve) => worker.once('close', resolve));
      await worker.evaluate((type) => {
        self.dispatchEvent(new MessageEvent('message', { data: { type } }));
      }, 'panic-for-test');

      const crash = page.locator('#engine-crash');
      await crash.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT_MS });
      const message = await textOf(page, '#engine-crash-message');
      assert.match(message, new RegExp(`${PANIC_TEXT}, after update \\d+`),
        'the engine’s own message is shown');
      assert.match(await textOf(page, '#engine-crash'),
        /crashed\. This is a bug in Landscape Lab/, 'it is called a bug');
      assert.equal(await textOf(page, '#run-status'), 'crashed');
      assert.ok(await page.locator('#play').isDisabled(),
        'nothing drives the dead engine');
      await closed;
      const crashedAt = (await updateCounts(page)).done;
      assert.ok(crashedAt > 10, 'the run on screen stays');
      await mkdir(SCREENSHOTS, { recursive: true });
      await crash.screenshot({ path: join(SCREENSHOTS, 'crash.png') });

      await page.click('#engine-restart');
      assert.ok(!(await crash.isVisible()), 'the notice goes');
      await pollUntil(() => textOf(page, '#run-status'),
        (status) => status === 'training', LOAD_TIMEOUT_MS,
        'the new engine to start');
      const restarted = await updateCounts(page);
      assert.equal(restarted.total, before.total, 'the same run');
      await pollUntil(() => updateCounts(page),
        (counts) => counts.done > restarted.done + 5, RUN_TIMEOUT_MS,
        'training to resume');
      assert.deepEqual(await configInUrl(page), before.config,
        'the link keeps every setting');
      assert.equal(await textOf(page, '#seed'), before.seed);
      assert.ok(engineWorker(page), 'a new worker runs the engine');

      // The panic's own report is the only error: the hook's console line.
      const unexpected = browser.problems.filter(
        (problem) => !problem.includes(PANIC_TEXT));
      assert.deepEqual(unexpected, [], unexpected.join('\n'));
      await page.close();
    });
});
