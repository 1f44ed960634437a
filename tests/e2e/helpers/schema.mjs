// Ajv validators for the OpenAI chat/models schemas in shared/reference/openai-openapi-chat.json (beside the checkout), used by the server e2e tests.
//
// What is adapted, and why (validation itself is not loosened):
// * `$ref`s point at `#/components/schemas/X`; the schemas are registered under `$defs` and the refs
//   rewritten to `#/$defs/X`, because Ajv (strict) refuses the unknown root keyword `components`.
// * The file says OpenAPI 3.1 but still carries 3.0's `nullable: true`. Every such schema becomes
//   `anyOf: [<schema>, {type: "null"}]`: null is allowed as well. Ajv's own `nullable` is not enough: it
//   refuses `nullable` without `type` (the chunk's `usage`), and with an `enum` it still refuses null,
//   which would reject `finish_reason: null`, sent by OpenAI itself on every chunk but the last.
// * Vendor keywords (`x-oaiMeta`, `x-stainless-const`, …) and `example` are registered as annotations,
//   and the custom format `unixtime` is checked as an integer.
// * `strictTypes` is off: it is an Ajv lint about schema authoring (e.g. `required` without
//   `type: "object"` in the OpenAI file), not a rule about the data being validated.
// Nothing else is relaxed. LLMBase's extra fields (`reasoning_content`, `reasoning` in messages and
// deltas; `pricing`, `supported_features`… on models; `usage` on a chunk that still has choices) pass
// because these schemas do not forbid additional properties, not because anything was switched off.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// shared/ lies beside the checkout (../shared from the project root), in CI as on a developer's
// machine; /work/shared is where the workplace keeps it when the checkout is elsewhere.
const BESIDE = fileURLToPath(new URL('../../../../shared/reference/openai-openapi-chat.json', import.meta.url));
const SPEC_PATH = existsSync(BESIDE) ? BESIDE : '/work/shared/reference/openai-openapi-chat.json';
const VENDOR_KEYWORDS = ['x-oaiMeta', 'x-stainless-const', 'x-oaiExpandable', 'x-oaiTypeLabel', 'example'];

function adapt(node) {
  if (Array.isArray(node)) return node.map(adapt);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', '#/$defs/') : adapt(value);
  }
  if ('nullable' in out) {
    const { nullable, ...rest } = out;
    return nullable === true ? { anyOf: [rest, { type: 'null' }] } : rest;
  }
  return out;
}

const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, discriminator: true });
addFormats(ajv);
ajv.addFormat('unixtime', { type: 'number', validate: (value) => Number.isInteger(value) });
for (const keyword of VENDOR_KEYWORDS) ajv.addKeyword(keyword);
ajv.addSchema({ $id: 'openai', $defs: adapt(spec.components.schemas) });

const validators = {};
function validatorFor(name) {
  validators[name] ??= ajv.getSchema(`openai#/$defs/${name}`);
  if (!validators[name]) throw new Error(`no schema ${name} in ${SPEC_PATH}`);
  return validators[name];
}

/** Throws an AssertionError-like Error listing every schema violation. */
export function assertSchema(name, value, label = name) {
  const validate = validatorFor(name);
  if (!validate(value)) {
    const details = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} (${e.schemaPath})`).join('\n  ');
    throw new Error(`${label} does not match ${name}:\n  ${details}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`);
  }
}

export const assertCompletion = (value) => assertSchema('CreateChatCompletionResponse', value);
export const assertChunk = (value) => assertSchema('CreateChatCompletionStreamResponse', value);
export const assertModelList = (value) => assertSchema('ListModelsResponse', value);
export const assertModel = (value) => assertSchema('Model', value);
export const assertErrorBody = (value) => assertSchema('ErrorResponse', value);
export const assertChatRequest = (value) => assertSchema('CreateChatCompletionRequest', value);
