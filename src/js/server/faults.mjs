// Test fault injection of the local server: parses the `x-llmbase-test-fault` header and keeps fail-first attempt counts.
//
// Faults are off unless a request carries `x-llmbase-test-fault: <fault>[,<fault>…]`. The one list:
//
//   drop-after:N          stream: destroy the connection after N data frames (0 = right after the headers);
//                         non-stream: destroy it without any response.
//   stall:MS              stream: pause MS ms after the first chunk that carries data (content, reasoning or a
//                         tool call); non-stream: wait MS ms before answering. The request keeps its
//                         concurrency slot meanwhile.
//   error-frame-after:N   stream: after N data frames write `data: {"error":{…}}` and end (no [DONE]).
//   error-event-after:N   stream: same, but as an `event: error` frame.
//   malformed-after:N     stream: after N data frames write one truncated-JSON `data:` line, then go on.
//   status:CODE[:SECS]    answer CODE (400-599) with the error envelope; optional retry-after seconds.
//   rate-limit:SECS       429 `rate_limit_exceeded` with `retry-after` (whole seconds, rounded up, as RFC 9110
//                         wants an integer) and `retry-after-ms` (exact).
//   fail-first:K[:CODE[:SECS]]  the first K attempts fail with CODE (default 503, optional retry-after), later
//                         ones succeed. Attempts are counted per `x-llmbase-test-attempt-key` header, else per
//                         hash of the request body plus this header.
//   no-done               stream: end after the content chunks, without the finish_reason chunk and [DONE].
//   split-bytes           write the body in 1-7 byte pieces (splits UTF-8 sequences and CRLF pairs).
//   crlf                  stream: CRLF line endings.
//   keepalive             stream: a `: keep-alive` comment before every data frame.
//   bom                   stream: start the body with a UTF-8 byte-order mark.
//   sse-fields            stream: a `retry:` field first and an `id:` line on every frame.
//   multiline-data        stream: each JSON payload pretty-printed over several `data:` lines.
//   unavailable           treat the requested model as temporarily unavailable (smart fallback applies).
//
// "N data frames" counts every `data:` frame already written, the role chunk being frame 1.
// Stream-only faults are ignored on non-streaming requests. An unknown fault name is a 400, so typos show.
import { createHash } from 'node:crypto';
import { HttpError } from './http-utils.mjs';

export const FAULT_HEADER = 'x-llmbase-test-fault';
export const ATTEMPT_KEY_HEADER = 'x-llmbase-test-attempt-key';

const COUNT_FAULTS = {
  'drop-after': 'dropAfter',
  stall: 'stallMs',
  'error-frame-after': 'errorFrameAfter',
  'error-event-after': 'errorEventAfter',
  'malformed-after': 'malformedAfter',
};
const FLAG_FAULTS = {
  'no-done': 'noDone',
  'split-bytes': 'splitBytes',
  crlf: 'crlf',
  keepalive: 'keepalive',
  bom: 'bom',
  'sse-fields': 'sseFields',
  'multiline-data': 'multilineData',
  unavailable: 'unavailable',
};

const STATUS_CODES = {
  400: 'bad_request',
  403: 'permission_denied',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

function badFault(message) {
  return new HttpError(400, 'invalid_test_fault', `${FAULT_HEADER}: ${message}`, { param: FAULT_HEADER });
}

function parseCount(name, text) {
  if (!/^\d+$/.test(text ?? '')) throw badFault(`"${name}" needs a whole number, e.g. ${name}:2.`);
  return Number(text);
}

function parseSeconds(name, text) {
  const seconds = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw badFault(`"${name}" needs seconds, e.g. ${name}:1.5.`);
  }
  return seconds;
}

function parseStatus(name, text) {
  const status = parseCount(name, text);
  if (status < 400 || status > 599) throw badFault(`"${name}" needs a status from 400 to 599.`);
  return status;
}

/** Parses the header into a plain object of fault settings; `{}` when absent. */
export function parseFaults(headerValue) {
  const faults = {};
  if (headerValue === undefined) return faults;
  const text = Array.isArray(headerValue) ? headerValue.join(',') : String(headerValue);
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, ...args] = item.split(':').map((part) => part.trim());
    if (name in COUNT_FAULTS) faults[COUNT_FAULTS[name]] = parseCount(name, args[0]);
    else if (name in FLAG_FAULTS) faults[FLAG_FAULTS[name]] = true;
    else if (name === 'status') {
      faults.status = { status: parseStatus(name, args[0]), retryAfter: args[1] === undefined ? undefined : parseSeconds(name, args[1]) };
    } else if (name === 'rate-limit') {
      faults.status = { status: 429, retryAfter: parseSeconds(name, args[0]) };
    } else if (name === 'fail-first') {
      faults.failFirst = {
        count: parseCount(name, args[0]),
        status: args[1] === undefined ? 503 : parseStatus(name, args[1]),
        retryAfter: args[2] === undefined ? undefined : parseSeconds(name, args[2]),
      };
    } else {
      throw badFault(`unknown fault "${name}" (see src/js/server/faults.mjs for the list).`);
    }
  }
  return faults;
}

function simulatedError({ status, retryAfter }, detail) {
  const headers = {};
  if (retryAfter !== undefined) {
    headers['retry-after'] = String(Math.ceil(retryAfter));
    headers['retry-after-ms'] = String(Math.round(retryAfter * 1000));
  }
  const code = STATUS_CODES[status] ?? 'test_fault';
  return new HttpError(status, code, `Simulated ${status} ${code} (test fault ${detail}).`, { headers });
}

/** Per-server attempt counts for `fail-first`. */
export class AttemptCounter {
  #counts = new Map();

  /** Counts this attempt under its key and returns its 1-based number. */
  next(key) {
    const attempt = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, attempt);
    return attempt;
  }
}

export function attemptKey(req, rawBody) {
  const explicit = req.headers[ATTEMPT_KEY_HEADER];
  if (typeof explicit === 'string' && explicit !== '') return `key:${explicit}`;
  return `body:${createHash('sha256')
    .update(rawBody)
    .update('\0')
    .update(String(req.headers[FAULT_HEADER] ?? ''))
    .digest('hex')}`;
}

/** The HttpError a status-type fault asks for on this attempt, or null to carry on normally. */
export function statusFaultFor(faults, counter, key) {
  if (faults.failFirst) {
    const attempt = counter.next(key);
    if (attempt <= faults.failFirst.count) {
      return simulatedError(faults.failFirst, `fail-first attempt ${attempt} of ${faults.failFirst.count}`);
    }
  }
  if (faults.status) return simulatedError(faults.status, `status ${faults.status.status}`);
  return null;
}

/** The error object written by error-frame-after / error-event-after (Decisions §6: an `error` object in data). */
export function midStreamError() {
  return {
    error: {
      message: 'Simulated upstream failure in the middle of the stream (test fault).',
      type: 'server_error',
      code: 'upstream_error',
      param: null,
    },
  };
}
