// Safe Markdown for model output: turns parsed blocks into DOM nodes with createElement/textContent only, iteratively.
//
// Model text is untrusted. Nothing here ever assigns markup (no innerHTML, insertAdjacentHTML,
// outerHTML, document.write): every character of the model's text ends up in a Text node, so HTML
// in a reply (<script>, <img onerror>, entities such as &lt;) is shown as the characters it is.
// Elements come from a fixed list (p, br, strong, em, del, code, pre, a, ul, ol, li, blockquote,
// h3-h6, hr, div, span, button, table parts, disabled checkboxes), and the only attributes set from
// model text are a link's href, after safeHref() has allowed it, and a code block's language
// label, reduced to [A-Za-z0-9+#._-]. Images are never loaded (a tracking pixel is one request
// away): ![alt](url) becomes a link labelled "Image: alt".
import { parseBlocks } from './markdown-blocks.mjs';
import { renderInline } from './markdown-inline.mjs';

/** The words the renderer shows; the widget passes its own (translated) set. */
export const MARKDOWN_LABELS = {
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  copyCode: 'Copy code',
  copyLangCode: 'Copy {lang} code',
  code: 'code',
  table: 'Table',
  taskDone: 'Done',
  taskOpen: 'Not done',
  image: 'Image: {label}',
};

/** MARKDOWN_LABELS in the words of `t` (the widget's translator, whose keys include these names). */
export const markdownLabels = (t) => Object.fromEntries(Object.keys(MARKDOWN_LABELS).map((key) => [key, t(key)]));

function element(doc, tag, className) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  return node;
}

/** Copies `text` to the clipboard: the async API where allowed, else a hidden textarea and execCommand. */
export async function copyText(text, doc = document) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.cssText = 'position:fixed;top:0;left:0;opacity:0';
    doc.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = doc.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** A copy button: copies what `read()` returns at click time and says how it went (event md-copy). */
export function copyButton(doc, read, { text, label, labels }) {
  const button = element(doc, 'button', 'md-copy');
  button.type = 'button';
  button.textContent = text;
  button.setAttribute('aria-label', label);
  button.addEventListener('click', async () => {
    const ok = await copyText(read(), doc);
    button.textContent = ok ? labels.copied : labels.copyFailed;
    button.dispatchEvent(new CustomEvent('md-copy', { bubbles: true, composed: true, detail: { ok } }));
    setTimeout(() => {
      button.textContent = text;
    }, 1500);
  });
  return button;
}

/** A code block with its copy button; returns { node, text } (`text`: the Text node of the code). */
export function renderCodeBlock(block, doc = document, labels = MARKDOWN_LABELS) {
  const wrapper = element(doc, 'div', 'md-code');
  const bar = element(doc, 'div', 'md-code-bar');
  const lang = element(doc, 'span', 'md-code-lang');
  lang.textContent = block.lang || labels.code;
  const pre = element(doc, 'pre');
  pre.tabIndex = 0; // a long line scrolls sideways: the keyboard must be able to reach it
  const code = element(doc, 'code');
  if (block.lang) code.dataset.lang = block.lang;
  const text = doc.createTextNode(block.text);
  code.append(text);
  pre.append(code);
  // Read at click time: a block still streaming copies what is there now.
  const label = block.lang ? labels.copyLangCode.replace('{lang}', block.lang) : labels.copyCode;
  bar.append(
    lang,
    copyButton(doc, () => code.textContent, { text: labels.copy, label, labels })
  );
  wrapper.append(bar, pre);
  return { node: wrapper, text };
}

function renderTable(block, doc, labels) {
  // A wide table scrolls inside a focusable, named region instead of widening the bubble.
  const wrapper = element(doc, 'div', 'md-table');
  wrapper.tabIndex = 0;
  wrapper.setAttribute('role', 'region');
  wrapper.setAttribute('aria-label', labels.table);
  const table = element(doc, 'table');
  const row = (cells, tag) => {
    const tr = element(doc, 'tr');
    cells.forEach((cell, column) => {
      const td = element(doc, tag);
      if (tag === 'th') td.scope = 'col';
      const align = block.align[column];
      if (align) td.style.textAlign = align; // one of left/center/right, never model text
      renderInline(cell, td, doc, { image: labels.image });
      tr.append(td);
    });
    return tr;
  };
  const head = element(doc, 'thead');
  head.append(row(block.header, 'th'));
  table.append(head);
  if (block.rows.length) {
    const body = element(doc, 'tbody');
    for (const cells of block.rows) body.append(row(cells, 'td'));
    table.append(body);
  }
  wrapper.append(table);
  return wrapper;
}

