// What a browser downloads for a chat with default options: the esbuild-minified wrapper + glue and the chat module's wasm, gzipped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
export async function payloadSizes(root, wasmPath = join(root, 'dist', 'llmbase_core_chat.wasm')) {
  const dir = mkdtempSync(join(tmpdir(), 'llmbase-size-'));
  try {
    const bundle = async (entry, file) => {
      writeFileSync(join(dir, file), entry);
      // Code splitting, as an app's bundler does: what is imported on demand (the full core's glue,
      // for schemas) is a chunk of its own, fetched only when used; the entry and the chunks it
      // imports statically are what a chat downloads.
      const result = await build({
        entryPoints: [join(dir, file)],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        splitting: true,
        outdir: join(dir, 'out'),
        metafile: true,
        nodePaths: [join(root, 'node_modules')],
        logLevel: 'silent',
        external: ['*.wasm'],
      });
      const outputs = result.metafile.outputs;
      const wanted = new Set();
      const visit = (path) => {
        if (wanted.has(path)) return;
        wanted.add(path);
        for (const imported of outputs[path].imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
      };
      // Chunks imported on demand are entry points too: start from the one of the app's file.
      visit(Object.keys(outputs).find((path) => (outputs[path].entryPoint || '').endsWith(file)));
      const absolute = new Set([...wanted].map((path) => resolve(path))); // metafile paths are cwd-relative
      return Buffer.concat(result.outputFiles.filter((f) => absolute.has(f.path)).map((f) => Buffer.from(f.contents)));
    };
    const ours = await bundle(OURS(root), 'ours.mjs');
    const openai = await bundle(OPENAI, 'openai.mjs');
    const wasm = readFileSync(wasmPath);
    return {
      ours: {
        jsRaw: ours.length,
        jsGz: gz(ours),
        wasmRaw: wasm.length,
        wasmGz: gz(wasm),
        totalRaw: ours.length + wasm.length,
        totalGz: gz(ours) + gz(wasm),
      },
      openai: { jsRaw: openai.length, jsGz: gz(openai) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
