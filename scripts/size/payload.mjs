// What a browser downloads for a chat with default options: the esbuild-minified wrapper + glue and the wasm, gzipped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

// A chat with validation on (the default): what an app importing the browser entry ships.
const OURS = (root) => `import { LLMBase } from ${JSON.stringify(join(root, 'dist', 'browser.mjs'))};
export async function chat(u, m) { const c = new LLMBase({ baseURL: u, allowMissingKey: true }); return c.chat.completions.create({ model: 'm', messages: m, stream: true }); }
`;
const OPENAI = `import OpenAI from 'openai';
export async function chat(u, m) { const c = new OpenAI({ apiKey: 'k', baseURL: u, dangerouslyAllowBrowser: true }); return c.chat.completions.create({ model: 'm', messages: m, stream: true }); }
`;

/** { ours: { jsRaw, jsGz, wasmRaw, wasmGz, totalRaw, totalGz }, openai: { jsRaw, jsGz } } in bytes. */
export async function payloadSizes(root, wasmPath = join(root, 'dist', 'llmbase_core.wasm')) {
  const dir = mkdtempSync(join(tmpdir(), 'llmbase-size-'));
  try {
    const bundle = async (entry, file) => {
      writeFileSync(join(dir, file), entry);
      const result = await build({
        entryPoints: [join(dir, file)], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false,
        nodePaths: [join(root, 'node_modules')], logLevel: 'silent', external: ['*.wasm'],
      });
      return Buffer.concat(result.outputFiles.map((f) => Buffer.from(f.contents)));
    };
    const ours = await bundle(OURS(root), 'ours.mjs');
    const openai = await bundle(OPENAI, 'openai.mjs');
    const wasm = readFileSync(wasmPath);
    return {
      ours: { jsRaw: ours.length, jsGz: gz(ours), wasmRaw: wasm.length, wasmGz: gz(wasm), totalRaw: ours.length + wasm.length, totalGz: gz(ours) + gz(wasm) },
      openai: { jsRaw: openai.length, jsGz: gz(openai) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
