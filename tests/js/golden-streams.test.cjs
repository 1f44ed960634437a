// Jest: every golden SSE fixture streamed through the package's public API (real wasm core, injected fetch).
'use strict';
const { LLMBase, APIError, IncompleteStreamError } = require('../../dist/index.cjs');
const { loadStreamFixtures, splitBytes, fetchServing } = require('./helpers/fixtures.cjs');

const fixtures = loadStreamFixtures();
const params = { model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'user', content: 'hi' }], stream: true };

// The model's metadata is handed in, so the client's one request is the chat POST the fixture
// answers: the stream is what the client folds, not a metadata request that failed on SSE bytes.
const modelMetadata = [{ id: params.model, pricing: { input: 0.2, output: 0.3 } }];

async function runThroughClient(pieces) {
  const fetch = fetchServing(pieces);
  const client = new LLMBase({ apiKey: 'llmbase_test_key_123', baseURL: 'http://fixture.invalid/v1', fetch, modelMetadata });
  const stream = await client.chat.completions.create(params);
  expect(fetch.seen.map(({ url, init }) => `${init.method} ${url}`)).toEqual(['POST http://fixture.invalid/v1/chat/completions']);
  const chunks = [];
  let error = null;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (e) {
    error = e;
  }
  const completion = error ? error.partial : await stream.finalChatCompletion();
  return { chunks, error, completion };
}

describe('golden stream fixtures through chat.completions.create({ stream: true })', () => {
  test('the fixture set is not empty', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(fixtures.map((f) => [f.name, f]))('%s', (name, fixture) => {
    const splits = [
      ['whole', [fixture.bytes]],
      ['one byte per read', splitBytes(fixture.bytes, 1, 1)],
      ['random pieces (seed 7)', splitBytes(fixture.bytes, 7, 11)],
      ['random pieces (seed 42)', splitBytes(fixture.bytes, 42, 64)],
    ];
    it.each(splits)('gives the expected result when read %s', async (_label, pieces) => {
      const { chunks, error, completion } = await runThroughClient(pieces);
      expect(chunks).toHaveLength(fixture.expected.chunk_count);
      expect(chunks.every((c) => typeof c === 'object' && c !== null)).toBe(true);
      if (fixture.expected.error) {
        expect(error).toBeInstanceOf(APIError);
        expect(error.kind).toBe(fixture.expected.error.kind);
        expect(error.code).toBe(fixture.expected.error.code);
        if (error.kind === 'incomplete_stream') expect(error).toBeInstanceOf(IncompleteStreamError);
      } else {
        expect(error).toBeNull();
      }
      expect(completion).toEqual(fixture.expected.completion);
    });
  });
});
