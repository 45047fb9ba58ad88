// Page test of the map workers: the engine's worker shares a map's grid rows
// out to workers of their own (www/js/rows-pool.js), and the map they make is
// the engine's own to the last bits: the browser's golden surface of
// tests/determinism.rs (the CLI's `surface` on the same settings, read from
// that file, not copied), within its stated 1e-6 relative tolerance.
//
//   LAB_URL=http://127.0.0.1:8765/ node --test tests/e2e/maps.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  download, launch, pollUntil, textOf, waitForEnd,
} from './support.mjs';

const DETERMINISM_RS = join(dirname(fileURLToPath(import.meta.url)), '..',
  'determinism.rs');
const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 180_000;
const RELATIVE_TOLERANCE = 1e-6;

/** A `const NAME: … = value;` of tests/determinism.rs, as text. */
function rustConst(source, name) {
  const match = new RegExp(`const ${name}: [^=]+= ([^;]+);`).exec(source);
  assert.ok(match, `tests/determinism.rs has no const ${name}`);
  return match[1];
}

describe('map workers', { timeout: TEST_TIMEOUT_MS }, () => {
  let lab;

  before(async () => {
    lab = await launch();
  });

  after(async () => {
    await lab?.close();
  });

  it('computes the map in workers of its own with the engine’s numbers',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const source = await readFile(DETERMINISM_RS, 'utf8');
      const config = JSON.parse(rustConst(source, 'CONFIG')
        .replace(/^r#"/, '').replace(/"#$/, ''));
      const golden = JSON.parse(rustConst(source, 'SURFACE')
        .replace(/,\s*\]$/, ']'));
      const page = await lab.open(`#${new URLSearchParams({
        config: JSON.stringify(config), speed: '300' })}`);
      await waitForEnd(page, RUN_TIMEOUT_MS);
      await pollUntil(() => textOf(page, '#landscape-note'),
        (text) => text === 'up to date', RUN_TIMEOUT_MS,
        'the map around the final weights');

      // The page's own worker and the map workers it started (the test
      // machine has at least two cores).
      const workers = page.workers().map((worker) => worker.url());
      assert.ok(workers.some((url) => url.endsWith('/js/rows-worker.js')),
        `map workers among ${JSON.stringify(workers)}`);

      const surface = JSON.parse(
        (await download(page, '#download-surface-json')).bytes.toString());
      assert.equal(surface.loss.length, golden.length);
      surface.loss.forEach((loss, i) => {
        assert.ok(Math.abs(loss - golden[i]) <=
          RELATIVE_TOLERANCE * Math.abs(golden[i]),
        `point ${i}: ${loss} in the browser, ${golden[i]} natively`);
      });
      await page.close();
    });
});
