// Per-day USD spending caps of the proxy, per client and site-wide, kept in the store so every instance shares them.
import { HttpError } from './http-error.mjs';

const DAY_MS = 86_400_000;
// Spend is counted in nano-USD: store counters are integers, and 1e-9 USD keeps a call of a few
// hundred tokens of a cheap model exact; 2^53 nano-USD is about 9 million USD a day.
const NANO = 1e9;

/** The UTC day a time falls in, as the counters' key part ("2026-12-01"). */
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * `limits`: { perClientUSD?, siteUSD? } per UTC day. check(client) before a call is forwarded
 * (429 spend_limit_exceeded once a limit is reached); record(client, usd) after the call has
 * finished, with the core's cost of its usage. A call that starts under the limit may end above
 * it: the limit bounds what starts, and the max_tokens cap bounds one call's overshoot.
 */
export class SpendLimit {
  #store;
  #limits;
  #now;

  constructor(store, limits, now = Date.now) {
    this.#store = store;
    this.#limits = limits;
    this.#now = now;
  }

  #keys(client) {
    const day = dayOf(this.#now());
    return { client: `spend:client:${client}:${day}`, site: `spend:site:${day}` };
  }

  async check(client) {
    const keys = this.#keys(client);
    const [clientSpent, siteSpent] = await Promise.all([
      this.#limits.perClientUSD ? this.#store.get(keys.client) : 0,
      this.#limits.siteUSD ? this.#store.get(keys.site) : 0,
    ]);
    const retryAfter = String(Math.ceil((DAY_MS - (this.#now() % DAY_MS)) / 1000)); // the next UTC day
    const refuse = (what, limit) =>
      new HttpError(
        429,
        'spend_limit_exceeded',
        `${what} has reached this proxy's spending limit of ${limit} USD for today (UTC). Try again tomorrow; the operator sets the limit with spendLimit.`,
        { headers: { 'retry-after': retryAfter } }
      );
    if (this.#limits.perClientUSD && clientSpent / NANO >= this.#limits.perClientUSD)
      throw refuse('Your address', this.#limits.perClientUSD);
    if (this.#limits.siteUSD && siteSpent / NANO >= this.#limits.siteUSD) throw refuse('This site', this.#limits.siteUSD);
  }

  async record(client, usd) {
    if (!(usd > 0)) return;
    const keys = this.#keys(client);
    const nano = Math.round(usd * NANO);
    // Two days: a counter outlives its day (the key names the day, so it is never reused).
    await Promise.all([
      this.#limits.perClientUSD ? this.#store.incr(keys.client, 2 * DAY_MS, nano) : null,
      this.#limits.siteUSD ? this.#store.incr(keys.site, 2 * DAY_MS, nano) : null,
    ]);
  }

  /** What has been spent today: { clientUSD, siteUSD } (for tests and /healthz-style reports). */
  async spent(client) {
    const keys = this.#keys(client);
    return { clientUSD: (await this.#store.get(keys.client)) / NANO, siteUSD: (await this.#store.get(keys.site)) / NANO };
  }
}
