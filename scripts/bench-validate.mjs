// Benchmark (not a test): validating one request against a 300-model catalog, native and wasm, in one run.
// Usage: node scripts/bench-validate.mjs [ITERATIONS]   (after scripts/build.sh)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const iterations = Number(process.argv[2] || 20000);

// 300 models: the local server's catalog, cloned with varied ids and capabilities.
const base = JSON.parse(readFileSync(join(root, 'src/js/server/catalog.json'), 'utf8'));
const baseModels = Array.isArray(base) ? base : base.data || base.models;
const data = Array.from({ length: 300 }, (_, i) => {
  const m = baseModels[i % baseModels.length];
  return { ...m, id: i < baseModels.length ? m.id : `${m.id}-v${i}` };
});
const catalog = { object: 'list', data };
const request = {
  model: 'qwen/qwen3.5-9b', // no tools: the finding lists the models that do support them
  max_tokens: 512,
  temperature: 0.7,
  tools: [
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  ],
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture, and the weather there?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
try {
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
  writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
  const native = JSON.parse(
    execFileSync(
      join(root, 'build/native/llmbase-bench-validate'),
      [join(dir, 'catalog.json'), join(dir, 'request.json'), String(iterations)],
      { encoding: 'utf8' }
    )
  );

  const createCore = createRequire(import.meta.url)(join(root, 'dist/llmbase_core.node.cjs'));
  const core = await createCore({ wasmBinary: readFileSync(join(root, 'dist/llmbase_core.node.wasm')) });
  const handle = new core.Catalog(JSON.stringify(catalog));
  const requestText = JSON.stringify(request);
  const time = (n, fn) => {
    for (let i = 0; i < Math.min(200, n); i += 1) fn(); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) fn();
    return Number(process.hrtime.bigint() - start) / n;
  };
  // The client's path: JSON.stringify(params) + validate against the parsed catalog + JSON.parse.
  const wasmParsed = time(iterations, () => JSON.parse(handle.validate(JSON.stringify(request), '{}')));
  const wasmText = time(Math.max(1, Math.floor(iterations / 20)), () => core.validateRequest(requestText, JSON.stringify(catalog), ''));
  handle.delete();

  const rows = [
    ['native, catalog parsed once', native.ns_per_validation],
    ['wasm (Node), catalog parsed once', wasmParsed],
    ['native, catalog parsed per call', native.ns_per_validation_from_text],
    ['wasm (Node), catalog parsed per call', wasmText],
  ];
  console.log(`validate one request against a ${native.models}-model catalog (${iterations} iterations)`);
  for (const [name, ns] of rows) console.log(`  ${name.padEnd(40)} ${(ns / 1000).toFixed(2).padStart(9)} µs/request`);
  console.log(`  wasm / native (parsed once): ${(wasmParsed / native.ns_per_validation).toFixed(2)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
