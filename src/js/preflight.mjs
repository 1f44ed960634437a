// Pre-flight checks of a request against model metadata and budget, and the cost of a finished completion.
import { loadCore } from './core-bridge.mjs';

export const VALIDATION_MODES = ['error', 'warn', 'off'];

// Frees the catalog of a client that was collected without close(), once no request uses it.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((box) => box.retire())
  : null;

/**
 * The metadata list of one client parsed once into the core (an embind handle). Requests lease
 * it: a newer list replaces the handle, and the old one is deleted when its last lease ends, so
 * a request never meets a deleted handle and no handle outlives its use. A request checked by
 * another wasm module than the one that parsed it (the browser's full core, for a request with
 * a JSON Schema) gets a catalog of its own in that module, parsed from the same text once.
 */
export class CatalogHolder {
  #box = { entry: null, retire() { if (this.entry) retireEntry(this.entry); this.entry = null; } };

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

function estimateFromCore(text) {
  const parsed = JSON.parse(text);
  return {
    model: parsed.model,
    promptTokens: parsed.prompt_tokens,
    maxCompletionTokens: parsed.max_completion_tokens,
    maxCostUSD: parsed.max_cost_usd,
    priced: parsed.priced,
  };
}

/**
 * The core's pre-send checks of a chat request, without preparing it: { ok, findings, estimate }.
 * `checks`: { mode, allowParams, budgetUSD?, shapeOnly?, metadataError? }; `catalog` may be null.
 */
export function checkChat(core, params, checks, catalog) {
  const call = new core.CoreCall();
  try {
    const text = JSON.stringify(params) ?? 'null';
    return JSON.parse(call.prepareChat('{}', text, JSON.stringify({ ...checks, dryRun: true }), catalog, '{}'));
  } finally {
    call.delete();
  }
}

/** Worst-case cost of `params` before sending: { promptTokens, maxCompletionTokens, maxCostUSD, priced }. */
export function estimateWith(catalog, params) {
  return estimateFromCore(catalog.estimateCost(JSON.stringify(params)));
}

/**
 * The actual cost of a finished completion from its usage. Under smart fallback LLMBase bills the
 * cheaper of the requested and the served model (llmbase-api.md §10), so both are priced.
 */
export function completionCost(catalog, completion, requestedModel, servedModel) {
  if (!catalog || !completion || !completion.usage) return null;
  const usage = JSON.stringify(completion.usage);
  const price = (model) => JSON.parse(catalog.actualCost(usage, model));
  let best = price(requestedModel);
  if (servedModel && servedModel !== requestedModel) {
    const served = price(servedModel);
    if (served.cost_usd !== null && (best.cost_usd === null || served.cost_usd < best.cost_usd)) best = served;
  }
  return {
    usd: best.cost_usd,
    model: best.model,
    promptTokens: best.prompt_tokens,
    completionTokens: best.completion_tokens,
    cachedTokens: best.cached_tokens,
    priced: best.priced,
  };
}

/** Attaches a non-enumerable property, so JSON.stringify(completion) stays OpenAI-shaped. */
export function attach(target, name, value) {
  if (target && typeof target === 'object') {
    Object.defineProperty(target, name, { value, enumerable: false, configurable: true, writable: true });
  }
  return target;
}

/** The standalone validateRequest(params, modelMetadata) export: no network. */
export async function validateRequest(params, modelMetadata, options = {}) {
  const core = await loadCore();
  const metadata = modelMetadata === undefined || modelMetadata === null ? '' : JSON.stringify(modelMetadata);
  return JSON.parse(core.validateRequest(JSON.stringify(params), metadata, JSON.stringify({ allow_params: options.allowParams || [] })));
}
