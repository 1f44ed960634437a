#!/usr/bin/env node
// The Node `llmbase` command: runs the C++ CLI front end (src/cli, in llmbase_cli.node.wasm) and does the I/O it asks for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runSession } from './cli-shell.mjs';

const require = createRequire(import.meta.url);

// The CLI's own wasm module (grammar, flows, help, exit codes); the library modules lack it.
async function loadFrontEnd() {
  const factory = require('./llmbase_cli.node.cjs');
  // Emscripten 3.1.6's glue would fetch() the .wasm path under Node 20, so the bytes are read here.
  return factory({ wasmBinary: readFileSync(new URL('./llmbase_cli.node.wasm', import.meta.url)) });
}

const frontEnd = await loadFrontEnd();
const run = new frontEnd.CliRun(JSON.stringify(process.argv.slice(2)), process.env.LLMBASE_MODEL || '');
try {
  process.exitCode = await runSession(run, {
    output: process.stdout,
    write: (text) => process.stdout.write(text),
    error: (text) => process.stderr.write(text),
    // Node only, and heavy: loaded when the front end hands over to serve.
    serve: async (options) => (await import('./cli-serve.mjs')).runServeCommand(options),
  });
} finally {
  run.delete();
}
