// Production builds of the browser cell with Vite and webpack (their Node APIs), and their sizes.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The page script: runs the scenario against the origin that served it and leaves the result on window. */
export const MAIN = `import LLMBase from 'llmbase-wasm';
import { runScenario } from './scenario.mjs';
runScenario(LLMBase, location.origin + '/v1', { inPage: true }).then(
  (result) => { window.__result = result; },
  (error) => { window.__result = { error: error.name + ': ' + error.message }; },
);
`;

// `rel=icon` to data: keeps Chromium from asking for /favicon.ico, a 404 in the console.
export const htmlPage = (script) => `<!doctype html><html><head><meta charset="utf-8"><title>llmbase-wasm</title>
<link rel="icon" href="data:,"></head>
<body>${script}</body></html>
`;

export async function viteBuild(appDir, outDir, base) {
  let vite;
  try {
    vite = await import('vite');
  } catch (error) {
    throw new Error(`vite is not installed (pinned devDependency; run npm ci): ${error.message}`);
  }
  writeFileSync(join(appDir, 'index.html'), htmlPage('<script type="module" src="./main.mjs"></script>'));
  await vite.build({ root: appDir, base, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

export async function webpackBuild(appDir, outDir, publicPath) {
  let webpack;
  try {
    webpack = (await import('webpack')).default;
  } catch (error) {
    throw new Error(`webpack is not installed (pinned devDependency; run npm ci): ${error.message}`);
  }
  const stats = await new Promise((resolve, reject) => {
    webpack(
      { mode: 'production', context: appDir, entry: './main.mjs', output: { path: outDir, publicPath, filename: 'main.js' } },
      (error, result) => (error ? reject(error) : resolve(result))
    );
  });
  if (stats.hasErrors()) throw new Error(`webpack build failed:\n${stats.toString({ all: false, errors: true })}`);
  writeFileSync(join(outDir, 'index.html'), htmlPage('<script src="./main.js"></script>'));
}

/** Bytes of what a build emits, raw and gzipped, JavaScript and wasm apart. */
export function buildSizes(outDir) {
  const sizes = { js: 0, jsGzip: 0, wasm: 0, wasmGzip: 0 };
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.m?js$/.test(name)) {
        sizes.js += statSync(file).size;
        sizes.jsGzip += gzipSync(readFileSync(file), { level: 9 }).length;
      } else if (name.endsWith('.wasm')) {
        sizes.wasm += statSync(file).size;
        sizes.wasmGzip += gzipSync(readFileSync(file), { level: 9 }).length;
      }
    }
  };
  walk(outDir);
  return sizes;
}
