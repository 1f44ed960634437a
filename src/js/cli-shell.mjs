// The Node CLI's shell: performs each action the C++ front end (src/cli) asks for — read a file, call the API with the JS client, write — and reports back.
import { readFileSync } from 'node:fs';
import { LLMBase } from './index.mjs';
import { LLMBaseError, ValidationError } from './errors.mjs';
import { waitForDrain } from './wait-for-drain.mjs';

// The error as the front end reads it; a refusal before sending is described by its findings.
function errorRecord(error) {
  if (error instanceof ValidationError) return { findings: error.findings };
  if (error instanceof LLMBaseError) {
    return { kind: error.kind || 'api_status', status: error.status, code: error.code, param: error.param, message: error.message };
  }
  return { kind: 'api_status', message: error && error.message ? error.message : String(error) };
}

function readInput(path) {
  try {
    return { ok: true, text: readFileSync(path === '-' ? 0 : path, 'utf8') };
  } catch {
    return { ok: false, text: '' };
  }
}

function fetchEndpoint(client, endpoint, signal) {
  if (endpoint === 'models') return client.models.list({ signal });
  if (endpoint === 'metadata') return client.models.metadata({ signal });
  return client.balance.retrieve({ signal });
}

// Streams the reply; printed text is not kept (keepContent false unless --json), and a slow
// reader of stdout is waited for, so memory stays flat however long the reply.
async function streamChat(client, action, io, signal) {
  const state = { printed: false };
  try {
    const stream = await client.chat.completions.create(action.request, { signal, keepContent: action.keepContent });
    for await (const chunk of stream) {
      if (!action.printText || !Array.isArray(chunk.choices)) continue;
      // Choice 0 only, as the native CLI prints it: with n > 1 the replies would interleave.
      const first = chunk.choices.find((c, i) => (c.index ?? i) === 0);
      const content = first && first.delta ? first.delta.content : undefined;
      if (typeof content === 'string' && content) {
        io.write(content);
        state.printed = true;
        if (io.output && io.output.writableNeedDrain) await waitForDrain(io.output, signal);
      }
    }
    return { ...state, completion: await stream.finalChatCompletion() };
  } catch (error) {
    return { ...state, error };
  }
}

/**
 * Drives one CLI run (`run`: a CliRun of the front end) to its end and returns the exit code.
 * `io` = { write(text), error(text), output?, serve(options) }. `output` is the stream `write` goes
 * to: when its reader closes the pipe, the request is aborted and the run ends quietly (141).
 */
export async function runSession(run, io) {
  const controller = new AbortController();
  const { signal } = controller;
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let outputClosed = false;
  // Stays attached: a write after the close (the final newline) reports EPIPE again.
  io.output?.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    outputClosed = true;
    controller.abort();
  });
  let client = null;
  try {
    for (;;) {
      const action = JSON.parse(run.next());
      if (action.type === 'finish') {
        if (action.out) io.write(action.out);
        if (action.err) io.error(action.err);
        return action.exitCode;
      }
      if (action.type === 'serve') {
        process.removeListener('SIGINT', onSigint); // serve stops on its own signal handlers
        return await io.serve(action.options);
      }
      if (action.type === 'read') {
        const { ok, text } = readInput(action.path);
        run.input(ok, text);
        continue;
      }
      client ??= new LLMBase(JSON.parse(run.clientOptions()));
      if (action.type === 'chat') {
        const end = await streamChat(client, action, io, signal);
        if (outputClosed) run.outputClosed();
        else if (end.error) run.error(JSON.stringify(errorRecord(end.error)), end.printed);
        else run.chatEnd(end.printed, JSON.stringify(end.completion));
        continue;
      }
      try {
        run.result(JSON.stringify(await fetchEndpoint(client, action.endpoint, signal)));
      } catch (error) {
        if (outputClosed) run.outputClosed();
        else run.error(JSON.stringify(errorRecord(error)), false);
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
