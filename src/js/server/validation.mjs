// Request validation of the local server: the local shape rules and the capability rule (Decisions §3, llmbase-api.md §11).
//
// Independent of the client on purpose: this is the server side of the API, written from
// llmbase-api.md, not a call into src/core's request validator. The local server stands in for
// LLMBase in the tests; if it asked our own validator, every test would only check the core
// against itself, and a rule the core gets wrong would pass everywhere. The two are compared case
// by case in tests/e2e/server-contract.test.mjs, which lists every place they differ and why (the
// server refuses with one error, like the API; the client also warns and reports every finding).
//
// Each check returns the first finding `{param, code, message}` (the envelope carries one `param`) or null.
// `param` is a JSON path such as `messages[2].content[1].image_url`, as Decisions §3 asks.

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const REASONING_EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const finding = (param, code, message) => ({ param, code, message });
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const describe = (value) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

function checkNumber(body, name, min, max, { integer = false } = {}) {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return finding(name, 'invalid_type', `'${name}' must be ${integer ? 'an integer' : 'a number'}, got ${describe(value)}.`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    return finding(name, 'out_of_range', `'${name}' must be ${range}, got ${value}.`);
  }
  return null;
}

function checkTextParts(parts, path) {
  for (const [j, part] of parts.entries()) {
    if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
      return finding(`${path}[${j}]`, 'invalid_value', `'${path}[${j}]' must be a text part {"type":"text","text":"…"} here.`);
    }
  }
  return null;
}

function checkUserParts(parts, path) {
  if (parts.length === 0) return finding(path, 'empty_array', `'${path}' must hold at least one part.`);
  for (const [j, part] of parts.entries()) {
    const partPath = `${path}[${j}]`;
    if (!isObject(part)) return finding(partPath, 'invalid_type', `'${partPath}' must be an object.`);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') return finding(`${partPath}.text`, 'invalid_type', `'${partPath}.text' must be a string.`);
    } else if (part.type === 'image_url') {
      if (!isObject(part.image_url) || typeof part.image_url.url !== 'string' || part.image_url.url === '') {
        return finding(`${partPath}.image_url`, 'invalid_value', `'${partPath}.image_url' must be {"url":"https://…"}.`);
      }
    } else if (part.type === 'file') {
      if (!isObject(part.file)) return finding(`${partPath}.file`, 'invalid_value', `'${partPath}.file' must be an object.`);
    } else {
      return finding(
        `${partPath}.type`,
        'invalid_value',
        `'${partPath}.type' must be "text", "image_url" or "file" (LLMBase documents no other part types).`
      );
    }
  }
  return null;
}

function checkToolCalls(calls, path) {
  if (!Array.isArray(calls)) return finding(path, 'invalid_type', `'${path}' must be an array.`);
  for (const [k, call] of calls.entries()) {
    const callPath = `${path}[${k}]`;
    if (
      !isObject(call) ||
      typeof call.id !== 'string' ||
      !isObject(call.function) ||
      typeof call.function.name !== 'string' ||
      typeof call.function.arguments !== 'string'
    ) {
      return finding(
        callPath,
        'invalid_value',
        `'${callPath}' must be {"id":"…","type":"function","function":{"name":"…","arguments":"<JSON text>"}}.`
      );
    }
  }
  return null;
}

