// The browser half of the bench: one headless chromium (Debian's, through
// playwright-core) that
//
// 1. opens the lab's page on two runs at full speed and records, while it
//    trains and computes maps, every main-thread task longer than 50 ms
//    (PerformanceObserver, type "longtask") and the gaps between animation
//    frames;
// 2. opens bench/browser/index.html, whose Web Worker runs the engine's
//    workloads on the release wasm build (timed with performance.now() in
//    the worker, after a warm-up) and whose main thread times drawing the
//    map with the page's drawing code.
//
// The engine's exports in DIR (written by bench/run.sh) give the configs and
// the values every result is compared with. Prints the same `note,…` and
// `result,…` lines as bench/peers.py, plus `frames,…` lines.
//
// Run: node bench/browser.mjs URL DIR [REPEATS] [map]
//      (URL serves the repository's root, e.g. http://127.0.0.1:8123/)
//
// With `map` only the map's drawing is timed (DIR needs only configs/), at
// the page's canvas size and at devicePixelRatio 2, followed by sampling
// profiles of the drawing at both: `note,profile,…` lines give each
// function's share of the main thread's time and its milliseconds per map.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

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
const VIEWPORT = { width: 1280, height: 900 };
const LONG_TASK_MS = 50;
const UPDATES = 1000;
const COARSE_STEP = 5; // 11 × 11 is every 5th point of 51 × 51
const POLL_MS = 200;
const PROFILE_DRAWS = 20;
const PROFILE_INTERVAL_US = 100;
const PROFILE_LINES = 14;

// The page at full speed on two runs: the reference model for 1000 epochs
// (3000 updates), and the digits model, whose maps take longest.
const PAGE_RUNS = [
  {
    name: 'reference',
    config: { epochs: 1000 },
    seconds: 15,
  },
  {
    name: 'digits',
    config: { data: { source: 'digits' }, model: { hidden: [128] } },
    seconds: 15,
  },
];
const PAGE_SPEED = 300;

const [baseUrl, dir, repeatsText, only] = process.argv.slice(2);
if (!baseUrl || !dir || (only !== undefined && only !== 'map')) {
  console.error('usage: node bench/browser.mjs URL DIR [REPEATS] [map]');
  process.exit(2);
}
const repeats = Math.max(5, Number(repeatsText ?? 7));

const say = (line) => console.log(line);
const note = (text) => say(`note,${text}`);
const median = (values) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function result(workload, implementation, times, diff) {
  say(`result,${workload},${implementation},1,${median(times).toFixed(3)},` +
    `${times.length},${diff.toPrecision(3)},${Math.min(...times).toFixed(3)}`);
}

const readJson = async (path) => JSON.parse(await readFile(path, 'utf8'));
const readText = (path) => readFile(path, 'utf8');

/** Rows of a CSV file as objects (no quoting in the engine's tables). */
async function readCsv(path) {
  const [header, ...lines] = (await readText(path)).trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(
    line.split(',').map((value, i) => [names[i], value])));
}

/** Largest |a − b| over pairs where the engine's value is finite. */
function maxDiff(values, expected) {
  if (values.length !== expected.length) {
    throw new Error(`${values.length} values, expected ${expected.length}`);
  }
  let worst = 0;
  expected.forEach((want, i) => {
    if (want !== null && Number.isFinite(want)) {
      worst = Math.max(worst, Math.abs(values[i] - want));
    }
  });
  return worst;
}

// ---- The page while it trains ---------------------------------------------

