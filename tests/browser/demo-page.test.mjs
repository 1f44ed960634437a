// Browser test: the demo page as `npm start` serves it shows the <llmbase-chat> widget, which works with nothing to configure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { launchChromium } from './helpers/chromium.mjs';
import { FLASH, ROOT, events, openWidget, send, waitForEvents } from './helpers/widget.mjs';

let child;
let output = '';
let origin;
let browser;

before(async () => {
  // The command scripts/demo.sh --web runs (npm start), on a free port.
  child = spawn(process.execPath, ['dist/cli.mjs', 'serve', '--port', '0', '--static', 'web', '--static-mount', '/dist=dist'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (data) => {
      output += data;
      const match = /page: open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('close', () => reject(new Error(`serve exited early: ${output}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGINT');
    await exited;
  }
});

test('npm start: the widget loads the models and streams a reply, with no key anywhere in the page', async () => {
  const { page, chat, pageErrors } = await openWidget(browser, origin);
  const requestHeaders = [];
  page.on('request', (request) => requestHeaders.push(request.headers()));
  assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+\/v1/, 'the URL is printed');
  assert.equal(await chat.locator('select').inputValue(), FLASH);
  assert.ok((await chat.locator('select option').count()) > 5);

  await send(chat, 'Tell me about streaming in the browser.');
  // A reasoning model: the thinking trace streams first, then the answer, both while the server writes.
  await page.waitForFunction(
    () => document.querySelector('llmbase-chat').shadowRoot.querySelector('.msg.assistant .md')?.textContent.length > 0
  );
  assert.doesNotMatch(output, /POST \/v1\/chat\/completions 200/, 'text was on screen before the server logged the finished request');
  await waitForEvents(page, 'llmbase-stream-end');
  assert.equal((await events(page, 'llmbase-stream-end'))[0].outcome, 'done');
  assert.ok((await chat.locator('.msg.assistant .md').textContent()).length > 40);
  assert.ok((await chat.locator('.thinking .reasoning').textContent()).length > 0, 'the reasoning is shown, collapsed');
  assert.equal(await chat.locator('.thinking').getAttribute('open'), null);
  assert.ok(requestHeaders.length > 0);
  assert.ok(
    requestHeaders.every((headers) => !('authorization' in headers)),
    'the page sends no key'
  );
  assert.deepEqual(pageErrors, []);
});

test('an api-key attribute is ignored with a console error', async () => {
  const { page } = await openWidget(browser, origin);
  const warned = page.waitForEvent(
    'console',
    (message) => message.type() === 'error' && /api-key attribute is ignored/.test(message.text())
  );
  await page.evaluate(() => document.querySelector('llmbase-chat').setAttribute('api-key', 'llmbase_in_the_page'));
  assert.match((await warned).text(), /point base-url at a proxy that holds it/);
});

test('in a page, a client with an API key is refused unless dangerouslyAllowBrowser is set', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const outcome = await page.evaluate(async () => {
    const { LLMBase } = await import('/dist/browser.mjs');
    const results = {};
    try {
      new LLMBase({ apiKey: 'llmbase_visible_to_everyone' });
      results.withKey = 'constructed';
    } catch (error) {
      results.withKey = `${error.name}: ${error.message}`;
    }
    results.optIn = new LLMBase({ apiKey: 'llmbase_x', dangerouslyAllowBrowser: true }).baseURL;
    results.noKey = new LLMBase({ baseURL: 'http://127.0.0.1:1/v1' }).baseURL;
    return results;
  });
  assert.match(outcome.withKey, /^InvalidArgumentError: Refusing to use an API key in a browser/);
  assert.equal(outcome.optIn, 'https://api.llmbase.ai/v1');
  assert.equal(outcome.noKey, 'http://127.0.0.1:1/v1');
  await page.close();
});

test('npm start shows each new feature: Markdown blocks, hostile text, language, direction, persistence', async () => {
  const { page, chat, pageErrors } = await openWidget(browser, origin);
  assert.equal(await chat.getAttribute('persist'), 'llmbase-demo', 'the demo keeps its conversation across reloads');
  await page.getByRole('button', { name: 'Table, task list, headings, code' }).click();
  await waitForEvents(page, 'llmbase-stream-end');
  const reply = chat.locator('.msg.assistant').last();
  assert.equal(await reply.getByRole('table').count(), 1);
  assert.equal(await reply.getByRole('checkbox').count(), 3);
  assert.equal(await reply.getByRole('heading', { name: 'Release checklist' }).count(), 1);
  assert.equal(await reply.locator('del').count(), 2);
  for (const name of ['Copy message as Markdown', 'Regenerate reply'])
    assert.equal(await reply.getByRole('button', { name }).count(), 1, name);

  await page.getByRole('button', { name: 'Hostile Markdown and deep nesting' }).click();
  await waitForEvents(page, 'llmbase-stream-end', 2);
  const hostile = await chat.evaluate((el) => {
    const md = [...el.shadowRoot.querySelectorAll('.msg.assistant .md')].at(-1);
    let depth = 0;
    for (let quote = md.querySelector('blockquote'); quote; quote = quote.querySelector(':scope > blockquote')) depth += 1;
    return { depth, scripts: md.querySelectorAll('script, img').length, text: md.textContent };
  });
  assert.deepEqual([hostile.depth, hostile.scripts], [16, 0]);
  assert.match(hostile.text, /<img src=x onerror=alert\(1\)>/);

  await page.getByLabel('Language').selectOption('de');
  assert.equal(await chat.getByRole('button', { name: 'Senden' }).count(), 1);
  await page.getByLabel('Right to left').check();
  assert.equal(await chat.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.chat')).direction), 'rtl');

  await page.reload();
  await page.waitForFunction(() => window.llmbaseEvents.some((e) => e.type === 'llmbase-ready'));
  assert.equal(await chat.locator('.msg').count(), 4, 'the conversation came back after the reload');
  assert.deepEqual(pageErrors, []);
});
