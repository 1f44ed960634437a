// The client's pre-send step: the core's plan of what to check, the checks themselves and the worst-case estimate.

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
