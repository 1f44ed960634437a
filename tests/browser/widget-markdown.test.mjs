// Browser tests of the widget's Markdown: hostile model replies (served by the local server's echo:) never run or load anything, in every kind of block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './helpers/chromium.mjs';
import { openWidget, send, startSite, waitForEvents } from './helpers/widget.mjs';

let site;
let browser;

before(async () => {
  site = await startSite({ chunkDelayMs: 2 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

// Each line is one hostile (or tricky) piece of a reply; the model sends them back verbatim.
const HOSTILE = [
  'Raw HTML: <img src=/pwned-img onerror="window.pwned=1"> and <script>window.pwned=2</script>',
  'More: <svg onload="window.pwned=3"></svg> <iframe srcdoc="<script>parent.pwned=4</script>"></iframe> <style>*{display:none}</style>',
  'Links: [a](javascript:window.pwned=5) [b](JaVaScRiPt:window.pwned=6) [c](java\tscript:window.pwned=7) [d]( javascript:window.pwned=8)',
  'Schemes: [e](data:text/html,<script>alert(1)</script>) [f](vbscript:msgbox) [g](/relative/path) <javascript:window.pwned=9>',
  'Entities: &lt;b&gt;not bold&lt;/b&gt; &amp; &#60;script&#62;window.pwned=10&#60;/script&#62; &#x6A;avascript:x',
  'Image: ![pixel](https://tracker.invalid/p.gif) and a link <a href="https://evil.invalid">raw anchor</a>',
  'Good: [docs](https://llmbase.ai/docs "title") and https://example.com/path?q=1 and **<b>bold</b>** and [**strong** link](mailto:hi@example.com)',
  '',
  '```html',
  '<script>window.pwned=11</script>',
  '<img src=/pwned-code onerror=window.pwned=12>',
  'the fence is never closed',
];

test('hostile replies render as text: no HTML, no script, no unsafe links, no loads', async () => {
  const { page, chat, pageErrors } = await openWidget(browser, site.origin, { permissions: ['clipboard-read', 'clipboard-write'] });
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));

  await send(chat, `echo: ${HOSTILE.join('\n')}`);
  const [, reply] = await waitForEvents(page, 'llmbase-message', 2);
  assert.equal(reply.content, HOSTILE.join('\n'), 'the server echoed the reply verbatim');

  const report = await chat.evaluate((el) => {
    const body = el.shadowRoot.querySelector('.msg.assistant .md');
    const all = [...body.querySelectorAll('*')];
    return {
      tags: [...new Set(all.map((n) => n.tagName.toLowerCase()))].sort(),
      handlers: all.flatMap((n) => [...n.attributes].map((a) => a.name)).filter((name) => name.startsWith('on')),
      links: [...body.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href'),
        rel: a.rel,
        target: a.target,
        text: a.textContent,
      })),
      text: body.textContent,
      code: body.querySelector('pre code').textContent,
      pwned: window.pwned,
    };
  });
  const allowedTags = ['a', 'br', 'button', 'code', 'del', 'div', 'em', 'p', 'pre', 'span', 'strong'];
  assert.deepEqual(
    report.tags.filter((tag) => !allowedTags.includes(tag)),
    [],
    `unexpected elements: ${report.tags}`
  );
  assert.deepEqual(report.handlers, []);
  assert.equal(report.pwned, undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(
    requests.filter((url) => /pwned|tracker\.invalid|evil\.invalid|relative\/path/.test(url)),
    []
  );

  // Only the three safe links became links, each opening safely in a new tab.
  assert.deepEqual(
    report.links.map((l) => l.href),
    ['https://tracker.invalid/p.gif', 'https://llmbase.ai/docs', 'https://example.com/path?q=1', 'mailto:hi@example.com']
  );
  for (const link of report.links) {
    assert.equal(link.rel, 'noopener noreferrer');
    assert.equal(link.target, '_blank');
  }
  assert.equal(report.links[0].text, 'Image: pixel', 'an image is offered as a link, never loaded');
  // The hostile text is there, as characters.
  for (const piece of [
    '<img src=/pwned-img onerror="window.pwned=1">',
    '<script>window.pwned=2</script>',
    '&lt;b&gt;not bold&lt;/b&gt;',
    '&#60;script&#62;',
    '<a href="https://evil.invalid">raw anchor</a>',
    'a b c d',
    '<b>bold</b>',
  ]) {
    assert.ok(report.text.includes(piece), piece);
  }
  assert.equal(report.code, '<script>window.pwned=11</script>\n<img src=/pwned-code onerror=window.pwned=12>\nthe fence is never closed');

  // The code block's copy button copies the code as text.
  await chat.getByRole('button', { name: 'Copy html code' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), report.code);
  await chat.getByRole('button', { name: 'Copy html code' }).filter({ hasText: 'Copied' }).waitFor();
});

// The same attacks inside every block the renderer added: headings, tables, task lists, strikethrough, quotes.
const HOSTILE_BLOCKS = [
  '# <img src=/pwned-h1 onerror="window.pwned=20"> heading [x](javascript:window.pwned=21)',
  '###### <script>window.pwned=22</script>',
  '',
  '| <b onclick="window.pwned=23">head</b> | [l](javascript:window.pwned=24) |',
  '|:-:|--:|',
  '| <img src=/pwned-td onerror=window.pwned=25> | ![t](https://tracker.invalid/t.gif) |',
  '| `<script>` \\| pipe | ~~<s onmouseover=window.pwned=26>x</s>~~ |',
  '',
  '- [x] <svg onload="window.pwned=27"></svg>',
  '- [ ] [task](data:text/html,<script>alert(1)</script>) <input type=checkbox onclick=window.pwned=28>',
  '',
  '~~<iframe src="javascript:window.pwned=29"></iframe>~~',
  '',
  '> ## <style>*{display:none}</style>',
  '> | q | <a href="https://evil.invalid">r</a> |',
  '> |---|---|',
  '> | <img src=/pwned-q onerror=window.pwned=30> | c |',
  '',
  '---',
];

// Which attributes each element may carry, and for which values.
const ALLOWED_ATTRIBUTES = {
  a: ['href', 'rel', 'target', 'referrerpolicy'],
  input: ['class', 'type', 'disabled', 'aria-label'],
  div: ['class', 'tabindex', 'role', 'aria-label'],
  th: ['scope', 'style'],
  td: ['style'],
  pre: ['tabindex'],
  code: ['data-lang'],
  button: ['class', 'type', 'aria-label'],
  span: ['class'],
  li: ['class'],
  ol: ['start'],
};

test('hostile replies in headings, tables, task lists, strikethrough and quotes render as text too', async () => {
  const { page, chat, pageErrors } = await openWidget(browser, site.origin);
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await send(chat, `echo: ${HOSTILE_BLOCKS.join('\n')}`);
  const [, reply] = await waitForEvents(page, 'llmbase-message', 2);
  assert.equal(reply.content, HOSTILE_BLOCKS.join('\n'));
  const report = await chat.evaluate((el) => {
    const body = el.shadowRoot.querySelector('.msg.assistant .md');
    const all = [...body.querySelectorAll('*')];
    return {
      tags: [...new Set(all.map((n) => n.tagName.toLowerCase()))].sort(),
      attributes: all.flatMap((n) => [...n.attributes].map((a) => [n.tagName.toLowerCase(), a.name, a.value])),
      links: [...body.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      boxes: [...body.querySelectorAll('input')].map((box) => [box.type, box.disabled]),
      cells: [...body.querySelectorAll('th, td')].map((cell) => cell.textContent),
      headings: [...body.querySelectorAll('h3, h4, h5, h6')].map((h) => `${h.tagName}:${h.textContent}`),
      del: [...body.querySelectorAll('del')].map((d) => d.textContent),
      pwned: window.pwned,
    };
  });
  // The renderer's fixed list (markdown-render.mjs); model text never picks a tag.
  const allowedTags = [
    'a',
    'blockquote',
    'br',
    'button',
    'code',
    'del',
    'div',
    'em',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'input',
    'li',
    'ol',
    'p',
    'pre',
    'span',
    'strong',
    'table',
    'tbody',
    'td',
    'th',
    'thead',
    'tr',
    'ul',
  ];
  assert.deepEqual(
    report.tags.filter((tag) => !allowedTags.includes(tag)),
    [],
    `unexpected elements: ${report.tags}`
  );
  for (const [tag, name, value] of report.attributes) {
    if (name === 'class') continue;
    assert.ok((ALLOWED_ATTRIBUTES[tag] || []).includes(name), `${tag} ${name}="${value}"`);
    if (name === 'style') assert.match(value, /^text-align: (left|center|right);$/);
  }
  assert.equal(report.pwned, undefined);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(
    requests.filter((url) => /pwned|tracker\.invalid|evil\.invalid/.test(url)),
    []
  );
  assert.deepEqual(report.links, ['https://tracker.invalid/t.gif'], 'only the safe image target became a link (never loaded)');
  assert.deepEqual(
    report.boxes,
    [
      ['checkbox', true],
      ['checkbox', true],
    ],
    'only the two task boxes, both disabled'
  );
  assert.deepEqual(report.headings, [
    'H3:<img src=/pwned-h1 onerror="window.pwned=20"> heading x',
    'H6:<script>window.pwned=22</script>',
    'H4:<style>*{display:none}</style>',
  ]);
  assert.deepEqual(report.cells, [
    '<b onclick="window.pwned=23">head</b>',
    'l',
    '<img src=/pwned-td onerror=window.pwned=25>',
    'Image: t',
    '<script> | pipe',
    '<s onmouseover=window.pwned=26>x</s>',
    'q',
    '<a href="https://evil.invalid">r</a>',
    '<img src=/pwned-q onerror=window.pwned=30>',
    'c',
  ]);
  assert.deepEqual(report.del, ['<s onmouseover=window.pwned=26>x</s>', '<iframe src="javascript:window.pwned=29"></iframe>']);
});

test('safeHref allows only absolute http(s) and mailto URLs', async () => {
  const { page } = await openWidget(browser, site.origin);
  const results = await page.evaluate(async () => {
    const { safeHref } = await import('/markdown.mjs');
    const inputs = [
      'https://a.example/x',
      'HTTP://A.EXAMPLE',
      'mailto:a@b.example',
      'javascript:alert(1)',
      ' JAVASCRIPT:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,x',
      '//evil.example/x',
      '/local',
      'https:evil',
      'file:///etc/passwd',
      'blob:https://a/x',
    ];
    return Object.fromEntries(inputs.map((input) => [input, safeHref(input)]));
  });
  assert.deepEqual(results, {
    'https://a.example/x': 'https://a.example/x',
    'HTTP://A.EXAMPLE': 'http://a.example/',
    'mailto:a@b.example': 'mailto:a@b.example',
    'javascript:alert(1)': null,
    ' JAVASCRIPT:alert(1)': null,
    'java\nscript:alert(1)': null,
    'data:text/html,x': null,
    '//evil.example/x': null,
    '/local': null,
    'https:evil': null,
    'file:///etc/passwd': null,
    'blob:https://a/x': null,
  });
});
