// Benchmark stream server: serves precomputed chat-completions SSE bodies (one per stream kind) as fast as loopback allows, or with a pause after the first chunk.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchMetadata } from './metadata.mjs';
import { buildBenchStream } from './streams.mjs';

const now = () => performance.timeOrigin + performance.now();

/** The SSE body of `chunks` content chunks (plus role chunk, final chunk with usage, [DONE]). */
export function buildStream(chunks) {
  return buildBenchStream('content', chunks).body;
}

/**
 * Starts the server on 127.0.0.1. `bodies` is one Buffer or { kind: Buffer }; the first is also
 * served under /v1, each kind under /<kind>/v1 (urlFor(kind)).
 * POST …/chat/completions streams the body in 64 KiB writes; with header `x-bench-pause-ms: N` it
 * writes the first chunk, records when (firstChunkAt, by `x-bench-tag`), pauses N ms, then the rest.
 * GET …/model-metadata and …/models answer with a realistic 300-model list. GET /bench/clock
 * answers this process's epoch clock (the browser run's clock offset). Every request's arrival is
 * recorded in `seen` ({ method, path, at }). Other paths go to `staticHandler` (browser run).
 */
export function startStreamServer(bodies, { staticHandler } = {}) {
  const byKind = Buffer.isBuffer(bodies) ? { content: bodies } : bodies;
  const firstKind = Object.keys(byKind)[0];
  const firstChunkAt = new Map(); // request tag → epoch ms (sub-ms) when its first chunk was written
  const seen = [];
  const metadata = JSON.stringify(benchMetadata());
  const server = createServer((req, res) => {
    const at = now();
    const path = req.url.split('?')[0];
    seen.push({ method: req.method, path, at });
    const match = /^\/(?:([a-z]+)\/)?v1(\/.*)$/.exec(path);
    const kind = match ? match[1] || firstKind : null;
    const route = match ? match[2] : null;
    if (req.method === 'POST' && route === '/chat/completions' && byKind[kind]) {
      return streamBody(req, res, byKind[kind], firstChunkAt);
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, POST',
      });
      return res.end();
    }
    if (route === '/model-metadata' || route === '/models') {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      return res.end(metadata);
    }
    if (path === '/bench/clock') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ now: now() }));
    }
    if (staticHandler) return staticHandler(req, res);
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/v1`,
        urlFor: (kind) => `${origin}/${kind}/v1`,
        origin,
        firstChunkAt,
        seen,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

function streamBody(req, res, body, firstChunkAt) {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
    const pause = Number(req.headers['x-bench-pause-ms'] || 0);
    if (pause > 0) {
      const firstFrameEnd = body.indexOf('\n\n', body.indexOf('\n\n') + 2) + 2; // role + first content chunk
      res.write(body.subarray(0, firstFrameEnd));
      firstChunkAt.set(req.headers['x-bench-tag'], now());
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
}
