// Bridge to the wasm core: loads it once, starts calls, and turns core updates into a call channel.
import { errorFromCore } from './errors.mjs';

let coreLoader = null;
let corePromise = null;

/** Entry points (Node ESM, Node CJS, browser) register how to instantiate the wasm module. */
export function registerCoreLoader(loader) {
  coreLoader = loader;
}

/** The wasm module, instantiated on first use and shared by every client of this realm. */
export function loadCore() {
  if (!corePromise) {
    if (!coreLoader) throw new Error('llmbase-wasm: no wasm loader registered for this environment');
    corePromise = Promise.resolve()
      .then(() => coreLoader())
      .then((core) => {
        core.llmbaseCalls = Object.create(null);
        return core;
      });
    corePromise.catch(() => {
      corePromise = null; // a failed load may be retried by the next call
    });
  }
  return corePromise;
}

/**
 * Diagnostics of the wasm core of this realm: calls whose state is still held in wasm memory,
 * and the size of that memory. Tests use it to prove that no call leaks.
 */
export async function coreDiagnostics() {
  const core = await loadCore();
  return { activeCalls: core.activeCalls(), heapBytes: core.HEAPU8 ? core.HEAPU8.length : null };
}

function headersToObject(headers) {
  const out = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/**
 * One API call in flight. Chunks queue up as the core decodes them; `next()` hands them out;
 * `settled` resolves with the result or rejects with a typed error carrying the partial result.
 */
export class CallChannel {
  #queue = [];
  #waiters = [];
  #finished = false;
  #error = null;
  #result = undefined;
  #controller;
  #abortKind = 'user_abort';
  #abortMessage = 'Request was aborted.';
  #core = null;
  #id = 0;
  #responseReady;
  #resolveResponse;
  #rejectResponse;
  response = null;
  headers = {};

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

  /** How many retries the core has ordered so far. */
  retries = 0;

  /**
   * Registers with the core and starts the transport. Throws a typed error if refused.
   * `transport`: { fetch, idleTimeoutMs, maxRetries, maxRetryAfterMs }.
   */
  start(core, config, endpoint, params, transport) {
    const callOptions = {
      maxRetries: transport.maxRetries,
      maxRetryAfterMs: transport.maxRetryAfterMs,
      // Jitter comes from here so that the core itself stays deterministic.
      seed: Math.floor(Math.random() * 2 ** 52),
    };
    const prepared = JSON.parse(
      core.prepareCall(JSON.stringify(config), endpoint, JSON.stringify(params), JSON.stringify(callOptions)),
    );
    if (prepared.error) throw errorFromCore(prepared.error);
    this.#core = core;
    this.#id = prepared.id;
    core.llmbaseCalls[this.#id] = {
      fetch: transport.fetch,
      idleTimeoutMs: transport.idleTimeoutMs,
      signal: this.#controller.signal,
      abortKind: () => this.#abortKind,
      abortMessage: () => this.#abortMessage,
      onResponse: (resp) => this.#onResponse(resp),
      onUpdate: (update) => this.#onUpdate(update),
    };
    core.sendCall(this.#id);
  }

  /** Aborts the transport; `kind` says why (user_abort, timeout) and `message` how to say it. */
  abort(kind = 'user_abort', message = 'Request was aborted.') {
    if (this.#finished || this.#controller.signal.aborted) return;
    this.#abortKind = kind;
    this.#abortMessage = message;
    this.#controller.abort();
  }

  /** Resolves once a 2xx response has arrived; rejects with the typed error otherwise. */
  waitForResponse() {
    return this.#responseReady;
  }

  /** Next chunk object, or `undefined` at the clean end; throws the stream's error. */
  async next() {
    for (;;) {
      if (this.#queue.length) return this.#queue.shift();
      if (this.#finished) {
        if (this.#error) throw this.#error;
        return undefined;
      }
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

  #onResponse(resp) {
    this.response = resp;
    this.headers = headersToObject(resp.headers);
    if (resp.ok) this.#resolveResponse(resp);
  }

  #onUpdate(update) {
    for (const chunk of update.chunks) this.#queue.push(chunk);
    if (update.retryDelayMs !== undefined) this.retries += 1;
    if (update.finished) {
      this.#finished = true;
      if (this.#core) delete this.#core.llmbaseCalls[this.#id];
      if (update.error) {
        this.#error = errorFromCore(update.error, { headers: this.headers, partial: update.result });
        this.#rejectResponse(this.#error);
      } else {
        this.#result = update.result;
        this.#resolveResponse(this.response);
      }
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  // Resolves at the next update; both an iterator and settled() may be waiting at once.
  #changed() {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
