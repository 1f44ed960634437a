// Serves a bundled Worker on a loopback port through miniflare/workerd (needs Node ≥ 22) until its stdin closes; prints { url } once listening.
// Usage: node workerd-serve.mjs <bundle-dir> <bindings JSON> <durable objects JSON>
import { Miniflare } from 'miniflare';
import { workerOptions } from './miniflare-options.mjs';

const [dir, bindings, durableObjects] = process.argv.slice(2);
const mf = new Miniflare(
  workerOptions(dir, { bindings: JSON.parse(bindings), durableObjects: JSON.parse(durableObjects), host: '127.0.0.1', port: 0 })
);
const url = await mf.ready;
console.log(JSON.stringify({ url: url.origin }));
// The test ends the Worker by closing stdin (or killing this process).
process.stdin.on('end', () => mf.dispose().then(() => process.exit(0)));
process.stdin.resume();
