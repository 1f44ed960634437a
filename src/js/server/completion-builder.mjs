// Turns a budgeted reply into wire objects: chat.completion, the chat.completion.chunk sequence, usage and logprobs.
import { codePoints, CHARS_PER_TOKEN } from './tokens.mjs';
import { createRng, hashSeed, randomInt } from './reply-generator.mjs';

/** Splits text at varied code-point boundaries (never inside a UTF-16 surrogate pair). */
export function splitText(text, rng, min = 1, max = 12) {
  const points = codePoints(text);
  const pieces = [];
  for (let i = 0; i < points.length;) {
    const size = randomInt(rng, min, max);
    pieces.push(points.slice(i, i + size).join(''));
    i += size;
  }
  return pieces;
}

function tokenLogprob(token, topCount) {
  // Deterministic per token text, between about -3 and 0, so streams and non-streams agree.
  const logprob = -((hashSeed(token) % 3000) + 1) / 1000;
  const bytes = [...Buffer.from(token, 'utf8')];
  const top = [{ token, logprob, bytes }];
  for (let k = 1; k < topCount; k += 1) {
    const alternative = `${token}~${k}`;
    top.push({ token: alternative, logprob: logprob - k, bytes: [...Buffer.from(alternative, 'utf8')] });
  }
  return { token, logprob, bytes, top_logprobs: top.slice(0, topCount) };
}

/** Logprob entries for one piece of content: tokens of up to 4 code points, as the token rule counts them. */
function logprobsFor(piece, topCount) {
  const points = codePoints(piece);
  const entries = [];
  for (let i = 0; i < points.length; i += CHARS_PER_TOKEN) {
    entries.push(tokenLogprob(points.slice(i, i + CHARS_PER_TOKEN).join(''), topCount));
  }
  return entries;
}

export function buildUsage({ promptTokens, cachedTokens, completionTokens, reasoningTokens }) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

/**
 * The deltas of a stream, without the final chunk: role first, then reasoning (`reasoning_content` plus the
 * `reasoning` alias, llmbase-api.md §8), content, then tool calls (id, type and name in the first delta of
 * each call, arguments in pieces; parallel calls by index). Each item is `{delta, logprobs}`.
 */
export function buildDeltas(result, { seed, logprobs, topLogprobs }) {
  const rng = createRng(seed ^ 0x5bd1e995);
  const items = [{ delta: { role: 'assistant' }, logprobs: null }];
  for (const piece of splitText(result.reasoning, rng)) {
    items.push({ delta: { reasoning_content: piece, reasoning: piece }, logprobs: null });
  }
  for (const piece of splitText(result.content ?? '', rng)) {
    const pieceLogprobs = logprobs ? { content: logprobsFor(piece, topLogprobs), refusal: null } : null;
    items.push({ delta: { content: piece }, logprobs: pieceLogprobs });
  }
  result.toolCalls.forEach((call, index) => {
    items.push({
      delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] },
      logprobs: null,
    });
    for (const piece of splitText(call.arguments, rng, 1, 10)) {
      items.push({ delta: { tool_calls: [{ index, function: { arguments: piece } }] }, logprobs: null });
    }
  });
  return items;
}

export function chunkObject(meta, item) {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta: item.delta, logprobs: item.logprobs, finish_reason: null }],
  };
}

/** LLMBase puts usage on the finish_reason chunk itself, whose `choices` is not empty (llmbase-api.md §5). */
export function finalChunkObject(meta, finishReason, usage) {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

/** The non-streaming object; its logprobs equal the concatenation of the stream's per-chunk entries. */
export function completionObject(meta, result, usage, deltas) {
  const message = { role: 'assistant', content: result.content, refusal: null };
  if (result.reasoning) {
    message.reasoning_content = result.reasoning;
    message.reasoning = result.reasoning;
  }
  if (result.toolCalls.length > 0) {
    message.tool_calls = result.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const logprobEntries = deltas.filter((item) => item.logprobs).flatMap((item) => item.logprobs.content);
  const hasLogprobs = deltas.some((item) => item.logprobs) || meta.logprobs;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: hasLogprobs ? { content: logprobEntries, refusal: null } : null,
        finish_reason: result.finishReason,
      },
    ],
    usage,
  };
}
