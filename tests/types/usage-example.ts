// Type check (tsc --noEmit): typical openai-node-style code compiles against llmbase-wasm's declarations.
import LLMBase, {
  APIUserAbortError,
  AuthenticationError,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionStream,
  IncompleteStreamError,
  LLMBaseError,
  validateRequest,
} from 'llmbase-wasm';
import { LLMBaseChat } from 'llmbase-wasm/chat';

async function main(): Promise<void> {
  const client = new LLMBase({ apiKey: 'llmbase_x', baseURL: 'http://127.0.0.1:8080/v1', fallback: false });
  const completion: ChatCompletion = await client.chat.completions.create({
    model: 'deepseek/deepseek-v4-flash',
    messages: [{ role: 'user', content: 'Hello' }],
    max_tokens: 100,
  });
  const text: string | null = completion.choices[0].message.content;

  const stream: ChatCompletionStream = await client.chat.completions.create(
    { model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'user', content: text ?? '' }], stream: true },
    { signal: AbortSignal.timeout(1000), headers: { 'x-trace': '1' } }
  );
  for await (const chunk of stream) {
    const c: ChatCompletionChunk = chunk;
    const delta: string | null | undefined = c.choices[0]?.delta.content;
    if (delta === 'stop') stream.controller.abort();
  }
  try {
    const final: ChatCompletion = await stream.finalChatCompletion();
    console.log(final.usage?.total_tokens);
  } catch (error) {
    if (error instanceof APIUserAbortError || error instanceof IncompleteStreamError) console.log(error.partial);
    if (error instanceof AuthenticationError) console.log(error.status, error.code, error.requestId);
    if (error instanceof LLMBaseError) console.log(error.kind);
  }
  for await (const model of client.models.list()) console.log(model.id);
  const page = await client.models.list();
  console.log(page.data.length);

  const tuned = new LLMBase({ maxRetries: 4, timeout: 30_000, idleTimeout: 5_000, maxConcurrency: 4, dangerouslyAllowBrowser: false });
  const { data, response, requestId } = await tuned.chat.completions
    .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { maxRetries: 0, extra_body: { seed: 1 } })
    .withResponse();
  console.log(data.choices[0].finish_reason, response.headers.get('x-llmbase-served-model'), requestId);
  const metadata = await tuned.models.metadata({ refresh: true });
  const tools: boolean = metadata.data.some((m) => m.supported_features?.includes('tools') ?? false);
  const balance = await tuned.balance.retrieve();
  console.log(tools, balance.balance, tuned.concurrency.queued);

  const checked = new LLMBase({ validation: 'warn', budgetUSD: 0.5, onWarning: (findings) => console.log(findings[0].path) });
  const result = await checked.validate({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [] });
  const estimate = await checked.estimateCost({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 10 });
  const costed = await checked.chat.completions.create(
    { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    { allowParams: ['tools'] }
  );
  console.log(result.ok, estimate.maxCostUSD, costed.cost?.usd, (await checked.balance.check({ model: 'm', messages: [] })).sufficient);
  const offline = await validateRequest({ model: 'm', messages: [] }, { id: 'm', supported_features: [] });
  console.log(offline.findings.map((f) => f.code));
  const proxied = new LLMBase({ baseURL: '/api/v1', allowMissingKey: true });
  proxied.close();
}

// The widget for bundler users: typed element, properties and methods.
function widget(): void {
  const chat: LLMBaseChat = document.createElement('llmbase-chat');
  chat.baseUrl = '/api/v1';
  chat.persist = 'support-chat';
  chat.strings = { send: 'Go', replyStarted: '{model} is typing…' };
  chat.lang = 'de';
  const roles: string[] = chat.messages.map((m) => m.role);
  void chat.send('hi').then(() => chat.regenerate());
  console.log(roles, chat.streaming, chat.maxTokens);
}

void main();
widget();
