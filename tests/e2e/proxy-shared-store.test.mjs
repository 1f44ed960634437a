// Two `llmbase serve --proxy` processes sharing one real redis-server: the per-IP rate limit and the per-day USD spend caps hold across both.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { costFromPricing, FLASH, getJson, startTestServer, userMessage } from './helpers/server.mjs';
import { startRedis } from './helpers/redis.mjs';
import { RedisStore } from '../../dist/proxy-node.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));
const PROXY_KEY = 'llmbase_shared_store_key_5150';
const PROMPT = userMessage('echo: The same reply every time.');

let upstream;
let redis;
let inspect; // a plain Redis client: the test reads the counters the proxies wrote
const running = [];

/** Starts one proxy process on a free port and resolves with its base URL once it listens. */
function proxyProcess(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--proxy', '--port', '0', '--upstream', upstream.url, '--redis', redis.url, '--quiet', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LLMBASE_API_KEY: PROXY_KEY },
      }
    );
    let output = '';
    const exited = new Promise((done) => child.once('exit', done));
    child.stdout.on('data', (data) => {
      output += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)[\s\S]*Press Ctrl-C/.exec(output);
      if (match) {
        const proc = {
          url: match[1],
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        };
        running.push(proc);
        resolve(proc);
      }
    });
    child.stderr.on('data', (data) => {
      output += data;
    });
    child.once('exit', (code) => reject(new Error(`the proxy exited with ${code} before listening: ${output}`)));
  });
}

function chat(base, { client, stream = false } = {}) {
  const headers = { 'content-type': 'application/json', ...(client ? { 'x-forwarded-for': client } : {}) };
  return fetch(`${base}/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: FLASH, messages: PROMPT, stream }) });
}

/** Polls the async `condition` until it holds; the deadline only stops a broken test from hanging. */
async function until(condition, what, deadlineMs = 10_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const today = () => new Date().toISOString().slice(0, 10);
const nanoUSD = async (key) => Number((await inspect.get(`llmbase-proxy:${key}`)) ?? 0);

before(async () => {
  upstream = await startTestServer({ keys: [PROXY_KEY] });
  redis = await startRedis();
  inspect = createClient({ url: redis.url });
  await inspect.connect();
});

after(async () => {
  await Promise.all(running.map((proc) => proc.stop()));
  await inspect?.quit();
  await redis?.stop();
  await upstream?.close();
});

describe('two proxy processes, one Redis', () => {
  it('hold one per-IP rate limit: over it, 429 from whichever instance is asked', async () => {
    const [a, b] = await Promise.all([proxyProcess(['--rate-limit', '4/min']), proxyProcess(['--rate-limit', '4/min'])]);
    const statuses = [];
    for (const base of [a.url, b.url, a.url, b.url, a.url, b.url]) statuses.push((await fetch(`${base}/models`)).status);
    assert.deepEqual(
      statuses,
      [200, 200, 200, 200, 429, 429],
      'four requests in the window, split over both; the fifth and sixth refused by each'
    );
    const refused = await fetch(`${a.url}/models`);
    const { error } = await refused.json();
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(await nanoUSD('rate:127.0.0.1'), 7, 'one counter in Redis for the address, counted by both');
    await Promise.all([a.stop(), b.stop()]);
  });

  it("hold the per-day USD caps, per client IP and site-wide, from the core's cost of each finished call", async () => {
    // The cost of one call as the client and the upstream's prices say, computed without the proxy.
    const direct = await fetch(`${upstream.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({ model: FLASH, messages: PROMPT, max_tokens: 4096 }),
    });
    const { usage } = await direct.json();
    const { body: metadata } = await getJson(`${upstream.url}/model-metadata`, { authorization: `Bearer ${PROXY_KEY}` });
    const cost = costFromPricing(metadata.data.find((m) => m.id === FLASH).pricing, usage);
    assert.ok(cost > 0);
    // A client may start 2 calls (0 and 1 cost spent < 1.5), the site 4 (3 < 3.5).
    const limits = [
      '--rate-limit',
      '0',
      '--trust-proxy',
      '--spend-limit-client',
      String(cost * 1.5),
      '--spend-limit-site',
      String(cost * 3.5),
    ];
    const [a, b] = await Promise.all([proxyProcess(limits), proxyProcess(limits)]);
    const clientKey = (ip) => `spend:client:${ip}:${today()}`;
    const siteKey = `spend:site:${today()}`;
    // The spend is recorded once the call has finished: each step waits for the counter, never a fixed time.
    const spentAfter = (calls) =>
      until(async () => (await nanoUSD(siteKey)) === Math.round(cost * 1e9) * calls, `the site counter at ${calls} calls`);

    assert.equal((await chat(a.url, { client: '10.0.0.1' })).status, 200);
    await spentAfter(1);
    assert.equal(await nanoUSD(clientKey('10.0.0.1')), Math.round(cost * 1e9), "the core's cost of the call, in nano-USD");
    const streamed = await chat(b.url, { client: '10.0.0.1', stream: true });
    assert.equal(streamed.status, 200);
    assert.match(await streamed.text(), /data: \[DONE\]/);
    await spentAfter(2); // a streamed call is metered from the relayed bytes

    for (const base of [a.url, b.url]) {
      const refused = await chat(base, { client: '10.0.0.1' });
      assert.equal(refused.status, 429, 'the client is over its cap on both instances');
      const { error } = await refused.json();
      assert.equal(error.code, 'spend_limit_exceeded');
      assert.match(error.message, /Your address has reached this proxy's spending limit/);
    }
    assert.equal((await chat(b.url, { client: '10.0.0.2' })).status, 200, 'another client is still under its own cap');
    await spentAfter(3);
    assert.equal((await chat(a.url, { client: '10.0.0.3' })).status, 200);
    await spentAfter(4);
    for (const base of [a.url, b.url]) {
      const refused = await chat(base, { client: '10.0.0.4' });
      assert.equal(refused.status, 429, 'the site is over its cap on both instances, for a new client too');
      assert.match((await refused.json()).error.message, /This site has reached this proxy's spending limit/);
    }
    assert.equal(await nanoUSD(siteKey), Math.round(cost * 1e9) * 4, 'refused calls cost nothing');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('RedisStore: an atomic counter per key with the window set once, and expiry by Redis', async () => {
    const store = new RedisStore({ client: inspect, prefix: 'unit:' });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.incr('burst', 60_000)));
    assert.deepEqual(
      results.map((r) => r.value).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i + 1),
      'no two increments see the same value'
    );
    assert.ok(results.every((r) => r.resetMs > 0 && r.resetMs <= 60_000));
    assert.equal(await store.get('burst'), 50);
    assert.equal(await store.get('absent'), 0);
    await store.incr('short', 1);
    await until(async () => (await store.get('short')) === 0, 'the 1 ms window to expire');
  });

  it('fail closed with 503 store_unavailable while Redis is away, and refuse to start without it', async () => {
    const proxy = await proxyProcess(['--rate-limit', '100/min']);
    assert.equal((await fetch(`${proxy.url}/models`)).status, 200);
    await inspect.quit();
    inspect = null;
    await redis.stop();
    const refused = await fetch(`${proxy.url}/models`);
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error.code, 'store_unavailable');
    await assert.rejects(proxyProcess(['--rate-limit', '100/min']), /cannot connect to Redis at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    await proxy.stop();
  });
});
