// A FIFO limiter: at most N requests in flight per client; the rest wait in order (Decisions §8).
import { APIUserAbortError } from './errors.mjs';

export class ConcurrencyLimiter {
  #limit;
  #active = 0;
  #waiting = [];

  constructor(limit) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
  }

  get active() {
    return this.#active;
  }

  get queued() {
    return this.#waiting.length;
  }

  /**
   * Resolves with a `release` function once a slot is free. A signal that aborts while the
   * request waits removes it from the queue and rejects with APIUserAbortError.
   */
  acquire(signal) {
    if (signal && signal.aborted) return Promise.reject(new APIUserAbortError('Request was aborted.'));
    if (this.#active < this.#limit) {
      this.#active += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, signal, onAbort: null };
      if (signal) {
        entry.onAbort = () => {
          const index = this.#waiting.indexOf(entry);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(new APIUserAbortError('Request was aborted while waiting for a free slot.'));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.#waiting.push(entry);
    });
  }

  #releaser() {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) {
        // The slot passes straight to the next in line: the count never dips and rises again.
        if (next.signal) next.signal.removeEventListener('abort', next.onAbort);
        next.resolve(this.#releaser());
      } else {
        this.#active -= 1;
      }
    };
  }
}
