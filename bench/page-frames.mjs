// The lab page's main thread while it trains: one run of the reference
// model at 300 updates/s (or the digits model), watched for SECONDS with a
// PerformanceObserver for tasks over 50 ms and the gaps between animation
// frames, and, with `profile`, a CDP sampling profile of the main thread
// whose heaviest functions (total and self time) are printed, and its busy
// stretches over 50 ms. With `view3d` the page is scrolled to the 3-D view
// (which is drawn only while on screen).
//
// Run: node bench/page-frames.mjs URL [reference|digits] [SECONDS]
//        [profile] [view3d]
//      (URL serves www/, e.g. http://127.0.0.1:8123/)
//
// Prints the long tasks (duration, and start in seconds after the page
// began loading), then one line: longest task ms, tasks over 50 ms, frames,
// median and 99th percentile frame gap ms, and where the run got to.

import { mkdtemp, rm } from 'node:fs/promises';
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
const LONG_TASK_MS = 50;
const SPEED = 300;
const PROFILE_INTERVAL_US = 200;
const PROFILE_LINES = 45;
const RUNS = Object.freeze({
  reference: { epochs: 1000 },
  digits: { data: { source: 'digits' }, model: { hidden: [128] } },
});

const [baseUrl, runName = 'reference', secondsText = '15', ...modes] =
  process.argv.slice(2);
const MODES = ['profile', 'view3d'];
if (!baseUrl || !(runName in RUNS) || !(Number(secondsText) > 0) ||
    !modes.every((mode) => MODES.includes(mode))) {
  console.error('usage: node bench/page-frames.mjs URL ' +
    '[reference|digits] [SECONDS] [profile] [view3d]');
  process.exit(2);
}
const profiling = modes.includes('profile');

/** Installed before the page's scripts: long tasks and frame gaps. */
function watchMainThread() {
  const seen = { tasks: [], starts: [], gaps: [], lastFrameMs: null };
  window.mainThreadSeen = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      seen.tasks.push(entry.duration);
      seen.starts.push(entry.startTime);
    }
  }).observe({ type: 'longtask', buffered: true });
  const onFrame = (nowMs) => {
    if (seen.lastFrameMs !== null) {
      seen.gaps.push(nowMs - seen.lastFrameMs);
    }
    seen.lastFrameMs = nowMs;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
}

/** A profile node's function and file. */
function nameOf(node) {
  const frame = node.callFrame;
  const where = frame.url ? frame.url.split('/').at(-1) : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

/**
 * Self and total time per function (ms) of a CDP profile, heaviest total
 * first; a function's total counts each sample once however deep it
 * recurses.
 */
function functionTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }
  const times = new Map();
  const entry = (name) => {
    if (!times.has(name)) {
      times.set(name, { self: 0, total: 0 });
    }
    return times.get(name);
  };
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    entry(nameOf(byId.get(id))).self += ms;
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      onStack.add(nameOf(byId.get(at)));
    }
    for (const name of onStack) {
      entry(name).total += ms;
    }
  });
  return [...times].sort((a, b) => b[1].total - a[1].total);
}

/**
 * The profile's stretches of more than LONG_TASK_MS without an idle sample,
 * each with the functions that took most of it (total time).
 */
function busyStretches(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }
  const stretches = [];
  let current = null;
  let atMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    atMs += (profile.timeDeltas[index] ?? 0) / 1000;
    if (nameOf(byId.get(id)) === '(idle)') {
      if (current && current.ms > LONG_TASK_MS) {
        stretches.push(current);
      }
      current = null;
      return;
    }
    current ??= { startMs: atMs, ms: 0, names: new Map() };
    current.ms += ms;
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      onStack.add(nameOf(byId.get(at)));
    }
    for (const name of onStack) {
      current.names.set(name, (current.names.get(name) ?? 0) + ms);
    }
  });
  return stretches.map(({ startMs, ms, names }) => {
    const heaviest = [...names]
      .filter(([name]) => name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, total]) => `${name} ${total.toFixed(0)}`);
    return `${ms.toFixed(0)} ms at ${(startMs / 1000).toFixed(2)} s: ` +
      heaviest.join('; ');
  });
}

async function main() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'landscape-lab-frames-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript(watchMainThread);
    const session = profiling
      ? await context.newCDPSession(page)
      : null;
    if (session) {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval',
        { interval: PROFILE_INTERVAL_US });
      await session.send('Profiler.start');
    }
    const hash = `#config=${encodeURIComponent(JSON.stringify(RUNS[runName]))}` +
      `&speed=${SPEED}`;
    await page.goto(`${baseUrl}index.html${hash}`, { waitUntil: 'load' });
    if (modes.includes('view3d')) {
      await page.locator('#surface3d').scrollIntoViewIfNeeded();
    }
    await page.waitForTimeout(Number(secondsText) * 1000);

    const seen = await page.evaluate(() => window.mainThreadSeen);
    const status = await page.locator('#run-status').textContent();
    const updates = await page.locator('#update-count').textContent();
    if (session) {
      const { profile } = await session.send('Profiler.stop');
      const heaviest = functionTimes(profile).slice(0, PROFILE_LINES);
      for (const [name, { self, total }] of heaviest) {
        console.log(`profile,total ${total.toFixed(0)} ms,` +
          `self ${self.toFixed(0)} ms,${name}`);
      }
      for (const stretch of busyStretches(profile)) {
        console.log(`busy,${stretch}`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`the page failed: ${problems.join('; ')}`);
    }

    const gaps = [...seen.gaps].sort((a, b) => a - b);
    const when = seen.tasks
      .map((ms, i) => ({ ms, at: seen.starts[i] }))
      .filter(({ ms }) => ms > LONG_TASK_MS)
      .map(({ ms, at }) => `${ms.toFixed(0)} ms at ${(at / 1000).toFixed(1)} s`);
    if (when.length > 0) {
      console.log(`long tasks,${when.join(',')}`);
    }
    const at = (fraction) => gaps[Math.floor(fraction * (gaps.length - 1))];
    const longest = seen.tasks.length ? Math.max(...seen.tasks) : 0;
    const over = seen.tasks.filter((ms) => ms > LONG_TASK_MS).length;
    console.log(`frames,${runName},longest task ${longest.toFixed(0)} ms,` +
      `${over} tasks over ${LONG_TASK_MS} ms,${gaps.length} frames,` +
      `median ${at(0.5)?.toFixed(1)} ms,99th pct ${at(0.99)?.toFixed(1)} ms,` +
      `${status} after ${updates.replace(/\s+/g, ' ').trim()}`);
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`page-frames failed: ${error.stack ?? error}`);
  process.exit(1);
});
