// Writes a server-sent-events body for the local server, with the wire-level test faults (split bytes, CRLF, comments…).
import { waitForDrain } from '../wait-for-drain.mjs';
import { sleep } from './http-utils.mjs';
import { createRng, randomInt } from './reply-generator.mjs';

/**
 * Writes bytes in tiny pieces (1-7 bytes), yielding to the event loop between pieces so each becomes its
 * own HTTP chunk: UTF-8 sequences and CRLF pairs end up split across reads on the client side.
 */
export async function writeSplit(res, text, rng, signal) {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length && !signal.aborted;) {
    const size = randomInt(rng, 1, 7);
    const ok = res.write(bytes.subarray(offset, offset + size));
    offset += size;
    if (!ok) await waitForDrain(res, signal);
    else await sleep(0, signal);
  }
}

export class SseWriter {
  #res;
  #faults;
  #signal;
  #rng;
  #eol;
  /** Data frames written so far (the role chunk is frame 1). */
  sent = 0;

  constructor(res, { faults, signal, seed }) {
    this.#res = res;
    this.#faults = faults;
    this.#signal = signal;
    this.#rng = createRng(seed ^ 0x9e3779b9);
    this.#eol = faults.crlf ? '\r\n' : '\n';
  }

  get aborted() {
    return this.#signal.aborted;
  }

  async #write(text) {
    if (this.#signal.aborted) return;
    if (this.#faults.splitBytes) {
      await writeSplit(this.#res, text, this.#rng, this.#signal);
    } else if (!this.#res.write(text)) {
      await waitForDrain(this.#res, this.#signal);
    }
  }

  #line(text) {
    return `${text}${this.#eol}`;
  }

  /** Opening bytes: an optional BOM and `retry:` field, as Decisions §6 says clients must accept. */
  async start() {
    let text = this.#faults.bom ? '\uFEFF' : '';
    if (this.#faults.sseFields) text += this.#line('retry: 3000') + this.#eol;
    if (text) await this.#write(text);
  }

  async comment(text) {
    await this.#write(this.#line(`: ${text}`) + this.#eol);
  }

  /** One `data:` frame; `value` is serialised unless it is already a string. */
  async data(value, { event } = {}) {
    if (this.#faults.keepalive) await this.comment('keep-alive');
    let frame = '';
    if (this.#faults.sseFields) frame += this.#line(`id: ${this.sent + 1}`);
    if (event) frame += this.#line(`event: ${event}`);
    const payload = typeof value === 'string' ? value : this.#faults.multilineData ? JSON.stringify(value, null, 1) : JSON.stringify(value);
    for (const line of payload.split('\n')) frame += this.#line(`data: ${line}`);
    frame += this.#eol;
    await this.#write(frame);
    if (!this.#signal.aborted) this.sent += 1;
  }

  async done() {
    await this.data('[DONE]');
  }

  /** Ends the body; resolves once it is flushed (or the connection is gone). */
  end() {
    return new Promise((resolve) => {
      if (this.#res.destroyed || this.#res.writableEnded) return resolve();
      this.#res.end(resolve);
      this.#res.once('close', resolve);
    });
  }
}
