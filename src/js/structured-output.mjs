// Structured outputs: the response_format schema, checked by the core's JSON Schema validator, becomes message.parsed.
import { ContentFilterFinishReasonError, InvalidArgumentError, LengthFinishReasonError, StructuredOutputError } from './errors.mjs';

/** Whether the request asks for a response_format; which formats carry JSON is the core's rule. */
export function hasResponseFormat(params) {
  return Boolean(params && params.response_format && typeof params.response_format === 'object');
}

/**
 * The partial value of a JSON text that is still arriving, from the core's incremental parser:
 * `{"items":[{"na` → `{items: [{}]}`-like prefixes. undefined while nothing is parseable yet.
 */
export function partialParse(core, text) {
  if (typeof text !== 'string' || text === '') return undefined;
  const out = core.completePartialJson(text);
  return out === '' ? undefined : JSON.parse(out);
}

/**
 * parse() refuses, before sending, a response_format schema the core's validator cannot check
 * (a keyword it does not implement, a malformed one): the reply could not be checked against it.
 * create() only warns about the unimplemented ones, since the provider may still enforce them.
 */
export function refuseUncheckableSchema(core, params) {
  const format = params.response_format;
  if (!format || format.type !== 'json_schema' || !format.json_schema || typeof format.json_schema.schema !== 'object') return;
  const result = JSON.parse(core.validateJsonSchema(JSON.stringify(format.json_schema.schema), 'null'));
  const refused = result.errors.find((e) => e.rule === 'schema');
  if (!refused) return;
  const path = `response_format.json_schema.schema${refused.path.slice(1)}`;
  throw new InvalidArgumentError(
    `chat.completions.parse(): '${path}' cannot be checked by the validator (${refused.message}); remove or rewrite it (zod: z.toJSONSchema(schema) output is supported).`,
    { param: path, code: 'invalid_json_schema' }
  );
}

/** Runs the core's validator: [] when `text` is JSON matching `schema`, else its errors. */
function schemaErrors(core, schemaText, text) {
  const result = JSON.parse(core.validateJsonSchema(schemaText, text));
  return result.valid ? [] : result.errors;
}

// The core's verdict codes (structured_output.h) → the error a caller catches.
function structuredError(verdict, completion) {
  const code = verdict.error && verdict.error.code;
  if (code === 'length') return new LengthFinishReasonError(completion);
  if (code === 'content_filter') return new ContentFilterFinishReasonError(completion);
  const errors =
    verdict.errors && verdict.errors.length
      ? verdict.errors
      : [{ path: verdict.error.path || '$', rule: verdict.error.rule || code, message: verdict.error.message }];
  return new StructuredOutputError(errors, verdict.raw, completion);
}

/**
 * Adds `message.parsed` to the reply (null for a refusal or a text format) once the core checked
 * it: finish_reason length / content_filter → their own errors; JSON that does not match the
 * response_format schema → StructuredOutputError (path, rule, raw text). Calls of tools marked
 * `strict: true` get `parsed_arguments`, validated against their parameters the same way.
 */
export function parseCompletion(core, params, completion) {
  const verdict = JSON.parse(core.checkStructuredOutput(JSON.stringify(params), JSON.stringify(completion)));
  if (!verdict.ok) throw structuredError(verdict, completion);
  const message = completion.choices[0].message;
  message.parsed = verdict.parsed === undefined ? null : verdict.parsed;
  const strictTools = new Map();
  for (const tool of (params && params.tools) || []) {
    if (tool && tool.function && tool.function.strict === true)
      strictTools.set(tool.function.name, JSON.stringify(tool.function.parameters || {}));
  }
  for (const call of message.tool_calls || []) {
    const schemaText = call.function && strictTools.get(call.function.name);
    if (!schemaText) continue;
    const errors = schemaErrors(core, schemaText, call.function.arguments);
    if (errors.length) throw new StructuredOutputError(errors, call.function.arguments, completion);
    call.function.parsed_arguments = JSON.parse(call.function.arguments);
  }
  return completion;
}
