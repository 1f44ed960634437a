// Event plumbing shared by the stream runner and the tool runner: on/off/once/emitted, abort, done(), final*().
import { APIUserAbortError, LLMBaseError } from './errors.mjs';

/**
 * openai-node's AbstractChatCompletionRunner surface without its policy: listeners, an
 * AbortController, and a settled promise. Subclasses call `_run(async body)` once; an error or an
 * abort emits `abort` (aborts only), then `error`, then `end`, so an abort is never a silent end.
 */
export class RunnerEvents {
  #listeners = new Map();
  #ended = false;
  #error = null;
  #settled;
  #resolve;
  #reject;
  controller = new AbortController();

  constructor() {
    this.#settled = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#settled.catch(() => {}); // observed through done() and the final*() getters
  }

  /** Adds a listener; returns this, so calls chain. */
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError(`on('${event}', listener): listener must be a function`);
    const list = this.#listeners.get(event) || [];
    list.push({ listener, once: false });
    this.#listeners.set(event, list);
    return this;
  }

  off(event, listener) {
    const list = this.#listeners.get(event);
    if (list)
      this.#listeners.set(
        event,
        list.filter((entry) => entry.listener !== listener)
      );
    return this;
  }

  once(event, listener) {
    this.on(event, listener);
    this.#listeners.get(event).at(-1).once = true;
    return this;
  }

  /** Resolves with the first argument of the next `event`; rejects if the run fails first. */
  emitted(event) {
    return new Promise((resolve, reject) => {
      if (event !== 'error') this.once('error', reject);
      this.once(event, (value) => {
        this.off('error', reject);
        resolve(value);
      });
    });
  }

  /** True while anyone listens for `event` (snapshot-carrying events are built only then). */
  listening(event) {
    const list = this.#listeners.get(event);
    return Boolean(list && list.length);
  }

  /** The listeners' arities: positional snapshots are computed only for listeners that take them. */
  wantsArgument(event, position) {
    const list = this.#listeners.get(event);
    return Boolean(list && list.some(({ listener }) => listener.length > position));
  }

  get ended() {
    return this.#ended;
  }

  get errored() {
    return this.#error !== null;
  }

  get aborted() {
    return this.controller.signal.aborted;
  }

  /** Cancels the run; `done()` and the final*() getters then reject with APIUserAbortError. */
  abort() {
    this.controller.abort();
  }

  /** Resolves when the run ended cleanly; rejects with its error (an abort included). */
  done() {
    return this.#settled.then(() => undefined);
  }

  _emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list || !list.length) return;
    this.#listeners.set(
      event,
      list.filter((entry) => !entry.once)
    );
    for (const { listener } of list) {
      try {
        listener.apply(this, args);
      } catch (error) {
        // A listener's bug must not end the stream silently: it ends the run with that error.
        if (event !== 'error' && event !== 'end' && event !== 'abort') throw error;
      }
    }
  }

  /** The run's last chat.completion; rejects with the run's error. */
  finalChatCompletion() {
    return this._settled();
  }

  async finalMessage() {
    const completion = await this._settled();
    return completion.choices[0] ? completion.choices[0].message : undefined;
  }

  async finalContent() {
    const message = await this.finalMessage();
    return message && typeof message.content === 'string' ? message.content : null;
  }

  /** The settled value (the subclass's final state), for the final*() getters. */
  _settled() {
    return this.#settled;
  }

  /** Runs `body(signal)` once, then ends the run with its result or its error. */
  _run(body) {
    Promise.resolve()
      .then(() => body(this.controller.signal))
      .then(
        (value) => this.#finish(null, value),
        (error) => this.#finish(error)
      );
  }

  #finish(error, value) {
    if (this.#ended) return;
    this.#ended = true;
    if (error) {
      const failure =
        this.aborted && !(error instanceof APIUserAbortError) && !(error instanceof LLMBaseError)
          ? new APIUserAbortError('Request was aborted.')
          : error;
      this.#error = failure;
      if (failure instanceof APIUserAbortError) this._emit('abort', failure);
      this._emit('error', failure);
      this.#reject(failure);
    } else {
      this.#resolve(value);
    }
    this._emit('end');
  }
}
