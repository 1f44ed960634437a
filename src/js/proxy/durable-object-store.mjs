// The proxy's store on Cloudflare Workers: one Durable Object per counter (strongly consistent, shared by every isolate and location).
//
// wrangler.toml binds the class:   [[durable_objects.bindings]] name = "PROXY_COUNTERS", class_name = "ProxyCounter"
// (with a migration: new_classes = ["ProxyCounter"]) and the Worker exports it:
//   export { ProxyCounter } from 'llmbase-wasm/proxy';
//   store: new DurableObjectStore(env.PROXY_COUNTERS)
// A Durable Object runs one request at a time, so read-modify-write of its counter is atomic.

/** The Durable Object class: POST /incr {windowMs, by} and GET /get on one counter. */
export class ProxyCounter {
  #storage;

  constructor(state) {
    this.#storage = state.storage;
  }

  async fetch(request) {
    const now = Date.now();
    let counter = (await this.#storage.get('counter')) ?? null;
    if (counter && counter.resetAt <= now) counter = null;
    if (request.method === 'POST') {
      const { windowMs, by } = await request.json();
      counter ??= { value: 0, resetAt: now + windowMs };
      counter.value += by;
      await this.#storage.put('counter', counter);
      // An alarm at the window's end deletes the counter, so storage follows the active clients only.
      if (this.#storage.setAlarm) await this.#storage.setAlarm(counter.resetAt);
    }
    return Response.json(counter ? { value: counter.value, resetMs: counter.resetAt - now } : { value: 0, resetMs: 0 });
  }

  async alarm() {
    const counter = await this.#storage.get('counter');
    if (!counter || counter.resetAt <= Date.now()) await this.#storage.deleteAll();
  }
}

/** The store over a ProxyCounter namespace binding (env.PROXY_COUNTERS). */
export class DurableObjectStore {
  name = 'durable-object';
  #namespace;

  constructor(namespace) {
    if (typeof namespace?.idFromName !== 'function' || typeof namespace?.get !== 'function') {
      throw new TypeError(
        'DurableObjectStore: pass the Durable Object namespace binding of ProxyCounter (env.PROXY_COUNTERS); see wrangler.toml [[durable_objects.bindings]]'
      );
    }
    this.#namespace = namespace;
  }

  #stub(key) {
    return this.#namespace.get(this.#namespace.idFromName(key));
  }

  async incr(key, windowMs, by = 1) {
    const answer = await this.#stub(key).fetch('https://counter/incr', { method: 'POST', body: JSON.stringify({ windowMs, by }) });
    return answer.json();
  }

  async get(key) {
    const answer = await this.#stub(key).fetch('https://counter/get');
    return (await answer.json()).value;
  }
}