function checkMessage(message, i) {
  const path = `messages[${i}]`;
  if (!isObject(message)) return finding(path, 'invalid_type', `'${path}' must be an object with "role" and "content".`);
  if (!ROLES.has(message.role)) {
    return finding(
      `${path}.role`,
      'invalid_value',
      `'${path}.role' must be one of system, user, assistant, tool; got ${JSON.stringify(message.role)}.`
    );
  }
  const content = message.content;
  const contentPath = `${path}.content`;
  if (message.name !== undefined && typeof message.name !== 'string') {
    return finding(`${path}.name`, 'invalid_type', `'${path}.name' must be a string.`);
  }
  switch (message.role) {
    case 'user':
      if (typeof content === 'string') return null;
      if (Array.isArray(content)) return checkUserParts(content, contentPath);
      return finding(contentPath, 'invalid_type', `'${contentPath}' must be a string or an array of parts.`);
    case 'system':
      if (typeof content === 'string') return null;
      if (Array.isArray(content)) return checkTextParts(content, contentPath);
      return finding(contentPath, 'invalid_type', `'${contentPath}' must be a string or an array of text parts.`);
    case 'assistant': {
      if (message.tool_calls !== undefined) {
        const bad = checkToolCalls(message.tool_calls, `${path}.tool_calls`);
        if (bad) return bad;
      }
      if (content === undefined || content === null) {
        return message.tool_calls
          ? null
          : finding(contentPath, 'missing_required_parameter', `'${contentPath}' is required unless the message has tool_calls.`);
      }
      if (typeof content === 'string') return null;
      if (Array.isArray(content)) return checkTextParts(content, contentPath);
      return finding(contentPath, 'invalid_type', `'${contentPath}' must be a string, null or an array of text parts.`);
    }
    default: // tool: the docs ask for tool_call_id and string content (llmbase-api.md §3.2)
      if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
        return finding(
          `${path}.tool_call_id`,
          'missing_required_parameter',
          `'${path}.tool_call_id' is required on tool messages: copy the id of the assistant's tool call.`
        );
      }
      if (typeof content !== 'string') {
        return finding(contentPath, 'invalid_type', `'${contentPath}' of a tool message must be a string (serialise the result).`);
      }
      return null;
  }
}

function checkTools(body) {
  // null is "no tools", as for every other optional field.
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools) || body.tools.length === 0) {
      return finding('tools', 'invalid_value', "'tools' must be a non-empty array of function tools (omit it for none).");
    }
    for (const [i, tool] of body.tools.entries()) {
      if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
        return finding(
          `tools[${i}]`,
          'invalid_value',
          `'tools[${i}]' must be {"type":"function","function":{"name":"…","parameters":{…}}}.`
        );
      }
      if (typeof tool.function.name !== 'string' || !TOOL_NAME.test(tool.function.name)) {
        return finding(
          `tools[${i}].function.name`,
          'invalid_value',
          `'tools[${i}].function.name' must be 1-64 letters, digits, '_' or '-'.`
        );
      }
      if (tool.function.parameters !== undefined && !isObject(tool.function.parameters)) {
        return finding(
          `tools[${i}].function.parameters`,
          'invalid_type',
          `'tools[${i}].function.parameters' must be a JSON Schema object.`
        );
      }
    }
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return null;
  if (typeof choice === 'string') {
    return ['auto', 'none', 'required'].includes(choice)
      ? null
      : finding('tool_choice', 'invalid_value', `'tool_choice' must be "auto", "none", "required" or a function object.`);
  }
  if (!isObject(choice) || choice.type !== 'function' || typeof choice.function?.name !== 'string') {
    return finding('tool_choice', 'invalid_value', `'tool_choice' object must be {"type":"function","function":{"name":"…"}}.`);
  }
  if (!Array.isArray(body.tools) || !body.tools.some((tool) => tool.function.name === choice.function.name)) {
    return finding('tool_choice', 'invalid_value', `'tool_choice' names function "${choice.function.name}", which is not in 'tools'.`);
  }
  return null;
}

function checkResponseFormat(format) {
  if (format === undefined || format === null) return null;
  if (!isObject(format) || !['text', 'json_object', 'json_schema'].includes(format.type)) {
    return finding('response_format', 'invalid_value', `'response_format.type' must be "text", "json_object" or "json_schema".`);
  }
  if (format.type === 'json_schema') {
    if (!isObject(format.json_schema) || typeof format.json_schema.name !== 'string' || !format.json_schema.name) {
      return finding('response_format.json_schema.name', 'missing_required_parameter', "'response_format.json_schema.name' is required.");
    }
    if (!isObject(format.json_schema.schema)) {
      return finding(
        'response_format.json_schema.schema',
        'missing_required_parameter',
        "'response_format.json_schema.schema' must be a JSON Schema object."
      );
    }
  }
  return null;
}

