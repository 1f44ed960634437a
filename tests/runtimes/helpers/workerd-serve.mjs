// Serves a bundled Worker on a loopback port through miniflare/workerd (needs Node ≥ 22) until its stdin closes; prints { url } once listening.
// Usage: node workerd-serve.mjs <bundle-dir> <bindings JSON> <durable objects JSON>
import { Miniflare } from 'miniflare';
import { join } from 'node:path';

const [dir, bindings, durableObjects] = process.argv.slice(2);
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, 'worker.mjs'),
  // What wrangler's default module rules do with a .wasm import: hand the Worker a compiled WebAssembly.Module.
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-07-01',
  bindings: JSON.parse(bindings),
  durableObjects: JSON.parse(durableObjects),
  host: '127.0.0.1',
  port: 0,
});
const url = await mf.ready;
console.log(JSON.stringify({ url: url.origin }));
// The test ends the Worker by closing stdin (or killing this process).
process.stdin.on('end', () => mf.dispose().then(() => process.exit(0)));
process.stdin.resume();
