// Node entry of llmbase-wasm/proxy (also Deno and Bun, through the `node` condition): the Node wasm loader, the handler, the stores, a Redis connector and startProxy (the proxy as a Node server).
import './index.mjs';
import { RedisStore } from './proxy/redis-store.mjs';

export * from './proxy-exports.mjs';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, startProxy } from './proxy/node/start-proxy.mjs';

/**
 * A RedisStore over a new connection to `url` (redis://host:port), with the `redis` package (an
 * optional peer dependency: npm install redis). The store's close() closes the connection.
 */
export async function connectRedisStore(url, { prefix } = {}) {
  let redis;
  try {
    redis = await import('redis');
  } catch (error) {
    throw new Error(`connectRedisStore needs the redis package: npm install redis (${error.message})`);
  }
  let connected = false;
  const client = redis.createClient({
    url,
    // While Redis is away commands fail at once (the proxy answers 503) instead of queueing.
    disableOfflineQueue: true,
    socket: {
      // At start-up a Redis that is not there is an error, said at once; later the client reconnects.
      reconnectStrategy: (retries, cause) => {
        if (connected) return Math.min(100 * (retries + 1), 2000);
        return retries >= 2
          ? new Error(`cannot connect to Redis at ${new URL(url).host} (${cause?.code ?? cause?.message ?? 'error'})`)
          : 100;
      },
    },
  });
  client.on('error', () => {}); // reported through the commands that fail, never as a crash
  await client.connect();
  connected = true;
  return new RedisStore({ client, prefix, owned: true });
}
