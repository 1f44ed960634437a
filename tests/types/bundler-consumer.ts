// Type check: a bundler project (moduleResolution bundler: Vite, webpack, Next.js) imports the ESM types.
import LLMBase, { configureWasm, ChatCompletionStream, type ChatCompletionChunk } from 'llmbase-wasm';
import { LLMBaseChat } from 'llmbase-wasm/chat';

async function edgeHandler(wasm: WebAssembly.Module): Promise<Response> {
  configureWasm({ module: wasm });
  const client = new LLMBase({ apiKey: 'llmbase_x', dangerouslyAllowBrowser: true });
  const stream: ChatCompletionStream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
  let text = '';
  for await (const chunk of stream) {
    const c: ChatCompletionChunk = chunk;
    text += c.choices[0]?.delta.content ?? '';
  }
  return new Response(text);
}

void edgeHandler;

// The widget, as a bundler project imports it: the element's type, also through createElement.
const chat: LLMBaseChat = document.createElement('llmbase-chat');
chat.persist = 'support';
void chat.regenerate();
