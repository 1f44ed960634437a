// Instantiates the wasm core under Node (used by both the ESM and the CommonJS entry points).
'use strict';
const fs = require('fs');
const path = require('path');

module.exports = function loadNodeCore() {
  const createLlmbaseCore = require('./llmbase_core.node.cjs');
  // Emscripten 3.1.6's glue would fetch() the .wasm path under Node 20, so hand it the bytes.
  const wasmBinary = fs.readFileSync(path.join(__dirname, 'llmbase_core.node.wasm'));
  return createLlmbaseCore({ wasmBinary });
};
