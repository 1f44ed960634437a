// Which wasm module serves a call: the loaders the entries register, loaded once per realm, and the full core on demand.

let coreLoader = null;
let fullLoader = null;
let corePromise = null;
let fullPromise = null;

/**
 * Entry points (Node ESM, Node CJS, browser, edge) register how to instantiate the wasm module.
 * `fullCoreLoader`: the browser entry's default module is the chat module, built without the JSON
 * Schema validator and the tool loop; this loads the full core when a call needs them. Entries
 * whose module is the full core pass none.
 */
export function registerCoreLoader(loader, fullCoreLoader = null) {
  coreLoader = loader;
  fullLoader = fullCoreLoader;
}

function once(load, clear) {
  const promise = Promise.resolve().then(load);
  promise.catch(clear); // a failed load may be retried by the next call
  return promise;
}

/** The wasm module, instantiated on first use and shared by every client of this realm. */
export function loadCore() {
  if (!corePromise) {
    if (!coreLoader) throw new Error('llmbase-wasm: no wasm loader registered for this environment');
    corePromise = once(coreLoader, () => {
      corePromise = null;
    });
  }
  return corePromise;
}

/** A module with the JSON Schema validator, partial JSON and the tool loop: the full core. */
export async function loadFullCore() {
  const core = await loadCore();
  if (!core.needsFullCore) return core; // the default module is the full core
  if (!fullPromise)
    fullPromise = once(fullLoader, () => {
      fullPromise = null;
    });
  return fullPromise;
}

/**
 * The module a chat request is checked and sent with: the default one, unless it is the chat
 * module and the request carries a JSON Schema (the core says which: needsFullCore).
 */
export async function coreForRequest(params) {
  const core = await loadCore();
  if (!core.needsFullCore) return core;
  const text = JSON.stringify(params);
  return text !== undefined && core.needsFullCore(text) ? loadFullCore() : core;
}

/**
 * Diagnostics of the wasm cores of this realm: calls whose state is still held in wasm memory,
 * and the size of that memory, summed over the modules loaded. Tests use it to prove that no call
 * leaks.
 */
export async function coreDiagnostics() {
  const cores = [await loadCore()];
  if (fullPromise) cores.push(await fullPromise.catch(() => null));
  let activeCalls = 0;
  let heapBytes = 0;
  let heapInUse = 0;
  for (const core of cores) {
    if (!core) continue;
    activeCalls += core.activeCalls();
    heapBytes += core.HEAPU8 ? core.HEAPU8.length : 0;
    heapInUse += core.heapInUse();
  }
  return { activeCalls, heapBytes, heapInUse, modules: cores.filter(Boolean).length };
}
