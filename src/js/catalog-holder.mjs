// The parsed model catalog a client holds in wasm memory: leased per request, freed when replaced, closed or collected.
import { APIError } from './errors.mjs';

// Frees the catalog of a client that was collected without close(), once no request uses it.
const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((box) => box.retire()) : null;

/**
 * The metadata list of one client parsed once into the core (an embind handle). Requests lease
 * it: a newer list replaces the handle, and the old one is deleted when its last lease ends, so
 * a request never meets a deleted handle and no handle outlives its use. A request checked by
 * another wasm module than the one that parsed it (the browser's full core, for a request with
 * a JSON Schema) gets a catalog of its own in that module, parsed from the same text once.
 */
export class CatalogHolder {
  #box = {
    entry: null,
    retire() {
      if (this.entry) retireEntry(this.entry);
      this.entry = null;
    },
  };

  constructor() {
    if (registry) registry.register(this, this.#box);
  }

  /**
   * Leases the core catalog adopted for `key` (the client's metadata cache entry): { handle,
   * release }. A key that a newer adopt() replaced gets the newer catalog: the newest metadata.
   * `core`: the module the handle must belong to, when it may not be the one that parsed it.
   */
  async lease(key, core = null) {
    const entry = this.#box.entry;
    if (!entry) throw new Error(`no model metadata catalog${key ? ' (the client was closed)' : ''}`);
    const handle = handleIn(entry, core);
    entry.leases += 1;
    let released = false;
    return {
      handle,
      release() {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.retired && entry.leases === 0) deleteHandles(entry);
      },
    };
  }

  /**
   * Makes `handle` (a core Catalog parsed from a metadata body) the one leased from now on.
   * `origin` = { core, text }: its module and the metadata text, for handles in other modules.
   */
  adopt(key, handle, origin = null) {
    if (this.#box.entry) retireEntry(this.#box.entry);
    this.#box.entry = { key, handle, origin, others: new Map(), leases: 0, retired: false };
  }

  /** Frees the handle as soon as no request uses it (client.close()). */
  release() {
    this.#box.retire();
  }
}

function handleIn(entry, core) {
  if (!core || !entry.origin || core === entry.origin.core) return entry.handle;
  let handle = entry.others.get(core);
  if (!handle) {
    handle = new core.Catalog(entry.origin.text);
    entry.others.set(core, handle);
  }
  return handle;
}

function deleteHandles(entry) {
  entry.handle.delete();
  for (const handle of entry.others.values()) handle.delete();
  entry.others.clear();
}

function retireEntry(entry) {
  if (entry.retired) return;
  entry.retired = true;
  if (entry.leases === 0) deleteHandles(entry);
}

// A metadata body parsed once by the core, into the catalog requests are checked against. Its
// normal form (tolerant of data/models/array shapes; unknown fields are kept) is read from the
// catalog only when models.metadata() asks for it: a request needs the catalog alone.
export function metadataEntry(core, body, at) {
  const text = JSON.stringify(body);
  const handle = new core.Catalog(text);
  if (!handle.valid()) {
    const { error } = JSON.parse(handle.listJson());
    handle.delete();
    throw new APIError(error, { kind: 'invalid_response', code: 'invalid_metadata' });
  }
  // The text is kept only where a second module may need a catalog of its own (the browser's chat
  // module hands schema requests to the full core); elsewhere one module serves every request.
  return { at, handle, list: null, origin: core.needsFullCore ? { core, text } : null };
}

/** models.metadata()'s answer for an entry, read from its catalog once. */
export function listOf(entry) {
  if (!entry.list) entry.list = JSON.parse(entry.handle.metadataList());
  return entry.list;
}
