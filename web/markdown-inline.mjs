// Inline Markdown of the widget (code, strong, em, del, links, autolinks) rendered as DOM nodes in one linear pass.
//
// Model text is untrusted: every character ends up in a Text node, and the only attribute set from
// it is a link's href after safeHref() allowed it. The scanner is linear: where closing markers,
// backtick runs and brackets are is indexed once per text, so an opener never rescans the rest of
// the line (`**a ` × 4 KB used to cost a second of main thread, issue 16 item 13). Emphasis nests
// at most MAX_INLINE_DEPTH deep; deeper markers stay characters.

export const MAX_INLINE_DEPTH = 8;
const ESCAPABLE = '\\`*_{}[]()#+-.!~<>|"\'';
const BARE_URL = /^https?:\/\/[^\s<>"]*[^\s<>".,:;!?)\]'*_~]/i;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const MARKERS = ['**', '__', '~~', '*', '_'];
const isSpace = (ch) => ch === undefined || /\s/.test(ch);
const isWordChar = (ch) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

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

// First value ≥ target in a sorted array, or undefined.
function firstAtLeast(sorted, target) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

// Everything the scanner looks ahead for, found in one pass over the text.
function indexText(text) {
  const closers = Object.fromEntries(MARKERS.map((m) => [m, []]));
  const runs = new Map(); // backtick run length → sorted start positions
  const match = new Map(); // "[" or "(" position → its matching "]" or ")"
  const open = { '[': [], '(': [] };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') {
      i += 1;
    } else if (ch === '`') {
      let end = i;
      while (text[end] === '`') end += 1;
      if (!runs.has(end - i)) runs.set(end - i, []);
      runs.get(end - i).push(i);
      i = end - 1;
    } else if (ch === '[' || ch === '(') {
      open[ch].push(i);
    } else if (ch === ']' || ch === ')') {
      const start = open[ch === ']' ? '[' : '('].pop();
      if (start !== undefined) match.set(start, i);
    }
  }
  for (const marker of MARKERS) {
    // A closer follows a non-space and is not followed by another of its character.
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
      if (at > 0 && !isSpace(text[at - 1]) && text[at + marker.length] !== marker[0]) closers[marker].push(at);
    }
  }
  return { text, closers, runs, match };
}

// The first closer of `marker` in [from, end); the one ending exactly at `end` counts even if the
// outer span's marker follows it (the inner text ends there).
function findClose(index, marker, from, end) {
  const found = firstAtLeast(index.closers[marker], from);
  if (found !== undefined && found + marker.length <= end) return found;
  const last = end - marker.length;
  const { text } = index;
  return last >= from && text.startsWith(marker, last) && !isSpace(text[last - 1]) ? last : -1;
}

function link(doc, href, parent) {
  const a = doc.createElement('a');
  a.href = href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  a.referrerPolicy = 'no-referrer';
  parent.append(a);
  return a;
}

/** Renders inline Markdown of `text` into `parent` (Text nodes and a few inline elements). */
export function renderInline(text, parent, doc = document, { inLink = false, image = 'Image: {label}' } = {}) {
  const source = String(text);
  renderRange(indexText(source), 0, source.length, parent, doc, { inLink, depth: 0, image });
}

