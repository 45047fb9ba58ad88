// Soak test of the page: one long run at top speed, maps recomputed around
// the weights all the while, and the memory of the page and of the engine's
// worker sampled every few seconds:
//
//   page JS heap     JSHeapUsedSize (CDP Performance.getMetrics)
//   page nodes       DOM nodes (same metrics), to catch piled-up elements
//   page wasm        the page's WebAssembly memory (drawing code)
//   worker JS heap   Runtime.getHeapUsage in the worker's own target
//   worker wasm      the engine's WebAssembly memory
//   map wasm         the map workers' WebAssembly memory, all of them
//
// Prints one table row per sample and exits non-zero when memory keeps
// growing: a leak grows without end, while a run's history and checkpoints
// stop growing at their limits (README "Limits"). So the median of the last
// quarter of the samples may exceed the median of the second quarter (after
// warm-up) by at most GROWTH_FRACTION of it, or GROWTH_FLOOR_BYTES, whichever
// is larger (DOM nodes: GROWTH_FLOOR_NODES).
//
// Not part of ./test.sh. Serve www/ first, then:
//
//   node bench/soak.mjs URL [MINUTES] [SAMPLE_SECONDS]
//   e.g. python3 -m http.server 8123 --bind 127.0.0.1 --directory www &
//        node bench/soak.mjs http://127.0.0.1:8123/ 10 5

import { chromium } from 'playwright-core';

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
const LOAD_TIMEOUT_MS = 60_000;
const GROWTH_FRACTION = 0.25;
const GROWTH_FLOOR_BYTES = 16 * 1024 * 1024;
const GROWTH_FLOOR_NODES = 500;
const MIN_SAMPLES = 8;

// The reference run, long enough not to end: 100,000 epochs of 3 updates at
// the slider's top speed of 300 updates/s.
const SOAK_CONFIG = { epochs: 100_000 };
const SPEED = 300;

