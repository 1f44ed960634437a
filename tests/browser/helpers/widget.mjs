// Shared set-up of the <llmbase-chat> browser tests: the site as `npm start` serves it, an event recorder, widget helpers.
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../../dist/server/index.mjs';
import { startKeylessFront } from '../../../dist/server/keyless-front.mjs';
import { launchChromium } from './chromium.mjs';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FLASH = 'deepseek/deepseek-v4-flash';
export const TEXT_ONLY = 'qwen/qwen3.5-9b';
export const VISION = 'google/gemma-4-26b-a4b-it';
export const DOT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
);

/** Where the screenshots for people to look at go (git-ignored). */
export function screenshotDir() {
  const dir = `${ROOT}test-results/screenshots`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The demo site wired as `npm start` wires it: the local server (web/ and dist/ as static files)
 * behind the keyless front, so the page holds no key. `server` is the local server (its stats and
 * events), `origin` the address the browser uses.
 */
export async function startSite(options = {}) {
  const server = await startServer({
    port: 0,
    chunkDelayMs: 15,
    staticDir: `${ROOT}web`,
    staticMounts: { '/dist/': `${ROOT}dist` },
    ...options,
  });
  const front = await startKeylessFront({ target: server.origin, apiKey: 'llmbase_browser_tests' });
  return {
    server,
    origin: front.origin,
    async close() {
      await front.close();
      await server.close();
    },
  };
}

/**
 * The set-up most browser test files share: before() starts the site (startSite(options)) and
 * Chromium, then runs `setup(env)`; after() stops both. Returns { site, browser }, filled in once
 * before() has run.
 */
export function siteForTests(options, setup = null) {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = await startSite(options);
    env.browser = await launchChromium();
    if (setup) await setup(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

// Runs in the page before its scripts: records every llmbase-* event the widget sends to the host page.
function recordEvents() {
  const types = [
    'llmbase-ready',
    'llmbase-send',
    'llmbase-message',
    'llmbase-error',
    'llmbase-stream-start',
    'llmbase-stream-end',
    'llmbase-model-change',
  ];
  window.llmbaseEvents = [];
  for (const type of types) {
    document.addEventListener(type, (event) => {
      const d = event.detail || {};
      window.llmbaseEvents.push({
        type,
        model: d.model,
        role: d.role,
        outcome: d.outcome,
        stopped: d.stopped === true,
        kind: d.kind,
        status: d.status,
        title: d.title,
        hint: d.hint,
        findings: d.findings,
        content: typeof d.content === 'string' ? d.content : null,
        usage: d.usage || null,
      });
    });
  }
}

/**
 * Opens `path` in a new context (colorScheme, reducedMotion as Playwright takes them) and waits for
 * the widget's model list. Returns { page, context, chat (a locator of the element), pageErrors }.
 */
export async function openWidget(
  browser,
  origin,
  { path = '/', colorScheme = 'light', reducedMotion = 'no-preference', permissions } = {}
) {
  const context = await browser.newContext({ colorScheme, reducedMotion, viewport: { width: 900, height: 900 } });
  if (permissions) await context.grantPermissions(permissions, { origin });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.addInitScript(recordEvents);
  await page.goto(`${origin}${path}`);
  await page.waitForFunction(() => window.llmbaseEvents.some((e) => e.type === 'llmbase-ready' || e.type === 'llmbase-error'), null, {
    timeout: 15000,
  });
  return { page, context, chat: page.locator('llmbase-chat').first(), pageErrors };
}

/** The recorded widget events of one type. */
export function events(page, type) {
  return page.evaluate((t) => window.llmbaseEvents.filter((e) => e.type === t), type);
}

/** Waits until at least `count` events of `type` were recorded; returns them. */
export async function waitForEvents(page, type, count = 1) {
  await page.waitForFunction(([t, n]) => window.llmbaseEvents.filter((e) => e.type === t).length >= n, [type, count], { timeout: 20000 });
  return events(page, type);
}

/** Types `text` into the widget's message box and presses Enter. */
export async function send(chat, text) {
  await chat.locator('textarea').fill(text);
  await chat.locator('textarea').press('Enter');
}

/**
 * Adds the local server's test-fault header to the next `times` chat requests of `page` (a
 * Playwright route; the response itself is not intercepted, so streams stream). Returns a remover.
 */
export async function faultNext(page, fault, times = 1) {
  let left = times;
  const handler = async (route) => {
    if (left > 0) {
      left -= 1;
      await route.continue({ headers: { ...route.request().headers(), 'x-llmbase-test-fault': fault } });
    } else {
      await route.continue();
    }
  };
  await page.route('**/v1/chat/completions', handler);
  return () => page.unroute('**/v1/chat/completions', handler);
}

/** The visible text of the error box ('' when hidden). */
export function errorText(chat) {
  return chat.evaluate((el) => {
    const box = el.shadowRoot.getElementById('error');
    return box.hidden ? '' : box.innerText;
  });
}

/** Text of the assistant bubbles' Markdown bodies, in order. */
export function replies(chat) {
  return chat.evaluate((el) => [...el.shadowRoot.querySelectorAll('.msg.assistant .md')].map((node) => node.textContent));
}

/**
 * Replaces the demo page's widget with a new <llmbase-chat id="custom"> carrying `attributes`
 * (and `strings`, when given) and waits for its model list. Returns its locator.
 */
export async function customWidget(page, attributes, { strings } = {}) {
  const before = await page.evaluate(
    () => window.llmbaseEvents.filter((e) => e.type === 'llmbase-ready' || e.type === 'llmbase-error').length
  );
  await page.evaluate(
    ([attrs, words]) => {
      const el = document.createElement('llmbase-chat');
      el.id = 'custom';
      for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
      if (words) el.strings = words;
      document.querySelector('llmbase-chat').replaceWith(el);
    },
    [attributes, strings || null]
  );
  await page.waitForFunction(
    (n) => window.llmbaseEvents.filter((e) => e.type === 'llmbase-ready' || e.type === 'llmbase-error').length > n,
    before
  );
  return page.locator('#custom');
}

/** Dispatches a paste (into the message box) or a drop (on the widget) carrying a PNG file named `name`. */
export function pasteOrDropImage(chat, how, name = 'dot.png') {
  return chat.evaluate(
    (el, [kind, file, bytes]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], file, { type: 'image/png' }));
      const root = el.shadowRoot;
      if (kind === 'paste')
        root
          .getElementById('prompt')
          .dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
      else root.querySelector('.chat').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    [how, name, DOT_PNG.toString('base64')]
  );
}
