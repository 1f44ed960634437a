// Browser tests of <llmbase-chat> against the local server: send, stream, stop, retry, errors in words, model switch, images.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './helpers/chromium.mjs';
import {
  DOT_PNG,
  FLASH,
  TEXT_ONLY,
  VISION,
  errorText,
  events,
  faultNext,
  openWidget,
  replies,
  send,
  startSite,
  waitForEvents,
} from './helpers/widget.mjs';

let site;
let browser;
const chats = []; // chat request bodies as the server received them

before(async () => {
  site = await startSite();
  site.server.stats.events.on('chat-request', (event) => chats.push(event.body));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('sends, streams the reply into the bubble as it arrives, and reports it to the host page', async () => {
  const { page, chat, pageErrors } = await openWidget(browser, site.origin);
  const ended = [];
  const onEnd = (event) => ended.push(event);
  site.server.stats.events.on('stream-end', onEnd);
  try {
    chats.length = 0;
    await chat.locator('textarea').fill('echo: First paragraph arrives first.\n\nThen a **second** one, and a list:\n\n- one\n- two');
    await chat.locator('textarea').press('Enter');
    await chat.locator('textarea').press('Enter'); // a double Enter sends once
    await page.waitForFunction(
      () => document.querySelector('llmbase-chat').shadowRoot.querySelector('.msg.assistant .md')?.textContent.length > 0
    );
    assert.equal(ended.length, 0, 'text was on screen while the server was still sending');
    assert.equal(await chat.locator('[role=log]').getAttribute('aria-busy'), 'true');
    const [message] = (await waitForEvents(page, 'llmbase-message', 2)).filter((e) => e.role === 'assistant');
    assert.equal(message.content, 'First paragraph arrives first.\n\nThen a **second** one, and a list:\n\n- one\n- two');
    assert.ok(message.usage.total_tokens > 0);
    assert.equal(await chat.locator('.md strong').textContent(), 'second');
    assert.deepEqual(await chat.locator('.md li').allTextContents(), ['one', 'two']);
    assert.equal(await chat.locator('[role=log]').getAttribute('aria-busy'), 'false');
    assert.match(await chat.locator('.msg.assistant .meta').textContent(), /^\d+ tokens · \$/);
    // What was sent: the system prompt of the demo page, the message, stream, and always max_tokens.
    assert.equal(chats.length, 1);
    assert.equal(chats[0].stream, true);
    assert.equal(chats[0].max_tokens, 600);
    assert.equal(chats[0].messages[0].role, 'system');
    assert.deepEqual(
      (await events(page, 'llmbase-stream-end')).map((e) => e.outcome),
      ['done']
    );
    assert.deepEqual(pageErrors, []);
  } finally {
    site.server.stats.events.off('stream-end', onEnd);
  }
});

test('streaming Markdown keeps finished blocks and grows an open code block in place', async () => {
  const { page } = await openWidget(browser, site.origin);
  const result = await page.evaluate(async () => {
    const { MarkdownStream } = await import('/markdown-stream.mjs');
    const root = document.createElement('div');
    const md = new MarkdownStream(root, { schedule: (draw) => draw() }); // draw on every append, to watch each step
    const pieces = ['Intro para', 'graph.\n', '\nSecond ', 'paragraph.\n\n```js\nlet a', ' = 1;\nlet b', ' = 2;\n', '```\nTail'];
    const seen = [];
    const firstBlock = () => root.querySelector('p');
    md.append(pieces[0]);
    for (const piece of pieces.slice(1)) {
      md.append(piece);
      const code = root.querySelector('code');
      seen.push({ first: firstBlock(), code, text: code ? code.firstChild : null });
    }
    md.finish();
    const intro = seen[1].first; // committed once the blank line arrived
    return {
      introKept: seen.slice(1).every((s) => s.first === intro) && firstBlock() === intro,
      codeTextKept: seen[3].text === seen[4].text, // the open fence grew its Text node, no new <pre>
      // Finished blocks sit in groups (div.md-part > div.md-part), so a redraw lays out a few of them.
      groups: [...root.children].map((n) => `${n.className} > ${[...n.children].map((g) => g.className).join(' ')}`),
      html: [...root.querySelectorAll('.md-part > .md-part > *')].map((n) => n.tagName.toLowerCase()),
      code: root.querySelector('code').textContent,
    };
  });
  assert.ok(result.introKept, 'the first paragraph was rendered once and never replaced');
  assert.ok(result.codeTextKept, 'an open code block grows its text node');
  assert.deepEqual(result.groups, ['md-part > md-part']);
  assert.deepEqual(result.html, ['p', 'p', 'div', 'p']);
  assert.equal(result.code, 'let a = 1;\nlet b = 2;');

  // A fence line split across chunks ("``" + "`py") still gets its language once the line is complete.
  const label = await page.evaluate(async () => {
    const { MarkdownStream } = await import('/markdown-stream.mjs');
    const root = document.createElement('div');
    const md = new MarkdownStream(root, { schedule: (draw) => draw() }); // draw on every append, to watch each step
    for (const piece of ['``', '`p', 'y\nprint(1)', '\nprint(2)']) md.append(piece);
    return [root.querySelector('.md-code-lang').textContent, root.querySelector('code').textContent];
  });
  assert.deepEqual(label, ['py', 'print(1)\nprint(2)']);
});

test('Stop aborts the reply, keeps the partial text, and works again and again', async () => {
  const { page, chat } = await openWidget(browser, site.origin);
  // The server pauses after the first text until the connection closes: Stop always lands mid-reply.
  const removeFault = await faultNext(page, 'stall:60000', 3);
  try {
    for (let round = 1; round <= 3; round += 1) {
      const closed = new Promise((resolve) => site.server.stats.events.once('client-closed', resolve));
      await send(chat, `echo: Partial reply number ${round} that the user stops.`);
      await page.waitForFunction(
        (n) => document.querySelector('llmbase-chat').shadowRoot.querySelectorAll('.msg.assistant .md')[n - 1]?.textContent.length > 0,
        round
      );
      assert.equal(await chat.locator('#send').isDisabled(), true);
      await chat.locator('#stop').click();
      await closed; // the server saw the request go away
      await waitForEvents(page, 'llmbase-stream-end', round);
      assert.equal(await chat.locator('#stop').isDisabled(), true);
      assert.equal(await chat.locator('#send').isDisabled(), false);
    }
    const texts = await replies(chat);
    assert.equal(texts.length, 3);
    texts.forEach((text, i) => assert.ok(`Partial reply number ${i + 1} that the user stops.`.startsWith(text) && text.length > 0, text));
    assert.deepEqual(
      (await events(page, 'llmbase-stream-end')).map((e) => e.outcome),
      ['stopped', 'stopped', 'stopped']
    );
    assert.equal(await chat.locator('.msg.assistant .note').count(), 3);
    assert.equal(await errorText(chat), '', 'stopping is not an error');
    const history = await chat.evaluate((el) => el.messages.map((m) => m.role));
    assert.deepEqual(history, ['user', 'assistant', 'user', 'assistant', 'user', 'assistant'], 'what was shown stays in the conversation');
  } finally {
    await removeFault();
  }
});

test('after an error, Try again sends the same message and succeeds', async () => {
  const { page, chat } = await openWidget(browser, site.origin);
  chats.length = 0;
  const removeFault = await faultNext(page, 'status:500', 2); // the widget retries once by itself
  try {
    await send(chat, 'echo: Worth retrying.');
    await waitForEvents(page, 'llmbase-error');
    assert.match(await errorText(chat), /The chat server had a problem \(500\)\.[\s\S]*Try again in a moment\./);
    assert.equal(await chat.locator('.msg.assistant').count(), 0, 'an empty failed reply leaves no bubble');
    await chat.getByRole('button', { name: 'Try again' }).click();
    await waitForEvents(page, 'llmbase-stream-end', 2);
    assert.deepEqual(await replies(chat), ['Worth retrying.']);
    assert.equal(await errorText(chat), '');
    assert.equal(chats.length, 3);
    assert.deepEqual(
      chats.map((body) => body.messages.at(-1).content),
      Array(3).fill('echo: Worth retrying.')
    );
  } finally {
    await removeFault();
  }
});

test('errors say what happened and what to do: 401, 402 with the balance, 429, network, broken stream', async () => {
  const { page, chat } = await openWidget(browser, site.origin);
  const cases = [
    { fault: 'status:401', expect: /refused its API key \(401\)[\s\S]*LLMBASE_API_KEY/ },
    { fault: 'rate-limit:20', times: 2, expect: /Too many messages in a short time \(429\)[\s\S]*Wait 20 s/ },
    { fault: 'drop-after:3', expect: /broke off before the reply was complete[\s\S]*What arrived is kept/, partial: true },
  ];
  for (const [i, c] of cases.entries()) {
    const removeFault = await faultNext(page, c.fault, c.times ?? 1);
    try {
      await send(chat, `echo: Case ${i} with a longer text so that some of it arrives.`);
      await waitForEvents(page, 'llmbase-error', i + 1);
      assert.match(await errorText(chat), c.expect, c.fault);
    } finally {
      await removeFault();
    }
  }
  assert.equal(await chat.locator('.msg.assistant .note.warn').count(), 1, 'the broken stream keeps its partial text, marked');

  const balance = site.server.stats.balance;
  site.server.stats.balance = 0.00001;
  try {
    await send(chat, 'echo: Is there money?');
    await waitForEvents(page, 'llmbase-error', 4);
    assert.match(await errorText(chat), /out of credit \(402\): the balance is \$0\.000010\.[\s\S]*top up/);
  } finally {
    site.server.stats.balance = balance;
  }

  await page.route('**/v1/chat/completions', (route) => route.abort('connectionrefused'));
  await send(chat, 'echo: Anyone there?');
  await waitForEvents(page, 'llmbase-error', 5);
  assert.match(
    await errorText(chat),
    new RegExp(`Could not reach the chat server at ${site.origin}/v1\\.[\\s\\S]*Check your internet connection`)
  );
  await page.unroute('**/v1/chat/completions');
  const kinds = (await events(page, 'llmbase-error')).map((e) => e.kind);
  assert.deepEqual(kinds, ['authentication', 'rate_limit', 'incomplete_stream', 'insufficient_balance', 'connection']);
});

test('switching models: the picker shows capabilities and prices, images only for vision models, validation before sending', async () => {
  const { page, chat } = await openWidget(browser, site.origin);
  const select = chat.locator('select');
  assert.equal(await select.inputValue(), FLASH, 'the model attribute preselects');
  const options = await select.locator('option').allTextContents();
  assert.equal(options.length, site.server.stats.catalog.size);
  assert.ok(options.includes(`${FLASH} · Tools, JSON, Reasoning · $0.20/$0.30 per 1M`), options.join('\n'));
  assert.ok(options.some((o) => o.startsWith(`${VISION} · JSON, Vision ·`)));
  assert.ok(options.some((o) => o.startsWith(`${TEXT_ONLY} · text only ·`)));
  assert.deepEqual(await chat.locator('.model-info .badge').allTextContents(), ['Tools', 'JSON', 'Reasoning']);
  assert.match(await chat.locator('.model-info').textContent(), /\$0\.20 in \/ \$0\.30 out per 1M tokens · 1,048,576-token context/);
  assert.equal(await chat.locator('#attach').isVisible(), false, 'no image attachment for a text-only model');

  chats.length = 0;
  await select.selectOption(VISION);
  assert.equal((await events(page, 'llmbase-model-change')).at(-1).model, VISION);
  assert.equal(await chat.locator('#attach').isVisible(), true);
  await chat.locator('#file').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: DOT_PNG });
  await chat.locator('#attachment-name').filter({ hasText: 'Image: dot.png' }).waitFor();
  await send(chat, 'echo: What is in this picture?');
  await waitForEvents(page, 'llmbase-stream-end', 1);
  assert.equal(chats.length, 1);
  assert.equal(chats[0].model, VISION);
  assert.equal(chats[0].max_tokens, 600);
  const parts = chats[0].messages[1].content;
  assert.equal(parts[1].type, 'image_url');
  assert.match(parts[1].image_url.url, /^data:image\/png;base64,/);
  assert.match(await chat.locator('.msg.assistant .who').last().textContent(), new RegExp(VISION));

  // The conversation now holds an image; a text-only model cannot take it: refused before sending.
  await select.selectOption(TEXT_ONLY);
  assert.equal(await chat.locator('#attach').isVisible(), false);
  await send(chat, 'echo: And now?');
  const [refusal] = await waitForEvents(page, 'llmbase-error', 1);
  assert.equal(refusal.kind, 'validation');
  assert.deepEqual(
    refusal.findings.map((f) => f.path),
    ['messages[1].content[1].image_url']
  );
  const shown = await errorText(chat);
  assert.match(shown, new RegExp(`Not sent: the message does not fit ${TEXT_ONLY.replace('.', '\\.')}`));
  assert.match(shown, /messages\[1\]\.content\[1\]\.image_url: Model qwen\/qwen3\.5-9b does not accept image input/);
  assert.equal(chats.length, 1, 'nothing was sent');
  assert.equal(await chat.locator('textarea').inputValue(), 'echo: And now?', 'the text stays for another try');

  // A new chat without the image goes through on the text-only model, with its max_tokens.
  await chat.getByRole('button', { name: 'New chat' }).click();
  await chat.locator('textarea').press('Enter');
  await waitForEvents(page, 'llmbase-stream-end', 2);
  assert.equal(chats.length, 2);
  assert.equal(chats[1].model, TEXT_ONLY);
  assert.deepEqual(await replies(chat), ['And now?']);
});
