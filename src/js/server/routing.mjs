// Smart fallback of the local server (llmbase-api.md §10): which model serves a request, and the x-llmbase-* headers.
//
// Deterministic trigger: a catalog entry with `"available": false` (built in: z-ai/glm-5), or the test fault
// `unavailable`, makes the requested model "temporarily unavailable". Then, unless the request sends
// `X-LLMBase-Fallback: off`, the first candidate that is available and capability-safe serves it:
// candidates are the entry's `fallback_models` if it has them, else the rest of the catalog in order.
// Capability-safe means it advertises every feature, modality and parameter the request uses, and its
// max_output_length and context_length fit. With fallback off, or no candidate, the answer is
// 503 `model_unavailable`. Billing takes the cheaper of the two models (llmbase-api.md §10, price-aware).
import { HttpError } from './http-utils.mjs';
import { satisfies } from './validation.mjs';

export function fallbackDisabled(req) {
  const value = String(req.headers['x-llmbase-fallback'] ?? '')
    .trim()
    .toLowerCase();
  return ['off', 'false', '0', 'disabled'].includes(value);
}

export function resolveRoute({ requested, catalog, needs, maxTokens, promptTokens, forceUnavailable, fallbackOff }) {
  const unavailable = requested.available === false || forceUnavailable === true;
  if (!unavailable) return { served: requested, applied: false };
  if (fallbackOff) {
    throw new HttpError(
      503,
      'model_unavailable',
      `Model ${requested.id} is temporarily unavailable and fallback is off (X-LLMBase-Fallback: off).`,
      { param: 'model' }
    );
  }
  const candidates = requested.fallback_models ? requested.fallback_models.map((id) => catalog.get(id)).filter(Boolean) : catalog.list();
  const served = candidates.find(
    (model) =>
      model.id !== requested.id &&
      model.available &&
      needs.every((need) => satisfies(model, need)) &&
      (maxTokens ?? 0) <= model.max_output_length &&
      promptTokens + (maxTokens ?? 0) <= model.context_length
  );
  if (!served) {
    throw new HttpError(
      503,
      'model_unavailable',
      `Model ${requested.id} is temporarily unavailable and no capability-safe fallback model can serve this request.`,
      { param: 'model' }
    );
  }
  return { served, applied: true, reason: 'model_unavailable', chain: [requested.id, served.id] };
}

export function fallbackHeaders(requested, route) {
  const headers = {
    'x-llmbase-requested-model': requested.id,
    'x-llmbase-served-model': route.served.id,
    'x-llmbase-fallback-applied': String(route.applied),
  };
  if (route.applied) {
    headers['x-llmbase-fallback-reason'] = route.reason;
    headers['x-llmbase-fallback-chain'] = route.chain.join(',');
  }
  return headers;
}
