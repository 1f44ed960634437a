// Deterministic fake replies of the local server: content, reasoning trace and tool calls for a request.
//
// Same request → same reply: everything is drawn from a PRNG seeded with a hash of the request body minus
// `stream`, `stream_options` and the max-token fields (so streaming and non-streaming agree, and a
// max_tokens cut is a prefix of the full reply).
//
// Rules a test can rely on:
// * echo: if the text of the last user message starts with `echo:`, the content is exactly the rest of
//   that text (one leading space dropped) — no reasoning, no tool calls — so hostile markdown, long
//   unicode and the like come back verbatim. max_tokens still cuts it.
// * tools: with `tools` and tool_choice not "none", and when the last message is from the user, a tool is
//   called when the user text names it or a significant word of its name (get_weather ← "weather"); a
//   named tool_choice calls that tool; "required" with no match calls the first tool. Several matches
//   make parallel calls (indexes 0, 1, …). After `tool` results the model answers in text.
// * reasoning: models with feature `reasoning` think first unless reasoning_effort is "none" or
//   chat_template_kwargs turns thinking off (`enable_thinking:false` or `thinking:false`, top level or
//   under a literal `extra_body`); the effort sets the length.
// * response_format json_object / json_schema makes the content JSON (following the schema).
import { createHash } from 'node:crypto';
import { codePoints, countTextTokens, truncateToTokens } from './tokens.mjs';

export function hashSeed(text) {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** mulberry32: tiny, fast and good enough to pick sentences and chunk sizes reproducibly. */
export function createRng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomInt = (rng, min, max) => min + Math.floor(rng() * (max - min + 1));

export function requestSeed(body) {
  const { stream, stream_options: streamOptions, max_tokens: maxTokens, max_completion_tokens: maxCompletion, ...rest } = body;
  return hashSeed(JSON.stringify(rest));
}

const CONTENT_SENTENCES = [
  'This reply comes from the local LLMBase-compatible server, so the words are generated from templates rather than by a real model.',
  'Replies are deterministic: the same request always gets the same text, which keeps tests and demos reproducible.',
  'When streaming, the text arrives in chunks of varied size, so a client has to join the deltas exactly as they come.',
  'Usage is counted at roughly four characters per token, and each finished request lowers the prepaid balance by its catalog price.',
  'Name one of your tools in the prompt to see a tool call, or pick a reasoning model to watch the thinking trace stream first.',
  'Start a message with "echo:" to get its text back verbatim, which is handy for testing rendering and decoding.',
  'Non-ASCII text travels safely too: café, naïve, Zürich, 東京 and 🚀 all survive chunking at code-point boundaries.',
  'Fallback headers on each response tell you which model was requested and which one actually served it.',
];

const REASONING_SENTENCES = [
  'The user wrote: "{q}".',
  'I should answer briefly and make clear that this is a simulated model.',
  'A few sentences are enough; the client mainly needs something to render.',
  'Let me check whether any of the provided tools would help here.',
  'It is worth mentioning how streaming, usage and pricing behave on this server.',
  'I will keep the wording plain and avoid inventing facts.',
];

const EFFORT_SENTENCES = { none: 0, minimal: 1, low: 2, medium: 3, high: 5, xhigh: 6 };

const GENERIC_NAME_WORDS = new Set([
  'get',
  'set',
  'list',
  'fetch',
  'make',
  'create',
  'update',
  'delete',
  'find',
  'search',
  'lookup',
  'call',
  'tool',
  'function',
  'run',
  'with',
  'from',
  'data',
  'info',
  'current',
]);

function messageText(message) {
  if (typeof message?.content === 'string') return message.content;
  if (Array.isArray(message?.content))
    return message.content
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('\n');
  return '';
}

function excerpt(text, length = 80) {
  const flat = text.replace(/\s+/g, ' ').trim();
  const points = codePoints(flat);
  return points.length > length ? `${points.slice(0, length - 1).join('')}…` : flat;
}

function pickSentences(pool, count, rng) {
  const remaining = [...pool];
  const picked = [];
  while (picked.length < count && remaining.length > 0) picked.push(remaining.splice(randomInt(rng, 0, remaining.length - 1), 1)[0]);
  return picked;
}

function thinkingDisabled(body) {
  const kwargs = { ...body.extra_body?.chat_template_kwargs, ...body.chat_template_kwargs };
  return kwargs.enable_thinking === false || kwargs.thinking === false;
}

/** Capitalised words not at a sentence start: "weather in Paris and time in Tokyo" → Paris, Tokyo. */
function subjects(text) {
  const found = [];
  for (const match of text.matchAll(/(^|[.!?]\s+|\s)(\p{Lu}[\p{L}-]+)/gu)) {
    const atStart = match.index === 0 || /[.!?]/.test(match[1]);
    if (!atStart) found.push(match[2]);
  }
  return found;
}

function nameWords(name) {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 4 && !GENERIC_NAME_WORDS.has(word));
}

