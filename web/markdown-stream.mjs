// Incremental rendering of a streaming reply: finished Markdown blocks are drawn once, only the unfinished tail is redrawn.
import { commitBoundary, parseBlocks, renderBlocks } from './markdown.mjs';

/**
 * Renders a reply while it streams, without redrawing the whole bubble per token: finished blocks
 * are rendered once and never touched again; only the unfinished tail (usually one paragraph) is
 * redrawn, and a code block that is still open just grows its Text node.
 */
export class MarkdownStream {
  #root;
  #doc;
  #source = '';
  #committed = 0;
  #live = [];
  #openCode = null;
  #fenceLine = null;

  constructor(root, doc = root.ownerDocument) {
    this.#root = root;
    this.#doc = doc;
  }

  /** The Markdown text received so far. */
  get text() {
    return this.#source;
  }

  append(delta) {
    if (!delta) return;
    this.#source += delta;
    const boundary = commitBoundary(this.#source, this.#committed);
    if (boundary > this.#committed) {
      this.#clearLive();
      this.#root.append(...renderBlocks(parseBlocks(this.#source.slice(this.#committed, boundary)), this.#doc).nodes);
      this.#committed = boundary;
    }
    this.#renderTail();
  }

  /** The reply is over: what is on screen stays as it is. */
  finish() {
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
    const { nodes, openCode } = renderBlocks(blocks, this.#doc);
    this.#root.append(...nodes);
    this.#live = nodes;
    this.#openCode = blocks.length === 1 ? openCode : null;
    this.#fenceLine = fenceLine;
  }
}
