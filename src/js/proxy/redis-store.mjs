// The proxy's store in Redis: counters every proxy instance shares, each increment atomic (one Lua script), expiry by Redis itself.
//
// Takes a connected client of the `redis` package (node-redis, sendCommand) or of ioredis (call),
// so the proxy never opens connections of its own here; connectRedisStore() (Node entry) makes one.

// INCRBY, and on a new counter (or one that lost its expiry) a PEXPIRE for the window; returns the
// value and the ms left. One script, so two instances can never both see a counter as new.
const INCR_SCRIPT = `local v = redis.call('INCRBY', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); t = tonumber(ARGV[2]) end
return {v, t}`;

function commandOf(client) {
  if (typeof client?.sendCommand === 'function') return (args) => client.sendCommand(args);
  if (typeof client?.call === 'function') return (args) => client.call(...args);
  throw new TypeError('RedisStore: client must be a connected client of the redis package (createClient) or of ioredis');
}

export class RedisStore {
  name = 'redis';
  #command;
  #prefix;
  #client;
  #owned;

  /** `client`: connected node-redis or ioredis client; `prefix`: key prefix (several proxies may share one Redis). */
  constructor({ client, prefix = 'llmbase-proxy:', owned = false } = {}) {
    this.#command = commandOf(client);
    this.#client = client;
    this.#prefix = prefix;
    this.#owned = owned; // a client connectRedisStore() opened is closed with the store
  }

  async incr(key, windowMs, by = 1) {
    const reply = await this.#command(['EVAL', INCR_SCRIPT, '1', this.#prefix + key, String(Math.trunc(by)), String(Math.trunc(windowMs))]);
    return { value: Number(reply[0]), resetMs: Math.max(0, Number(reply[1])) };
  }

  async get(key) {
    const value = await this.#command(['GET', this.#prefix + key]);
    return value === null || value === undefined ? 0 : Number(value);
  }

  async close() {
    if (!this.#owned) return;
    if (typeof this.#client.quit === 'function') await this.#client.quit();
    else await this.#client.close?.();
  }
}
