// Browser tests of the widget's block Markdown: tables with alignment, task lists, headings, deep nesting (issue 16), and streaming that draws what one-shot rendering draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { customWidget, openWidget, send, siteForTests, waitForEvents } from './helpers/widget.mjs';
import { benchCases, nestedQuotes, openEmphasis, splitEvery, streamInPage } from '../../scripts/bench-widget/replies.mjs';

let page; // one page for the renderer-only tests (the modules are imported from the site)
const env = siteForTests({ chunkDelayMs: 0 }, async ({ site, browser }) => {
  ({ page } = await openWidget(browser, site.origin));
});

test('tables: header, alignment per column, inline Markdown and escaped pipes in cells, ragged rows', async () => {
  const { page: tab, chat } = await openWidget(env.browser, env.site.origin);
  const markdown = [
    'Prices:',
    '| Model | In | Out | Notes |',
    '|:------|:--:|---:|-------|',
    '| **flash** | 0.1 | 0.2 | `fast` \\| cheap |',
    '| pro | 1 |',
    '| mini | 0.05 | 0.1 | a | extra |',
    '',
    'Not a table: | a | b | without a delimiter row.',
  ].join('\n');
  await send(chat, `echo: ${markdown}`);
  await waitForEvents(tab, 'llmbase-stream-end');
  const table = await chat.evaluate((el) => {
    const region = el.shadowRoot.querySelector('.msg.assistant .md-table');
    const cells = (row) =>
      [...row.children].map((cell) => ({ tag: cell.tagName.toLowerCase(), text: cell.textContent, align: cell.style.textAlign }));
    return {
      count: el.shadowRoot.querySelectorAll('.msg.assistant table').length,
      region: { role: region.getAttribute('role'), label: region.getAttribute('aria-label'), tabIndex: region.tabIndex },
      head: cells(region.querySelector('thead tr')),
      scopes: [...region.querySelectorAll('th')].map((th) => th.scope),
      body: [...region.querySelectorAll('tbody tr')].map((row) => cells(row).map((c) => c.text)),
      aligns: [...region.querySelectorAll('tbody tr:first-child td')].map((td) => td.style.textAlign),
      inline: [region.querySelector('tbody strong')?.textContent, region.querySelector('tbody code')?.textContent],
      before: region.previousElementSibling?.textContent,
      after: region.nextElementSibling?.textContent,
    };
  });
  assert.equal(table.count, 1, 'one table; a line with pipes and no delimiter row stays a paragraph');
  assert.deepEqual(table.region, { role: 'region', label: 'Table', tabIndex: 0 });
  assert.deepEqual(table.head, [
    { tag: 'th', text: 'Model', align: 'left' },
    { tag: 'th', text: 'In', align: 'center' },
    { tag: 'th', text: 'Out', align: 'right' },
    { tag: 'th', text: 'Notes', align: '' },
  ]);
  assert.deepEqual(table.scopes, ['col', 'col', 'col', 'col']);
  assert.deepEqual(table.body, [
    ['flash', '0.1', '0.2', 'fast | cheap'],
    ['pro', '1', '', ''],
    ['mini', '0.05', '0.1', 'a | extra'],
  ]);
  assert.deepEqual(table.aligns, ['left', 'center', 'right', '']);
  assert.deepEqual(table.inline, ['flash', 'fast']);
  assert.equal(table.before, 'Prices:');
  assert.equal(table.after, 'Not a table: | a | b | without a delimiter row.');
});

