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

/**
 * The core's plan of the steps before a check (chat_prepare.h ChatCheckPlan): { shapeFirst, needsCatalog }.
 * `catalogFresh`: a catalog younger than metadataTTL is at hand.
 */
export function planChecks(core, checks, catalogFresh) {
  const flags = core.planChatChecks(JSON.stringify(checks), catalogFresh);
  return { shapeFirst: (flags & 1) !== 0, needsCatalog: (flags & 2) !== 0 };
}

/** Worst-case cost of `params` before sending: { promptTokens, maxCompletionTokens, maxCostUSD, priced }. */
export function estimateWith(catalog, params) {
  return estimateFromCore(catalog.estimateCost(JSON.stringify(params)));
}

/**
 * What LLMBase bills for a finished completion, from its usage: under smart fallback the cheaper of
 * the requested and the served model (the core's bill_completion, llmbase-api.md §10).
 */
export function completionCost(catalog, completion, requestedModel, servedModel) {
  if (!catalog || !completion || !completion.usage) return null;
  const bill = JSON.parse(catalog.completionCost(JSON.stringify(completion.usage), requestedModel || '', servedModel || ''));
  return {
    usd: bill.cost_usd,
    model: bill.model,
    promptTokens: bill.prompt_tokens,
    completionTokens: bill.completion_tokens,
    cachedTokens: bill.cached_tokens,
    priced: bill.priced,
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
