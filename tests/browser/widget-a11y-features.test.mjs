// Browser tests of the new controls' accessibility: axe-core (WCAG 2.x A/AA) in every state, tab order, names, and keyboard use of message actions, the editor and "Jump to latest".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  VISION,
  customWidget,
  faultNext,
  openWidget,
  pasteOrDropImage,
  replies,
  send,
  siteForTests,
  waitForEvents,
} from './helpers/widget.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const env = siteForTests({ chunkDelayMs: 2 });

const SAMPLE =
  'echo: # Plan\n\nSome **text**.\n\n| Step | Done |\n|:--|:-:|\n| build | yes |\n\n- [x] write\n- [ ] test\n\n```js\nrun();\n```\n\n> quoted';

// axe-core over the widget (it walks open shadow roots): the WCAG 2.0-2.2 A and AA rules.
async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE); // evaluated by the test tool, not a page script
  return page.evaluate(async () => {
    const result = await window.axe.run(
      { include: [['llmbase-chat']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }
    );
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' > ')).join(', ')}`);
  });
}

for (const [scheme, lang] of [
  ['light', 'en'],
  ['dark', 'de'],
]) {
  test(`axe: no WCAG A/AA violations with every new control on screen (${scheme}, ${lang})`, async () => {
    const { page } = await openWidget(env.browser, env.site.origin, { colorScheme: scheme });
    const chat = await customWidget(page, { lang, model: VISION, 'max-tokens': '4000' });
    await send(chat, SAMPLE);
    await waitForEvents(page, 'llmbase-stream-end');
    assert.deepEqual(await axeViolations(page), [], 'a reply with a table, tasks, headings, code and message actions');

    await chat.locator('[data-action=edit]').click();
    await pasteOrDropImage(chat, 'paste', 'pasted.png');
    await chat.locator('#attachment').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the inline editor open and an image attached');
    await chat.locator('form.edit textarea').press('Escape');

    const removeFault = await faultNext(page, 'rate-limit:30', 2);
    await send(chat, 'echo: one more');
    await waitForEvents(page, 'llmbase-error');
    await removeFault();
    assert.deepEqual(await axeViolations(page), [], 'an error with Try again and Dismiss');
    await send(chat, `echo: ${Array.from({ length: 80 }, (_, i) => `Line ${i}.`).join('\n\n')}`);
    await waitForEvents(page, 'llmbase-stream-end', 2);
    await chat.locator('[role=log]').evaluate((log) => {
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
    });
    await chat.locator('#jump').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'Jump to latest shown');
  });
}

// What has focus inside the widget: its accessible name (aria-label, else text) and its outline.
const focused = (page) =>
  page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    if (!inner) return null;
    const style = getComputedStyle(inner);
    const name = inner.getAttribute('aria-label') || inner.id || inner.textContent.trim().slice(0, 30);
    return { name, tag: inner.tagName.toLowerCase(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });

test("keyboard: the transcript's new controls come in reading order, each with a name and a visible focus ring", async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(page, {});
  await send(chat, SAMPLE);
  await waitForEvents(page, 'llmbase-stream-end');
  await chat.locator('select').focus();
  const order = [];
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    assert.match(now.outline, /^solid [3-9]px$/, `visible focus on ${now.name}`);
    order.push(now.name);
    if (now.name === 'prompt') break;
  }
  assert.deepEqual(order, [
    'Conversation',
    'Copy message as Markdown',
    'Edit message', // the user's message
    'Table',
    'Copy js code',
    'run();',
    'Copy message as Markdown',
    'Regenerate reply', // the reply, top to bottom
    'prompt',
  ]);
});

test('keyboard: Regenerate, Edit (Escape cancels, Enter resends) and Jump to latest work without a mouse', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(page, { 'max-tokens': '4000' });
  await send(chat, 'echo: First.');
  await waitForEvents(page, 'llmbase-stream-end');

  await chat.getByRole('button', { name: 'Regenerate reply' }).focus();
  await page.keyboard.press('Enter');
  await waitForEvents(page, 'llmbase-stream-end', 2);
  assert.deepEqual(await replies(chat), ['First.']);
  assert.equal((await focused(page)).name, 'prompt', 'focus goes to the message box');

  await chat.getByRole('button', { name: 'Edit message' }).focus();
  await page.keyboard.press('Enter');
  const editor = await focused(page);
  assert.deepEqual([editor.name, editor.tag], ['Edit your message', 'textarea'], 'the editor takes focus');
  await page.keyboard.press('Escape');
  assert.equal((await focused(page)).name, 'Edit message', 'Escape closes the editor and gives focus back to Edit');
  assert.equal(await chat.locator('form.edit').count(), 0);
  assert.equal(await chat.evaluate((el) => el.streaming), false, 'Escape in the editor is not Stop');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('echo: Edited.');
  await page.keyboard.press('Enter');
  await waitForEvents(page, 'llmbase-stream-end', 3);
  assert.deepEqual(await replies(chat), ['Edited.']);

  // A long reply; the reader scrolls up with the keyboard; Tab reaches "Jump to latest"; Enter follows again.
  await send(chat, `echo: ${Array.from({ length: 80 }, (_, i) => `Line ${i}.`).join('\n\n')}`);
  await waitForEvents(page, 'llmbase-stream-end', 4);
  await chat.locator('[role=log]').focus();
  await page.keyboard.press('Home');
  await chat.locator('#jump').waitFor();
  await page.waitForFunction(() => document.querySelector('#custom').shadowRoot.getElementById('log').scrollTop === 0); // the key's scroll animation is over
  const jump = chat.getByRole('button', { name: 'Jump to latest' });
  await jump.focus();
  assert.match((await focused(page)).outline, /^solid/);
  await page.keyboard.press('Enter');
  const after = await chat.evaluate((el) => {
    const log = el.shadowRoot.getElementById('log');
    return { gap: log.scrollHeight - log.scrollTop - log.clientHeight, hidden: el.shadowRoot.getElementById('jump').hidden };
  });
  assert.ok(after.gap < 48 && after.hidden, JSON.stringify(after));
  assert.equal((await focused(page)).name, 'Conversation', 'focus lands on the transcript, not on the hidden button');
});
