// Node entry of llmbase-wasm/proxy (also Deno and Bun, through the `node` condition): the Node wasm loader, the handler, the stores, and a Redis connector.
import './index.mjs';
import { RedisStore } from './proxy/redis-store.mjs';

export * from './proxy-exports.mjs';

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
  const client = redis.createClient({ url });
  client.on('error', () => {}); // reconnects are the client's job; a failed command rejects on its own
  await client.connect();
  return new RedisStore({ client, prefix, owned: true });
}