function chooseTools(body, lastMessage, userText) {
  if (!Array.isArray(body.tools) || body.tool_choice === 'none' || lastMessage.role !== 'user') return [];
  if (typeof body.tool_choice === 'object' && body.tool_choice !== null) {
    return body.tools.filter((tool) => tool.function.name === body.tool_choice.function.name).slice(0, 1);
  }
  const lower = userText.toLowerCase();
  const mentioned = body.tools.filter(
    (tool) =>
      lower.includes(tool.function.name.toLowerCase()) ||
      nameWords(tool.function.name).some((word) => new RegExp(`\\b${word}`, 'i').test(userText))
  );
  if (mentioned.length > 0) return mentioned;
  return body.tool_choice === 'required' ? [body.tools[0]] : [];
}

/** A value shaped by a JSON Schema; strings prefer `hint` (the subject the user named) once. */
export function sampleFromSchema(schema, context, name = 'value', depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 8) return null;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], context.root);
    return sampleFromSchema(target, context, name, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0) {
    return sampleFromSchema(variants.find((v) => v?.type !== 'null') ?? variants[0], context, name, depth + 1);
  }
  let type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  if (!type) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'object': {
      const value = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) value[key] = sampleFromSchema(child, context, key, depth + 1);
      return value;
    }
    case 'array': {
      const count = Math.max(1, Number.isInteger(schema.minItems) ? schema.minItems : 1);
      return Array.from({ length: count }, (_, i) => sampleFromSchema(schema.items, context, `${name}_${i + 1}`, depth + 1));
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      const high = schema.maximum ?? schema.exclusiveMaximum ?? low + 100;
      const value = low + (high - low) * context.rng();
      return type === 'integer' ? Math.min(high, Math.max(low, Math.round(value))) : Math.round(value * 100) / 100;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const formats = { date: '2026-01-01', 'date-time': '2026-01-01T12:00:00Z', email: 'user@example.com', uri: 'https://example.com/' };
      if (formats[schema.format]) return formats[schema.format];
      if (context.hint !== undefined) {
        const hint = context.hint;
        context.hint = undefined;
        return hint;
      }
      return `sample ${name}`;
    }
  }
}

