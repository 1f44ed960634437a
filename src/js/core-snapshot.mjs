// The stream runner's snapshots: the chunks it has handed out, folded by the core's stream accumulator.

// Chunks wait in JS until a snapshot is asked for, then go to the core in one crossing; this
// bounds how many wait when nobody asks.
const MAX_PENDING = 256;

/**
 * A core StreamDecoder fed the chunks a runner has handed out, as SSE frames. The live call's
 * own accumulator cannot serve here: the transport reads ahead of the consumer (whole network
 * reads, up to the read-ahead bound), so its state is often past the chunk an event is about.
 * Costs nothing per chunk until a listener or getter reads a snapshot.
 */
export class CoreSnapshot {
  #core;
  #decoder = null;
  #pending = [];
  #cached = null;
  #asked = false;

  constructor(core) {
    this.#core = core;
  }

  add(chunk) {
    this.#pending.push(chunk);
    this.#cached = null;
    if (this.#pending.length >= MAX_PENDING) this.#flush();
  }

  /** The chat.completion so far (the same shape as finalChatCompletion()), or null before any chunk. */
  get() {
    this.#asked = true;
    if (this.#cached) return this.#cached;
    this.#flush();
    if (!this.#decoder) return null;
    this.#cached = JSON.parse(this.#decoder.completion());
    return this.#cached;
  }

  /** Frees the core decoder; the last snapshot read stays readable. */
  release() {
    if (this.#asked && !this.#cached && (this.#decoder || this.#pending.length)) this.get();
    if (this.#decoder) this.#decoder.delete();
    this.#decoder = null;
    this.#pending = [];
  }

  #flush() {
    if (!this.#pending.length) return;
    if (!this.#decoder) this.#decoder = new this.#core.StreamDecoder();
    this.#decoder.feed(this.#pending.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join(''));
    this.#pending = [];
  }
}
