// Markdown block parser of the widget: text → a tree of plain { type, … } objects, iterative (no recursion) and depth-capped.
//
// Supported: paragraphs, # headings, - * + and 1. lists (nested by indentation) with [ ] / [x] task
// items, > quotes, --- rules, ``` / ~~~ code fences (unterminated: to the end), GFM pipe tables with
// :--- / :---: / ---: alignment. Quotes and lists nest at most MAX_NESTING deep: a model reply of
// thousands of nested ">" once blew the stack (issue 16 item 12); deeper lines render as plain text.
// Nested containers are parsed from an explicit job stack, so depth never reaches the JS call stack.

export const MAX_NESTING = 16;

// Line patterns are written so that no line makes a regex backtrack more than linearly.
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING_OPEN = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
export const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
export const BLANK = /^[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/s;

/** An opening fence: { marker, lang } or null (a backtick fence's info string has no backtick). */
export function fenceOf(line) {
  const match = FENCE_OPEN.exec(line);
  if (!match || (match[1][0] === '`' && match[2].includes('`'))) return null;
  const lang = match[2].trim().split(/[ \t]/)[0];
  return { marker: match[1], lang: lang.replace(/[^A-Za-z0-9+#._-]/g, '').slice(0, 24) };
}

/** An ATX heading: { level, text } or null; a closing run of # after a space is dropped. */
export function headingOf(line) {
  const match = HEADING_OPEN.exec(line);
  if (!match) return null;
  let text = line.slice(match[0].length).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end === 0) text = '';
  else if (end < text.length && (text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trimEnd();
  return { level: match[1].length, text };
}

export function closingFence(line, open) {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(match && match[1][0] === open[0] && match[1].length >= open.length);
}

/** The cells of a table row: split at unescaped pipes, outer pipes dropped, `\|` kept as a pipe. */
export function splitRow(line) {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells = [];
  let cell = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\' && text[i + 1] === '|') {
      cell += '|';
      i += 1;
    } else if (text[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += text[i];
    }
  }
  cells.push(cell.trim());
  return cells;
}

// A table starts at `i` when that line has a pipe and the next is a delimiter row with as many cells.
function tableAt(lines, i) {
  const head = lines[i];
  const delimiter = lines[i + 1];
  if (delimiter === undefined || !head.includes('|') || !/^ {0,3}[|:-]/.test(delimiter)) return null;
  const cells = splitRow(delimiter);
  if (!cells.every((cell) => /^:?-+:?$/.test(cell)) || (cells.length === 1 && !delimiter.includes('|'))) return null;
  const header = splitRow(head);
  const align = cells.map((cell) => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
  return header.length === align.length ? { header, align } : null;
}

const startsBlock = (lines, i) =>
  fenceOf(lines[i]) !== null ||
  headingOf(lines[i]) !== null ||
  RULE.test(lines[i]) ||
  QUOTE.test(lines[i]) ||
  ITEM.test(lines[i]) ||
  tableAt(lines, i) !== null;

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
  return parseLineBlocks(String(text).replace(/\r\n?/g, '\n').split('\n'));
}

/**
 * The block tree of `lines` (text split at "\n", no "\r"). With `starts`, the index of the line
 * each top-level block starts on is pushed to it: a streaming reply commits blocks by line.
 */
export function parseLineBlocks(lines, starts = null) {
  const root = [];
  // Each job fills `out` from `lines`; a quote or a list item queues a job for its content.
  const jobs = [{ lines, out: root, depth: 0, starts }];
  while (jobs.length) parseLines(jobs.pop(), jobs);
  return root;
}

const paragraph = (lines) => ({ type: 'paragraph', text: lines.map((l) => l.trim()).join('\n') });

function parseLines({ lines, out, depth, starts }, jobs) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (BLANK.test(line)) {
      i += 1;
      continue;
    }
    if (starts) starts.push(i); // every pass below adds exactly one block to `out`
    const fence = fenceOf(line);
    if (fence) {
      const body = [];
      i += 1;
      while (i < lines.length && !closingFence(lines[i], fence.marker)) body.push(lines[i++]);
      const closed = i < lines.length;
      if (closed) i += 1;
      out.push({ type: 'code', lang: fence.lang, text: body.join('\n'), closed });
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      out.push({ type: 'heading', level: heading.level, text: heading.text });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ type: 'rule' });
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const start = i;
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].replace(QUOTE, ''));
      if (depth >= MAX_NESTING) {
        out.push(paragraph(lines.slice(start, i))); // too deep: the markers stay as characters
      } else {
        const children = [];
        out.push({ type: 'quote', children });
        jobs.push({ lines: body, out: children, depth: depth + 1 });
      }
      continue;
    }
    if (ITEM.test(line)) {
      i = parseList(lines, i, out, depth, jobs);
      continue;
    }
    const table = tableAt(lines, i);
    if (table) {
      const rows = [];
      i += 2;
      while (i < lines.length && !BLANK.test(lines[i]) && !(startsBlock(lines, i) && !tableAt(lines, i))) {
        // Rows get the header's width: missing cells are empty, extra cells join the last one.
        const cells = splitRow(lines[i++]);
        const row = cells.slice(0, table.header.length);
        if (cells.length > table.header.length) row[row.length - 1] = cells.slice(table.header.length - 1).join(' | ');
        while (row.length < table.header.length) row.push('');
        rows.push(row);
      }
      out.push({ type: 'table', header: table.header, align: table.align, rows });
      continue;
    }
    const body = [line];
    i += 1;
    while (i < lines.length && !BLANK.test(lines[i]) && !startsBlock(lines, i)) body.push(lines[i++]);
    out.push(paragraph(body));
  }
}

