// Model catalog of the local server: loads catalog.json (or a --catalog file), serves the model lists, prices usage.
import { readFileSync } from 'node:fs';

const BUILT_IN_CATALOG_URL = new URL('./catalog.json', import.meta.url);
const DEFAULT_CREATED = 1767225600; // 2026-01-01T00:00:00Z: fixed, so listings are reproducible

/**
 * Loads a catalog. `source` may be undefined (the built-in catalog.json), a file path, or the parsed
 * content. Accepted shapes: `{models:[…]}`, `{data:[…]}` (the metadata listing itself) or a bare array.
 * Throws an Error naming the bad entry, so `--catalog` typos fail at start-up, not at request time.
 */
export function loadCatalog(source) {
  let parsed = source;
  let origin = 'catalog';
  if (source === undefined || typeof source === 'string') {
    const location = source === undefined ? BUILT_IN_CATALOG_URL : source;
    origin = source === undefined ? 'built-in catalog.json' : source;
    try {
      parsed = JSON.parse(readFileSync(location, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read the model catalog ${origin}: ${error.message}`);
    }
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed?.models ?? parsed?.data);
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new Error(`The model catalog ${origin} must hold a non-empty array (top level, "models" or "data").`);
  }
  return new Catalog(entries.map((entry, index) => normalizeEntry(entry, index, origin)));
}

function normalizeEntry(raw, index, origin) {
  const where = `${origin}: entry ${index}`;
  if (!raw || typeof raw !== 'object' || typeof raw.id !== 'string' || raw.id === '') {
    throw new Error(`${where} needs a non-empty string "id".`);
  }
  const price = (name, required) => {
    const value = raw.pricing?.[name] ?? raw.pricing?.[{ input: 'prompt', output: 'completion' }[name]];
    if (value === undefined || value === null) {
      if (required) throw new Error(`${where} (${raw.id}) needs pricing.${name} (USD per 1M tokens).`);
      return undefined;
    }
    const number = Number(value); // numeric strings are allowed, as Decisions §1 allows them on the wire
    if (!Number.isFinite(number) || number < 0) throw new Error(`${where} (${raw.id}): pricing.${name} is not a price.`);
    return number;
  };
  const list = (name, fallback) => (Array.isArray(raw[name]) ? raw[name].map(String) : fallback);
  const positive = (name, fallback) => (Number.isInteger(raw[name]) && raw[name] > 0 ? raw[name] : fallback);
  const cacheRead = price('input_cache_read', false);
  return {
    ...raw,
    id: raw.id,
    object: 'model',
    created: Number.isInteger(raw.created) ? raw.created : DEFAULT_CREATED,
    owned_by: typeof raw.owned_by === 'string' ? raw.owned_by : raw.id.split('/')[0],
    context_length: positive('context_length', 131072),
    max_output_length: positive('max_output_length', 8192),
    input_modalities: list('input_modalities', ['text']),
    output_modalities: list('output_modalities', ['text']),
    supported_features: list('supported_features', []),
    supported_parameters: list('supported_parameters', []),
    pricing: {
      input: price('input', true),
      output: price('output', true),
      ...(cacheRead === undefined ? {} : { input_cache_read: cacheRead }),
    },
    prompt_cache_supported: raw.prompt_cache_supported ?? cacheRead !== undefined,
    available: raw.available !== false,
    fallback_models: list('fallback_models', undefined),
  };
}

export class Catalog {
  #models;
  #byId;

  constructor(models) {
    this.#models = models;
    this.#byId = new Map(models.map((model) => [model.id, model]));
  }

  get size() {
    return this.#models.length;
  }

  get(id) {
    return this.#byId.get(id);
  }

  list() {
    return [...this.#models];
  }

  /**
   * The OpenAI list shape. Pricing and capabilities only with `metadata` (a third-party report says the
   * live API omits pricing otherwise, llmbase-api.md §17). `agentsOnly` keeps tool-capable models, the
   * closest local reading of `filter=agents` ("chat/tool-capable models", llmbase-api.md §11).
   */
  listing({ metadata = false, agentsOnly = false } = {}) {
    const models = agentsOnly ? this.#models.filter((m) => m.supported_features.includes('tools')) : this.#models;
    return { object: 'list', data: models.map((model) => (metadata ? metadataView(model) : publicView(model))) };
  }
}

export function publicView(model) {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.owned_by };
}

export function metadataView(model) {
  const { fallback_models: fallbackModels, ...rest } = model;
  return { ...rest, ...publicView(model), ...(fallbackModels ? { fallback_models: fallbackModels } : {}) };
}

/**
 * USD cost of a usage at a model's prices (USD per 1M tokens). Cached prompt tokens use
 * `input_cache_read` when the model has one, else the normal input price (llmbase-api.md §9).
 */
export function costUsd(model, { promptTokens, completionTokens, cachedTokens = 0 }) {
  const { input, output, input_cache_read: cacheRead = input } = model.pricing;
  const uncached = Math.max(0, promptTokens - cachedTokens);
  return (uncached * input + cachedTokens * cacheRead + completionTokens * output) / 1e6;
}