function toolResultsAnswer(body, rng) {
  const results = [];
  for (let i = body.messages.length - 1; i >= 0 && body.messages[i].role === 'tool'; i -= 1) results.unshift(body.messages[i]);
  const names = new Map();
  for (const message of body.messages) {
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  const parts = results.map(
    (result) => `${names.get(result.tool_call_id) ?? result.tool_call_id} returned ${excerpt(result.content, 120)}`
  );
  return `Thanks, the tool results are in: ${parts.join('; ')}. ${pickSentences(CONTENT_SENTENCES, 2, rng).join(' ')}`;
}

function textAnswer(body, model, userText, rng) {
  const question = excerpt(userText);
  const opening = question ? `You asked: “${question}”.` : 'Your message had no text.';
  const attachments = body.messages
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((part) => part.type === 'image_url' || part.type === 'file').length;
  const seen =
    attachments > 0
      ? [
          `I received ${attachments} attachment${attachments === 1 ? '' : 's'}; this local server does not look inside them, so treat this as a placeholder description.`,
        ]
      : [];
  const closing = `(Served by ${model.id} on the local LLMBase test server.)`;
  return [opening, ...seen, ...pickSentences(CONTENT_SENTENCES, randomInt(rng, 3, 4), rng), closing].join(' ');
}

function jsonAnswer(body, model, userText, rng) {
  const format = body.response_format;
  if (format.type === 'json_schema') {
    const schema = format.json_schema.schema;
    return JSON.stringify(sampleFromSchema(schema, { rng, root: schema, hint: excerpt(userText, 60) || undefined }));
  }
  return JSON.stringify({ answer: pickSentences(CONTENT_SENTENCES, 1, rng)[0], question: excerpt(userText, 60), model: model.id });
}

/**
 * The full, unbudgeted reply: `{reasoning, content, toolCalls:[{id,name,arguments}]}`.
 * `content` is null when the reply is only tool calls.
 */
export function generateReply(body, model) {
  const rng = createRng(requestSeed(body));
  const lastMessage = body.messages[body.messages.length - 1];
  const lastUser = [...body.messages].reverse().find((message) => message.role === 'user');
  const userText = lastUser ? messageText(lastUser) : '';
  if (userText.startsWith('echo:')) {
    const rest = userText.slice('echo:'.length);
    return { reasoning: '', content: rest.startsWith(' ') ? rest.slice(1) : rest, toolCalls: [] };
  }
  const tools = chooseTools(body, lastMessage, userText);
  let reasoning = '';
  if (model.supported_features.includes('reasoning') && !thinkingDisabled(body)) {
    const count = EFFORT_SENTENCES[body.reasoning_effort ?? 'medium'];
    const question = excerpt(userText, 60);
    const pool = REASONING_SENTENCES.filter((s) => (s.includes('{q}') ? question : true) && (!s.includes('tools') || body.tools));
    reasoning = pickSentences(pool, count, rng)
      .map((s) => s.replace('{q}', question))
      .join(' ');
  }
  if (tools.length > 0) {
    const names = subjects(userText);
    const toolCalls = tools.map((tool, index) => {
      const parameters = tool.function.parameters ?? { type: 'object', properties: {} };
      const args = sampleFromSchema(parameters, {
        rng,
        root: parameters,
        hint: names[index] ?? names[0] ?? (excerpt(userText, 40) || undefined),
      });
      const id = `call_${createHash('sha256')
        .update(`${requestSeed(body)}:${index}`)
        .digest('hex')
        .slice(0, 24)}`;
      return { id, name: tool.function.name, arguments: JSON.stringify(args ?? {}) };
    });
    return { reasoning, content: null, toolCalls };
  }
  let content;
  if (lastMessage.role === 'tool') content = toolResultsAnswer(body, rng);
  else if (body.response_format?.type === 'json_object' || body.response_format?.type === 'json_schema')
    content = jsonAnswer(body, model, userText, rng);
  else content = textAnswer(body, model, userText, rng);
  return { reasoning, content, toolCalls: [] };
}

/**
 * Applies the completion-token budget (max_tokens, else max_output_length) in output order: reasoning,
 * content, tool calls. Anything cut makes finish_reason "length".
 */
export function applyBudget(reply, budget) {
  let left = budget;
  let truncated = false;
  const take = (text) => {
    if (!text || truncated) return truncated ? '' : text;
    const cut = truncateToTokens(text, left);
    truncated = cut.truncated;
    left -= countTextTokens(cut.text);
    return cut.text;
  };
  const reasoning = take(reply.reasoning);
  const content = reply.content === null ? null : take(reply.content);
  const toolCalls = [];
  for (const call of reply.toolCalls) {
    if (truncated) break;
    const nameCost = countTextTokens(call.name);
    if (nameCost > left) {
      truncated = true;
      break;
    }
    left -= nameCost;
    toolCalls.push({ ...call, arguments: take(call.arguments) });
  }
  const completionTokens =
    countTextTokens(reasoning) +
    countTextTokens(content ?? '') +
    toolCalls.reduce((sum, call) => sum + countTextTokens(call.name) + countTextTokens(call.arguments), 0);
  const finishReason = truncated ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop';
  return { reasoning, content, toolCalls, finishReason, completionTokens, reasoningTokens: countTextTokens(reasoning) };
}
