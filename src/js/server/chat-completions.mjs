// POST /v1/chat/completions of the local server: checks in the documented order, then a streamed or single reply.
//
// Order: auth (401) → content type (415) → body size (413) → JSON (400) → shape rules (400) → model (404)
// → capability rule (400) → model limits (400) → smart fallback (503 when impossible) → status-type test
// faults → worst-case cost vs balance (402) → concurrency guard (429) → reply.
// A request is billed once its reply is complete: the non-streaming body, or the finish_reason chunk of a
// stream (a stream cut before it, by the client or by a fault, costs nothing).
import { HttpError, newCompletionId, parseJsonBody, readBody, requireJsonContentType, sendJson, sleep } from './http-utils.mjs';
import { authenticate } from './auth.mjs';
import { costUsd } from './catalog.mjs';
import { countMessageTokens, countPromptTokens } from './tokens.mjs';
import { capabilityNeeds, checkLimits, findUnsupported, requestedMaxTokens, validateShape } from './validation.mjs';
import { fallbackDisabled, fallbackHeaders, resolveRoute } from './routing.mjs';
import { attemptKey, FAULT_HEADER, midStreamError, parseFaults, statusFaultFor } from './faults.mjs';
import { applyBudget, createRng, generateReply, requestSeed } from './reply-generator.mjs';
import { buildDeltas, buildUsage, chunkObject, completionObject, finalChunkObject } from './completion-builder.mjs';
import { SseWriter, writeSplit } from './sse-writer.mjs';
import { replayTranscript, TRANSCRIPT_HEADER } from './transcripts.mjs';

const invalid = (finding) => new HttpError(400, finding.code, finding.message, { param: finding.param });

/** Whole-message prefix shared with the previous request under the same prompt_cache_key (llmbase-api.md §9). */
function cachedTokensFor(state, body, model) {
  if (typeof body.prompt_cache_key !== 'string' || !model.prompt_cache_supported) return 0;
  const slot = `${model.id}\u0000${body.prompt_cache_key}`;
  const current = body.messages.map((message) => JSON.stringify(message));
  const previous = state.promptCache.get(slot) ?? [];
  state.promptCache.set(slot, current);
  let tokens = 0;
  for (let i = 0; i < Math.min(previous.length, current.length) && previous[i] === current[i]; i += 1) {
    tokens += countMessageTokens(body.messages[i]);
  }
  return tokens;
}

export async function handleChatCompletion(req, res, ctx) {
  const { state, requestId } = ctx;
  authenticate(req, state.keys);
  requireJsonContentType(req);
  const raw = await readBody(req, state.maxBodyBytes);
  const body = parseJsonBody(raw);
  state.events.emit('chat-request', { requestId, body, headers: { ...req.headers } });
  if (req.headers[TRANSCRIPT_HEADER] !== undefined) return replayTranscript(res, state, req.headers[TRANSCRIPT_HEADER]);
  const faults = parseFaults(req.headers[FAULT_HEADER]);
  const shapeError = validateShape(body);
  if (shapeError) throw invalid(shapeError);

  const requested = state.catalog.get(body.model);
  if (!requested) {
    throw new HttpError(
      404,
      'model_not_found',
      `Model ${JSON.stringify(body.model)} does not exist. List the available models with GET /v1/models.`,
      { param: 'model' }
    );
  }
  ctx.model = requested.id;
  const needs = capabilityNeeds(body);
  const unsupported = findUnsupported(needs, requested);
  if (unsupported) throw invalid(unsupported);
  const promptTokens = countPromptTokens(body);
  const overLimit = checkLimits(body, requested, promptTokens);
  if (overLimit) throw invalid(overLimit);

  const maxTokens = requestedMaxTokens(body);
  const route = resolveRoute({
    requested,
    catalog: state.catalog,
    needs,
    maxTokens,
    promptTokens,
    forceUnavailable: faults.unavailable,
    fallbackOff: fallbackDisabled(req),
  });
  for (const [name, value] of Object.entries(fallbackHeaders(requested, route))) res.setHeader(name, value);

  const failure = statusFaultFor(faults, state.attempts, attemptKey(req, raw));
  if (failure) throw failure;

  const served = route.served;
  const budget = maxTokens ?? served.max_output_length;
  // Price-aware billing takes the cheaper model, so the ceiling does too (llmbase-api.md §10).
  const priceOf = (usage) => Math.min(costUsd(requested, usage), costUsd(served, usage));
  const worstCase = priceOf({ promptTokens, completionTokens: budget });
  if (worstCase > state.balance) {
    throw new HttpError(
      402,
      'insufficient_balance',
      `Insufficient balance: this request could cost up to $${worstCase.toFixed(6)} (≈${promptTokens} prompt tokens + ` +
        `${budget} output tokens) but the balance is $${state.balance.toFixed(6)}. Lower max_tokens or top up.`
    );
  }
  if (state.inflight >= state.maxConcurrent) {
    throw new HttpError(429, 'too_many_concurrent_requests', 'Too many active inference requests. Retry after current requests finish.');
  }

  state.inflight += 1;
  state.maxInflight = Math.max(state.maxInflight, state.inflight);
  // The slot ends when the reply does or when the client hangs up, whichever comes first, as a
  // server that frees the slot on disconnect does; not once the aborted reply has unwound.
  let freed = false;
  const free = () => {
    if (!freed) state.inflight -= 1;
    freed = true;
  };
  res.once('close', free);
  try {
    await respond(res, { ctx, body, faults, requested, served, promptTokens, budget, priceOf });
  } finally {
    free();
  }
}