test('task lists, strikethrough and headings: disabled named checkboxes, <del>, h3-h6 below the widget title', async () => {
  const { page: tab, chat } = await openWidget(env.browser, env.site.origin);
  await send(chat, 'echo: # Plan\n## Steps\n- [x] ~~write~~ done\n- [ ] test\n- plain item\n\n###### Small\n####### seven is text');
  await waitForEvents(tab, 'llmbase-stream-end');
  const result = await chat.evaluate((el) => {
    const md = el.shadowRoot.querySelector('.msg.assistant .md');
    return {
      headings: [...md.querySelectorAll('h3, h4, h5, h6')].map((h) => [h.tagName.toLowerCase(), h.textContent]),
      boxes: [...md.querySelectorAll('input')].map((box) => ({
        type: box.type,
        checked: box.checked,
        disabled: box.disabled,
        label: box.getAttribute('aria-label'),
      })),
      items: [...md.querySelectorAll('li')].map((li) => li.textContent.trim()),
      del: md.querySelector('del')?.textContent,
      text: [...md.querySelectorAll('p')].at(-1).textContent,
    };
  });
  assert.deepEqual(result.headings, [
    ['h3', 'Plan'],
    ['h4', 'Steps'],
    ['h6', 'Small'],
  ]);
  assert.deepEqual(result.boxes, [
    { type: 'checkbox', checked: true, disabled: true, label: 'Done' },
    { type: 'checkbox', checked: false, disabled: true, label: 'Not done' },
  ]);
  assert.deepEqual(result.items, ['write done', 'test', 'plain item']);
  assert.equal(result.del, 'write');
  assert.equal(await chat.getByRole('checkbox', { name: 'Done', exact: true }).isDisabled(), true);
  assert.equal(result.text, '####### seven is text');
});

// Deepest nesting of `selector` elements under `root` (walked with a stack: the tree may be deep).
// Defined in a page as window.depthOf by givePageDepthOf().
function depthOf(root, selector) {
  let deepest = 0;
  const stack = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop();
    const here = node !== root && node.matches(selector) ? depth + 1 : depth;
    deepest = Math.max(deepest, here);
    for (const child of node.children) stack.push([child, here]);
  }
  return deepest;
}

const givePageDepthOf = (tab) => tab.evaluate(`window.depthOf = ${depthOf.toString()}`);

test('3,000 nested ">" quotes stream through the widget: nesting stops at 16, the rest is text, the reply is kept', async () => {
  const { page: tab, pageErrors } = await openWidget(env.browser, env.site.origin);
  const chat = await customWidget(tab, { 'max-tokens': '4000' }); // the demo's 600 tokens would cut the reply
  const reply = nestedQuotes(3000);
  await send(chat, `echo: ${reply}`);
  const [, message] = await waitForEvents(tab, 'llmbase-message', 2);
  assert.equal(message.content, reply);
  await givePageDepthOf(tab);
  const drawn = await chat.evaluate((el) => {
    const md = el.shadowRoot.querySelector('.msg.assistant .md');
    return { depth: window.depthOf(md, 'blockquote'), text: md.textContent };
  });
  const { MAX_NESTING } = await tab.evaluate(() => import('/markdown.mjs').then((m) => ({ MAX_NESTING: m.MAX_NESTING })));
  assert.equal(MAX_NESTING, 16);
  assert.equal(drawn.depth, MAX_NESTING);
  assert.equal(drawn.text, `${'>'.repeat(3000 - MAX_NESTING)} bottom`, 'the markers past the cap are shown as characters');
  assert.deepEqual(pageErrors, []);
});

