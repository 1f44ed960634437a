// Browser tests of the widget's accessibility and looks: keyboard-only use, the log region, labels, focus, reduced motion, dark mode, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './helpers/chromium.mjs';
import { FLASH, TEXT_ONLY, events, faultNext, openWidget, screenshotDir, startSite, waitForEvents } from './helpers/widget.mjs';

let site;
let browser;

before(async () => {
  site = await startSite();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

// What has keyboard focus: an id inside the widget's shadow root, or the tag name outside it.
const focused = (page) =>
  page.evaluate(() => {
    const host = document.activeElement;
    const inner = host && host.shadowRoot ? host.shadowRoot.activeElement : null;
    if (!inner) return host ? host.tagName.toLowerCase() : null;
    const style = getComputedStyle(inner);
    return { id: inner.id, outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });

// Records the widget's announcements (its status region) and the log's aria-busy changes.
function watchLiveRegions(chat) {
  return chat.evaluate((el) => {
    const root = el.shadowRoot;
    window.announced = [];
    window.busy = [];
    new MutationObserver(() => {
      const text = root.getElementById('announce').textContent;
      if (text) window.announced.push(text);
    }).observe(root.getElementById('announce'), { childList: true, characterData: true, subtree: true });
    new MutationObserver(() => window.busy.push(root.getElementById('log').getAttribute('aria-busy'))).observe(root.getElementById('log'), {
      attributes: true,
      attributeFilter: ['aria-busy'],
    });
  });
}

test('keyboard only: pick a model, send, stop with Escape, start a new chat; focus is always visible', async () => {
  const { page, chat } = await openWidget(browser, site.origin);
  await watchLiveRegions(chat);

  const order = [];
  for (let i = 0; i < 5; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    order.push(now.id);
    assert.match(now.outline, /^solid [3-9]px$/, `visible focus on #${now.id}`);
  }
  // Tab order: model picker, the transcript (scrollable), the message box, then the buttons (Stop is disabled).
  assert.deepEqual(order, ['model', 'log', 'prompt', 'clear', 'send']);

  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).id, 'model');
  await page.keyboard.press('ArrowDown');
  await waitForEvents(page, 'llmbase-model-change');
  assert.equal(await chat.evaluate((el) => el.model), TEXT_ONLY);

  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'prompt');
  await page.keyboard.type('echo: Sent with the keyboard only.');
  await page.keyboard.press('Enter');
  await waitForEvents(page, 'llmbase-stream-end');
  assert.equal((await focused(page)).id, 'prompt', 'focus stays in the message box');
  assert.equal(await chat.locator('.msg.assistant .md').textContent(), 'Sent with the keyboard only.');
  // The log announces the reply once: busy while it streams, and two status messages, not one per token.
  assert.deepEqual(await page.evaluate(() => window.busy), ['true', 'false']);
  await page.waitForFunction(() => window.announced.at(-1) === 'Reply finished.');
  assert.deepEqual(await page.evaluate(() => window.announced), [`Reply from ${TEXT_ONLY} started.`, 'Reply finished.']);

  const removeFault = await faultNext(page, 'stall:60000');
  try {
    await page.keyboard.type('echo: This one is stopped with Escape.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('llmbase-chat').shadowRoot.querySelectorAll('.msg.assistant .md')[1]?.textContent.length > 0
    );
    await page.keyboard.press('Escape');
    await waitForEvents(page, 'llmbase-stream-end', 2);
  } finally {
    await removeFault();
  }
  assert.equal((await events(page, 'llmbase-stream-end'))[1].outcome, 'stopped');
  assert.equal((await focused(page)).id, 'prompt');
  await page.waitForFunction(() => window.announced.at(-1) === 'Reply stopped.');

  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'clear');
  await page.keyboard.press('Enter');
  assert.equal(await chat.locator('.msg').count(), 0);
  assert.deepEqual(await chat.evaluate((el) => el.messages), []);
  assert.equal((await focused(page)).id, 'prompt');
});

