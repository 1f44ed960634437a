// Where the wasm core comes from: the public configureWasm() option and one instantiation path for every entry.
import { LLMBaseError } from './errors.mjs';

const FIX =
  'Pass the core yourself before the first request: configureWasm({ module }) with a WebAssembly.Module ' +
  "(Workers: `import wasm from 'llmbase-wasm/llmbase_core.wasm'`), configureWasm({ bytes }) with the file's " +
  'bytes, or configureWasm({ url }) with where llmbase_core.wasm is served (as application/wasm).';

let configured = null;
let loaded = false;

function describe(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value.constructor && value.constructor.name) || 'object';
}

/** True for a WebAssembly.Module of any realm (edge sandboxes hand in modules compiled by their host). */
export function isWasmModule(value) {
  return Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
}

/** Checks a { module | bytes | url } source and returns it in one normal form. */
function normalizeSource(source) {
  if (!source || typeof source !== 'object') {
    throw new LLMBaseError(`configureWasm: expected an object { module | bytes | url }, got ${describe(source)}.`, {
      kind: 'invalid_argument',
      param: 'source',
    });
  }
  const given = ['module', 'bytes', 'url'].filter((key) => source[key] !== undefined);
  if (given.length !== 1) {
    throw new LLMBaseError(`configureWasm: give exactly one of module, bytes or url (got ${given.length ? given.join(', ') : 'none'}).`, {
      kind: 'invalid_argument',
      param: given.length ? given.join(',') : 'source',
    });
  }
  const unknown = Object.keys(source).filter((key) => !['module', 'bytes', 'url'].includes(key));
  if (unknown.length) {
    throw new LLMBaseError(`configureWasm: unknown field ${unknown.join(', ')}; the fields are module, bytes and url.`, {
      kind: 'invalid_argument',
      param: unknown[0],
    });
  }
  const [key] = given;
  const value = source[key];
  if (key === 'module' && !isWasmModule(value)) {
    throw new LLMBaseError(`configureWasm: module must be a WebAssembly.Module, got ${describe(value)}.`, {
      kind: 'invalid_argument',
      param: 'module',
    });
  }
  if (key === 'bytes' && !(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
    throw new LLMBaseError(`configureWasm: bytes must be an ArrayBuffer or a typed array, got ${describe(value)}.`, {
      kind: 'invalid_argument',
      param: 'bytes',
    });
  }
  if (key === 'url' && !(typeof value === 'string' || value instanceof URL)) {
    throw new LLMBaseError(`configureWasm: url must be a string or a URL, got ${describe(value)}.`, {
      kind: 'invalid_argument',
      param: 'url',
    });
  }
  return { [key]: value };
}

/**
 * Tells llmbase-wasm where its WebAssembly core is, for hosts whose bundler cannot find the .wasm
 * file on its own. Must be called before the first request of the realm.
 */
export function configureWasm(source) {
  const normal = normalizeSource(source);
  if (loaded) {
    throw new LLMBaseError('configureWasm: the wasm core is already loaded in this realm; call configureWasm() before the first request.', {
      kind: 'invalid_argument',
      param: 'source',
    });
  }
  configured = normal;
}

/** True once configureWasm() was given a source: that module (the full core) is the only one used. */
export function wasmConfigured() {
  return configured !== null;
}

function loadError(cause, source) {
  const what = source.module ? 'the WebAssembly.Module given' : source.bytes ? 'the bytes given' : `${source.url}`;
  const reason = cause && cause.message ? cause.message : String(cause);
  const error = new LLMBaseError(`llmbase-wasm could not load its WebAssembly core from ${what}: ${reason}. ${FIX}`, {
    kind: 'wasm_load',
  });
  error.cause = cause;
  return error;
}

/** The error for a host where the entry cannot tell where the .wasm file is. */
export function wasmNotFoundError(reason) {
  return new LLMBaseError(`llmbase-wasm cannot locate llmbase_core.wasm: ${reason}. ${FIX}`, { kind: 'wasm_load' });
}

// Streaming compile needs application/wasm; a server that says otherwise still gets a working load.
async function instantiateUrl(url, imports) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  const isWasm = (response.headers.get('content-type') || '').startsWith('application/wasm');
  if (isWasm && typeof WebAssembly.instantiateStreaming === 'function') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

async function instantiate(source, imports, readUrl) {
  if (source.module) return { instance: await WebAssembly.instantiate(source.module, imports), module: source.module };
  if (source.bytes) return WebAssembly.instantiate(source.bytes, imports);
  const bytes = readUrl ? await readUrl(source.url) : null;
  if (bytes) return WebAssembly.instantiate(bytes, imports);
  return instantiateUrl(String(source.url), imports);
}

/**
 * A core loader for registerCoreLoader(). `createCore` is the Emscripten factory; `defaultSource()`
 * says where this entry finds the .wasm when configureWasm() was not called; `readUrl(url)` may
 * return the bytes of a URL the entry can read itself (file: URLs under Node), or null.
 * The glue never locates or fetches the file: we instantiate it, so every failure is ours to report.
 */
export function wasmLoader(createCore, defaultSource, readUrl = null) {
  return () =>
    new Promise((resolve, reject) => {
      let source;
      try {
        source = configured || defaultSource();
      } catch (error) {
        reject(error instanceof LLMBaseError ? error : loadError(error, { url: 'the default location' }));
        return;
      }
      const options = {
        // locateFile keeps the ES glue from evaluating new URL(..., import.meta.url) itself.
        locateFile: (file) => file,
        instantiateWasm(imports, receiveInstance) {
          instantiate(source, imports, readUrl).then(
            (result) => receiveInstance(result.instance, result.module),
            (error) => reject(loadError(error, source))
          );
          return {}; // exports arrive later through receiveInstance
        },
      };
      Promise.resolve()
        .then(() => createCore(options))
        .then(
          (core) => {
            loaded = true;
            resolve(core);
          },
          (error) => reject(loadError(error, source))
        );
    });
}
