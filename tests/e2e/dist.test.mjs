// The static build (scripts/dist.sh) on a host of its own, under a sub-path
// as GitHub Pages serves a project (http://host/course/landscape-lab/):
// the lab trains and draws its map, the comparison page runs, and the
// browser asks for nothing but the build's own files — no CDN, no other
// host, nothing from the root of the server.
//
//   node --test tests/e2e/dist.test.mjs
//
// It copies the www/pkg that test.sh has just built (dist.sh --no-build)
// and serves the copy with its own `python3 -m http.server`; LAB_URL is not
// used.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launch, pollUntil, updateCounts } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');
const SUB_PATH = 'course/landscape-lab/';
const SERVER_TIMEOUT_MS = 10_000;
const TRAIN_TIMEOUT_MS = 60_000;
const COMPARISON_TIMEOUT_MS = 90_000;
// Everything the build may hold: pages, style, modules, the engine.
const BUILD_FILE = /^(\.nojekyll|[\w-]+\.(html|css|js|wasm))$/;
// The map is drawn when a fifth of its canvas has viridis colours (chroma
// 70 or more; the placeholder's greys have 20 at most).
const MIN_CHROMA = 48;
const MIN_MAP_SHARE = 0.2;

/** A port the kernel says is free on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The share of the canvas `id` coloured by the colour map. */
function colouredShare(page, id) {
  return page.evaluate(({ canvasId, minChroma }) => {
    const canvas = document.getElementById(canvasId);
    if (canvas.width === 0 || canvas.height === 0) {
      return 0;
    }
    const rgba = canvas.getContext('2d')
      .getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const channels = [rgba[i], rgba[i + 1], rgba[i + 2]];
      if (Math.max(...channels) - Math.min(...channels) >= minChroma) {
        coloured += 1;
      }
    }
    return coloured / (rgba.length / 4);
  }, { canvasId: id, minChroma: MIN_CHROMA });
}

describe('static build under a sub-path', () => {
  let site;
  let server;
  let serverLog = '';
  let baseUrl;
  let browser;
  // Every URL the browser asked for, workers' requests included.
  const requested = [];
  const failed = [];
  const problems = [];

  /** A new page at `url`, its console errors recorded. */
  async function open(url) {
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`[${url}] console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => {
      problems.push(`[${url}] page error: ${error.message}`);
    });
    await page.goto(url);
    return page;
  }

  before(async () => {
    site = await mkdtemp(join(tmpdir(), 'landscape-lab-dist-'));
    await promisify(execFile)(join(ROOT, 'scripts', 'dist.sh'),
      ['--no-build', join(site, SUB_PATH)], { cwd: ROOT });

    const port = await freePort();
    server = spawn('python3', ['-m', 'http.server', String(port),
      '--bind', '127.0.0.1', '--directory', site]);
    server.stderr.on('data', (chunk) => {
      serverLog += chunk;
    });
    baseUrl = `http://127.0.0.1:${port}/${SUB_PATH}`;
    await pollUntil(() => fetch(baseUrl).then((r) => r.ok, () => false),
      Boolean, SERVER_TIMEOUT_MS, `the server at ${baseUrl}`);

    browser = await launch();
    await mkdir(SCREENSHOTS, { recursive: true });
    browser.context.on('request', (request) => {
      requested.push(request.url());
    });
    browser.context.on('requestfailed', (request) => {
      failed.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    browser.context.on('response', (response) => {
      if (response.status() >= 400) {
        failed.push(`${response.url()}: HTTP ${response.status()}`);
      }
    });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (site) {
      await rm(site, { recursive: true, force: true });
    }
  });

  it('holds only the page’s own static files', async () => {
    const files = await filesUnder(join(site, SUB_PATH));
    for (const file of files) {
      assert.match(file.split('/').at(-1), BUILD_FILE, `unexpected ${file}`);
    }
    for (const file of ['index.html', 'compare.html', 'style.css',
      'js/main.js', 'js/worker.js', 'js/compare.js',
      'pkg/landscape_lab.js', 'pkg/landscape_lab_bg.wasm']) {
      assert.ok(files.includes(file), `${file} is in the build: ${files}`);
    }
  });

  it('trains and draws the map', { timeout: TRAIN_TIMEOUT_MS * 2 },
    async () => {
      const page = await open(`${baseUrl}#speed=300`);
      await pollUntil(async () => (await updateCounts(page)).done,
        (done) => done >= 30, TRAIN_TIMEOUT_MS, 'the run to train');
      assert.equal((await updateCounts(page)).total, 300,
        'the reference run');
      await pollUntil(() => colouredShare(page, 'landscape'),
        (share) => share >= MIN_MAP_SHARE, TRAIN_TIMEOUT_MS,
        'a map of the loss landscape');
      assert.equal(await page.locator('#error').isVisible(), false);
      await page.screenshot({ path: join(SCREENSHOTS, 'dist.png') });
      await page.close();
    });

  it('runs the comparison page', { timeout: COMPARISON_TIMEOUT_MS * 2 },
    async () => {
      const page = await open(baseUrl);
      // Leaving before the lab has loaded would cancel its requests.
      await pollUntil(async () => (await updateCounts(page)).total,
        (total) => total > 0, TRAIN_TIMEOUT_MS, 'the lab to load');
      await page.click('a[href^="compare.html"]');
      await page.waitForSelector('body[data-comparison="done"]',
        { timeout: COMPARISON_TIMEOUT_MS });
      assert.equal(page.url(), `${baseUrl}compare.html#preset=flat_vs_sharp`);
      await page.close();
    });

  it('asked for nothing outside the build', () => {
    assert.deepEqual(failed, [], failed.join('\n'));
    const outside = requested.filter((url) => !url.startsWith(baseUrl) &&
      !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(outside, [], outside.join('\n'));
    assert.ok(requested.some((url) => url.endsWith('landscape_lab_bg.wasm')),
      'the engine came from the build');
    assert.ok(requested.some((url) => url.endsWith('js/compare-worker.js')),
      'workers’ requests are seen too');
    // The server saw the same: every path it served is under the sub-path.
    const paths = [...serverLog.matchAll(/"GET (\S+) HTTP/g)]
      .map((match) => match[1]);
    assert.ok(paths.length > 10, serverLog);
    const stray = paths.filter((path) => !path.startsWith(`/${SUB_PATH}`));
    assert.deepEqual(stray, [], serverLog);
  });

  it('logs no console errors', () => {
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