test('hostile nesting renders without recursion: quotes in 40-character pieces and in one, lists, emphasis, "**a " × 4 KB', async () => {
  const cases = {
    quotes40: splitEvery(nestedQuotes(3000), 40),
    quotesOne: [nestedQuotes(4000)],
    lists: [`${'- '.repeat(3000)}deep`],
    indented: [Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')],
    emphasis: [`${'*_'.repeat(3000)}x${'_*'.repeat(3000)}`],
    open: splitEvery(openEmphasis(4096), 40),
  };
  await givePageDepthOf(page);
  const result = await page.evaluate(async (all) => {
    const depth = window.depthOf;
    const { MarkdownStream } = await import('/markdown-stream.mjs');
    const out = {};
    for (const [name, pieces] of Object.entries(all)) {
      const root = document.createElement('div');
      const md = new MarkdownStream(root, { schedule: (draw) => draw() }); // every piece drawn
      for (const piece of pieces) md.append(piece);
      md.finish();
      out[name] = {
        quotes: depth(root, 'blockquote'),
        lists: depth(root, 'ul, ol'),
        inline: depth(root, 'em, strong'),
        strong: root.querySelectorAll('strong').length,
        text: root.textContent,
      };
    }
    return out;
  }, cases);
  assert.equal(result.quotes40.quotes, 16);
  assert.equal(result.quotes40.text, `${'>'.repeat(2984)} bottom`);
  assert.equal(result.quotesOne.quotes, 16, '4,000 in one piece: no "Maximum call stack size exceeded"');
  assert.equal(result.quotesOne.text, `${'>'.repeat(3984)} bottom`);
  assert.equal(result.lists.lists, 16);
  assert.ok(result.lists.text.endsWith('- - deep'), 'list markers past the cap stay as text');
  assert.equal(result.indented.lists, 16);
  assert.ok(result.indented.text.includes('level 299'));
  assert.ok(result.emphasis.inline <= 8, `emphasis nests at most 8 deep: ${result.emphasis.inline}`);
  assert.ok(result.emphasis.text.includes('x'));
  assert.equal(result.open.strong, 0, 'an opener that never closes is text');
  assert.equal(result.open.text, openEmphasis(4096).trim());
});

// Text that once streamed differently from one-shot: loose lists, indented blocks in items,
// tables ended by a paragraph, a fence in a list item, CRLF line ends, emphasis across lines.
const TRICKY = [
  'Intro para',
  '',
  '1. a',
  '',
  '2. b',
  '   more',
  '',
  '- x',
  '- y',
  '',
  '  indented under y',
  '',
  '| a | b |',
  '|--|--|',
  '| 1 | 2 |',
  'para after the table',
  '# H',
  '---',
  '> q',
  '> q2',
  '',
  '```js',
  'code',
  '```',
  'after',
  '- item',
  '  ```py',
  '  x = 1',
  '  ```',
  '- next',
  '',
  'text **bold',
  'still** end\r\nwindows\r\n\r\nline',
].join('\n');

test('a streamed reply ends as the same DOM as rendering its text at once, however it is cut; cost at 1×, 2×, 4× reported', async (t) => {
  const docs = { tricky: TRICKY };
  for (const { name, text } of benchCases(1)) docs[name] = text;
  const sizes = [1, 2, 3, 7, 40, 500];
  const same = await page.evaluate(
    async ([all, cuts]) => {
      const { MarkdownStream } = await import('/markdown-stream.mjs');
      const { renderMarkdown } = await import('/markdown-render.mjs');
      const out = {};
      for (const [name, text] of Object.entries(all)) {
        const whole = document.createElement('div');
        whole.append(renderMarkdown(text));
        out[name] = cuts.filter((size) => {
          const root = document.createElement('div');
          const md = new MarkdownStream(root, { schedule: (draw) => draw() });
          for (let i = 0; i < text.length; i += size) md.append(text.slice(i, i + size));
          md.finish();
          return root.innerHTML !== whole.innerHTML;
        });
      }
      return out;
    },
    [docs, sizes]
  );
  assert.deepEqual(same, Object.fromEntries(Object.keys(docs).map((name) => [name, []])), 'sizes whose streamed DOM differs');

  // The benchmark's cases at 1×, 2× and 4×, a frame per piece: the output, and (reported, not
  // asserted) how the time grows. scripts/bench-widget.mjs measures it with layout.
  for (const scale of [1, 2, 4]) {
    for (const { name, text, pieces } of benchCases(scale)) {
      const run = await page.evaluate(streamInPage, { pieces, whole: text });
      assert.ok(run.same, `${name} at ${scale}×: streamed = one-shot`);
      t.diagnostic(`${name} ${scale}× (${text.length} chars, ${pieces.length} pieces): ${run.ms.toFixed(1)} ms`);
    }
  }
});