test('every control has a name, the transcript is a labelled log, and errors are alerts', async () => {
  const { chat } = await openWidget(browser, site.origin);
  assert.equal(await chat.getByRole('heading', { name: 'Ask the local model' }).count(), 1);
  assert.equal(await chat.getByRole('combobox', { name: 'Model' }).count(), 1);
  assert.equal(await chat.getByRole('textbox', { name: 'Message' }).count(), 1);
  assert.equal(await chat.getByRole('log', { name: 'Conversation' }).count(), 1);
  for (const name of ['Send', 'Stop', 'New chat']) assert.equal(await chat.getByRole('button', { name, exact: true }).count(), 1, name);
  const unnamed = await chat.evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('button, select, textarea, input')]
      .filter(
        (node) => !node.hidden && !(node.labels && node.labels.length) && !node.getAttribute('aria-label') && !node.textContent.trim()
      )
      .map((node) => node.id)
  );
  assert.deepEqual(unnamed, []);
  const roles = await chat.evaluate((el) => ({
    log: el.shadowRoot.getElementById('log').getAttribute('aria-live'),
    status: el.shadowRoot.getElementById('announce').getAttribute('role'),
    error: el.shadowRoot.getElementById('error').getAttribute('role'),
  }));
  assert.deepEqual(roles, { log: 'polite', status: 'status', error: 'alert' });
});

// One short conversation with the Markdown a reply typically has, for the screenshots.
const SAMPLE =
  'echo: Here is how to **stream** a reply:\n\n1. Create the client\n2. Iterate over the chunks\n\n```js\nfor await (const chunk of stream) render(chunk);\n```\n\nMore in the [docs](https://llmbase.ai/docs).';

for (const scheme of ['light', 'dark']) {
  test(`${scheme} mode: colours follow the scheme, reduced motion stops the animation, and a screenshot is written`, async () => {
    const reducedMotion = scheme === 'dark' ? 'reduce' : 'no-preference';
    const { page, chat } = await openWidget(browser, site.origin, { colorScheme: scheme, reducedMotion });
    // Hold the request so the typing indicator is on screen while its animation is checked.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await page.route('**/v1/chat/completions', async (route) => {
      await held;
      await route.continue();
    });
    await chat.locator('textarea').fill(SAMPLE);
    await chat.locator('textarea').press('Enter');
    await chat.locator('.typing span').first().waitFor();
    const animation = await chat
      .locator('.typing span')
      .first()
      .evaluate((node) => getComputedStyle(node).animationName);
    assert.equal(animation, scheme === 'dark' ? 'none' : 'blink');
    release();
    await waitForEvents(page, 'llmbase-stream-end');
    await page.unroute('**/v1/chat/completions');

    const colours = await chat.evaluate((el) => {
      const luminance = (rgb) =>
        rgb
          .match(/\d+/g)
          .slice(0, 3)
          .map(Number)
          .reduce((a, b) => a + b, 0) / 3;
      const box = getComputedStyle(el.shadowRoot.querySelector('.chat'));
      return { background: luminance(box.backgroundColor), text: luminance(box.color) };
    });
    if (scheme === 'dark') assert.ok(colours.background < 60 && colours.text > 200, JSON.stringify(colours));
    else assert.ok(colours.background > 240 && colours.text < 60, JSON.stringify(colours));
    assert.equal(await chat.locator('.md ol li').count(), 2);
    assert.equal(await chat.evaluate((el) => el.model), FLASH);
    // Tall enough to show the whole conversation, with the focus ring on the message box.
    await page.setViewportSize({ width: 900, height: 1200 });
    await chat.evaluate((el) => el.style.setProperty('--llmbase-height', '50rem'));
    await chat.locator('textarea').focus();
    await chat.screenshot({ path: `${screenshotDir()}/widget-${scheme}.png` });
  });
}

test('the theme attribute and --llmbase-* custom properties override the defaults', async () => {
  const { chat } = await openWidget(browser, site.origin, { colorScheme: 'light' });
  const styles = await chat.evaluate((el) => {
    el.setAttribute('theme', 'dark');
    const dark = getComputedStyle(el.shadowRoot.querySelector('.chat')).backgroundColor;
    el.style.setProperty('--llmbase-bg', 'rgb(1, 2, 3)');
    el.style.setProperty('--llmbase-accent', 'rgb(200, 0, 100)');
    const chatBox = getComputedStyle(el.shadowRoot.querySelector('.chat')).backgroundColor;
    const send = getComputedStyle(el.shadowRoot.getElementById('send')).backgroundColor;
    return { dark, chatBox, send };
  });
  assert.equal(styles.dark, 'rgb(27, 28, 32)');
  assert.equal(styles.chatBox, 'rgb(1, 2, 3)');
  assert.equal(styles.send, 'rgb(200, 0, 100)');
});
