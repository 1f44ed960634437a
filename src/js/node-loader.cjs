// The Node side of the wasm loader (ESM and CommonJS entries): the node glue and the .wasm read from disk.
'use strict';
const fs = require('fs');
const path = require('path');
const { fileURLToPath } = require('url');

module.exports = {
  // Required on first use only, so importing the package stays cheap.
  createCore: (options) => require('./llmbase_core.node.cjs')(options),
  // Emscripten 3.1.6's glue would fetch() the .wasm path under Node 20, so the bytes are read here.
  defaultSource: () => ({ bytes: fs.readFileSync(path.join(__dirname, 'llmbase_core.node.wasm')) }),
  // configureWasm({ url }) under Node: file: URLs and plain paths are read from disk; http(s) is fetched.
  readUrl(url) {
    const text = String(url);
    if (/^https?:/i.test(text)) return null;
    return fs.readFileSync(text.startsWith('file:') ? fileURLToPath(text) : text);
  },
};
