// A loopback server whose chat stream never ends, for the read-ahead, timeout, reply-cap and memory suites.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const MODEL = 'qwen/qwen3.5-9b';
const catalog = JSON.parse(readFileSync(new URL('../../../src/js/server/catalog.json', import.meta.url), 'utf8'));

const frame = (delta) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
// 64 chunks per write, so the server is never the slow side.
const BODIES = {
  content: frame({ content: 'endless '.repeat(16) }).repeat(64),
  reasoning: frame({ reasoning_content: 'thinking '.repeat(16) }).repeat(64),
};

/**
 * Starts it on 127.0.0.1. A POST streams valid chunks for ever, writing only as fast as the socket
 * drains: content under `url`, reasoning_content under `reasoningUrl`. `written` counts the bytes
 * handed to the socket (what the client took off it, plus the kernel's buffers). A GET (the
 * metadata routes) answers with the local server's catalog.
 */
export function startEndlessServer() {
  const state = { written: 0 };
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ data: catalog.models }));
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const body = req.url.includes('/reasoning/') ? BODIES.reasoning : BODIES.content;
    const pump = () => {
      while (!res.destroyed) {
        state.written += body.length;
        if (!res.write(body)) return res.once('drain', pump);
      }
    };
    res.on('close', () => res.destroy());
    pump();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      state.url = `${origin}/v1`;
      state.reasoningUrl = `${origin}/reasoning/v1`;
      state.close = () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        });
      resolve(state);
    })
  );
}
