// Every x-llmbase-test-fault of the local server, observed on the wire with a raw HTTP client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, nextEvent, postChat, startTestServer, userMessage } from './helpers/server.mjs';
import { assertChunk, assertErrorBody } from './helpers/schema.mjs';
import { rawRequest } from './helpers/raw-http.mjs';
import { accumulate, chunksOf, parseSse } from './helpers/sse.mjs';

const MODEL = 'qwen/qwen3.5-9b';
const UNICODE = 'Grüße aus Zürich, 東京 и Киев 🚀👩‍💻 — ok';

function chat(server, fault, body = {}, extraHeaders = {}) {
  const json = JSON.stringify({ model: MODEL, stream: true, messages: userMessage('Tell me something.'), ...body });
  return rawRequest(server.port, {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${KEY}`,
      ...(fault ? { 'x-llmbase-test-fault': fault } : {}),
      ...extraHeaders,
    },
    body: json,
  });
}

describe('fault injection', () => {
  let server;
  let reference;
  before(async () => {
    server = await startTestServer();
    reference = await chat(server, undefined);
  });
  after(() => server.close());

  const referenceChunks = () => chunksOf(parseSse(reference.text).events).chunks;

  it('drop-after:N cuts the connection after N data frames', async () => {
    const dropped = nextEvent(server.stats.events, 'stream-dropped');
    const result = await chat(server, 'drop-after:3');
    assert.equal(result.status, 200);
    assert.ok(result.error, 'the client sees a broken connection, not an end');
    const { events } = parseSse(result.text);
    assert.equal(events.length, 3);
    assert.ok(!result.text.includes('[DONE]'));
    assert.equal((await dropped).chunksSent, 3);
  });

  it('drop-after on a non-streaming request closes without any response', async () => {
    const result = await chat(server, 'drop-after:0', { stream: false });
    assert.equal(result.status, undefined);
    assert.ok(result.error);
  });

  it('stall:MS pauses after the first content chunk while the slot stays taken', async () => {
    const controller = new AbortController();
    const closed = nextEvent(server.stats.events, 'client-closed');
    let ended = false;
    server.stats.events.once('stream-end', () => {
      ended = true;
    });
    const response = await postChat(
      server,
      { model: MODEL, stream: true, messages: userMessage('stall please') },
      { headers: { 'x-llmbase-test-fault': 'stall:60000' }, signal: controller.signal }
    );
    const reader = response.body.getReader();
    let text = '';
    while (!/"content":/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    assert.equal(server.stats.inflight, 1);
    assert.equal(ended, false);
    controller.abort();
    assert.equal((await closed).chunksSent, 2, 'role chunk + first content chunk, then the stall');
    const single = await postChat(server, { model: MODEL, messages: userMessage('x') }, { headers: { 'x-llmbase-test-fault': 'stall:1' } });
    assert.equal(single.status, 200, 'a stalled non-stream request still answers');
  });

  it('error-frame-after:N writes a data: {"error":…} frame and ends without [DONE]', async () => {
    const ended = nextEvent(server.stats.events, 'stream-end');
    const result = await chat(server, 'error-frame-after:2');
    const { events } = parseSse(result.text);
    assert.equal(events.length, 3);
    const last = JSON.parse(events[2].data);
    assertErrorBody(last);
    assert.equal(last.error.code, 'upstream_error');
    assert.ok(!result.text.includes('[DONE]'));
    assert.equal((await ended).outcome, 'error-frame');
  });

  it('error-event-after:N sends the error as an `event: error` frame', async () => {
    const { events } = parseSse((await chat(server, 'error-event-after:1')).text);
    assert.equal(events.length, 2);
    assert.equal(events[1].event, 'error');
    assertErrorBody(JSON.parse(events[1].data));
  });

  it('malformed-after:N writes one truncated JSON frame and carries on', async () => {
    const { events } = parseSse((await chat(server, 'malformed-after:2')).text);
    assert.throws(() => JSON.parse(events[2].data), SyntaxError);
    const rest = events.filter((_, i) => i !== 2);
    const { chunks, done } = chunksOf(rest);
    assert.ok(done);
    assert.equal(accumulate(chunks).message.content, accumulate(referenceChunks()).message.content);
  });

  it('status:CODE answers with that status and the envelope (500, 503 with retry-after)', async () => {
    const five = await chat(server, 'status:500');
    assert.equal(five.status, 500);
    const body = JSON.parse(five.text);
    assertErrorBody(body);
    assert.deepEqual([body.error.type, body.error.code], ['server_error', 'internal_error']);
    const unavailable = await chat(server, 'status:503:2');
    assert.equal(unavailable.status, 503);
    assert.equal(JSON.parse(unavailable.text).error.code, 'service_unavailable');
    assert.equal(unavailable.headers['retry-after'], '2');
    assert.match(unavailable.headers['x-request-id'], /^req_/);
  });

  it('rate-limit:SECS answers 429 with retry-after (whole seconds) and retry-after-ms', async () => {
    const result = await chat(server, 'rate-limit:1.5');
    assert.equal(result.status, 429);
    assert.equal(result.headers['retry-after'], '2');
    assert.equal(result.headers['retry-after-ms'], '1500');
    const body = JSON.parse(result.text);
    assertErrorBody(body);
    assert.deepEqual([body.error.type, body.error.code], ['rate_limit_error', 'rate_limit_exceeded']);
  });

  it('fail-first:K:CODE fails the first K attempts per attempt key, then succeeds', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await chat(server, 'fail-first:2:502', {}, { 'x-llmbase-test-attempt-key': 'k1' })).status);
    assert.deepEqual(statuses, [502, 502, 200]);
    assert.equal(
      (await chat(server, 'fail-first:1', {}, { 'x-llmbase-test-attempt-key': 'k2' })).status,
      503,
      'keys count separately; 503 by default'
    );
    const byBody = [];
    const body = { messages: userMessage('counted by body hash') };
    for (let i = 0; i < 2; i += 1) byBody.push((await chat(server, 'fail-first:1:500', body)).status);
    assert.deepEqual(byBody, [500, 200]);
  });

  it('no-done ends the stream without a finish_reason chunk and without [DONE], unbilled', async () => {
    const balance = server.stats.balance;
    const ended = nextEvent(server.stats.events, 'stream-end');
    const result = await chat(server, 'no-done');
    assert.equal(result.error, undefined, 'a clean end of body');
    const { chunks, done } = chunksOf(parseSse(result.text).events);
    assert.equal(done, false);
    assert.ok(chunks.length > 2);
    assert.ok(chunks.every((chunk) => chunk.choices[0].finish_reason === null && !chunk.usage));
    assert.equal((await ended).outcome, 'no-done');
    assert.equal(server.stats.balance, balance);
  });

  it('split-bytes writes the body in 1-7 byte pieces, splitting UTF-8 sequences and CRLF pairs', async () => {
    const result = await chat(server, 'split-bytes,crlf', { messages: userMessage(`echo: ${UNICODE}`) });
    assert.ok(result.pieces.length > 50);
    assert.ok(result.pieces.every((piece) => piece.length >= 1 && piece.length <= 7));
    const strict = new TextDecoder('utf-8', { fatal: true });
    assert.ok(
      result.pieces.some((piece) => {
        try {
          strict.decode(piece);
          return false;
        } catch {
          return true;
        }
      }),
      'some piece ends inside a multi-byte character'
    );
    assert.ok(
      result.pieces.some((piece) => piece.at(-1) === 0x0d),
      'some piece ends between CR and LF'
    );
    const { chunks, done } = chunksOf(parseSse(result.text).events);
    assert.ok(done);
    assert.equal(accumulate(chunks).message.content, UNICODE);
  });

  it('split-bytes also applies to a non-streaming body', async () => {
    const result = await chat(server, 'split-bytes', { stream: false, messages: userMessage(`echo: ${UNICODE}`) });
    assert.ok(result.pieces.every((piece) => piece.length <= 7));
    assert.equal(JSON.parse(result.text).choices[0].message.content, UNICODE);
  });

  it('crlf, keepalive, bom, sse-fields and multiline-data change the framing but not the chunks', async () => {
    const expected = referenceChunks().map((chunk) => chunk.choices[0].delta);
    const check = (text) => {
      const { events, comments } = parseSse(text);
      const { chunks, done } = chunksOf(events);
      assert.ok(done);
      for (const chunk of chunks) assertChunk(chunk);
      assert.deepEqual(
        chunks.map((chunk) => chunk.choices[0].delta),
        expected
      );
      return { events, comments };
    };
    const crlf = await chat(server, 'crlf');
    assert.ok(!/[^\r]\n/.test(crlf.text), 'every LF is preceded by CR');
    check(crlf.text);
    const keepalive = await chat(server, 'keepalive');
    assert.equal(
      check(keepalive.text).comments.filter((c) => c === 'keep-alive').length,
      expected.length + 1,
      'one per data frame, [DONE] included'
    );
    const bom = await chat(server, 'bom');
    assert.deepEqual([...bom.buffer.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    check(bom.text);
    const fields = await chat(server, 'sse-fields');
    assert.ok(fields.text.startsWith('retry: 3000\n'));
    assert.equal(check(fields.text).events[0].id, '1');
    const multiline = await chat(server, 'multiline-data');
    assert.ok(multiline.text.split('\n').filter((line) => line.startsWith('data:')).length > 3 * expected.length);
    check(multiline.text);
    check((await chat(server, 'crlf,keepalive,bom,sse-fields,multiline-data,split-bytes')).text);
  });

  it('ignores stream-only faults on a non-streaming request', async () => {
    const result = await chat(server, 'no-done,crlf,keepalive,error-frame-after:1,malformed-after:1', { stream: false });
    assert.equal(result.status, 200);
    assert.equal(JSON.parse(result.text).choices[0].finish_reason, 'stop');
  });
});
