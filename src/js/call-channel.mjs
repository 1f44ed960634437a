// One API call in flight between the wasm core and its caller: the core's updates become chunks, a result or a typed error.
import { errorFromCore } from './errors.mjs';
import { runCall } from './fetch-transport.mjs';

function headersToObject(headers) {
  const out = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

// Read-ahead bound of a stream: the transport stops reading while this many bytes of chunk
// text wait for the consumer, and reads on below half of it.
const READ_AHEAD_BYTES = 256 * 1024;

/**
 * One API call in flight. Chunks queue up as the core decodes them; `next()` hands them out;
 * `settled` resolves with the result or rejects with a typed error carrying the partial result.
 * The network is read only as far ahead of the consumer as READ_AHEAD_BYTES, once a consumer
 * has started iterating; a caller that only awaits the result gets the body read at full speed.
 */
export class CallChannel {
  #batches = []; // arrays of chunk objects, one per network read
  #batch = null; // the array being handed out
  #pos = 0;
  #queuedBytes = []; // bytes of chunk text per queued batch
  #queued = 0;
  #throttled = false;
  #resume = null;
  #waiters = [];
  #finished = false;
  #error = null;
  #result = undefined;
  #controller;
  #abortKind = 'user_abort';
  #abortLimitMs = 0;
  #call = null;
  #responseReady;
  #resolveResponse;
  #rejectResponse;
  /** Resolves once the transport has let go of the connection (the concurrency slot's end). */
  released = Promise.resolve();
  response = null;
  headers = {};
  /** How many retries the core has ordered so far. */
  retries = 0;

  constructor(controller) {
    this.#controller = controller;
    this.#responseReady = new Promise((resolve, reject) => {
      this.#resolveResponse = resolve;
      this.#rejectResponse = reject;
    });
    this.#responseReady.catch(() => {}); // observed through waitForResponse()
  }

  get controller() {
    return this.#controller;
  }

  get finished() {
    return this.#finished;
  }

  /**
   * Prepares the call in the core: a chat request with `chat` = { checks, catalog } is checked,
   * priced and prepared in one crossing and this returns its preflight { ok, findings, estimate }
   * (not prepared when !ok); other endpoints return {}. Throws a typed error if refused.
   */
  prepare(core, config, endpoint, params, transport, chat = null) {
    const callOptions = JSON.stringify({
      maxRetries: transport.maxRetries,
      maxRetryAfterMs: transport.maxRetryAfterMs,
      maxReplyBytes: transport.maxReplyBytes, // Infinity → null: no cap
      keepContent: transport.keepContent,
      // Jitter comes from here so that the core itself stays deterministic.
      seed: Math.floor(Math.random() * 2 ** 52),
    });
    const call = new core.CoreCall();
    const answer = chat
      ? call.prepareChat(JSON.stringify(config), JSON.stringify(params) ?? 'null', JSON.stringify(chat.checks), chat.catalog, callOptions)
      : call.prepare(JSON.stringify(config), endpoint, JSON.stringify(params) ?? 'null', callOptions);
    const prepared = JSON.parse(answer);
    if (prepared.error || prepared.ok === false) {
      call.delete();
      if (prepared.error) throw errorFromCore(prepared.error);
      return prepared;
    }
    this.#call = { core, handle: call, transport };
    return prepared;
  }

  /** Starts the transport of a prepared call. */
  send() {
    const { core, handle, transport } = this.#call;
    this.released = runCall(core, handle, JSON.parse(handle.request()), {
      fetch: transport.fetch,
      idleTimeoutMs: transport.idleTimeoutMs,
      signal: this.#controller.signal,
      abortKind: () => this.#abortKind,
      abortMessage: () => core.transportErrorText(this.#abortKind, this.#abortLimitMs, ''),
      onResponse: (resp) => this.#onResponse(resp),
      onChunks: (chunks, bytes) => this.#onChunks(chunks, bytes),
      onState: (state) => this.#onState(state),
      readAhead: () => this.#readAhead(),
    }).then(() => {
      handle.delete();
      this.#call = null;
    });
  }

  /** Drops a prepared call that will not be sent. */
  discard() {
    if (this.#call) this.#call.handle.delete();
    this.#call = null;
  }

  /** Aborts the transport; `kind` says why (user_abort, timeout: after `limitMs`), the core says it in words. */
  abort(kind = 'user_abort', limitMs = 0) {
    if (this.#finished || this.#controller.signal.aborted) return;
    this.#abortKind = kind;
    this.#abortLimitMs = limitMs;
    // Whatever was queued is not handed out any more: iteration ends at once with the error.
    this.#batches = [];
    this.#batch = null;
    this.#queuedBytes = [];
    this.#queued = 0;
    this.#controller.abort();
    this.#readOn();
    this.#wake();
  }

  /** Resolves once a 2xx response has arrived; rejects with the typed error otherwise. */
  waitForResponse() {
    return this.#responseReady;
  }

  /** The next queued chunk, or undefined when none is queued now (see next()). */
  take() {
    this.#throttled = true; // a consumer pulls: from now on the reads follow it
    for (;;) {
      const batch = this.#batch;
      if (batch && this.#pos < batch.length) return batch[this.#pos++];
      if (!this.#batches.length) return undefined;
      this.#batch = this.#batches.shift();
      this.#pos = 0;
      this.#queued -= this.#queuedBytes.shift();
      if (this.#queued < READ_AHEAD_BYTES / 2) this.#readOn();
    }
  }

  /** Next chunk object, or `undefined` at the clean end; throws the stream's error. */
  async next() {
    for (;;) {
      const chunk = this.take();
      if (chunk !== undefined) return chunk;
      if (this.#finished) {
        if (this.#error) throw this.#error;
        return undefined;
      }
      this.#readOn();
      await this.#changed();
    }
  }

  /** Resolves with the final result (completion or response body); rejects with the error. */
  async settled() {
    while (!this.#finished) {
      await this.#changed();
    }
    if (this.#error) throw this.#error;
    return this.#result;
  }

  /** Reads at full speed from now on: the caller wants the result, not the chunks one by one. */
  unthrottle() {
    this.#throttled = false;
    this.#readOn();
  }

  // Lets a transport that waits for the consumer read again.
  #readOn() {
    const resume = this.#resume;
    this.#resume = null;
    if (resume) resume();
  }

  #readAhead() {
    if (!this.#throttled || this.#queued < READ_AHEAD_BYTES) return null;
    return new Promise((resolve) => {
      this.#resume = resolve;
    });
  }

  #onResponse(resp) {
    this.response = resp;
    this.headers = headersToObject(resp.headers);
    if (resp.ok) this.#resolveResponse(resp);
  }

  #onChunks(chunks, bytes) {
    if (this.#controller.signal.aborted) return;
    this.#batches.push(chunks);
    this.#queuedBytes.push(bytes);
    this.#queued += bytes;
    this.#wake();
  }

  #onState(state) {
    if (state.retryDelayMs !== undefined) {
      this.retries += 1;
      if (this.onRetry) this.onRetry(state.retryDelayMs, state.error); // the client's logging
    }
    if (state.finished) {
      this.#finished = true;
      if (state.error) {
        this.#error = errorFromCore(state.error, { headers: this.headers, partial: state.result });
        this.#rejectResponse(this.#error);
      } else {
        this.#result = state.result;
        this.#resolveResponse(this.response);
      }
    }
    this.#wake();
  }

  #wake() {
    const waiters = this.#waiters;
    if (!waiters.length) return;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  // Resolves at the next update; both an iterator and settled() may be waiting at once.
  #changed() {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
