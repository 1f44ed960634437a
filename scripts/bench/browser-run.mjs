// Benchmark part: the same stream read by the wasm client and by a plain fetch loop inside headless Chromium.
import { chromium } from 'playwright-core';

export async function browserChunksPerSecond(server) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench.html`);
    return await page.evaluate(async (baseURL) => {
      const { LLMBase } = await import('/dist/browser.mjs');
      const params = { model: 'bench/model', messages: [{ role: 'user', content: 'bench' }], stream: true };
      const client = new LLMBase({ baseURL, allowMissingKey: true, validation: 'off', maxRetries: 0 });
      const wasmRun = async () => {
        const start = performance.now();
        const stream = await client.chat.completions.create(params);
        let chunks = 0;
        for await (const _ of stream) chunks += 1;
        return chunks / ((performance.now() - start) / 1000);
      };
      const plainRun = async () => {
        const start = performance.now();
        const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let chunks = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (event.startsWith('data: ') && event !== 'data: [DONE]') {
              JSON.parse(event.slice(6));
              chunks += 1;
            }
          }
        }
        return chunks / ((performance.now() - start) / 1000);
      };
      await wasmRun(); // warm-up: instantiation and JIT
      const median = (xs) => xs.sort((a, b) => a - b)[1];
      const wasm = median([await wasmRun(), await wasmRun(), await wasmRun()]);
      const plain = median([await plainRun(), await plainRun(), await plainRun()]);
      return { wasm, plain };
    }, server.url);
  } finally {
    await browser.close();
  }
}
