// Browser tests of the widget's words and directions: lang="de" everywhere (with a screenshot), `strings` overrides, fallbacks, and dir="rtl" layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { customWidget, errorText, faultNext, openWidget, screenshotDir, send, siteForTests, waitForEvents } from './helpers/widget.mjs';

const env = siteForTests({ chunkDelayMs: 2 });

const SAMPLE =
  'echo: ## Übersicht\n\n| Modell | Preis |\n|:--|--:|\n| flash | 0.1 |\n\n- [x] erledigt\n- [ ] offen\n\n```js\nchat.send("hallo");\n```';

// Every word the widget itself shows (text outside replies and user messages, labels, placeholders,
// titles), and the English strings it must not show in German: fixed ones as text, templates as patterns.
function untranslated(el, [en, de]) {
  const root = el.shadowRoot;
  const words = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Replies and user messages are not the widget's words; a code block's bar (Copy) is.
    if (!parent || (parent.closest('.md') && !parent.closest('.md-code-bar')) || parent.closest('.user-text, style')) continue;
    if (node.data.trim()) words.push(node.data.trim());
  }
  for (const node of root.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'title']) if (node.getAttribute(name)) words.push(node.getAttribute(name));
  }
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const english = Object.keys(en)
    .filter((key) => en[key] !== de[key])
    .map((key) => ({ key, pattern: new RegExp(`^${escape(en[key]).replace(/\\\{\w+\\\}/g, '.+')}$`) }));
  return words.flatMap((word) => english.filter(({ pattern }) => pattern.test(word)).map(({ key }) => `${key}: ${word}`));
}

test('lang="de": every word the widget shows is German, nothing is cut off, and a screenshot is written', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const tables = await page.evaluate(() => import('/chat-strings.mjs').then((m) => [m.EN, m.DE]));
  const chat = await customWidget(page, { lang: 'de' });
  await chat.evaluate((el) => {
    window.announced = [];
    new MutationObserver(() => window.announced.push(el.shadowRoot.getElementById('announce').textContent)).observe(
      el.shadowRoot.getElementById('announce'),
      { childList: true, subtree: true }
    );
  });
  await send(chat, SAMPLE);
  await waitForEvents(page, 'llmbase-stream-end');
  assert.deepEqual(await chat.evaluate(untranslated, tables), []);
  // A sample of what shows, by role and name as a screen reader meets it.
  for (const [role, name, count = 1] of [
    ['button', 'Senden'],
    ['button', 'Stopp'],
    ['button', 'Neuer Chat'],
    ['button', 'Nachricht als Markdown kopieren', 2],
    ['button', 'Antwort neu erzeugen'],
    ['button', 'Nachricht bearbeiten'],
    ['button', 'js-Code kopieren'],
    ['combobox', 'Modell'],
    ['textbox', 'Nachricht'],
    ['log', 'Unterhaltung'],
    ['region', 'Tabelle'],
    ['checkbox', 'Erledigt'],
    ['checkbox', 'Offen'],
  ]) {
    assert.equal(await chat.getByRole(role, { name, exact: true }).count(), count, `${role} "${name}"`);
  }
  assert.equal(await chat.locator('textarea').getAttribute('placeholder'), 'Frag etwas…');
  assert.equal(await chat.evaluate((el) => el.shadowRoot.querySelector('.chat').getAttribute('lang')), 'de');
  await page.waitForFunction(() => window.announced.includes('Antwort fertig.'));
  assert.ok((await page.evaluate(() => window.announced)).some((text) => /^Antwort von .+ beginnt\.$/.test(text)));

  // German words are longer: at a phone's width every control still shows its whole label.
  await page.setViewportSize({ width: 360, height: 900 });
  const clipped = await chat.evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('button, label, .who, .error-title')]
      .filter((node) => node.offsetParent !== null && !node.matches('.visually-hidden') && node.scrollWidth > node.clientWidth + 1)
      .map((node) => node.textContent)
  );
  assert.deepEqual(clipped, []);
  assert.equal(
    await chat.evaluate((el) => {
      const box = el.shadowRoot.querySelector('.chat');
      return box.scrollWidth <= box.clientWidth;
    }),
    true,
    'no sideways overflow'
  );

  // An error in German too.
  const removeFault = await faultNext(page, 'rate-limit:30', 2);
  await send(chat, 'echo: noch eine');
  await waitForEvents(page, 'llmbase-error');
  await removeFault();
  assert.match(await errorText(chat), /Zu viele Nachrichten in kurzer Zeit \(429\)\.\s+Warte 30 s und versuche es dann erneut\./);
  assert.equal(await chat.getByRole('button', { name: 'Erneut versuchen' }).count(), 1);

  await page.setViewportSize({ width: 900, height: 1100 });
  await chat.evaluate((el) => el.style.setProperty('--llmbase-height', '46rem'));
  const path = `${screenshotDir()}/widget-de.png`;
  await chat.screenshot({ path });
  assert.equal(readFileSync(path).subarray(1, 4).toString(), 'PNG');
});

