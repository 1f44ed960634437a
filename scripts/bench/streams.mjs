// Benchmark streams: the SSE bodies of the content, tool-call and reasoning streams, with the counts every client must see.
const BASE = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1741000000, model: 'bench/model' };
const WORDS = ['Stream', 'ing ', 'tok', 'ens ', 'fast', '. '];
const THOUGHTS = ['Let ', 'me ', 'think', ' about', ' it', '. '];
const ARGS = ['San', ' Fran', 'cisco', ', CA', ' and', ' more'];

export const STREAM_KINDS = ['content', 'tools', 'reasoning'];
export const STREAM_TITLES = {
  content: 'content stream (delta.content)',
  tools: 'tool-call stream (two parallel calls, delta.tool_calls[].function.arguments fragments)',
  reasoning: 'reasoning stream (delta.reasoning_content, then delta.content)',
};

const frame = (obj) => `data: ${JSON.stringify(obj)}\n\n`;
const chunk = (delta, extra = {}) => frame({ ...BASE, choices: [{ index: 0, delta, finish_reason: null }], ...extra });
const final = (reason, completionTokens) =>
  frame({
    ...BASE,
    choices: [{ index: 0, delta: {}, finish_reason: reason }],
    usage: { prompt_tokens: 5, completion_tokens: completionTokens, total_tokens: completionTokens + 5 },
  });

/** What every client must count on a stream: chunks and the accumulated text lengths (choice 0). */
function expectation() {
  return { chunks: 0, content: 0, reasoning: 0, arguments: 0, toolCalls: 0 };
}

// Deltas i = from … to−1 of `field`, cycling through `words` (counted into expect[counter]).
function textDeltas(parts, expect, { field, words, from, to, counter, extra = {} }) {
  for (let i = from; i < to; i += 1) {
    const piece = words[i % words.length];
    parts.push(chunk({ ...extra, [field]: piece }));
    expect[counter] += piece.length;
  }
}

function contentStream(n) {
  const expect = expectation();
  const parts = [chunk({ role: 'assistant', content: '' })];
  textDeltas(parts, expect, { field: 'content', words: WORDS, from: 0, to: n, counter: 'content' });
  parts.push(final('stop', n));
  expect.chunks = n + 2;
  return { parts, expect };
}

// As OpenAI sends parallel calls: each call's header (index, id, type, name, empty arguments), then
// its argument fragments; the arguments of each call are one JSON object.
function toolStream(n) {
  const expect = expectation();
  const parts = [];
  const calls = [
    { name: 'get_weather', key: 'location', fragments: Math.ceil((n - 4) / 2) },
    { name: 'search_web', key: 'query', fragments: Math.floor((n - 4) / 2) },
  ];
  calls.forEach((call, index) => {
    const header = { index, id: `call_bench_${index}`, type: 'function', function: { name: call.name, arguments: '' } };
    parts.push(chunk(index === 0 ? { role: 'assistant', content: null, tool_calls: [header] } : { tool_calls: [header] }));
    const pieces = [`{"${call.key}": "`];
    for (let i = 0; i < call.fragments; i += 1) pieces.push(ARGS[i % ARGS.length]);
    pieces.push('"}');
    for (const piece of pieces) {
      parts.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      expect.arguments += piece.length;
    }
  });
  parts.push(final('tool_calls', n));
  expect.toolCalls = 2;
  expect.chunks = parts.length;
  return { parts, expect };
}

// DeepSeek's shape: reasoning_content fragments with content null, then content fragments.
function reasoningStream(n) {
  const expect = expectation();
  const parts = [chunk({ role: 'assistant', content: null, reasoning_content: '' })];
  const thinking = Math.floor((n * 3) / 4);
  textDeltas(parts, expect, {
    field: 'reasoning_content',
    words: THOUGHTS,
    from: 0,
    to: thinking,
    counter: 'reasoning',
    extra: { content: null },
  });
  textDeltas(parts, expect, { field: 'content', words: WORDS, from: thinking, to: n, counter: 'content' });
  parts.push(final('stop', n));
  expect.chunks = n + 2;
  return { parts, expect };
}

const BUILDERS = { content: contentStream, tools: toolStream, reasoning: reasoningStream };

/** { body: Buffer, expect } for `kind` with about `n` chunks (plus role/header and final chunks, [DONE]). */
export function buildBenchStream(kind, n) {
  const build = BUILDERS[kind];
  if (!build) throw new Error(`unknown stream kind ${kind} (${STREAM_KINDS.join(', ')})`);
  const { parts, expect } = build(n);
  parts.push('data: [DONE]\n\n');
  return { body: Buffer.from(parts.join('')), expect };
}
