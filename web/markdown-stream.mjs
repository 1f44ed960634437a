// Incremental rendering of a streaming reply: finished blocks drawn once, the open part at most once per frame, an open code block grown in place.
import { BLANK, closingFence, fenceOf, parseLineBlocks } from './markdown-blocks.mjs';
import { BlockGroups, MARKDOWN_LABELS, renderBlocks } from './markdown-render.mjs';

/**
 * Characters of open (unfinished) text redrawn per frame, on average: an open part of n characters
 * is redrawn every ceil(n / REDRAW_BUDGET) frames, so a reply that never finishes a block (issue 16:
 * "**a " × 4 KB, thousands of nested ">") costs linear, not quadratic, main-thread time.
 */
export const REDRAW_BUDGET = 2048;
const LONGEST_FENCE_LINE = 256; // a longer line is not checked for a closing fence until the end

const nextFrame = (callback) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : setTimeout(callback, 16));

// Blocks whose end is decided by their own lines, and blocks a blank line always ends.
const ENDS_ITSELF = new Set(['heading', 'rule', 'code']);
const ENDS_AT_BLANK = new Set(['paragraph', 'table', 'quote']);

/**
 * How many leading top-level blocks of `lines` (the last line may still grow) no later text can
 * change. A block is final once the next one has begun and the lines that ended it are complete:
 * the next block's first line and the one after it (a table needs its delimiter row), or a blank
 * line for blocks a blank line ends. A list may go on after blank lines, so it waits for the rule.
 */
function finalCount(blocks, starts, lines) {
  const lastComplete = lines.length - 2;
  let count = 0;
  while (count + 1 < blocks.length) {
    const next = starts[count + 1];
    const { type } = blocks[count];
    if (!(ENDS_ITSELF.has(type) || (ENDS_AT_BLANK.has(type) && BLANK.test(lines[next - 1])) || next + 1 <= lastComplete)) break;
    count += 1;
  }
  return count;
}

const offsetOf = (lines, index) => {
  let offset = 0;
  for (let i = 0; i < index; i += 1) offset += lines[i].length + 1;
  return offset;
};

/**
 * Renders a reply while it streams, to the same DOM as rendering the whole text at once. Finished
 * blocks are rendered once and never touched again; only the open part (usually one paragraph) is
 * redrawn, and an open code block just grows its Text node. Tokens arriving within one animation
 * frame cost one redraw (issue 16 item 13): `append` only records text and asks for a frame;
 * `flush()` draws now. Options: `labels` (the renderer's words), `schedule` (how to wait for a
 * frame; default requestAnimationFrame), `onRender` (called after each redraw).
 */
export class MarkdownStream {
  #root;
  #groups; // where finished blocks go
  #doc;
  #labels;
  #schedule;
  #onRender;
  #source = ''; // the text as received
  #open = ''; // the text not yet committed, line ends normalised to "\n"
  #fresh = ''; // what #open gained since the last draw
  #cr = false; // the last piece ended in "\r": a "\n" starting the next one belongs to it
  #pending = false;
  #done = false;
  #waited = 0; // frames since the last full redraw
  #live = []; // the nodes of the open part
  #code = null; // { text, marker, line, long } while the open part is one open code block

  constructor(root, { doc = root.ownerDocument, labels = MARKDOWN_LABELS, schedule = nextFrame, onRender = null } = {}) {
    this.#root = root;
    this.#groups = new BlockGroups(root, doc);
    this.#doc = doc;
    this.#labels = labels;
    this.#schedule = schedule;
    this.#onRender = onRender;
  }

  /** The Markdown text received so far. */
  get text() {
    return this.#source;
  }

  append(delta) {
    if (!delta || this.#done) return;
    this.#source += delta;
    let text = String(delta);
    if (this.#cr && text[0] === '\n') text = text.slice(1);
    this.#cr = text.endsWith('\r');
    text = text.replace(/\r\n?/g, '\n');
    this.#open += text;
    this.#fresh += text;
    this.#request();
  }

  /** Draws what arrived since the last draw, now. */
  flush() {
    if (!this.#fresh) return;
    if (!(this.#code && this.#growCode())) this.#draw();
    if (this.#onRender) this.#onRender();
  }

  /** The reply is over: what arrived is drawn, as rendering the whole text would draw it, and stays. */
  finish() {
    if (this.#done) return;
    this.#done = true;
    if (this.#open) this.#draw();
    this.#live = [];
    this.#code = null;
    if (this.#onRender) this.#onRender();
  }

  #request() {
    if (this.#pending) return;
    this.#pending = true;
    this.#schedule(() => this.#frame());
  }

  #frame() {
    this.#pending = false;
    if (!this.#fresh || this.#done) return;
    if (!(this.#code && this.#growCode())) {
      this.#waited += 1;
      if (this.#waited < Math.ceil(this.#open.length / REDRAW_BUDGET)) {
        this.#request(); // a long open part: redrawn on a later frame
        return;
      }
      this.#draw();
    }
    if (this.#onRender) this.#onRender();
  }

  // The open part is one open code block: new text only grows it, unless a line closes the fence.
  #growCode() {
    const code = this.#code;
    const fresh = this.#fresh;
    let from = 0;
    for (let nl = fresh.indexOf('\n'); nl !== -1; nl = fresh.indexOf('\n', from)) {
      if (!code.long && closingFence(code.line + fresh.slice(from, nl), code.marker)) return false;
      code.line = '';
      code.long = false;
      from = nl + 1;
    }
    if (!code.long) {
      code.line += fresh.slice(from);
      if (code.line.length > LONGEST_FENCE_LINE) {
        code.long = true;
        code.line = '';
      } else if (closingFence(code.line, code.marker)) return false; // the last line may already close it
    }
    code.text.appendData(fresh);
    this.#fresh = '';
    return true;
  }

  // Parses the open part, commits its finished blocks and redraws the rest.
  #draw() {
    this.#waited = 0;
    this.#fresh = '';
    const lines = this.#open.split('\n');
    const starts = [];
    const blocks = parseLineBlocks(lines, starts);
    const final = this.#done ? blocks.length : finalCount(blocks, starts, lines);
    for (const node of this.#live) node.remove();
    this.#live = [];
    this.#code = null;
    if (final > 0) {
      this.#groups.append(renderBlocks(blocks.slice(0, final), this.#doc, this.#labels).nodes);
      this.#open = final === blocks.length ? '' : this.#open.slice(offsetOf(lines, starts[final]));
    }
    if (final === blocks.length) return;
    const open = blocks.slice(final);
    const { nodes, openCode } = renderBlocks(open, this.#doc, this.#labels);
    this.#root.append(...nodes);
    this.#live = nodes;
    const first = starts[final];
    // Grown in place from now on once its fence line is complete ("```" may still become "```html").
    if (open.length === 1 && openCode && lines.length - first >= 2) {
      const line = lines[lines.length - 1];
      this.#code = { text: openCode, marker: fenceOf(lines[first]).marker, line, long: line.length > LONGEST_FENCE_LINE };
    }
  }
}