async function respond(res, job) {
  const { ctx, body, served, promptTokens, budget, priceOf } = job;
  const { state, requestId } = ctx;
  const seed = requestSeed(body);
  const result = applyBudget(generateReply(body, served), budget);
  const deltas = buildDeltas(result, { seed, logprobs: body.logprobs === true, topLogprobs: body.top_logprobs ?? 0 });
  const usage = buildUsage({
    promptTokens,
    cachedTokens: cachedTokensFor(state, body, served),
    completionTokens: result.completionTokens,
    reasoningTokens: result.reasoningTokens,
  });
  const meta = { id: newCompletionId(), created: Math.floor(Date.now() / 1000), model: served.id, logprobs: body.logprobs === true };

  // One abort signal for "stop writing": the client went away, we dropped it on purpose, or close() runs.
  const controller = new AbortController();
  const flow = { writer: null, dropped: false };
  res.on('close', () => {
    if (res.writableFinished) return;
    controller.abort();
    if (!flow.dropped && !state.closing) {
      state.events.emit('client-closed', { requestId, chunksSent: flow.writer ? flow.writer.sent : 0 });
    }
  });
  const onShutdown = () => controller.abort();
  state.shutdown.addEventListener('abort', onShutdown, { once: true });

  const bill = () => {
    const cost = priceOf({
      promptTokens,
      completionTokens: usage.completion_tokens,
      cachedTokens: usage.prompt_tokens_details.cached_tokens,
    });
    state.balance = Math.round((state.balance - cost) * 1e12) / 1e12;
    state.completions += 1;
    state.events.emit('completion', {
      requestId,
      requestedModel: job.requested.id,
      servedModel: served.id,
      usage,
      cost,
      stream: body.stream === true,
    });
  };
  // Cut the connection, but only once what was written has reached the kernel, so the client really
  // receives the N frames before the break.
  const drop = async () => {
    flow.dropped = true;
    const socket = res.socket;
    if (socket && !socket.destroyed) await new Promise((resolve) => socket.write('', () => resolve()));
    socket?.destroy();
    state.events.emit('stream-dropped', { requestId, chunksSent: flow.writer ? flow.writer.sent : 0 });
  };

  try {
    if (body.stream === true)
      await streamReply(res, { ...job, meta, deltas, result, usage, seed, bill, drop, flow, signal: controller.signal });
    else await singleReply(res, { ...job, meta, deltas, result, usage, seed, bill, drop, signal: controller.signal });
  } finally {
    state.shutdown.removeEventListener('abort', onShutdown);
  }
}

async function singleReply(res, { faults, meta, deltas, result, usage, seed, bill, drop, signal }) {
  if (faults.stallMs !== undefined) await sleep(faults.stallMs, signal);
  if (signal.aborted) return;
  if (faults.dropAfter !== undefined) return drop();
  const payload = completionObject(meta, result, usage, deltas);
  bill();
  if (!faults.splitBytes) return sendJson(res, 200, payload);
  const text = JSON.stringify(payload);
  // No Content-Length: chunked encoding makes every tiny piece its own HTTP chunk on the client side.
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.socket?.setNoDelay(true);
  await writeSplit(res, text, createRng(seed), signal);
  if (!signal.aborted) res.end();
}

async function streamReply(res, job) {
  const { ctx, faults, meta, deltas, result, usage, seed, bill, drop, flow, signal } = job;
  const { state, requestId } = ctx;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders(); // the status goes out before the first chunk, as a real proxy would send it
  res.socket?.setNoDelay(true);
  const writer = new SseWriter(res, { faults, signal, seed });
  flow.writer = writer;
  const finish = async (outcome) => {
    await writer.end();
    if (!signal.aborted) state.events.emit('stream-end', { requestId, chunksSent: writer.sent, outcome });
  };
  let malformedWritten = false;
  // Faults keyed to "after N frames"; returns true when the stream is over.
  const afterFrames = async () => {
    if (signal.aborted) return true;
    const sent = writer.sent;
    if (faults.dropAfter === sent) {
      await drop();
      return true;
    }
    if (faults.errorFrameAfter === sent || faults.errorEventAfter === sent) {
      await writer.data(midStreamError(), { event: faults.errorEventAfter === sent ? 'error' : undefined });
      await finish(faults.errorEventAfter === sent ? 'error-event' : 'error-frame');
      return true;
    }
    if (faults.malformedAfter === sent && !malformedWritten) {
      malformedWritten = true;
      await writer.data(`{"id":"${meta.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc`);
    }
    return signal.aborted;
  };

  await writer.start();
  if (await afterFrames()) return;
  let stalled = false;
  for (const item of deltas) {
    await writer.data(chunkObject(meta, item));
    if (await afterFrames()) return;
    if (faults.stallMs !== undefined && !stalled && !item.delta.role) {
      stalled = true;
      await sleep(faults.stallMs, signal);
    }
    await sleep(state.chunkDelayMs, signal);
    if (signal.aborted) return;
  }
  if (faults.noDone) return finish('no-done');
  await writer.data(finalChunkObject(meta, result.finishReason, usage));
  if (signal.aborted) return;
  bill();
  if (await afterFrames()) return;
  await writer.done();
  await finish('done');
}
