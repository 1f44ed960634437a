// Replays a recorded SSE transcript (tests/fixtures/streams/NAME.sse) as a chat stream, for the CLI parity tests.
// Off unless the server was started with `transcriptsDir`; chosen per request by the header below.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, sleep } from './http-utils.mjs';

export const TRANSCRIPT_HEADER = 'x-llmbase-test-transcript';

/** Writes the transcript's exact bytes as a 200 event stream, in a few pieces to look like a network. */
export async function replayTranscript(res, state, name) {
  if (!state.transcriptsDir) {
    throw new HttpError(400, 'transcripts_disabled', `The ${TRANSCRIPT_HEADER} header needs a server started with transcriptsDir.`);
  }
  if (!/^[a-z0-9_-]+$/i.test(name)) throw new HttpError(400, 'invalid_transcript', 'Transcript names are letters, digits, _ and -.');
  let bytes;
  try {
    bytes = await readFile(path.join(state.transcriptsDir, `${name}.sse`));
  } catch {
    throw new HttpError(404, 'transcript_not_found', `No transcript ${name}.sse in the transcripts directory.`);
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  const piece = Math.max(1, Math.ceil(bytes.length / 5));
  for (let i = 0; i < bytes.length && !res.destroyed; i += piece) {
    res.write(bytes.subarray(i, i + piece));
    await sleep(2);
  }
  res.end();
}
