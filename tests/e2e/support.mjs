// Shared pieces of the page tests: launching Debian's chromium through
// playwright-core the way this machine needs, polling, and reading the
// page's counters and downloads.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const LAB_URL = process.env.LAB_URL ?? 'http://127.0.0.1:8765/';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Root needs --no-sandbox; the closed network needs the background-
// networking flags, or chromium keeps trying to reach Google's hosts.
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

export const LOAD_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A browser with a fresh profile. `problems` collects every console error
 * and uncaught exception of every page opened with `open`.
 */
export async function launch() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'landscape-lab-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: LOAD_TIMEOUT_MS,
    acceptDownloads: true,
  });
  const problems = [];

  /** A new page at LAB_URL + `suffix`, its errors recorded. */
  async function open(suffix = '') {
    const page = await context.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    const where = suffix.length > 60 ? `${suffix.slice(0, 60)}…` : suffix;
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`[${where}] console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => {
      problems.push(`[${where}] page error: ${error.stack ?? error.message}`);
    });
    page.on('crash', () => problems.push(`[${where}] page crashed`));
    await page.goto(LAB_URL + suffix, {
      waitUntil: 'load',
      timeout: LOAD_TIMEOUT_MS,
    });
    return page;
  }

  async function close() {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }

  return { context, problems, open, close };
}

/** Polls `read` until `accept(value)` holds; returns that value. */
export async function pollUntil(read, accept, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ` +
        `last value: ${JSON.stringify(last)}`);
    }
    await sleep(POLL_MS);
  }
}

export async function textOf(page, selector) {
  return (await page.locator(selector).textContent()) ?? '';
}

/** The two integers of "123 / 300" in #update-count, or nulls. */
export async function updateCounts(page) {
  const match = /([\d,]+)\s*\/\s*([\d,]+)/.exec(
    await textOf(page, '#update-count'));
  const number = (text) => Number(text.replaceAll(',', ''));
  return match
    ? { done: number(match[1]), total: number(match[2]) }
    : { done: null, total: null };
}

/** Waits until the run on `page` has ended ("finished" or "diverged"). */
export async function waitForEnd(page, timeoutMs) {
  return pollUntil(() => textOf(page, '#run-status'),
    (text) => text === 'finished' || text === 'diverged', timeoutMs,
    '#run-status to say the run ended');
}

/** Clicks a download entry of the Download menu; returns the file's text. */
export async function download(page, itemSelector) {
  const menu = page.locator('#downloads');
  if (!(await menu.evaluate((details) => details.open))) {
    await page.click('#downloads > summary');
  }
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.click(itemSelector),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}
