// A loopback upstream that does whatever a test's handler says (silent, stalling, echoing the key): the hostile servers of the proxy and client suites.
import assert from 'node:assert/strict';
import http from 'node:http';
import { startProxy } from '../../../dist/proxy-node.mjs';

/** Starts it on 127.0.0.1; close() also cuts the connections a handler left open. */
export async function hostileUpstream(handler) {
  const sockets = new Set();
  const server = http.createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

/** A proxy (`options` + upstream) in front of a hostile upstream; its close() closes both. */
export async function startProxyBefore(handler, options) {
  const upstream = await hostileUpstream(handler);
  const proxy = await startProxy({ ...options, upstream: upstream.url });
  return {
    ...proxy,
    close: async () => {
      await proxy.close();
      await upstream.close();
    },
  };
}

/** Runs `use(proxy)` with startProxyBefore's proxy, closed afterwards. */
export async function withProxyBefore(handler, options, use) {
  const proxy = await startProxyBefore(handler, options);
  try {
    return await use(proxy);
  } finally {
    await proxy.close();
  }
}

/** One SSE event holding a chat.completion.chunk whose delta carries `content`. */
export function contentFrame(content) {
  const chunk = {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** Calls `answer(body)` with the request body as text once it has all arrived. */
export function onBody(req, answer) {
  let body = '';
  req.on('data', (piece) => {
    body += piece;
  });
  req.on('end', () => answer(body));
}

/** A handler: no metadata (404), and every other request starts a stream of one chunk, then nothing. */
export function stallsAfterFirstChunk(req, res) {
  if (req.url.includes('metadata')) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(contentFrame('Hi'));
  return undefined;
}

/** An OpenAI-shaped error body that echoes `key` in every field: message, type, code and param. */
export function keyEchoingError(key) {
  return JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: `type_${key}`, code: `bad_${key}`, param: key } });
}

/** Fails, quoting the start of `text`, when it holds `secret`. */
export function assertNoSecret(text, secret, where) {
  assert.ok(!String(text).includes(secret), `${where} holds the key: ${String(text).slice(0, 300)}`);
}