function renderRange(index, start, end, parent, doc, options) {
  const { inLink, depth } = options;
  const { text } = index;
  let buffer = '';
  const flush = () => {
    if (buffer) parent.append(doc.createTextNode(buffer));
    buffer = '';
  };
  const wrap = (tag, from, to) => {
    flush();
    const node = doc.createElement(tag);
    renderRange(index, from, to, node, doc, { ...options, depth: depth + 1 });
    parent.append(node);
  };
  const nestable = depth < MAX_INLINE_DEPTH;
  const imageText = (from, to) => options.image.replace('{label}', text.slice(from, to));
  let i = start;
  while (i < end) {
    const ch = text[i];
    const prev = i > start ? text[i - 1] : undefined;
    if (ch === '\\' && i + 1 < end && ESCAPABLE.includes(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
    } else if (ch === '\n') {
      flush();
      parent.append(doc.createElement('br'));
      i += 1;
    } else if (ch === '`') {
      let runEnd = i;
      while (runEnd < end && text[runEnd] === '`') runEnd += 1;
      const length = runEnd - i;
      const close = firstAtLeast(index.runs.get(length) || [], runEnd);
      if (close === undefined || close + length > end) {
        buffer += text.slice(i, runEnd);
        i = runEnd;
      } else {
        flush();
        const code = doc.createElement('code');
        code.textContent = text.slice(runEnd, close).replace(/^ (.*) $/s, '$1');
        parent.append(code);
        i = close + length;
      }
    } else if (nestable && (ch === '*' || ch === '_' || ch === '~') && text[i + 1] === ch && i + 2 < end && !isSpace(text[i + 2])) {
      const close = findClose(index, ch + ch, i + 2, end);
      if (close === -1) {
        buffer += ch + ch;
        i += 2;
      } else {
        wrap(ch === '~' ? 'del' : 'strong', i + 2, close);
        i = close + 2;
      }
    } else if (nestable && (ch === '*' || ch === '_') && i + 1 < end && !isSpace(text[i + 1]) && !(ch === '_' && isWordChar(prev))) {
      const close = findClose(index, ch, i + 1, end);
      if (close === -1 || (ch === '_' && close + 1 < end && isWordChar(text[close + 1]))) {
        buffer += ch;
        i += 1;
      } else {
        wrap('em', i + 1, close);
        i = close + 1;
      }
    } else if (nestable && (ch === '[' || (ch === '!' && text[i + 1] === '[')) && !inLink) {
      const image = ch === '!';
      const parsed = parseLinkAt(index, image ? i + 1 : i, end);
      if (!parsed) {
        buffer += ch;
        i += 1;
        continue;
      }
      const href = safeHref(parsed.target);
      flush();
      if (href) {
        const a = link(doc, href, parent);
        if (image) a.append(doc.createTextNode(imageText(parsed.labelStart, parsed.labelEnd)));
        else renderRange(index, parsed.labelStart, parsed.labelEnd, a, doc, { ...options, inLink: true, depth: depth + 1 });
      } else if (image) {
        // An unsafe or relative target: the label stays as plain text, the target is dropped.
        parent.append(doc.createTextNode(imageText(parsed.labelStart, parsed.labelEnd)));
      } else {
        renderRange(index, parsed.labelStart, parsed.labelEnd, parent, doc, { ...options, depth: depth + 1 });
      }
      i = parsed.end;
    } else if (ch === '<' && !inLink && AUTOLINK.test(text.slice(i, end))) {
      const [whole, target] = AUTOLINK.exec(text.slice(i, end));
      const href = safeHref(target);
      flush();
      if (href) link(doc, href, parent).textContent = target;
      else buffer += whole;
      i += whole.length;
    } else if (
      (ch === 'h' || ch === 'H') &&
      !inLink &&
      (prev === undefined || /[\s*_~(]/.test(prev)) &&
      BARE_URL.test(text.slice(i, end))
    ) {
      // GFM's rule: a bare URL starts a word (or follows * _ ~ ( ), so href="…" in raw HTML stays text.
      const target = BARE_URL.exec(text.slice(i, end))[0];
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

// `[label](target "title")` at `start` (the "["), inside [start, end): { labelStart, labelEnd, target, end } or null.
function parseLinkAt(index, start, end) {
  const { text, match } = index;
  const close = match.get(start);
  if (close === undefined || close + 1 >= end || text[close + 1] !== '(') return null;
  // The destination may hold balanced parentheses: [x](https://en.wikipedia.org/wiki/A_(b)).
  const paren = match.get(close + 1);
  if (paren === undefined || paren >= end) return null;
  const inside = text.slice(close + 2, paren).trim();
  const angle = /^<([^>]*)>/.exec(inside);
  const target = angle ? angle[1] : inside.split(/\s+/)[0] || '';
  return { labelStart: start + 1, labelEnd: close, target, end: paren + 1 };
}
