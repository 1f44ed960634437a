// Runs a bundled Worker in workerd through miniflare (needs Node ≥ 22) and prints what its fetch handler answers.
// Usage: node workerd-runner.mjs <bundle-dir> <base-url> [compatibility flag ...]
import { Miniflare } from 'miniflare';
import { workerOptions } from './miniflare-options.mjs';

const [dir, baseURL, ...compatibilityFlags] = process.argv.slice(2);
const mf = new Miniflare(workerOptions(dir, { compatibilityFlags, bindings: { BASE_URL: baseURL } }));
try {
  const response = await mf.dispatchFetch('http://worker.test/');
  console.log(JSON.stringify({ status: response.status, body: await response.text() }));
} finally {
  await mf.dispose();
}
