// Browser tests of the widget's conversation features: regenerate, edit and resend, copy as Markdown, jump to latest, images by paste and drop, Stop at every stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEXT_ONLY,
  VISION,
  customWidget,
  errorText,
  events,
  openWidget,
  pasteOrDropImage,
  replies,
  send,
  siteForTests,
  waitForEvents,
} from './helpers/widget.mjs';

const chats = []; // chat request bodies as the server received them

const env = siteForTests({}, ({ site }) => site.server.stats.events.on('chat-request', (event) => chats.push(event.body)));

const userTexts = (chat) => chat.evaluate((el) => [...el.shadowRoot.querySelectorAll('.msg.user .user-text')].map((n) => n.textContent));
const visibleActions = (chat) =>
  chat.evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('.msg')].map((msg) =>
      [...msg.querySelectorAll('[data-action]')].filter((b) => !b.hidden && !b.closest('[hidden]')).map((b) => b.dataset.action)
    )
  );

test('regenerate replaces the last reply; edit and resend replaces the last message and its reply', async () => {
  const { page, chat, pageErrors } = await openWidget(env.browser, env.site.origin);
  await send(chat, 'echo: First answer.');
  await waitForEvents(page, 'llmbase-stream-end');
  await send(chat, 'echo: Second answer.');
  await waitForEvents(page, 'llmbase-stream-end', 2);
  // Copy on every message; Edit only on the last user message, Regenerate only on the last reply.
  assert.deepEqual(await visibleActions(chat), [['copy'], ['copy'], ['copy', 'edit'], ['copy', 'regenerate']]);

  chats.length = 0;
  await chat.getByRole('button', { name: 'Regenerate reply' }).click();
  await waitForEvents(page, 'llmbase-stream-end', 3);
  assert.deepEqual(await replies(chat), ['First answer.', 'Second answer.'], 'one reply replaced, not added');
  assert.equal(chats.length, 1);
  assert.deepEqual(
    chats[0].messages.slice(1).map((m) => [m.role, m.content]),
    [
      ['user', 'echo: First answer.'],
      ['assistant', 'First answer.'],
      ['user', 'echo: Second answer.'],
    ],
    'the old reply is not part of the new request'
  );

  chats.length = 0;
  await chat.getByRole('button', { name: 'Edit message' }).click();
  const box = chat.getByRole('textbox', { name: 'Edit your message' });
  assert.equal(await box.inputValue(), 'echo: Second answer.');
  assert.equal(await box.evaluate((node) => node.getRootNode().activeElement === node), true, 'the editor has focus');
  // Escape cancels the edit and gives the old message back untouched.
  await box.press('Escape');
  assert.deepEqual(await userTexts(chat), ['echo: First answer.', 'echo: Second answer.']);
  await chat.getByRole('button', { name: 'Edit message' }).click();
  await box.fill('echo: Edited answer.');
  await box.press('Enter');
  await waitForEvents(page, 'llmbase-stream-end', 4);
  assert.deepEqual(await userTexts(chat), ['echo: First answer.', 'echo: Edited answer.']);
  assert.deepEqual(await replies(chat), ['First answer.', 'Edited answer.']);
  assert.deepEqual(
    chats[0].messages.slice(1).map((m) => m.content),
    ['echo: First answer.', 'First answer.', 'echo: Edited answer.']
  );
  assert.deepEqual(
    (await chat.evaluate((el) => el.messages)).map((m) => m.content),
    ['echo: First answer.', 'First answer.', 'echo: Edited answer.', 'Edited answer.']
  );
  assert.deepEqual(pageErrors, []);
});

