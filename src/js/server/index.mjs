// Local LLMBase-compatible server: startServer() and its router (faithful to docs/llmbase-api.md and docs/decisions.md).
import http from 'node:http';
import { statSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import {
  answerFailure,
  answerPreflight,
  applyCommonHeaders,
  DEFAULT_MAX_BODY_BYTES,
  HttpError,
  methodNotAllowed,
  newRequestId,
  sendJson,
  listenOn,
} from './http-utils.mjs';
import { authenticate } from './auth.mjs';
import { loadCatalog, metadataView, publicView } from './catalog.mjs';
import { AttemptCounter } from './faults.mjs';
import { handleChatCompletion } from './chat-completions.mjs';
import { serveStatic } from '../proxy/node/static-files.mjs';

export { loadCatalog } from './catalog.mjs';
export { AGENTS_BASE_URL } from './auth.mjs';

export const DEFAULT_BALANCE_USD = 10;
export const DEFAULT_CHUNK_DELAY_MS = 20;
export const DEFAULT_MAX_CONCURRENT = 20; // LLMBase's per-account guard (llmbase-api.md §13)

function positiveNumber(name, value, fallback, { integer = false, min = 0 } = {}) {
  if (value === undefined || value === null) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || (integer && !Number.isInteger(number))) {
    throw new TypeError(`startServer: option ${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${value}`);
  }
  return number;
}

function normalizeKeys(keys) {
  if (keys === undefined || keys === null) return null;
  const list = (Array.isArray(keys) ? keys : String(keys).split(',')).map((key) => String(key).trim()).filter(Boolean);
  if (list.length === 0) throw new TypeError('startServer: option keys must name at least one key');
  return list;
}

function checkStaticDir(dir) {
  if (dir === undefined || dir === null) return null;
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new Error(`startServer: staticDir ${dir} is not a directory`);
  return dir;
}