test('strings override any word over the language table, as text; lang falls back to English', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(
    page,
    { lang: 'de-AT' },
    { strings: { send: 'Los', replyFinished: '<b>fertig</b>', unknownKey: 'ignored', stop: 42 } }
  );
  assert.equal(await chat.getByRole('button', { name: 'Los', exact: true }).count(), 1, 'an override wins');
  assert.equal(
    await chat.getByRole('button', { name: 'Stopp', exact: true }).count(),
    1,
    'de-AT uses German; a non-string override is ignored'
  );
  await chat.evaluate((el) => {
    window.announced = [];
    new MutationObserver(() => window.announced.push(el.shadowRoot.getElementById('announce').textContent)).observe(
      el.shadowRoot.getElementById('announce'),
      { childList: true, subtree: true }
    );
  });
  await send(chat, 'echo: hallo');
  await waitForEvents(page, 'llmbase-stream-end');
  await page.waitForFunction(() => window.announced.includes('<b>fertig</b>'));
  assert.equal(await chat.locator('#announce b').count(), 0, 'a string is set as text, never as markup');
  assert.deepEqual(Object.keys(await chat.evaluate((el) => el.strings)).sort(), ['replyFinished', 'send', 'stop', 'unknownKey']);

  // Changing lang later re-labels the widget; an unknown language is English.
  await chat.evaluate((el) => el.setAttribute('lang', 'fr'));
  assert.equal(await chat.getByRole('button', { name: 'New chat', exact: true }).count(), 1);
  assert.equal(await chat.getByRole('button', { name: 'Los', exact: true }).count(), 1, 'overrides stay');
  await chat.evaluate((el) => {
    el.strings = null;
  });
  assert.equal(await chat.getByRole('button', { name: 'Send', exact: true }).count(), 1);
});

test('dir="rtl": bubbles, buttons, lists and quotes mirror, code stays left to right, and a screenshot is written', async () => {
  const { page } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(page, { dir: 'rtl', lang: 'de' });
  await send(chat, 'echo: שלום! רשימה:\n\n- פריט ראשון\n- פריט שני\n\n> ציטוט\n\n```js\nconst x = 1;\n```');
  await waitForEvents(page, 'llmbase-stream-end');
  const layout = await chat.evaluate((el) => {
    const root = el.shadowRoot;
    const box = (selector) => root.querySelector(selector).getBoundingClientRect();
    const style = (selector) => getComputedStyle(root.querySelector(selector));
    const log = box('#log');
    return {
      direction: style('.chat').direction,
      user: { left: box('.msg.user').left - log.left, right: log.right - box('.msg.user').right },
      assistant: { left: box('.msg.assistant').left - log.left, right: log.right - box('.msg.assistant').right },
      buttons: ['#send', '#stop', '#clear'].map((id) => box(id).left),
      prompt: style('textarea').direction,
      list: [style('.msg.assistant ul').paddingRight, style('.msg.assistant ul').paddingLeft],
      quote: [style('.msg.assistant blockquote').borderRightWidth, style('.msg.assistant blockquote').borderLeftWidth],
      code: style('.msg.assistant pre').direction,
      // Where the number and the word of "44 Tokens · $0.00001" land: a left-to-right string keeps its order.
      meta: (() => {
        const text = root.querySelector('.msg.assistant .meta').firstChild;
        const at = (from, to) => {
          const range = document.createRange();
          range.setStart(text, from);
          range.setEnd(text, to);
          return range.getBoundingClientRect().left;
        };
        const word = text.data.indexOf('Tokens');
        return { number: at(0, 1), word: at(word, word + 1), price: at(text.data.indexOf('$'), text.data.indexOf('$') + 1) };
      })(),
    };
  });
  assert.equal(layout.direction, 'rtl');
  assert.ok(layout.user.left < layout.user.right, `the user's bubble sits on the left: ${JSON.stringify(layout.user)}`);
  assert.ok(layout.assistant.right < layout.assistant.left, `the reply sits on the right: ${JSON.stringify(layout.assistant)}`);
  const [sendX, stopX, clearX] = layout.buttons;
  assert.ok(sendX < stopX && stopX < clearX, `Send, Stop, New chat run right to left: ${layout.buttons}`);
  assert.equal(layout.prompt, 'rtl');
  assert.ok(parseFloat(layout.list[0]) > 0 && parseFloat(layout.list[1]) === 0, `list indent on the right: ${layout.list}`);
  assert.deepEqual(layout.quote, ['3px', '0px']);
  assert.equal(layout.code, 'ltr');
  assert.ok(
    layout.meta.number < layout.meta.word && layout.meta.word < layout.meta.price,
    `German words keep their order: ${JSON.stringify(layout.meta)}`
  );
  await chat.evaluate((el) => el.style.setProperty('--llmbase-height', '40rem'));
  await chat.screenshot({ path: `${screenshotDir()}/widget-rtl.png` });
});