function checkStop(stop) {
  if (stop === undefined || stop === null || typeof stop === 'string') return null;
  if (!Array.isArray(stop) || stop.some((item) => typeof item !== 'string')) {
    return finding('stop', 'invalid_type', "'stop' must be a string or an array of strings.");
  }
  return stop.length > 4 ? finding('stop', 'out_of_range', `'stop' allows at most 4 sequences, got ${stop.length}.`) : null;
}

function checkTyped(body, name, type) {
  const value = body[name];
  if (value === undefined || value === null) return null;
  const ok = type === 'object' ? isObject(value) : typeof value === type;
  return ok
    ? null
    : finding(name, 'invalid_type', `'${name}' must be ${type === 'object' ? 'an object' : `a ${type}`}, got ${describe(value)}.`);
}

/** Shape rules, independent of the model. */
export function validateShape(body) {
  if (!isObject(body)) return finding(null, 'invalid_type', 'The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model.trim() === '') {
    return finding(
      'model',
      body.model === undefined ? 'missing_required_parameter' : 'invalid_value',
      '\'model\' must be a non-empty model id such as "deepseek/deepseek-v4-flash" (see GET /v1/models).'
    );
  }
  if (!Array.isArray(body.messages)) {
    return finding(
      'messages',
      body.messages === undefined ? 'missing_required_parameter' : 'invalid_type',
      "'messages' must be an array of messages."
    );
  }
  if (body.messages.length === 0) return finding('messages', 'empty_array', "'messages' must contain at least one message.");
  for (const [i, message] of body.messages.entries()) {
    const bad = checkMessage(message, i);
    if (bad) return bad;
  }
  const checks = [
    () => checkNumber(body, 'temperature', 0, 2),
    () => checkNumber(body, 'top_p', 0, 1),
    () => checkNumber(body, 'frequency_penalty', -2, 2),
    () => checkNumber(body, 'presence_penalty', -2, 2),
    () => checkNumber(body, 'seed', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { integer: true }),
    () => checkNumber(body, 'max_tokens', 1, Infinity, { integer: true }),
    () => checkNumber(body, 'max_completion_tokens', 1, Infinity, { integer: true }),
    () => checkNumber(body, 'top_logprobs', 0, 20, { integer: true }),
    // Only one choice is ever generated, so n>1 is refused rather than silently ignored.
    () => checkNumber(body, 'n', 1, 1, { integer: true }),
    () => checkStop(body.stop),
    () => checkTyped(body, 'stream', 'boolean'),
    () => checkTyped(body, 'logprobs', 'boolean'),
    () => checkTyped(body, 'stream_options', 'object'),
    () => checkTyped(body, 'prompt_cache_key', 'string'),
    () => checkTyped(body, 'chat_template_kwargs', 'object'),
    () => checkTyped(body, 'reasoning_effort', 'string'),
    () =>
      body.reasoning_effort !== undefined && body.reasoning_effort !== null && !REASONING_EFFORTS.has(body.reasoning_effort)
        ? finding('reasoning_effort', 'invalid_value', `'reasoning_effort' must be one of ${[...REASONING_EFFORTS].join(', ')}.`)
        : null,
    () =>
      body.top_logprobs !== undefined && body.top_logprobs !== null && body.logprobs !== true
        ? finding('top_logprobs', 'invalid_value', "'top_logprobs' needs 'logprobs': true.")
        : null,
    () => checkTools(body),
    () => checkResponseFormat(body.response_format),
  ];
  for (const check of checks) {
    const bad = check();
    if (bad) return bad;
  }
  return null;
}

