// What the client adds to a finished completion: what LLMBase bills for it, as a property JSON.stringify leaves out.

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