test('copy a message as Markdown: the source text, not the rendered one', async () => {
  const { page, chat } = await openWidget(env.browser, env.site.origin, { permissions: ['clipboard-read', 'clipboard-write'] });
  const markdown = '## Plan\n\n| a | b |\n|:-|-:|\n| **1** | `2` |\n\n- [x] done\n- [ ] ~~later~~';
  await send(chat, `echo: ${markdown}`);
  await waitForEvents(page, 'llmbase-stream-end');
  await chat.locator('.msg.assistant').getByRole('button', { name: 'Copy message as Markdown' }).click();
  await page.waitForFunction(
    () => document.querySelector('llmbase-chat').shadowRoot.getElementById('announce').textContent === 'Message copied.'
  );
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
  await chat.locator('.msg.user').getByRole('button', { name: 'Copy message as Markdown' }).click();
  await page.waitForFunction((want) => navigator.clipboard.readText().then((text) => text === want), `echo: ${markdown}`);
});

test('auto-scroll follows the stream only at the bottom; "Jump to latest" brings it back', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(page, { 'max-tokens': '4000' });
  const lines = Array.from({ length: 120 }, (_, i) => `Line ${i + 1} of a long reply that overflows the transcript.`).join('\n\n');
  await send(chat, `echo: ${lines}`);
  const state = () =>
    chat.evaluate((el) => {
      const log = el.shadowRoot.getElementById('log');
      return {
        gap: log.scrollHeight - log.scrollTop - log.clientHeight,
        top: log.scrollTop,
        jump: !el.shadowRoot.getElementById('jump').hidden,
      };
    });
  await page.waitForFunction(() => {
    const log = document.getElementById('custom').shadowRoot.getElementById('log');
    return log.scrollHeight > log.clientHeight * 2;
  });
  const following = await state();
  assert.ok(following.gap < 48 && !following.jump, `pinned to the bottom while streaming: ${JSON.stringify(following)}`);
  // The reader scrolls up: the view stays where they put it while text keeps arriving.
  await chat.locator('[role=log]').evaluate((log) => {
    log.scrollTop = 0;
  });
  await chat.locator('[role=log]').hover();
  await page.mouse.wheel(0, -200);
  await page.waitForFunction(() => !document.getElementById('custom').shadowRoot.getElementById('jump').hidden);
  const grown = await chat.evaluate((el) => el.shadowRoot.getElementById('log').scrollHeight);
  await page.waitForFunction((h) => document.getElementById('custom').shadowRoot.getElementById('log').scrollHeight > h + 200, grown);
  const reading = await state();
  assert.equal(reading.top, 0, 'not dragged down by new text');
  assert.ok(reading.jump);
  await chat.getByRole('button', { name: 'Jump to latest' }).click();
  const back = await state();
  assert.ok(back.gap < 48 && !back.jump, `back at the bottom: ${JSON.stringify(back)}`);
  await waitForEvents(page, 'llmbase-stream-end');
  const end = await state();
  assert.ok(end.gap < 48, 'followed to the end once pinned again');
});

test('an image pasted or dropped is attached on a vision model and refused in words on a text-only one', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(page, { model: TEXT_ONLY });
  await pasteOrDropImage(chat, 'paste');
  await waitForEvents(page, 'llmbase-error');
  assert.match(await errorText(chat), new RegExp(`${TEXT_ONLY.replace('.', '\\.')} does not accept images; pick a model marked Vision`));
  assert.equal(await chat.locator('#attachment').isHidden(), true);

  await chat.locator('select').selectOption(VISION);
  await pasteOrDropImage(chat, 'paste', 'pasted.png');
  await chat.locator('#attachment-name').filter({ hasText: 'Image: pasted.png' }).waitFor();
  await pasteOrDropImage(chat, 'drop', 'dropped.png');
  await chat.locator('#attachment-name').filter({ hasText: 'Image: dropped.png' }).waitFor();
  chats.length = 0;
  await send(chat, 'What is in this picture?');
  await waitForEvents(page, 'llmbase-stream-end');
  const parts = chats[0].messages[chats[0].messages.length - 1].content;
  assert.equal(parts[1].type, 'image_url');
  assert.match(parts[1].image_url.url, /^data:image\/png;base64,/);
  assert.match(await chat.locator('.msg.user .attached').textContent(), /Image: dropped\.png/);
  // A text paste still pastes text.
  await chat.locator('textarea').focus();
  await chat.evaluate((el) => {
    const transfer = new DataTransfer();
    transfer.setData('text/plain', 'plain words');
    el.shadowRoot
      .getElementById('prompt')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  });
  assert.equal(await chat.locator('#attachment').isHidden(), true);
});

