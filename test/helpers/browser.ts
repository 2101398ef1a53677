import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: npm's browser downloads do not work on this machine, and the
 * report must be checked in a real browser. Without a browser this fails (never skips) and says how to get one.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and quiet: without the background-networking flags Chromium calls home on start. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  page: Page;
  /** `console.error` messages (CSP violations included). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Every request to anything but a `file:` URL (blocked before it leaves), and every file that failed to load. */
  failedRequests: string[];
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

export interface OpenOptions {
  executablePath?: string;
  viewport?: { width: number; height: number };
}

/** Opens a local file in a fresh headless Chromium (its own temporary profile) and records what went wrong. */
export async function openFile(path: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it with \`apt-get install -y chromium\` ` +
        '(the report tests open the report in a real browser and do not run without one)',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1000, height: 800 },
      offline: true,
    });
    const opened = record(context, profile);
    // Recorded by `watch` as it is made; aborted here so that nothing leaves the machine either way.
    await context.route(
      (url) => url.protocol !== 'file:',
      (route) => route.abort('blockedbyclient'),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    watch(page, opened);
    await page.goto(pathToFileURL(resolve(path)).href, { waitUntil: 'load' });
    return { ...opened, page };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

function record(context: BrowserContext, profile: string): Omit<OpenedPage, 'page'> {
  return {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watch(page: Page, opened: Omit<OpenedPage, 'page'>): void {
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(String(error)));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) {
      opened.failedRequests.push(`non-file request: ${request.method()} ${request.url()}`);
    }
  });
  page.on('websocket', (socket) => opened.failedRequests.push(`websocket: ${socket.url()}`));
  page.on('requestfailed', (request) => {
    const line = `failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`;
    if (request.url().startsWith('file:')) opened.failedRequests.push(line);
  });
}