// `staticMounts` maps URL prefixes ("/dist/") to directories, so the demo page and the package it
// imports can come from one origin without copying the build into web/.
function checkStaticMounts(mounts) {
  if (!mounts) return [];
  return Object.entries(mounts)
    .map(([prefix, dir]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
        throw new Error(`startServer: staticMounts prefix ${prefix} must start and end with "/"`);
      }
      if (prefix === '/v1/') throw new Error('startServer: staticMounts cannot shadow /v1/');
      return { prefix, dir: checkStaticDir(dir) };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

function createState(options) {
  return {
    catalog: loadCatalog(options.catalog), // undefined → built-in; a path or parsed entries replace it
    keys: normalizeKeys(options.keys),
    balance: positiveNumber('balance', options.balance, DEFAULT_BALANCE_USD),
    chunkDelayMs: positiveNumber('chunkDelayMs', options.chunkDelayMs, DEFAULT_CHUNK_DELAY_MS, { integer: true }),
    maxConcurrent: positiveNumber('maxConcurrent', options.maxConcurrent, DEFAULT_MAX_CONCURRENT, { integer: true, min: 1 }),
    maxBodyBytes: positiveNumber('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, { integer: true, min: 1 }),
    staticDir: checkStaticDir(options.staticDir),
    staticMounts: checkStaticMounts(options.staticMounts),
    transcriptsDir: options.transcriptsDir ? checkStaticDir(options.transcriptsDir) : null,
    inflight: 0,
    maxInflight: 0,
    requests: 0,
    completions: 0,
    attempts: new AttemptCounter(),
    promptCache: new Map(),
    events: new EventEmitter(),
    closing: false,
    shutdown: new AbortController().signal,
  };
}

async function route(req, res, state, ctx) {
  // Split by hand: `new URL('//x/y', base)` would read "x" as a host.
  const queryAt = req.url.indexOf('?');
  const pathname = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : req.url.slice(queryAt + 1));
  if (req.method === 'OPTIONS') return answerPreflight(req, res);
  if (pathname !== '/v1' && !pathname.startsWith('/v1/')) {
    const mount = state.staticMounts.find((m) => pathname.startsWith(m.prefix));
    if (mount) return serveStatic(req, res, mount.dir, pathname.slice(mount.prefix.length - 1));
    if (state.staticDir) return serveStatic(req, res, state.staticDir, pathname);
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${pathname}. The API lives under /v1.`);
  }
  const only = (method) => {
    if (req.method !== method) throw methodNotAllowed(req.method, [method]);
  };
  if (pathname === '/v1/chat/completions') {
    only('POST');
    return handleChatCompletion(req, res, ctx);
  }
  if (pathname === '/v1/models' || pathname === '/v1/model-metadata') {
    only('GET');
    // No key needed for the model list (llmbase-api.md §2); the metadata twin follows it (Decisions §1).
    const metadata = pathname === '/v1/model-metadata' || query.get('metadata') === 'true';
    return sendJson(res, 200, state.catalog.listing({ metadata, agentsOnly: query.get('filter') === 'agents' }));
  }
  if (pathname.startsWith('/v1/models/')) {
    only('GET');
    let id;
    try {
      id = decodeURIComponent(pathname.slice('/v1/models/'.length));
    } catch {
      throw new HttpError(400, 'invalid_path', 'The model id in the URL is not valid percent-encoding.');
    }
    const model = state.catalog.get(id);
    if (!model) throw new HttpError(404, 'model_not_found', `Model ${JSON.stringify(id)} does not exist.`, { param: 'model' });
    return sendJson(res, 200, query.get('metadata') === 'true' ? metadataView(model) : publicView(model));
  }
  if (pathname === '/v1/balance') {
    only('GET');
    authenticate(req, state.keys);
    return sendJson(res, 200, { object: 'balance', currency: 'USD', balance: state.balance }); // Decisions §4
  }
  throw new HttpError(
    404,
    'not_found',
    `No endpoint ${req.method} ${pathname}. LLMBase serves /v1/chat/completions, /v1/models and /v1/balance.`
  );
}

async function handle(req, res, state, log) {
  const requestId = newRequestId();
  const started = Date.now();
  const ctx = { state, requestId, model: undefined };
  state.requests += 1;
  applyCommonHeaders(res, requestId);
  state.events.emit('request', { requestId, method: req.method, url: req.url, headers: { ...req.headers } });
  if (log) {
    res.on('close', () =>
      log({
        requestId,
        method: req.method,
        url: req.url,
        status: res.statusCode,
        model: ctx.model,
        durationMs: Date.now() - started,
        completed: res.writableFinished,
      })
    );
  }
  try {
    await route(req, res, state, ctx);
  } catch (error) {
    // An unexpected error is a bug: tell whoever listens (tests), else the console; answer 500.
    answerFailure(res, error, {
      message: 'The local server hit an unexpected error; see its console.',
      report: (bug) => {
        if (state.events.listenerCount('error') > 0) state.events.emit('error', bug);
        else if (log) log({ requestId, error: bug });
        else console.error('llmbase local server:', bug);
      },
    });
  }
}

/**
 * Starts the server. See index.d.ts for the options and the result; everything defaults so that
 * `await startServer()` gives a working server on a free 127.0.0.1 port.
 */
export async function startServer(options = {}) {
  const state = createState(options);
  const shutdownController = new AbortController();
  state.shutdown = shutdownController.signal;
  const log = typeof options.log === 'function' ? options.log : null;
  const onError = (error) => console.error('llmbase local server:', error);
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    handle(req, res, state, log).catch(onError);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Malformed HTTP (bad request line, oversized headers): answer with the envelope instead of a bare reset.
  server.on('clientError', (error, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({
      error: {
        message: `Bad HTTP request: ${error.code ?? error.message}`,
        type: 'invalid_request_error',
        code: 'bad_http_request',
        param: null,
      },
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\nx-request-id: ${newRequestId()}\r\n\r\n${body}`
    );
  });
  const host = options.host ?? '127.0.0.1';
  const port = positiveNumber('port', options.port, 0, { integer: true });
  const origin = await listenOn(server, port, host);
  const address = server.address();

  let closed;
  const close = () => {
    closed ??= new Promise((resolve) => {
      state.closing = true;
      shutdownController.abort();
      let serverClosed = false;
      const check = () => {
        if (serverClosed && sockets.size === 0) resolve();
      };
      server.close(() => {
        serverClosed = true;
        check();
      });
      for (const socket of sockets) {
        socket.once('close', check);
        socket.destroy();
      }
      check();
    });
    return closed;
  };

  const stats = {
    get inflight() {
      return state.inflight;
    },
    get maxInflight() {
      return state.maxInflight;
    },
    get requests() {
      return state.requests;
    },
    get completions() {
      return state.completions;
    },
    get balance() {
      return state.balance;
    },
    set balance(value) {
      state.balance = positiveNumber('balance', value, state.balance);
    },
    get catalog() {
      return state.catalog;
    },
    events: state.events,
    resetPeaks() {
      state.maxInflight = state.inflight;
    },
  };
  return { url: `${origin}/v1`, origin, host: address.address, port: address.port, close, stats, server };
}