/** Installed before the page's scripts: long tasks and frame gaps. */
function recordFrames(longTaskMs) {
  const record = { tasks: [], gaps: [], last: null };
  window.benchFrames = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      record.tasks.push(entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  const frame = (nowMs) => {
    if (record.last !== null) record.gaps.push(nowMs - record.last);
    record.last = nowMs;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  record.longTaskMs = longTaskMs;
}

async function pageRun(context, run) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(recordFrames, LONG_TASK_MS);
  const hash = `#config=${encodeURIComponent(JSON.stringify(run.config))}` +
    `&speed=${PAGE_SPEED}`;
  await page.goto(`${baseUrl}www/index.html${hash}`, { waitUntil: 'load' });

  // Watch until the run ends and its last map is drawn, or the time is up.
  const deadline = Date.now() + run.seconds * 1000;
  let status = '';
  while (Date.now() < deadline) {
    status = await page.locator('#run-status').textContent();
    if (status === 'finished' || status === 'diverged') {
      await sleep(3000);
      break;
    }
    await sleep(POLL_MS);
  }
  const frames = await page.evaluate(() => window.benchFrames);
  const updates = await page.locator('#update-count').textContent();
  const canvas = await page.evaluate(() => {
    const map = document.getElementById('landscape');
    return { width: map.width, height: map.height };
  });
  await page.close();
  if (problems.length > 0) {
    throw new Error(`the page failed: ${problems.join('; ')}`);
  }

  const longest = frames.tasks.length ? Math.max(...frames.tasks) : 0;
  const over = frames.tasks.filter((ms) => ms > LONG_TASK_MS).length;
  const gaps = [...frames.gaps].sort((a, b) => a - b);
  const p99 = gaps[Math.floor(0.99 * (gaps.length - 1))] ?? 0;
  const worstGap = gaps.at(-1) ?? 0;
  say(`frames,${run.name},${longest.toFixed(1)},${over},${gaps.length},` +
    `${median(gaps).toFixed(1)},${p99.toFixed(1)},${worstGap.toFixed(1)},` +
    `${status || 'running'} after ${updates.replace(/\s+/g, ' ').trim()}`);
  return canvas;
}

/** The map canvas's size once the lab page has laid itself out. */
async function pageCanvasSize(context) {
  const page = await context.newPage();
  await page.goto(`${baseUrl}www/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const map = document.getElementById('landscape');
    return map && map.width !== 300 && map.height !== 150;
  });
  const canvas = await page.evaluate(() => {
    const map = document.getElementById('landscape');
    return { width: map.width, height: map.height };
  });
  await page.close();
  return canvas;
}

// ---- The engine in a worker, the map on the main thread --------------------

/** The bench page, loaded, and a list its errors go to. */
async function benchPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${baseUrl}bench/browser/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.benchReady === true);
  return { page, problems };
}

const inWorker = (page, task) =>
  page.evaluate((t) => window.bench.inWorker(t), task);
const config = (name) => readText(join(dir, 'configs', `${name}.json`));

/**
 * Times drawing the reference map at the size the lab page gave its canvas
 * (devicePixelRatio 1) and at twice that size with the page's scale 2, as
 * on a HiDPI screen.
 */
async function drawMaps(page, surface, canvas) {
  for (const scale of [1, 2]) {
    const draws = await page.evaluate((task) => window.bench.drawTimes(task), {
      surface, path: surface.path, width: canvas.width * scale,
      height: canvas.height * scale, scale, repeats: Math.max(15, repeats),
    });
    const ratio = scale === 1 ? '' : `, devicePixelRatio ${scale}`;
    result('render', `wasm full map (main thread${ratio})`, draws.full, 0);
    result('render', `wasm path overlay (main thread${ratio})`, draws.overlay,
      0);
  }
  note(`map drawn at ${canvas.width}x${canvas.height} px, the lab page's ` +
    `canvas at a ${VIEWPORT.width}x${VIEWPORT.height} viewport, and at ` +
    `${2 * canvas.width}x${2 * canvas.height} px`);
}

/**
 * A sampling profile of drawing the map PROFILE_DRAWS times at `scale`
 * (whole map and overlay, as drawMaps times them): the functions with the
 * most self time.
 */
async function profileMaps(context, page, surface, canvas, scale) {
  const session = await context.newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval',
    { interval: PROFILE_INTERVAL_US });
  await session.send('Profiler.start');
  await page.evaluate((task) => window.bench.drawTimes(task), {
    surface, path: surface.path, width: canvas.width * scale,
    height: canvas.height * scale, scale, repeats: PROFILE_DRAWS,
  });
  const { profile } = await session.send('Profiler.stop');
  await session.detach();

  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const samples = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const selfByName = new Map();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName || '(anonymous)';
    selfByName.set(name, (selfByName.get(name) ?? 0) + node.hitCount);
  }
  const top = [...selfByName].sort((a, b) => b[1] - a[1])
    .slice(0, PROFILE_LINES);
  note(`profile,${PROFILE_DRAWS} maps at devicePixelRatio ${scale} ` +
    `(warm-up included),${totalMs.toFixed(0)} ms sampled`);
  for (const [name, hits] of top) {
    const share = hits / samples;
    const perMapMs = share * totalMs / PROFILE_DRAWS;
    note(`profile,${(100 * share).toFixed(1)}%,` +
      `${perMapMs.toFixed(2)} ms per map,${name.replaceAll(',', ';')}`);
  }
}