// One list (items of the same kind at the same indentation); returns the next line index.
function parseList(lines, start, out, depth, jobs) {
  const first = ITEM.exec(lines[start]);
  const ordered = /\d/.test(first[2]);
  const baseIndent = first[1].length;
  const items = [];
  const tasks = [];
  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i]);
    if (!match || match[1].length !== baseIndent || /\d/.test(match[2]) !== ordered) break;
    const contentIndent = baseIndent + match[2].length + Math.max(1, match[3].length);
    const task = TASK.exec(match[4]);
    tasks.push(task ? { checked: task[1] !== ' ' } : null);
    const body = [task ? task[2] : match[4]];
    i += 1;
    while (i < lines.length) {
      const line = lines[i];
      if (BLANK.test(line)) {
        // A blank line ends the item unless the next text is indented under it.
        let j = i + 1;
        while (j < lines.length && BLANK.test(lines[j])) j += 1;
        if (j === lines.length || indentOf(lines[j]) < Math.min(contentIndent, baseIndent + 2)) break;
        for (; i < j; i += 1) body.push('');
        continue;
      }
      if (indentOf(line) >= Math.min(contentIndent, baseIndent + 2)) {
        body.push(stripIndent(line, contentIndent));
        i += 1;
        continue;
      }
      if (startsBlock(lines, i)) break;
      body.push(line.trim()); // lazy continuation of the item's paragraph
      i += 1;
    }
    const item = [];
    if (depth < MAX_NESTING) jobs.push({ lines: body, out: item, depth: depth + 1 });
    items.push(item);
    // Blank lines between two items of this list keep the list going.
    let j = i;
    while (j < lines.length && BLANK.test(lines[j])) j += 1;
    const next = j > i && j < lines.length ? ITEM.exec(lines[j]) : null;
    if (next && next[1].length === baseIndent && /\d/.test(next[2]) === ordered) i = j;
  }
  // Too deep: the list's lines stay text, markers and all, as a too-deep quote's do.
  if (depth >= MAX_NESTING) out.push(paragraph(lines.slice(start, i)));
  else out.push({ type: 'list', ordered, start: ordered ? parseInt(first[2], 10) : 1, items, tasks });
  return i;
}
