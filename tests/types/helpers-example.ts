// Type check: stream(), runTools(), parse(), the relay, logging and the new errors, written as openai-node users write them.
import LLMBase, {
  APIConnectionError,
  ChatCompletionStream,
  ChatCompletionStreamRunner,
  ChatCompletionToolRunner,
  ContentFilterFinishReasonError,
  IncompleteStreamError,
  LengthFinishReasonError,
  ParsedChatCompletion,
  StructuredOutputError,
  ToolLoopError,
} from 'llmbase-wasm';

interface Weather {
  city: string;
  celsius: number;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const client = new LLMBase({
    apiKey: 'llmbase_x',
    logLevel: 'debug',
    logger: { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: console.warn, error: console.error },
  });
  const ask = { model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

  // stream(): events with snapshots, for await, final*() getters.
  const runner: ChatCompletionStreamRunner = client.chat.completions.stream(ask);
  runner
    .on('content', (delta: string, snapshot: string) => lines.push(delta + snapshot))
    .on('tool_calls.function.arguments.delta', (e) => lines.push(e.name, e.arguments_delta))
    .on('logprobs.content.delta', (e) => lines.push(String(e.content.length)))
    .on('abort', (error) => lines.push(error.message))
    .on('end', () => lines.push('end'));
  for await (const chunk of runner) lines.push(chunk.id);
  const content: string | null = await runner.finalContent();
  const usage = await runner.totalUsage();
  console.log(content, usage?.total_tokens, runner.currentChatCompletionSnapshot?.id);
  // @ts-expect-error not an event of the stream runner
  runner.on('functionToolCall', () => {});

  // parse(): message.parsed is typed; mismatches are typed errors with the JSON path and rule.
  const format = { type: 'json_schema' as const, json_schema: { name: 'weather', strict: true, schema: { type: 'object' } } };
  try {
    const parsed: ParsedChatCompletion<Weather> = await client.chat.completions.parse<Weather>({ ...ask, response_format: format });
    const weather: Weather | null = parsed.choices[0].message.parsed;
    console.log(weather?.celsius);
  } catch (error) {
    if (error instanceof StructuredOutputError) console.log(error.path, error.rule, error.raw);
    if (error instanceof LengthFinishReasonError || error instanceof ContentFilterFinishReasonError) console.log(error.completion.id);
  }
  const partial = client.chat.completions.stream<Weather>({ ...ask, response_format: format });
  partial.on('content.delta', ({ parsed }) => console.log(parsed?.city));

  // runTools(): functions get checked arguments; maxChatCompletions bounds the loop.
  const tools: ChatCompletionToolRunner = client.chat.completions.runTools(
    {
      ...ask,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            parse: JSON.parse,
            function: async (args: { city: string }) => ({ city: args.city, celsius: 21 }),
          },
        },
      ],
    },
    { maxChatCompletions: 5, maxRepairs: 1 }
  );
  tools.on('functionToolCall', (call) => console.log(call.name, call.arguments));
  try {
    console.log(await tools.finalContent(), tools.messages.length, (await tools.allChatCompletions()).length);
  } catch (error) {
    if (error instanceof ToolLoopError) console.log(error.code);
  }

  // Relay: NDJSON out on the server, a runner over it in the browser; headers on errors.
  const stream = await client.chat.completions.create({ ...ask, stream: true });
  const body: ReadableStream<Uint8Array> = stream.toReadableStream();
  const relayed: ChatCompletionStreamRunner = ChatCompletionStream.fromReadableStream(body);
  try {
    await relayed.done();
  } catch (error) {
    if (error instanceof IncompleteStreamError) console.log(error.partial?.choices.length);
    if (error instanceof APIConnectionError) console.log(error.requestId, error.headers?.['x-llmbase-served-model']);
  }
  const { data, response, requestId } = await client.models.list().withResponse();
  console.log(data.data.length, response.status, requestId, lines.length);
}

void main();
