// The work every cell of the runtimes matrix does with the package: a streamed chat, a plain chat, models.list().
// Self-contained (no imports) so that it can be copied next to a cell, bundled, or inlined into a page.
export const MODEL = 'deepseek/deepseek-v4-flash';
// `echo:` makes the local server reply with exactly the rest of the text, in chunks of varied size.
export const REPLY = 'Node, Bun, Deno, Workers, edge — and a page: ✓ 🌍 "quoted" \\ done.';
export const MESSAGES = [{ role: 'user', content: `echo: ${REPLY}` }];

/** `inPage`: a browser page, where a client with a key must be allowed explicitly (servers never need it). */
export async function runScenario(LLMBase, baseURL, { inPage = false } = {}) {
  const options = { apiKey: 'llmbase_runtime_matrix', baseURL, maxRetries: 0 };
  const client = new LLMBase(inPage ? { ...options, dangerouslyAllowBrowser: true } : options);
  const stream = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, stream: true });
  let streamed = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    streamed += (chunk.choices[0] && chunk.choices[0].delta && chunk.choices[0].delta.content) || '';
  }
  const final = await stream.finalChatCompletion();
  const completion = await client.chat.completions.create({ model: MODEL, messages: MESSAGES });
  const models = [];
  for await (const model of client.models.list()) models.push(model.id);
  return {
    streamed,
    streamedChunks: chunks > 1,
    streamFinish: final.choices[0].finish_reason,
    text: completion.choices[0].message.content,
    finish: completion.choices[0].finish_reason,
    models,
  };
}
