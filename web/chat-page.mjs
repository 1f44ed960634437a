// Demo page logic: one streamed chat completion rendered token by token with the wasm client.
import { LLMBase } from './dist/browser.mjs';

const params = new URLSearchParams(location.search);
const model = params.get('model') || 'deepseek/deepseek-v4-flash';
const client = new LLMBase({
  baseURL: params.get('baseURL') || `${location.origin}/v1`,
  // The local server accepts any llmbase_ key, so this placeholder is no secret. A page talking
  // to the real API must go through a proxy that holds the key server side instead.
  apiKey: 'llmbase_local_demo',
  dangerouslyAllowBrowser: true,
});

const form = document.getElementById('chat');
const prompt = document.getElementById('prompt');
const send = document.getElementById('send');
const stop = document.getElementById('stop');
const reply = document.getElementById('reply');
const status = document.getElementById('status');

function setStatus(text, state = 'info') {
  status.textContent = text;
  status.dataset.state = state;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  reply.textContent = '';
  send.disabled = true;
  stop.disabled = false;
  reply.setAttribute('aria-busy', 'true');
  setStatus('Streaming…', 'streaming');
  const started = performance.now();
  let firstTokenMs = null;
  let chunks = 0;
  // One text node that grows: appending data avoids re-rendering the whole reply per token.
  const text = document.createTextNode('');
  reply.append(text);
  try {
    const stream = await client.chat.completions.create({
      model,
      max_tokens: 400,
      stream: true,
      messages: [{ role: 'user', content: prompt.value }],
    });
    stop.onclick = () => stream.controller.abort();
    for await (const chunk of stream) {
      const delta = chunk.choices[0] && chunk.choices[0].delta.content;
      if (!delta) continue;
      if (firstTokenMs === null) firstTokenMs = performance.now() - started;
      chunks += 1;
      text.appendData(delta);
      reply.dataset.chunks = String(chunks);
    }
    const completion = await stream.finalChatCompletion();
    const usage = completion.usage ? `, ${completion.usage.total_tokens} tokens` : '';
    setStatus(`Done: ${chunks} chunks, first token after ${Math.round(firstTokenMs)} ms${usage}.`, 'done');
  } catch (error) {
    setStatus(`${error.name}: ${error.message}`, 'error');
  } finally {
    send.disabled = false;
    stop.disabled = true;
    reply.setAttribute('aria-busy', 'false');
  }
});
