// Model replies for the widget benchmark and its output test (a typical Markdown reply of a given length, issue 16's hostile ones, their chunking) and the in-page run both stream them with.

// One round of what a long answer holds: heading, paragraphs, a list, a task list, a table, code, a quote.
function section(n) {
  return [
    `## Part ${n}: what to check`,
    `This paragraph explains step ${n} with **bold words**, *emphasis*, ~~a correction~~, \`inline code\` and a [link](https://llmbase.ai/docs/${n}). ` +
      'It runs over a few sentences, the way a model writes them, so that the renderer sees ordinary prose between the blocks.',
    `1. First item of part ${n}\n2. Second item with \`code\`\n   - a nested point\n   - another one\n3. Third item`,
    `- [x] done in part ${n}\n- [ ] still open\n- [ ] ~~dropped~~`,
    `| Option | Default | Effect |\n|:--|:-:|--:|\n| \`model\` | none | which model ${n} |\n| \`max-tokens\` | 1024 | **caps** the reply |\n| \`persist\` | off | keeps history |`,
    `\`\`\`js\nconst stream = await client.chat.completions.create({ model, messages, stream: true });\nfor await (const chunk of stream) {\n  render(chunk.choices[0].delta.content ?? '', ${n});\n}\n\`\`\``,
    `> A quoted remark about part ${n}, with *emphasis*,\n> over two lines.`,
  ].join('\n\n');
}

/** A typical Markdown reply of exactly `length` characters. */
export function typicalReply(length) {
  const parts = [];
  let size = 0;
  for (let n = 1; size < length; n += 1) {
    const text = `${section(n)}\n\n`;
    parts.push(text);
    size += text.length;
  }
  return parts.join('').slice(0, length);
}

/** Issue 16 item 12: `depth` nested quote markers, then a word. */
export const nestedQuotes = (depth) => `${'>'.repeat(depth)} bottom`;

/** Issue 16 item 13: an emphasis opener that never closes, `bytes` long ("**a " repeated). */
export const openEmphasis = (bytes) => '**a '.repeat(Math.ceil(bytes / 4)).slice(0, bytes);

/** `text` in `count` pieces of (nearly) equal length. */
export function splitInto(text, count) {
  const size = Math.ceil(text.length / count);
  return splitEvery(text, size);
}

/** `text` in pieces of `size` characters (the last may be shorter). */
export function splitEvery(text, size) {
  const pieces = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** A chat-completions SSE body whose content deltas are `pieces`, one chunk each (then finish, usage, [DONE]). */
export function sseBody(pieces) {
  const base = { id: 'chatcmpl-bench-widget', object: 'chat.completion.chunk', created: 1741000000, model: 'bench/model' };
  const frame = (delta, extra = {}) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  const parts = [frame({ role: 'assistant', content: '' }), ...pieces.map((content) => frame({ content }))];
  parts.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: pieces.length, total_tokens: pieces.length + 5 } })}\n\n`
  );
  parts.push('data: [DONE]\n\n');
  return Buffer.from(parts.join(''));
}

/**
 * The benchmark's cases at scale 1: name, the reply, and its pieces. `scale` multiplies the length
 * (and, for the typical reply, the number of chunks: 50,000 characters in 10,000 chunks at 1×).
 */
export function benchCases(scale) {
  const typical = typicalReply(50_000 * scale);
  const quotes = nestedQuotes(3_000 * scale);
  const emphasis = openEmphasis(4_096 * scale);
  return [
    { name: 'typical reply', text: typical, pieces: splitInto(typical, 10_000 * scale) },
    { name: 'nested ">" quotes', text: quotes, pieces: splitEvery(quotes, 40) },
    { name: '"**a " open emphasis', text: emphasis, pieces: splitEvery(emphasis, 40) },
  ];
}

/**
 * Runs in a page whose origin serves web/ at /: appends `pieces` to a MarkdownStream and draws a
 * frame after each one, into `#out` when the page has it (then with the layout the widget's
 * auto-scroll forces after a draw) or into a detached element. Returns { ms, draws, chars, same }:
 * `same` tells whether the result equals rendering `whole` at once (null without `whole`).
 */
export async function streamInPage({ pieces, whole = null }) {
  const { MarkdownStream } = await import('/markdown-stream.mjs');
  const out = document.getElementById('out') || document.createElement('div');
  out.replaceChildren();
  let frame = null;
  let draws = 0;
  const md = new MarkdownStream(out, {
    schedule: (callback) => {
      frame = callback;
    },
    onRender: () => {
      draws += 1;
    },
  });
  const start = performance.now();
  for (const piece of pieces) {
    md.append(piece);
    const draw = frame;
    frame = null;
    if (draw) draw();
    if (out.isConnected) out.scrollTop = out.scrollHeight;
  }
  md.finish();
  const ms = performance.now() - start;
  let same = null;
  if (whole !== null) {
    const { renderMarkdown } = await import('/markdown-render.mjs');
    const expected = document.createElement('div');
    expected.append(renderMarkdown(whole));
    same = out.innerHTML === expected.innerHTML;
  }
  return { ms, draws, chars: out.textContent.length, same };
}
