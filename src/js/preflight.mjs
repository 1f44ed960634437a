// Pre-flight checks of a request against model metadata and budget, and the cost of a finished completion.
import { loadCore } from './core-loader.mjs';

export const VALIDATION_MODES = ['error', 'warn', 'off'];

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