/** Only the map: the reference surface from the worker, drawn and profiled. */
async function mapOnly(context, canvas) {
  const { page, problems } = await benchPage(context);
  const surface = await inWorker(page, {
    workload: 'surface', config: await config('reference'), repeats: 1,
  });
  await drawMaps(page, surface, canvas);
  for (const scale of [1, 2]) {
    await profileMaps(context, page, surface, canvas, scale);
  }
  await page.close();
  if (problems.length > 0) {
    throw new Error(`the bench page failed: ${problems.join('; ')}`);
  }
}

async function workloads(context, canvas) {
  const { page, problems } = await benchPage(context);

  // The reference surface, compared with the command line's surface.json.
  const reference = await readJson(join(dir, 'surface', 'surface.json'));
  const surface = await inWorker(page, {
    workload: 'surface', config: await config('reference'), repeats,
  });
  result('surface', 'wasm (worker)', surface.times,
    maxDiff(surface.loss, reference.loss));
  const sharedReference = await inWorker(page, {
    workload: 'sharedSurface', config: await config('reference'), repeats,
  });
  result('surface', `wasm (${sharedReference.workers} map workers)`,
    sharedReference.times, maxDiff(sharedReference.loss, reference.loss));

  // 1000 updates, compared with the command line's updates and epochs.
  const updatesCsv = await readCsv(join(dir, 'updates', 'updates.csv'));
  const epochsCsv = await readCsv(join(dir, 'updates', 'epochs.csv'));
  const training = await inWorker(page, {
    workload: 'updates', config: await config('updates'), repeats,
    count: UPDATES,
  });
  const epochs = training.epochs.length;
  const diff = Math.max(
    maxDiff(training.batchLoss,
      updatesCsv.slice(0, UPDATES).map((r) => Number(r.batch_loss))),
    maxDiff(training.epochs.flat(), epochsCsv.slice(0, epochs)
      .flatMap((r) => [Number(r.train_loss_eval), Number(r.val_loss)])));
  result('updates', 'wasm (worker)', training.times, diff);

  // The digits surface, then its coarse 11 × 11 sub-grid.
  const digits = await readJson(join(dir, 'digits', 'surface.json'));
  const full = await inWorker(page, {
    workload: 'surface', config: await config('digits'), repeats: 5,
  });
  result('digits', 'wasm (worker)', full.times,
    maxDiff(full.loss, digits.loss));
  const sharedDigits = await inWorker(page, {
    workload: 'sharedSurface', config: await config('digits'), repeats: 5,
  });
  result('digits', `wasm (${sharedDigits.workers} map workers)`,
    sharedDigits.times, maxDiff(sharedDigits.loss, digits.loss));
  const coarse = await inWorker(page, {
    workload: 'surface', config: await config('coarse'), repeats,
  });
  const n = digits.alphas.length;
  const subGrid = [];
  for (let j = 0; j < n; j += COARSE_STEP) {
    for (let i = 0; i < n; i += COARSE_STEP) {
      subGrid.push(digits.loss[j * n + i]);
    }
  }
  result('coarse', 'wasm (worker)', coarse.times,
    maxDiff(coarse.loss, subGrid));

  await drawMaps(page, surface, canvas);
  await page.close();
  if (problems.length > 0) {
    throw new Error(`the bench page failed: ${problems.join('; ')}`);
  }
}

async function main() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'landscape-lab-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    timeout: 60_000,
  });
  try {
    const probe = await context.newPage();
    note(`navigator.hardwareConcurrency ` +
      `${await probe.evaluate(() => navigator.hardwareConcurrency)}`);
    await probe.close();
    if (only === 'map') {
      await mapOnly(context, await pageCanvasSize(context));
      return;
    }
    let canvas = { width: 640, height: 560 };
    for (const run of PAGE_RUNS) {
      canvas = await pageRun(context, run);
    }
    await workloads(context, canvas);
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`browser bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
