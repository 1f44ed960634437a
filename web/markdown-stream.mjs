// Incremental rendering of a streaming reply: finished blocks are drawn once, the unfinished tail at most once per frame.
import { commitBoundary, parseBlocks } from './markdown-blocks.mjs';
import { MARKDOWN_LABELS, renderBlocks } from './markdown-render.mjs';

const nextFrame = (callback) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : setTimeout(callback, 16));

/**
 * Renders a reply while it streams, without redrawing the whole bubble per token: finished blocks
 * are rendered once and never touched again; only the unfinished tail (usually one paragraph) is
 * redrawn, and a code block that is still open just grows its Text node. Tokens arriving within one
 * animation frame cost one redraw (issue 16 item 13): `append` only records text and asks for a
 * frame; `flush()` draws now. Options: `labels` (the renderer's words), `schedule` (how to wait
 * for a frame; default requestAnimationFrame), `onRender` (called after each redraw).
 */
export class MarkdownStream {
  #root;
  #doc;
  #labels;
  #schedule;
  #onRender;
  #source = '';
  #committed = 0;
  #rendered = 0; // how much of #source is on screen
  #pending = false;
  #done = false;
  #live = [];
  #openCode = null;
  #fenceLine = null;

  constructor(root, { doc = root.ownerDocument, labels = MARKDOWN_LABELS, schedule = nextFrame, onRender = null } = {}) {
    this.#root = root;
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
    if (this.#pending) return;
    this.#pending = true;
    this.#schedule(() => this.flush());
  }

  /** Draws what arrived since the last frame, now. */
  flush() {
    this.#pending = false;
    if (this.#rendered === this.#source.length) return;
    this.#rendered = this.#source.length;
    const boundary = commitBoundary(this.#source, this.#committed);
    if (boundary > this.#committed) {
      this.#clearLive();
      this.#root.append(...renderBlocks(parseBlocks(this.#source.slice(this.#committed, boundary)), this.#doc, this.#labels).nodes);
      this.#committed = boundary;
    }
    this.#renderTail();
    if (this.#onRender) this.#onRender();
  }

  /** The reply is over: what arrived is drawn, and stays as it is. */
  finish() {
    this.flush();
    this.#done = true;
    this.#live = [];
    this.#openCode = null;
    this.#committed = this.#source.length;
  }

  #clearLive() {
    for (const node of this.#live) node.remove();
    this.#live = [];
    this.#openCode = null;
  }

  #renderTail() {
    const tail = this.#source.slice(this.#committed);
    const blocks = parseBlocks(tail);
    const only = blocks.length === 1 ? blocks[0] : null;
    // The fence line must be complete and unchanged ("```" may still become "```html").
    const newline = tail.indexOf('\n');
    const fenceLine = newline === -1 ? null : tail.slice(0, newline);
    if (only && only.type === 'code' && !only.closed && this.#openCode && fenceLine !== null && fenceLine === this.#fenceLine) {
      const shown = this.#openCode.data;
      if (only.text.startsWith(shown)) this.#openCode.appendData(only.text.slice(shown.length));
      else this.#openCode.data = only.text;
      return;
    }
    this.#clearLive();
    const { nodes, openCode } = renderBlocks(blocks, this.#doc, this.#labels);
    this.#root.append(...nodes);
    this.#live = nodes;
    this.#openCode = blocks.length === 1 ? openCode : null;
    this.#fenceLine = fenceLine;
  }
}