const [baseUrl, minutesText = '10', sampleText = '5'] = process.argv.slice(2);
const minutes = Number(minutesText);
const sampleSeconds = Number(sampleText);
if (!baseUrl || !(minutes > 0) || !(sampleSeconds > 0)) {
  console.error('usage: node bench/soak.mjs URL [MINUTES] [SAMPLE_SECONDS]');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(1);

/** The size of the WebAssembly memory of the realm this runs in. */
async function wasmBytes() {
  // Importing the package again gives the realm's instance; its init
  // returns the instance's exports when it has run before.
  const module = await import('../pkg/landscape_lab.js');
  const exports = await module.default();
  return exports.memory.buffer.byteLength;
}

/** The WebAssembly memory of all the page's map workers (0 without any). */
async function mapWasmBytes(page) {
  let total = 0;
  for (const worker of page.workers()) {
    if (worker.url().endsWith('/js/rows-worker.js')) {
      total += await worker.evaluate(wasmBytes);
    }
  }
  return total;
}

/**
 * Sends CDP commands to the worker's own target through the browser's
 * session (Playwright opens CDP sessions only on pages).
 */
async function workerChannel(browser) {
  const session = await browser.newBrowserCDPSession();
  // The worker's target can be listed a moment after its first message.
  let target;
  for (let attempt = 0; attempt < 50 && !target; attempt += 1) {
    const { targetInfos } = await session.send('Target.getTargets');
    target = targetInfos.find((info) =>
      info.type === 'worker' && info.url.endsWith('/js/worker.js'));
    if (!target) {
      await sleep(200);
    }
  }
  if (!target) {
    throw new Error('the page has no engine worker after 10 s');
  }
  const { sessionId } = await session.send('Target.attachToTarget',
    { targetId: target.targetId, flatten: false });
  const pending = new Map();
  let nextId = 1;
  session.on('Target.receivedMessageFromTarget', (event) => {
    const reply = JSON.parse(event.message);
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  return async function send(method, params = {}) {
    const id = nextId++;
    const reply = new Promise((resolve) => pending.set(id, resolve));
    await session.send('Target.sendMessageToTarget',
      { sessionId, message: JSON.stringify({ id, method, params }) });
    const answer = await reply;
    if (answer.error) {
      throw new Error(`${method}: ${answer.error.message}`);
    }
    return answer.result;
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: CHROMIUM_ARGS,
});
let failed = false;
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  const hash = new URLSearchParams({
    config: JSON.stringify(SOAK_CONFIG),
    speed: String(SPEED),
  });
  await page.goto(`${baseUrl}#${hash}`, { timeout: LOAD_TIMEOUT_MS });
  await page.waitForFunction(
    () => /^\d+ \//.test(document.querySelector('#update-count').textContent),
    null, { timeout: LOAD_TIMEOUT_MS });
  const pageSession = await page.context().newCDPSession(page);
  await pageSession.send('Performance.enable');
  const toWorker = await workerChannel(browser);
  const worker = page.workers().find((w) => w.url().endsWith('/js/worker.js'));

  const samples = [];
  const centres = new Set();
  const startedMs = Date.now();
  const endMs = startedMs + minutes * 60_000;
  console.log('seconds  updates  maps  page-heap-MB  page-nodes  ' +
    'page-wasm-MB  worker-heap-MB  worker-wasm-MB  map-wasm-MB');
  while (Date.now() < endMs) {
    await sleep(sampleSeconds * 1000);
    const { metrics } = await pageSession.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name)?.value;
    const heap = await toWorker('Runtime.getHeapUsage');
    const shown = await page.evaluate(() => ({
      updates: document.querySelector('#update-count').textContent,
      note: document.querySelector('#landscape-note').textContent,
    }));
    const centre = /around update (\d+)/.exec(shown.note);
    if (centre) {
      centres.add(centre[1]);
    }
    const sample = {
      seconds: Math.round((Date.now() - startedMs) / 1000),
      updates: Number(shown.updates.split('/')[0].replaceAll(',', '')),
      maps: centres.size,
      pageHeap: metric('JSHeapUsedSize'),
      pageNodes: metric('Nodes'),
      pageWasm: await page.evaluate(wasmBytes),
      workerHeap: heap.usedSize,
      workerWasm: await worker.evaluate(wasmBytes),
      mapWasm: await mapWasmBytes(page),
    };
    samples.push(sample);
    console.log([
      String(sample.seconds).padStart(7),
      String(sample.updates).padStart(8),
      String(sample.maps).padStart(5),
      mb(sample.pageHeap).padStart(13),
      String(sample.pageNodes).padStart(11),
      mb(sample.pageWasm).padStart(13),
      mb(sample.workerHeap).padStart(15),
      mb(sample.workerWasm).padStart(15),
      mb(sample.mapWasm).padStart(12),
    ].join(' '));
  }

  if (samples.length < MIN_SAMPLES) {
    throw new Error(`${samples.length} samples are too few to judge; ` +
      `run longer or sample more often`);
  }
  const quarter = Math.floor(samples.length / 4);
  const settled = samples.slice(quarter, 2 * quarter);
  const last = samples.slice(samples.length - quarter);
  const checks = [
    ['page JS heap', 'pageHeap', GROWTH_FLOOR_BYTES, mb, 'MB'],
    ['page DOM nodes', 'pageNodes', GROWTH_FLOOR_NODES, String, 'nodes'],
    ['page wasm memory', 'pageWasm', GROWTH_FLOOR_BYTES, mb, 'MB'],
    ['worker JS heap', 'workerHeap', GROWTH_FLOOR_BYTES, mb, 'MB'],
    ['worker wasm memory', 'workerWasm', GROWTH_FLOOR_BYTES, mb, 'MB'],
    ['map workers\' wasm memory', 'mapWasm', GROWTH_FLOOR_BYTES, mb, 'MB'],
  ];
  const final = samples[samples.length - 1];
  console.log(`\n${final.updates} updates and ${final.maps} maps in ` +
    `${final.seconds} s; growth from the second quarter's median to the ` +
    `last quarter's (allowed: ${GROWTH_FRACTION * 100} % or the floor):`);
  for (const [name, key, floor, format, unit] of checks) {
    const from = median(settled.map((sample) => sample[key]));
    const to = median(last.map((sample) => sample[key]));
    const allowed = Math.max(from * GROWTH_FRACTION, floor);
    const ok = to - from <= allowed;
    failed ||= !ok;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${format(from)} → ` +
      `${format(to)} ${unit} (at most +${format(allowed)})`);
  }
  if (final.updates <= samples[quarter].updates) {
    failed = true;
    console.log('  FAIL training stopped during the soak');
  }
  if (errors.length > 0) {
    failed = true;
    console.log(`  FAIL the page logged errors:\n    ${errors.join('\n    ')}`);
  }
} catch (error) {
  failed = true;
  console.error(`soak failed: ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
