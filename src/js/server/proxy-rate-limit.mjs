// Per-client request rate of the key-safe proxy: a sliding window of request times per client IP.

/**
 * At most `requests` per `windowMs` from one key (a client IP). Refused requests do not count, so a
 * client that keeps retrying is let in again as soon as its oldest request leaves the window.
 */
export class RateLimiter {
  #requests;
  #windowMs;
  #now;
  #hits = new Map();
  #sweeper;

  constructor({ requests, windowMs }, now = Date.now) {
    this.#requests = requests;
    this.#windowMs = windowMs;
    this.#now = now;
    // Forget clients whose requests all left the window, so memory follows the active clients only.
    this.#sweeper = setInterval(() => this.#sweep(), windowMs);
    this.#sweeper.unref();
  }

  get limit() {
    return { requests: this.#requests, windowMs: this.#windowMs };
  }

  /** Counts one request from `key`: 0 when it may go ahead, else the ms until a slot frees up. */
  take(key) {
    const now = this.#now();
    const since = now - this.#windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((at) => at > since);
    if (hits.length >= this.#requests) {
      this.#hits.set(key, hits);
      return Math.max(1, hits[0] + this.#windowMs - now);
    }
    hits.push(now);
    this.#hits.set(key, hits);
    return 0;
  }

  close() {
    clearInterval(this.#sweeper);
    this.#hits.clear();
  }

  #sweep() {
    const since = this.#now() - this.#windowMs;
    for (const [key, hits] of this.#hits) {
      if (hits.every((at) => at <= since)) this.#hits.delete(key);
    }
  }
}
