// The proxy's shared-state interface (counters in fixed windows) and its default in-memory store; the rate limit built on it.
//
// A store holds integer counters that expire: incr(key, windowMs, by) adds `by` to the counter
// and, when the counter is new (or its window has passed), starts a window of windowMs after
// which it is gone. Every limit of the proxy is such a counter: requests per client per window,
// and USD spent per client and per site per UTC day (in nano-USD, so the sum stays exact).
// Stores: MemoryStore (one process), RedisStore (redis-store.mjs: every process sharing one
// Redis), DurableObjectStore (durable-object-store.mjs: Cloudflare Workers).
//
//   interface ProxyStore {
//     name: string;                                         // for /healthz and the access log
//     incr(key, windowMs, by = 1): Promise<{ value, resetMs }>;  // value after adding; ms until the window ends
//     get(key): Promise<number>;                            // 0 when absent or expired
//     close?(): Promise<void> | void;
//   }

import { HttpError } from './http-error.mjs';

const REQUIRED = ['incr', 'get'];

/** `store` if it has the interface's methods; else the error `fail(message)` builds. */
export function checkStore(store, fail) {
  const missing = REQUIRED.filter((name) => typeof store?.[name] !== 'function');
  if (missing.length) {
    throw fail(
      `store must implement incr(key, windowMs, by) and get(key) (missing ${missing.join(', ')}); use MemoryStore, RedisStore or DurableObjectStore`
    );
  }
  return store;
}

// A store that cannot be reached refuses the request (the limits must hold), in words that say so.
export async function storeCall(promise) {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(
      503,
      'store_unavailable',
      `The proxy cannot reach the store its limits are counted in (${error?.code ?? error?.message ?? 'error'}); try again in a moment.`
    );
  }
}

/** Counters in this process's memory: exact within one process, not shared with any other. */
export class MemoryStore {
  name = 'memory';
  #now;
  #counters = new Map(); // key → { value, resetAt }
  #sweptAt = 0;

  constructor({ now = Date.now } = {}) {
    this.#now = now;
  }

  async incr(key, windowMs, by = 1) {
    const now = this.#now();
    let counter = this.#counters.get(key);
    if (!counter || counter.resetAt <= now) {
      this.#sweep(now, windowMs);
      counter = { value: 0, resetAt: now + windowMs };
      this.#counters.set(key, counter);
    }
    counter.value += by;
    return { value: counter.value, resetMs: counter.resetAt - now };
  }

  async get(key) {
    const counter = this.#counters.get(key);
    return counter && counter.resetAt > this.#now() ? counter.value : 0;
  }

  close() {
    this.#counters.clear();
  }

  // Expired counters are dropped at most once per window, when a new one is made, so memory
  // follows the active clients only. No timer: a timer would keep a Node process or an edge
  // sandbox alive, and Workers forbid timers outside a request.
  #sweep(now, windowMs) {
    if (now - this.#sweptAt < windowMs) return;
    this.#sweptAt = now;
    for (const [key, counter] of this.#counters) if (counter.resetAt <= now) this.#counters.delete(key);
  }
}

/**
 * At most `requests` per `windowMs` per client, counted in the store (a fixed window per client,
 * started by its first request). take(client) → 0 when the request may go ahead, else the ms until
 * the window ends. With a shared store the count is shared by every proxy instance.
 */
export class RateLimit {
  #store;
  #requests;
  #windowMs;

  constructor(store, { requests, windowMs }) {
    this.#store = store;
    this.#requests = requests;
    this.#windowMs = windowMs;
  }

  get limit() {
    return { requests: this.#requests, windowMs: this.#windowMs };
  }

  async take(client) {
    const { value, resetMs } = await this.#store.incr(`rate:${client}`, this.#windowMs, 1);
    return value > this.#requests ? Math.max(1, resetMs) : 0;
  }
}
