// Benchmark metadata: a realistic /v1/model-metadata answer (the local server's catalog grown to 300 models) that lists bench/model.
import { readFileSync } from 'node:fs';

const catalogFile = new URL('../../src/js/server/catalog.json', import.meta.url);

/** bench/model as LLMBase describes a model, with what the bench requests use. */
export const BENCH_MODEL = {
  id: 'bench/model',
  name: 'Bench Model',
  created: 1767225600,
  context_length: 1048576,
  max_output_length: 1000000,
  input_modalities: ['text'],
  output_modalities: ['text'],
  supported_features: ['tools', 'json_mode', 'structured_outputs', 'reasoning'],
  supported_parameters: [
    'max_tokens',
    'max_completion_tokens',
    'temperature',
    'top_p',
    'stop',
    'seed',
    'tools',
    'tool_choice',
    'response_format',
    'reasoning_effort',
  ],
  pricing: { input: 0.1, output: 0.2, input_cache_read: 0.01 },
  prompt_cache_supported: true,
};

/** The metadata list: bench/model first, then the local catalog's models cloned to `count` entries. */
export function benchMetadata(count = 300) {
  const catalog = JSON.parse(readFileSync(catalogFile, 'utf8'));
  const models = Array.isArray(catalog) ? catalog : catalog.data || catalog.models;
  const data = [BENCH_MODEL];
  for (let i = 0; data.length < count; i += 1) {
    const m = models[i % models.length];
    data.push({ ...m, id: i < models.length ? m.id : `${m.id}-v${i}` });
  }
  return { object: 'list', data };
}
