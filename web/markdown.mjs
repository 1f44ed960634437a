// Safe Markdown for model output: parses a small Markdown subset and builds DOM nodes with createElement/textContent only.
//
// Model text is untrusted. Nothing here ever assigns markup (no innerHTML, insertAdjacentHTML,
// outerHTML, document.write): every character of the model's text ends up in a Text node, so HTML
// in a reply (<script>, <img onerror>, entities such as &lt;) is shown as the characters it is.
// Elements come from a fixed list (p, br, strong, em, del, code, pre, a, ul, ol, li, blockquote,
// h3-h6, hr, div, span, button), and the only attributes set from model text are a link's href,
// after safeHref() has allowed it, and a code block's language label, reduced to [A-Za-z0-9+#._-].
//
// Supported: paragraphs (a single newline is a line break), # headings, - * + and 1. lists (nested
// by indentation), > quotes, --- rules, ``` / ~~~ code fences (unterminated: to the end), `code`,
// **strong**, *em*, _em_, ~~del~~, [links](url), <autolinks>, bare http(s) URLs. Images are never
// loaded (a tracking pixel is one request away): ![alt](url) becomes a link labelled "Image: alt".

const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const BLANK = /^[ \t]*$/;

/** The href to use for a link target, or null when it is not an absolute http(s) or mailto URL. */
export function safeHref(raw) {
  const text = String(raw).trim();
  // Checked on the raw text and again after parsing, so tricks like "java\tscript:" or
  // "JaVaScRiPt:" or entity-encoded schemes (never decoded here) cannot slip through.
  if (!/^(https?:\/\/|mailto:)/i.test(text)) return null;
  try {
    const url = new URL(text);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function closingFence(line, open) {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(match && match[1][0] === open[0] && match[1].length >= open.length);
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

const indentOf = (line) => /^[ \t]*/.exec(line)[0].replace(/\t/g, '    ').length;

function stripIndent(line, count) {
  let removed = 0;
  let i = 0;
  while (i < line.length && removed < count && (line[i] === ' ' || line[i] === '\t')) {
    removed += line[i] === '\t' ? 4 : 1;
    i += 1;
  }
  return line.slice(i);
}

/** Parses Markdown text into a block tree: { type, … } objects (no DOM). */
export function parseBlocks(text) {
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (BLANK.test(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body = [];
      i += 1;
      while (i < lines.length && !closingFence(lines[i], fence[1])) body.push(lines[i++]);
      const closed = i < lines.length;
      if (closed) i += 1;
      blocks.push({ type: 'code', lang: fence[2].replace(/[^A-Za-z0-9+#._-]/g, '').slice(0, 24), text: body.join('\n'), closed });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1].length, text: heading[2] ?? '' });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].replace(QUOTE, ''));
      blocks.push({ type: 'quote', children: parseBlocks(body.join('\n')) });
      continue;
    }
    if (ITEM.test(line)) {
      i = parseList(lines, i, blocks);
      continue;
    }
    const body = [line];
    i += 1;
    while (i < lines.length && !BLANK.test(lines[i]) && !startsBlock(lines[i])) body.push(lines[i++]);
    blocks.push({ type: 'paragraph', text: body.map((l) => l.trim()).join('\n') });
  }
  return blocks;
}

// One list (items of the same kind at the same indentation); returns the next line index.
function parseList(lines, start, blocks) {
  const first = ITEM.exec(lines[start]);
  const ordered = /\d/.test(first[2]);
  const baseIndent = first[1].length;
  const items = [];
  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i]);
    if (!match || match[1].length !== baseIndent || /\d/.test(match[2]) !== ordered) break;
    const contentIndent = baseIndent + match[2].length + Math.max(1, match[3].length);
    const body = [match[4]];
    i += 1;
    while (i < lines.length) {
      const line = lines[i];
      if (BLANK.test(line)) {
        // A blank line ends the item unless the next text is indented under it.
        const next = lines.slice(i + 1).find((l) => !BLANK.test(l));
        if (next === undefined || indentOf(next) < Math.min(contentIndent, baseIndent + 2)) break;
        body.push('');
        i += 1;
        continue;
      }
      if (indentOf(line) >= Math.min(contentIndent, baseIndent + 2)) {
        body.push(stripIndent(line, contentIndent));
        i += 1;
        continue;
      }
      if (startsBlock(line)) break;
      body.push(line.trim()); // lazy continuation of the item's paragraph
      i += 1;
    }
    items.push(parseBlocks(body.join('\n')));
    // Blank lines between two items of this list keep the list going.
    let j = i;
    while (j < lines.length && BLANK.test(lines[j])) j += 1;
    const next = j > i && j < lines.length ? ITEM.exec(lines[j]) : null;
    if (next && next[1].length === baseIndent && /\d/.test(next[2]) === ordered) i = j;
  }
  blocks.push({ type: 'list', ordered, start: ordered ? parseInt(first[2], 10) : 1, items });
  return i;
}

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

/** A code block with its copy button; returns { node, text } (`text`: the Text node of the code). */
export function renderCodeBlock(block, doc = document) {
  const wrapper = element(doc, 'div', 'md-code');
  const bar = element(doc, 'div', 'md-code-bar');
  const label = element(doc, 'span', 'md-code-lang');
  label.textContent = block.lang || 'code';
  const button = element(doc, 'button', 'md-copy');
  button.type = 'button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', block.lang ? `Copy ${block.lang} code` : 'Copy code');
  const pre = element(doc, 'pre');
  pre.tabIndex = 0; // a long line scrolls sideways: the keyboard must be able to reach it
  const code = element(doc, 'code');
  if (block.lang) code.dataset.lang = block.lang;
  const text = doc.createTextNode(block.text);
  code.append(text);
  pre.append(code);
  button.addEventListener('click', async () => {
    // Read at click time: a block still streaming copies what is there now.
    const ok = await copyText(code.textContent, doc);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.dispatchEvent(new CustomEvent('md-copy', { bubbles: true, composed: true, detail: { ok } }));
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  });
  bar.append(label, button);
  wrapper.append(bar, pre);
  return { node: wrapper, text };
}

/** Renders parsed blocks into DOM nodes; returns { nodes, openCode } (the Text node of a trailing unclosed fence). */
export function renderBlocks(blocks, doc = document) {
  const nodes = [];
  let openCode = null;
  for (const block of blocks) {
    openCode = null;
    if (block.type === 'code') {
      const { node, text } = renderCodeBlock(block, doc);
      nodes.push(node);
      if (!block.closed) openCode = text;
    } else if (block.type === 'heading') {
      // h3-h6: the widget's own title is the page-level heading, a reply sits below it.
      const node = element(doc, `h${Math.min(block.level + 2, 6)}`);
      renderInline(block.text, node, doc);
      nodes.push(node);
    } else if (block.type === 'rule') {
      nodes.push(element(doc, 'hr'));
    } else if (block.type === 'quote') {
      const node = element(doc, 'blockquote');
      node.append(...renderBlocks(block.children, doc).nodes);
      nodes.push(node);
    } else if (block.type === 'list') {
      const node = element(doc, block.ordered ? 'ol' : 'ul');
      if (block.ordered && block.start !== 1) node.start = block.start;
      for (const item of block.items) {
        const li = element(doc, 'li');
        // A tight item (one paragraph) keeps its text directly in the <li>.
        if (item.length === 1 && item[0].type === 'paragraph') renderInline(item[0].text, li, doc);
        else li.append(...renderBlocks(item, doc).nodes);
        node.append(li);
      }
      nodes.push(node);
    } else {
      const node = element(doc, 'p');
      renderInline(block.text, node, doc);
      nodes.push(node);
    }
  }
  return { nodes, openCode };
}

/** Markdown text → a DocumentFragment of safe nodes. */
export function renderMarkdown(text, doc = document) {
  const fragment = doc.createDocumentFragment();
  fragment.append(...renderBlocks(parseBlocks(text), doc).nodes);
  return fragment;
}

const ESCAPABLE = '\\`*_{}[]()#+-.!~<>|"\'';
const BARE_URL = /^https?:\/\/[^\s<>"]*[^\s<>".,:;!?)\]'*_~]/i;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;

function findClose(text, marker, from) {
  let at = text.indexOf(marker, from);
  while (at !== -1) {
    // A closer follows a non-space and is not part of a longer run of the same character.
    if (!/\s/.test(text[at - 1] ?? ' ') && text[at + marker.length] !== marker[0]) return at;
    at = text.indexOf(marker, at + 1);
  }
  return -1;
}

// `[label](target "title")` starting at `start` (the "["): { label, target, end } or null.
function parseLinkAt(text, start) {
  let depth = 0;
  let i = start;
  for (; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '[') depth += 1;
    else if (text[i] === ']' && --depth === 0) break;
  }
  if (i >= text.length || text[i + 1] !== '(') return null;
  // The destination may hold balanced parentheses: [x](https://en.wikipedia.org/wiki/A_(b)).
  let close = i + 2;
  for (let parens = 0; close < text.length; close += 1) {
    if (text[close] === '\\') close += 1;
    else if (text[close] === '(') parens += 1;
    else if (text[close] === ')' && parens-- === 0) break;
  }
  if (close >= text.length) return null;
  const inside = text.slice(i + 2, close).trim();
  const target = /^<([^>]*)>/.exec(inside)?.[1] ?? inside.split(/\s+/)[0] ?? '';
  return { label: text.slice(start + 1, i), target, end: close + 1 };
}

function link(doc, href, parent) {
  const a = element(doc, 'a');
  a.href = href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  a.referrerPolicy = 'no-referrer';
  parent.append(a);
  return a;
}

/** Renders inline Markdown of `text` into `parent` (Text nodes and a few inline elements). */
export function renderInline(text, parent, doc = document, { inLink = false } = {}) {
  let buffer = '';
  const flush = () => {
    if (buffer) parent.append(doc.createTextNode(buffer));
    buffer = '';
  };
  const wrap = (tag, inner) => {
    flush();
    const node = element(doc, tag);
    renderInline(inner, node, doc, { inLink });
    parent.append(node);
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const rest = text.slice(i);
    if (ch === '\\' && ESCAPABLE.includes(text[i + 1] ?? '')) {
      buffer += text[i + 1];
      i += 2;
    } else if (ch === '\n') {
      flush();
      parent.append(element(doc, 'br'));
      i += 1;
    } else if (ch === '`') {
      const run = /^`+/.exec(rest)[0];
      const close = text.indexOf(run, i + run.length);
      if (close === -1) {
        buffer += run;
        i += run.length;
      } else {
        flush();
        const code = element(doc, 'code');
        code.textContent = text.slice(i + run.length, close).replace(/^ (.*) $/s, '$1');
        parent.append(code);
        i = close + run.length;
      }
    } else if ((ch === '*' || ch === '_' || ch === '~') && text[i + 1] === ch && !/\s/.test(text[i + 2] ?? ' ')) {
      const close = findClose(text, ch + ch, i + 2);
      if (close === -1) {
        buffer += ch + ch;
        i += 2;
      } else {
        wrap(ch === '~' ? 'del' : 'strong', text.slice(i + 2, close));
        i = close + 2;
      }
    } else if ((ch === '*' || ch === '_') && !/\s/.test(text[i + 1] ?? ' ') && !(ch === '_' && /[\p{L}\p{N}]/u.test(text[i - 1] ?? ''))) {
      const close = findClose(text, ch, i + 1);
      if (close === -1 || (ch === '_' && /[\p{L}\p{N}]/u.test(text[close + 1] ?? ''))) {
        buffer += ch;
        i += 1;
      } else {
        wrap('em', text.slice(i + 1, close));
        i = close + 1;
      }
    } else if ((ch === '[' || (ch === '!' && text[i + 1] === '[')) && !inLink) {
      const image = ch === '!';
      const parsed = parseLinkAt(text, image ? i + 1 : i);
      const href = parsed ? safeHref(parsed.target) : null;
      if (!parsed) {
        buffer += ch;
        i += 1;
        continue;
      }
      flush();
      if (href) {
        const a = link(doc, href, parent);
        if (image) a.append(doc.createTextNode(`Image: ${parsed.label || 'untitled'}`));
        else renderInline(parsed.label, a, doc, { inLink: true });
      } else {
        // An unsafe or relative target: the label stays as plain text, the target is dropped.
        renderInline(image ? `Image: ${parsed.label}` : parsed.label, parent, doc, { inLink });
      }
      i = parsed.end;
    } else if (ch === '<' && AUTOLINK.test(rest) && !inLink) {
      const [whole, target] = AUTOLINK.exec(rest);
      const href = safeHref(target);
      flush();
      if (href) link(doc, href, parent).textContent = target;
      else buffer += whole;
      i += whole.length;
    } else if ((ch === 'h' || ch === 'H') && !inLink && BARE_URL.test(rest) && /^[\s*_~(]?$/.test(text[i - 1] ?? '')) {
      // GFM's rule: a bare URL starts a word (or follows * _ ~ ( ), so href="…" in raw HTML stays text.
      const target = BARE_URL.exec(rest)[0];
      const href = safeHref(target);
      flush();
      if (href) link(doc, href, parent).textContent = target;
      else buffer += target;
      i += target.length;
    } else {
      buffer += ch;
      i += 1;
    }
  }
  flush();
}

/**
 * Where the finished blocks of `source` end, scanning complete lines from `from`: after a blank
 * line, a heading or a rule, before an opening fence, after a closing one. Text after it may still
 * change meaning as tokens arrive (an open fence, a paragraph in progress).
 */
export function commitBoundary(source, from = 0) {
  let pos = from;
  let safe = from;
  let fence = null;
  for (let nl = source.indexOf('\n', pos); nl !== -1; nl = source.indexOf('\n', pos)) {
    const line = source.slice(pos, nl);
    if (fence) {
      if (closingFence(line, fence)) {
        fence = null;
        safe = nl + 1;
      }
    } else if (FENCE.test(line)) {
      fence = FENCE.exec(line)[1];
      safe = pos;
    } else if (BLANK.test(line) || HEADING.test(line) || RULE.test(line)) {
      safe = nl + 1;
    }
    pos = nl + 1;
  }
  return safe;
}