test('Stop works at every stage: before the model list, before the headers, while streaming, during a regenerate', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.llmbaseEvents = [];
    for (const type of ['llmbase-ready', 'llmbase-stream-end', 'llmbase-message']) {
      document.addEventListener(type, (event) => window.llmbaseEvents.push({ type, outcome: event.detail.outcome }));
    }
  });
  // 1. The model list is still loading: the send waits, and Stop cancels it before anything is sent.
  let releaseMetadata;
  const metadataHeld = new Promise((resolve) => {
    releaseMetadata = resolve;
  });
  await page.route('**/v1/model-metadata*', async (route) => {
    await metadataHeld;
    await route.continue();
  });
  chats.length = 0;
  await page.goto(env.site.origin);
  const chat = page.locator('llmbase-chat');
  await chat.locator('textarea').fill('echo: never sent');
  await chat.locator('textarea').press('Enter');
  assert.equal(await chat.getByRole('button', { name: 'Stop' }).isEnabled(), true);
  await chat.getByRole('button', { name: 'Stop' }).click();
  releaseMetadata();
  await page.waitForFunction(() => window.llmbaseEvents.some((e) => e.type === 'llmbase-ready'));
  assert.equal(chats.length, 0, 'nothing was sent');
  assert.equal(await chat.locator('textarea').inputValue(), 'echo: never sent', 'the text is kept');
  assert.equal(await chat.getByRole('button', { name: 'Send' }).isEnabled(), true);

  // 2. The request is on its way, no headers yet.
  let releaseChat;
  const chatHeld = new Promise((resolve) => {
    releaseChat = resolve;
  });
  const hold = async (route) => {
    await chatHeld;
    await route.continue().catch(() => {});
  };
  await page.route('**/v1/chat/completions', hold);
  await chat.locator('textarea').press('Enter');
  await page.waitForFunction(() => document.querySelector('llmbase-chat').hasAttribute('streaming'));
  await chat.locator('textarea').press('Escape');
  await page.waitForFunction(() => window.llmbaseEvents.filter((e) => e.type === 'llmbase-stream-end').length === 1);
  releaseChat();
  await page.unroute('**/v1/chat/completions', hold);
  assert.equal((await events(page, 'llmbase-stream-end'))[0].outcome, 'stopped');
  assert.equal(await chat.locator('.msg.assistant').count(), 0, 'no empty reply bubble stays');

  // 3. While streaming, then 4. during a regenerate.
  await chat.locator('textarea').fill(`echo: ${'Words that keep coming. '.repeat(40)}`);
  await chat.locator('textarea').press('Enter');
  await page.waitForFunction(
    () => document.querySelector('llmbase-chat').shadowRoot.querySelector('.msg.assistant .md')?.textContent.length > 0
  );
  await chat.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => window.llmbaseEvents.filter((e) => e.type === 'llmbase-stream-end').length === 2);
  await chat.getByRole('button', { name: 'Regenerate reply' }).click();
  await page.waitForFunction(
    () => document.querySelector('llmbase-chat').shadowRoot.querySelector('.msg.assistant .md')?.textContent.length > 0
  );
  await chat.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => window.llmbaseEvents.filter((e) => e.type === 'llmbase-stream-end').length === 3);
  assert.deepEqual(
    (await page.evaluate(() => window.llmbaseEvents.filter((e) => e.type === 'llmbase-stream-end'))).map((e) => e.outcome),
    ['stopped', 'stopped', 'stopped']
  );
  assert.equal(await chat.locator('.msg.assistant').count(), 1, 'the regenerated (stopped) reply replaced the first one');
  assert.match(await chat.locator('.msg.assistant .note').textContent(), /Stopped/);
  await context.close();
});
