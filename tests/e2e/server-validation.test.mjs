// The capability rule, the local shape rules, unknown models and model limits of the local server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLASH, postChat, startTestServer, userMessage } from './helpers/server.mjs';
import { assertErrorBody } from './helpers/schema.mjs';

const TOOLS = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
const IMAGE = { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } };
const FILE = { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,AAAA' } };
const withParts = (...parts) => [{ role: 'user', content: [{ type: 'text', text: 'look' }, ...parts] }];

async function expectError(server, body, status, code, param, headers = {}) {
  const response = await postChat(server, body, { headers });
  const json = await response.json();
  assert.equal(response.status, status, JSON.stringify(json));
  assertErrorBody(json);
  assert.equal(json.error.code, code, json.error.message);
  assert.equal(json.error.param, param);
  assert.equal(json.error.type, 'invalid_request_error');
  return json.error;
}

describe('request validation', () => {
  let server;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  describe('capability rule: 400 naming the field the model does not advertise', () => {
    const cases = [
      ['tools on a text-only model', { model: 'qwen/qwen3.5-9b', tools: TOOLS }, 'tools', 'unsupported_feature'],
      ['tool_choice on a text-only model', { model: 'qwen/qwen3.5-9b', tool_choice: 'none' }, 'tool_choice', 'unsupported_feature'],
      [
        'json_object on a tools-only model',
        { model: 'qwen/qwen3-coder', response_format: { type: 'json_object' } },
        'response_format',
        'unsupported_feature',
      ],
      [
        'json_schema on a tools-only model',
        {
          model: 'qwen/qwen3-coder',
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        },
        'response_format',
        'unsupported_feature',
      ],
      [
        'reasoning_effort on a reasoning model without that parameter',
        {
          model: 'nvidia/nemotron-3-nano-omni-30b-a3b-reasoning',
          reasoning_effort: 'low',
        },
        'reasoning_effort',
        'unsupported_parameter',
      ],
      ['logprobs on a model without logprobs', { model: FLASH, logprobs: true }, 'logprobs', 'unsupported_feature'],
      [
        'an image part on a text-only model',
        { model: FLASH, messages: withParts(IMAGE) },
        'messages[0].content[1].image_url',
        'unsupported_modality',
      ],
      [
        'a file part on an image-only model',
        { model: 'google/gemma-4-26b-a4b-it', messages: withParts(IMAGE, FILE) },
        'messages[0].content[2].file',
        'unsupported_modality',
      ],
    ];
    for (const [name, extra, param, code] of cases) {
      it(name, async () => {
        const error = await expectError(server, { messages: userMessage('hi'), ...extra }, 400, code, param);
        assert.ok(error.message.includes(extra.model), 'the message names the model');
      });
    }

    it('serves the same fields on models that advertise them', async () => {
      const accepted = [
        { model: 'qwen/qwen3-coder', tools: TOOLS },
        { model: 'minimax/minimax-m2.5', response_format: { type: 'json_object' } },
        { model: FLASH, reasoning_effort: 'low' },
        { model: 'openai/gpt-oss-120b', logprobs: true, top_logprobs: 3 },
        { model: 'google/gemma-4-26b-a4b-it', messages: withParts(IMAGE) },
        { model: 'paddlepaddle/paddleocr-vl-0.9b', messages: withParts(IMAGE, FILE) },
        { model: 'qwen/qwen3.5-9b', logprobs: false },
      ];
      for (const extra of accepted) {
        const response = await postChat(server, { messages: userMessage('hi'), max_tokens: 20, ...extra });
        assert.equal(response.status, 200, `${JSON.stringify(extra)}: ${await response.text()}`);
      }
    });

    it('serves json_schema on a json_mode-only model in JSON mode (Decisions §3: a warning, not an error)', async () => {
      const response = await postChat(server, {
        model: 'minimax/minimax-m2.5',
        messages: userMessage('give me JSON'),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse((await response.json()).choices[0].message.content), { ok: true });
    });
  });

  describe('local shape rules: 400 with param', () => {
    const base = { model: FLASH, messages: userMessage('hi') };
    const cases = [
      ['body is not an object', [], null, 'invalid_type'],
      ['model missing', { messages: userMessage('hi') }, 'model', 'missing_required_parameter'],
      ['model empty', { ...base, model: '' }, 'model', 'invalid_value'],
      ['messages missing', { model: FLASH }, 'messages', 'missing_required_parameter'],
      ['messages empty', { ...base, messages: [] }, 'messages', 'empty_array'],
      ['unknown role', { ...base, messages: [{ role: 'developer', content: 'x' }] }, 'messages[0].role', 'invalid_value'],
      [
        'tool message without tool_call_id',
        { ...base, messages: [{ role: 'tool', content: 'x' }] },
        'messages[0].tool_call_id',
        'missing_required_parameter',
      ],
      [
        'tool message with non-string content',
        { ...base, messages: [{ role: 'tool', tool_call_id: 'c', content: { a: 1 } }] },
        'messages[0].content',
        'invalid_type',
      ],
      [
        'assistant message with neither content nor tool_calls',
        { ...base, messages: [{ role: 'assistant' }] },
        'messages[0].content',
        'missing_required_parameter',
      ],
      [
        'unknown part type',
        { ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
        'messages[0].content[0].type',
        'invalid_value',
      ],
      [
        'image part without url',
        { ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
        'messages[0].content[0].image_url',
        'invalid_value',
      ],
      ['temperature above 2', { ...base, temperature: 2.5 }, 'temperature', 'out_of_range'],
      ['temperature as a string', { ...base, temperature: '1' }, 'temperature', 'invalid_type'],
      ['top_p above 1', { ...base, top_p: 1.5 }, 'top_p', 'out_of_range'],
      ['frequency_penalty below -2', { ...base, frequency_penalty: -3 }, 'frequency_penalty', 'out_of_range'],
      ['presence_penalty above 2', { ...base, presence_penalty: 3 }, 'presence_penalty', 'out_of_range'],
      ['five stop sequences', { ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', 'out_of_range'],
      ['stop of the wrong type', { ...base, stop: 5 }, 'stop', 'invalid_type'],
      ['fractional seed', { ...base, seed: 1.5 }, 'seed', 'invalid_type'],
      ['max_tokens 0', { ...base, max_tokens: 0 }, 'max_tokens', 'out_of_range'],
      ['fractional max_tokens', { ...base, max_tokens: 10.5 }, 'max_tokens', 'invalid_type'],
      ['n above 1', { ...base, n: 2 }, 'n', 'out_of_range'],
      ['stream as a string', { ...base, stream: 'yes' }, 'stream', 'invalid_type'],
      ['top_logprobs without logprobs', { ...base, top_logprobs: 2 }, 'top_logprobs', 'invalid_value'],
      ['top_logprobs above 20', { ...base, logprobs: true, top_logprobs: 21 }, 'top_logprobs', 'out_of_range'],
      ['empty tools', { ...base, tools: [] }, 'tools', 'invalid_value'],
      [
        'bad tool name',
        { ...base, tools: [{ type: 'function', function: { name: 'has space' } }] },
        'tools[0].function.name',
        'invalid_value',
      ],
      [
        'tool_choice naming a missing tool',
        { ...base, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'other' } } },
        'tool_choice',
        'invalid_value',
      ],
      ['unknown response_format type', { ...base, response_format: { type: 'xml' } }, 'response_format', 'invalid_value'],
      [
        'json_schema without schema',
        { ...base, response_format: { type: 'json_schema', json_schema: { name: 'x' } } },
        'response_format.json_schema.schema',
        'missing_required_parameter',
      ],
      ['unknown reasoning_effort', { ...base, reasoning_effort: 'extreme' }, 'reasoning_effort', 'invalid_value'],
    ];
    for (const [name, body, param, code] of cases) {
      it(name, () => expectError(server, body, 400, code, param));
    }

    it('checks the shape before looking the model up', () =>
      expectError(server, { model: 'no/such-model', messages: [] }, 400, 'empty_array', 'messages'));
  });

  describe('models and limits', () => {
    it('answers an unknown model with 404 model_not_found', () =>
      expectError(server, { model: 'no/such-model', messages: userMessage('hi') }, 404, 'model_not_found', 'model'));

    it('refuses max_tokens above max_output_length', async () => {
      const error = await expectError(
        server,
        { model: 'paddlepaddle/paddleocr-vl-0.9b', messages: userMessage('hi'), max_tokens: 4097 },
        400,
        'out_of_range',
        'max_tokens'
      );
      assert.match(error.message, /4096/);
      await expectError(
        server,
        { model: 'paddlepaddle/paddleocr-vl-0.9b', messages: userMessage('hi'), max_completion_tokens: 5000 },
        400,
        'out_of_range',
        'max_completion_tokens'
      );
    });

    it('refuses a prompt longer than the context window', () =>
      expectError(
        server,
        {
          model: 'paddlepaddle/paddleocr-vl-0.9b',
          messages: userMessage('x'.repeat(140_000)),
        },
        400,
        'context_length_exceeded',
        'messages'
      ));

    it('refuses an unknown test fault so typos show', () =>
      expectError(server, { model: FLASH, messages: userMessage('hi') }, 400, 'invalid_test_fault', 'x-llmbase-test-fault', {
        'x-llmbase-test-fault': 'drop-afterr:2',
      }));
  });
});
