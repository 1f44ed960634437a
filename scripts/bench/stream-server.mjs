// Benchmark stream server: serves one precomputed chat-completions SSE body (N chunks) as fast as loopback allows, or with a pause after the first chunk.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

/** The SSE body of `chunks` content chunks (plus role chunk, final chunk with usage, [DONE]). */
export function buildStream(chunks, words = ['Stream', 'ing ', 'tok', 'ens ', 'fast', '. ']) {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1741000000, model: 'bench/model' };
  const frame = (obj) => `data: ${JSON.stringify(obj)}\n\n`;
  const parts = [frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  for (let i = 0; i < chunks; i += 1) {
    parts.push(frame({ ...base, choices: [{ index: 0, delta: { content: words[i % words.length] }, finish_reason: null }] }));
  }
  parts.push(frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: chunks, total_tokens: chunks + 5 } }));
  parts.push('data: [DONE]\n\n');
  return Buffer.from(parts.join(''));
}

/**
 * Starts the server on 127.0.0.1. POST /v1/chat/completions streams `body` in 64 KiB writes; with
 * header `x-bench-pause-ms: N` it writes the first chunk, records when, pauses N ms, then the rest.
 * GET /v1/model-metadata and /v1/models answer for clients that check metadata first. Other paths
 * are served from `staticMounts` (browser run).
 */
export function startStreamServer(body, { staticHandler } = {}) {
  const firstChunkAt = new Map(); // request tag → epoch ms (sub-ms) when its first chunk was written
  const firstFrameEnd = body.indexOf('\n\n', body.indexOf('\n\n') + 2) + 2; // role + first content chunk
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url.startsWith('/v1/chat/completions')) {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
        const pause = Number(req.headers['x-bench-pause-ms'] || 0);
        if (pause > 0) {
          res.write(body.subarray(0, firstFrameEnd));
          firstChunkAt.set(req.headers['x-bench-tag'], performance.timeOrigin + performance.now());
          setTimeout(() => res.end(body.subarray(firstFrameEnd)), pause);
          return;
        }
        let offset = 0;
        const pump = () => {
          while (offset < body.length) {
            const next = Math.min(body.length, offset + 65536);
            const ok = res.write(body.subarray(offset, next));
            offset = next;
            if (!ok) return res.once('drain', pump);
          }
          res.end();
        };
        pump();
      });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST' });
      return res.end();
    }
    if (req.url.startsWith('/v1/model-metadata') || req.url.startsWith('/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      return res.end(JSON.stringify({ object: 'list', data: [{ id: 'bench/model', object: 'model', supported_features: [], max_output_length: 1000000, context_length: 2000000, pricing: { input: 0.1, output: 0.2 } }] }));
    }
    if (staticHandler) return staticHandler(req, res);
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/v1`, origin: `http://127.0.0.1:${port}`, firstChunkAt, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