function taskBox(doc, task, labels) {
  const box = element(doc, 'input', 'md-task');
  box.type = 'checkbox';
  box.disabled = true; // the model's list, not a form: shown, not editable
  box.checked = task.checked;
  box.setAttribute('aria-label', task.checked ? labels.taskDone : labels.taskOpen);
  return box;
}

/**
 * Renders parsed blocks into DOM nodes; returns { nodes, openCode } (the Text node of a trailing
 * unclosed fence). Containers are filled from an explicit stack, never by recursion.
 */
export function renderBlocks(blocks, doc = document, labels = MARKDOWN_LABELS) {
  const nodes = [];
  let openCode = null;
  const jobs = [{ blocks, append: (node) => nodes.push(node), top: true }];
  while (jobs.length) {
    const { blocks: list, append, top } = jobs.pop();
    for (const block of list) {
      if (top) openCode = null;
      if (block.type === 'code') {
        const { node, text } = renderCodeBlock(block, doc, labels);
        append(node);
        if (top && !block.closed) openCode = text;
      } else if (block.type === 'heading') {
        // h3-h6: the widget's own title is the page-level heading, a reply sits below it.
        const node = element(doc, `h${Math.min(block.level + 2, 6)}`);
        renderInline(block.text, node, doc, { image: labels.image });
        append(node);
      } else if (block.type === 'rule') {
        append(element(doc, 'hr'));
      } else if (block.type === 'table') {
        append(renderTable(block, doc, labels));
      } else if (block.type === 'quote') {
        const node = element(doc, 'blockquote');
        append(node);
        jobs.push({ blocks: block.children, append: (child) => node.append(child) });
      } else if (block.type === 'list') {
        const node = element(doc, block.ordered ? 'ol' : 'ul');
        if (block.ordered && block.start !== 1) node.start = block.start;
        block.items.forEach((item, n) => {
          const li = element(doc, 'li');
          const task = block.tasks && block.tasks[n];
          if (task) {
            li.className = 'md-task-item';
            li.append(taskBox(doc, task, labels), ' ');
          }
          // A tight item (one paragraph) keeps its text directly in the <li>.
          if (item.length === 1 && item[0].type === 'paragraph') renderInline(item[0].text, li, doc, { image: labels.image });
          else jobs.push({ blocks: item, append: (child) => li.append(child) });
          node.append(li);
        });
        append(node);
      } else {
        const node = element(doc, 'p');
        renderInline(block.text, node, doc, { image: labels.image });
        append(node);
      }
    }
  }
  return { nodes, openCode };
}

export const GROUP_SIZE = 32;

/**
 * Where finished blocks go: nested groups (div.md-part > div.md-part > up to GROUP_SIZE blocks, up
 * to GROUP_SIZE inner groups per outer one). While a reply streams, Chromium lays out the parent
 * of the redrawn part child by child; in groups a redraw passes a few dozen of them, not every
 * block of a long reply (flat, the layout cost per frame grew with the reply: quadratic overall).
 * A streamed reply and the same text rendered at once get the same groups.
 */
export class BlockGroups {
  #parent;
  #doc;
  #count = 0;
  #outer = null;
  #inner = null;

  constructor(parent, doc = parent.ownerDocument || document) {
    this.#parent = parent;
    this.#doc = doc;
  }

  append(nodes) {
    for (const node of nodes) {
      if (this.#count % (GROUP_SIZE * GROUP_SIZE) === 0) {
        this.#outer = element(this.#doc, 'div', 'md-part');
        this.#parent.append(this.#outer);
      }
      if (this.#count % GROUP_SIZE === 0) {
        this.#inner = element(this.#doc, 'div', 'md-part');
        this.#outer.append(this.#inner);
      }
      this.#inner.append(node);
      this.#count += 1;
    }
  }
}

/** Markdown text → a DocumentFragment of safe nodes (in BlockGroups). */
export function renderMarkdown(text, doc = document, labels = MARKDOWN_LABELS) {
  const fragment = doc.createDocumentFragment();
  new BlockGroups(fragment, doc).append(renderBlocks(parseBlocks(text), doc, labels).nodes);
  return fragment;
}
