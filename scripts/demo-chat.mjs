// The main job: streams one chat reply to the terminal, from the local server unless LLMBASE_API_KEY is set.
import { LLMBase } from '../dist/index.mjs';
import { startServer } from '../dist/server/index.mjs';

const prompt = process.argv.slice(2).join(' ') || 'Explain in a few sentences why streaming matters for chat UIs.';
const model = process.env.LLMBASE_MODEL || 'deepseek/deepseek-v4-flash';

let server = null;
let client;
if (process.env.LLMBASE_API_KEY) {
  client = new LLMBase(); // key and base URL from LLMBASE_API_KEY / LLMBASE_BASE_URL
  console.error(`demo: talking to ${client.baseURL} (LLMBASE_API_KEY is set)`);
} else {
  server = await startServer({ port: 0 });
  client = new LLMBase({ apiKey: 'llmbase_local_demo', baseURL: server.url });
  console.error(`demo: no LLMBASE_API_KEY, so using the local LLMBase-compatible server at ${server.url}`);
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
let exitCode = 0;
try {
  console.error(`demo: model ${model}\n> ${prompt}\n`);
  const stream = await client.chat.completions.create(
    { model, stream: true, max_tokens: 300, messages: [{ role: 'user', content: prompt }] },
    { signal: controller.signal }
  );
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice && choice.delta.content) process.stdout.write(choice.delta.content);
  }
  const completion = await stream.finalChatCompletion();
  const usage = completion.usage;
  process.stdout.write('\n');
  if (usage) {
    console.error(
      `\ndemo: finish_reason=${completion.choices[0].finish_reason}, ` +
        `${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion tokens`
    );
  }
} catch (error) {
  console.error(`\ndemo: ${error.name}: ${error.message}`);
  exitCode = 1;
} finally {
  if (server) await server.close();
}
process.exit(exitCode);
