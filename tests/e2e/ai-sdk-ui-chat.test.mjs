// node:test: the key-safe proxy's POST /ui/chat driven by the ai package's own DefaultChatTransport and readUIMessageStream.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { pipeline } from 'node:stream';
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import { startProxy } from '../../dist/proxy-node.mjs';
import { FLASH, nextEvent, startTestServer } from './helpers/server.mjs';

const PROXY_KEY = 'llmbase_ui_proxy_secret_5678';
const NO_TOOLS = 'qwen/qwen3.5-9b';
const PAGE = 'https://shop.example';
const WEATHER = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

let upstream;
let proxy;
const seen = []; // chat requests as the upstream received them

function userMessage(text, id = 'u1') {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** Sends `messages` through the AI SDK's transport: the assembled message, the response and the stream's error chunks. */
async function chat(messages, { body, headers, origin = proxy.origin, abortSignal } = {}) {
  let response;
  const transport = new DefaultChatTransport({
    api: `${origin}/ui/chat`,
    body,
    headers,
    fetch: async (url, init) => {
      response = await fetch(url, init);
      return response;
    },
  });
  const stream = await transport.sendMessages({ chatId: 'chat-1', trigger: 'submit-message', messageId: undefined, messages, abortSignal });
  let message;
  const errors = [];
  for await (const snapshot of readUIMessageStream({ stream, onError: (error) => errors.push(error) })) message = snapshot;
  return { message, response, errors };
}

/** A hop in front of the upstream that adds a test fault to every request (the proxy forwards no test headers). */
async function faultFront(fault) {
  const target = new URL(upstream.origin);
  const server = http.createServer((req, res) => {
    const out = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'x-llmbase-test-fault': fault },
      },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        pipeline(answer, res, () => {}); // an upstream cut is passed on as a cut
      }
    );
    req.pipe(out);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((resolve) => server.close(resolve)) };
}

before(async () => {
  upstream = await startTestServer({ chunkDelayMs: 5, keys: [PROXY_KEY] });
  upstream.stats.events.on('chat-request', (event) => seen.push(event));
  proxy = await startProxy({
    upstream: upstream.url,
    apiKey: PROXY_KEY,
    allowModels: [FLASH, NO_TOOLS],
    maxTokensCap: 500,
    rateLimit: '1000/min',
    allowedOrigins: [PAGE],
  });
});

after(async () => {
  await proxy?.close();
  await upstream?.close();
});

beforeEach(() => {
  seen.length = 0;
});