/**
 * What the request needs from a model, for the capability rule and for capability-safe fallback.
 * `json_schema` is accepted on a model with `json_mode` only: Decisions §3 makes that a warning, not an
 * error, so the server serves it in JSON mode instead of refusing.
 */
export function capabilityNeeds(body) {
  const needs = [];
  const feature = (param, anyOf, what) => needs.push({ kind: 'feature', param, anyOf, what });
  if (body.tools !== undefined && body.tools !== null) feature('tools', ['tools'], 'tool calling');
  else if (body.tool_choice !== undefined && body.tool_choice !== null) feature('tool_choice', ['tools'], 'tool calling');
  const formatType = body.response_format?.type;
  if (formatType === 'json_object') feature('response_format', ['json_mode', 'structured_outputs'], 'JSON mode');
  if (formatType === 'json_schema') feature('response_format', ['structured_outputs', 'json_mode'], 'structured outputs');
  if (body.logprobs === true) feature('logprobs', ['logprobs'], 'logprobs');
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null) {
    needs.push({ kind: 'parameter', param: 'reasoning_effort', name: 'reasoning_effort' });
  }
  for (const [i, message] of body.messages.entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [j, part] of message.content.entries()) {
      if (part.type === 'image_url') needs.push({ kind: 'modality', param: `messages[${i}].content[${j}].image_url`, name: 'image' });
      if (part.type === 'file') needs.push({ kind: 'modality', param: `messages[${i}].content[${j}].file`, name: 'file' });
    }
  }
  return needs;
}

export function satisfies(model, need) {
  if (need.kind === 'feature') return need.anyOf.some((name) => model.supported_features.includes(name));
  if (need.kind === 'parameter') return model.supported_parameters.includes(need.name);
  return model.input_modalities.includes(need.name);
}

/** The capability rule: the first need the model does not advertise, as a finding, or null. */
export function findUnsupported(needs, model) {
  const need = needs.find((candidate) => !satisfies(model, candidate));
  if (!need) return null;
  const id = model.id;
  if (need.kind === 'feature') {
    return finding(
      need.param,
      'unsupported_feature',
      `Model ${id} does not support ${need.what} ('${need.param}' needs supported_features ${need.anyOf.join(' or ')}). ` +
        'Remove the field or pick a model that lists it in GET /v1/models?metadata=true.'
    );
  }
  if (need.kind === 'parameter') {
    return finding(
      need.param,
      'unsupported_parameter',
      `Model ${id} does not list '${need.name}' in supported_parameters. Remove it or pick a model that supports it.`
    );
  }
  return finding(
    need.param,
    'unsupported_modality',
    `Model ${id} does not accept ${need.name} input (input_modalities: ${model.input_modalities.join(', ')}). ` +
      `Remove the ${need.name} part or pick a model with '${need.name}' in input_modalities.`
  );
}

/** Limits that depend on the model: max_tokens ≤ max_output_length, prompt + max_tokens ≤ context_length. */
export function checkLimits(body, model, promptTokens) {
  for (const name of ['max_tokens', 'max_completion_tokens']) {
    if (typeof body[name] === 'number' && body[name] > model.max_output_length) {
      return finding(
        name,
        'out_of_range',
        `'${name}' is ${body[name]} but ${model.id} writes at most ${model.max_output_length} tokens (max_output_length).`
      );
    }
  }
  const reserved = requestedMaxTokens(body) ?? 0;
  if (promptTokens + reserved > model.context_length) {
    return finding(
      'messages',
      'context_length_exceeded',
      `The prompt (~${promptTokens} tokens) plus max_tokens (${reserved}) exceeds the ${model.context_length}-token context of ${model.id}.`
    );
  }
  return null;
}

export function requestedMaxTokens(body) {
  return body.max_completion_tokens ?? body.max_tokens ?? undefined;
}
