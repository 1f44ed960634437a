// Type check: a CommonJS consumer (.cts, node16/nodenext) gets index.d.cts, which matches what require() returns.
import LLMBase = require('llmbase-wasm');
import type { ChatCompletion, ChatCompletionChunk, WasmSource } from 'llmbase-wasm';

const { APIError, AuthenticationError, LLMBaseError, configureWasm, ChatCompletionStream } = LLMBase;

async function main(): Promise<void> {
  // require() returns the class itself (TS2351 "not constructable" was the bug).
  const client = new LLMBase({ apiKey: 'llmbase_x', baseURL: 'http://127.0.0.1:8080/v1' });
  const named = new LLMBase.LLMBase({ apiKey: 'llmbase_x' });
  const completion: ChatCompletion = await client.chat.completions.create({
    model: 'deepseek/deepseek-v4-flash',
    messages: [{ role: 'user', content: 'Hello' }],
  });
  console.log(completion.choices[0].message.content, named.baseURL);
  const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
  const isStream: boolean = stream instanceof ChatCompletionStream;
  for await (const chunk of stream) {
    const c: ChatCompletionChunk = chunk;
    console.log(c.choices[0]?.delta.content, isStream);
  }
  try {
    await client.models.list();
  } catch (error) {
    if (error instanceof AuthenticationError) console.log(error.status);
    if (error instanceof APIError || error instanceof LLMBaseError) console.log(error.kind);
  }
  const source: WasmSource = { bytes: new Uint8Array(8) };
  configureWasm(source);
  // @ts-expect-error exactly one of module, bytes and url
  configureWasm({ bytes: new Uint8Array(8), url: 'https://example.test/llmbase_core.wasm' });
  const page: LLMBase.ModelsPage = await client.models.list();
  // The helpers and their errors hang off require()'s class too.
  const runner: LLMBase.ChatCompletionStreamRunner = client.chat.completions.stream({ model: 'm', messages: [] });
  runner.on('content', (delta) => console.log(delta));
  const parsed = await client.chat.completions.parse<{ a: number }>({ model: 'm', messages: [] });
  console.log(parsed.choices[0].message.parsed?.a, LLMBase.StructuredOutputError, LLMBase.ToolLoopError);
  console.log(page.data.length, LLMBase.DEFAULT_BASE_URL);
}

void main();