describe('proxy /ui/chat: the UI message stream', () => {
  it('streams a reply that the transport assembles into the exact text, with the protocol header', async () => {
    const { message, response } = await chat([userMessage('echo: Hello from useChat — 東京 🚀')], {
      headers: { authorization: 'Bearer llmbase_from_the_page' },
    });
    assert.equal(response.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(response.headers.get('x-llmbase-served-model'), FLASH);
    assert.equal(message.role, 'assistant');
    assert.deepEqual(
      message.parts.filter((p) => p.type === 'text').map((p) => p.text),
      ['Hello from useChat — 東京 🚀']
    );
    assert.equal(message.metadata.model, FLASH, 'the first allowed model answers when the page names none');
    assert.equal(message.metadata.usage.completion_tokens > 0, true);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers.authorization, `Bearer ${PROXY_KEY}`, "the proxy sends its own key, never the page's");
    assert.equal(seen[0].body.max_tokens, 500, 'the cap is added as on /v1');
    assert.deepEqual(seen[0].body.messages, [{ role: 'user', content: 'echo: Hello from useChat — 東京 🚀' }]);
  });

  it('streams reasoning and a tool call, and sends the tool output back on the next turn', async () => {
    const body = { model: FLASH, reasoning_effort: 'low', tools: [WEATHER] };
    const first = await chat([userMessage('What is the weather in Paris?')], { body });
    const reasoning = first.message.parts.find((p) => p.type === 'reasoning');
    assert.ok(reasoning.text.length > 0);
    const call = first.message.parts.find((p) => p.type === 'tool-get_weather');
    assert.deepEqual([call.state, call.input], ['input-available', { city: 'Paris' }]);

    // The page ran the tool (useChat's onToolCall + addToolOutput) and sends the conversation on.
    const answered = {
      ...first.message,
      id: 'a1',
      parts: first.message.parts.map((p) => (p === call ? { ...p, state: 'output-available', output: { tempC: 19 } } : p)),
    };
    const second = await chat([userMessage('What is the weather in Paris?'), answered], { body });
    const text = second.message.parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');
    assert.match(text, /get_weather returned \{"tempC":19\}/);
    const sent = seen[1].body.messages;
    assert.equal(sent[1].role, 'assistant');
    assert.equal(sent[1].tool_calls[0].id, call.toolCallId);
    assert.deepEqual(sent[2], { role: 'tool', tool_call_id: call.toolCallId, content: '{"tempC":19}' });
  });

  it('a stream cut short upstream ends with an error chunk after the text that arrived', async () => {
    const front = await faultFront('drop-after:3');
    const cut = await startProxy({ upstream: front.url, apiKey: PROXY_KEY, allowModels: [FLASH], rateLimit: '1000/min' });
    try {
      const { message, errors } = await chat([userMessage(`echo: ${'long reply '.repeat(50)}`)], { origin: cut.origin });
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /connection|incomplete|ended|closed/i);
      const text = message.parts
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join('');
      assert.ok('long reply '.repeat(50).startsWith(text) && text.length < 'long reply '.repeat(50).length, 'part of the text, never more');
    } finally {
      await cut.close();
      await front.close();
    }
  });

  it('closes the upstream stream when the page aborts', async () => {
    const controller = new AbortController();
    const closed = nextEvent(upstream.stats.events, 'client-closed');
    const transport = new DefaultChatTransport({ api: `${proxy.origin}/ui/chat` });
    const stream = await transport.sendMessages({
      chatId: 'c',
      trigger: 'submit-message',
      messageId: undefined,
      messages: [userMessage(`echo: ${'word '.repeat(400)}`)],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    for (let chunk = await reader.read(); !chunk.done && chunk.value.type !== 'text-delta'; chunk = await reader.read());
    controller.abort();
    await assert.rejects(async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    });
    const event = await closed;
    assert.ok(event.chunksSent > 0);
  });
});

describe('proxy /ui/chat: the same gates as /v1/chat/completions', () => {
  it('refuses a model outside the allow-list (403) without calling the upstream', async () => {
    await assert.rejects(chat([userMessage('hi')], { body: { model: 'z-ai/glm-5' } }), /not enabled on this proxy/);
    assert.equal(seen.length, 0);
  });

  it('refuses max_tokens above the cap (400)', async () => {
    await assert.rejects(chat([userMessage('hi')], { body: { max_tokens: 501 } }), /above this proxy's cap of 500/);
    assert.equal(seen.length, 0);
  });

  it('refuses what validation refuses: tools on a model without tools', async () => {
    await assert.rejects(
      chat([userMessage('weather?')], { body: { model: NO_TOOLS, tools: [WEATHER] } }),
      /refused by the proxy before forwarding: tools: Model qwen\/qwen3\.5-9b does not support tool calling/
    );
    assert.equal(seen.length, 0);
  });

  it('refuses a page from an origin that is not allowed (403) and answers an allowed one with CORS', async () => {
    await assert.rejects(chat([userMessage('hi')], { headers: { origin: 'https://evil.example' } }), /may not use this proxy/);
    const { response } = await chat([userMessage('echo: ok')], { headers: { origin: PAGE } });
    assert.equal(response.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(seen.length, 1);
  });

  it('counts /ui/chat requests in the per-client rate limit (429)', async () => {
    const limited = await startProxy({ upstream: upstream.url, apiKey: PROXY_KEY, allowModels: [FLASH], rateLimit: '1/min' });
    try {
      await chat([userMessage('echo: one')], { origin: limited.origin });
      await assert.rejects(chat([userMessage('echo: two')], { origin: limited.origin }), /Too many requests from your address/);
    } finally {
      await limited.close();
    }
  });

  it('names the field at fault in a malformed UI request', async () => {
    const response = await fetch(`${proxy.origin}/ui/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ id: 'x', role: 'robot', parts: [] }] }),
    });
    assert.equal(response.status, 400);
    const { error } = await response.json();
    assert.equal(error.param, 'messages[0].role');
    assert.match(error.message, /must be "system", "user" or "assistant"/);
    const unknown = await fetch(`${proxy.origin}/ui/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [userMessage('hi')], api_key: 'x' }),
    });
    assert.equal((await unknown.json()).error.param, 'api_key');
  });
});
