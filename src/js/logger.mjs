// Client logging: the logLevel / LLMBASE_LOG level filter, a pluggable logger, and redaction of the key.
import { InvalidArgumentError } from './errors.mjs';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'off'];
const RANK = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };
const REDACTED = '[redacted]';
// Header and option names whose values are credentials, whatever they hold.
const SECRET_NAMES = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|cookie|set-cookie)$/i;

function checkLevel(value, name) {
  if (value === undefined) return undefined;
  if (!LOG_LEVELS.includes(value)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be one of ${LOG_LEVELS.map((l) => `"${l}"`).join(', ')}, got ${JSON.stringify(value)}.`,
      { param: name }
    );
  }
  return value;
}

function checkLogger(logger) {
  if (logger === undefined || logger === null) return console;
  for (const method of ['debug', 'info', 'warn', 'error']) {
    if (typeof logger[method] !== 'function') {
      throw new InvalidArgumentError(
        `\`logger\` must have debug, info, warn and error methods (console has them); \`logger.${method}\` is ${typeof logger[method]}.`,
        { param: 'logger' }
      );
    }
  }
  return logger;
}

/** Replaces every occurrence of the secrets in strings, and every value under a credential name. */
function redact(value, secrets, depth = 0) {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  }
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) {
    // Header lists come as [name, value] pairs from the core's request description.
    if (value.length === 2 && typeof value[0] === 'string' && SECRET_NAMES.test(value[0])) return [value[0], REDACTED];
    return value.map((item) => redact(item, secrets, depth + 1));
  }
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_NAMES.test(key) ? REDACTED : redact(item, secrets, depth + 1);
  }
  return out;
}

/**
 * A level-filtered logger that never prints the key. `level` comes from the option, else from
 * LLMBASE_LOG, else "warn" (openai-node's default). Lines are "[llmbase] message", plus one
 * details object when there is one.
 */
export function createLogger({ logLevel, logger, envLevel, apiKey }) {
  const level = checkLevel(logLevel, 'logLevel') ?? checkLevel(envLevel, 'LLMBASE_LOG') ?? 'warn';
  const sink = checkLogger(logger);
  const secrets = apiKey ? [apiKey] : [];
  const threshold = RANK[level];
  const emit = (method) => (message, details) => {
    if (RANK[method] < threshold) return;
    const line = `[llmbase] ${redact(String(message), secrets)}`;
    if (details === undefined) sink[method](line);
    else sink[method](line, redact(details, secrets));
  };
  return {
    level,
    enabled: (method) => RANK[method] >= threshold,
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
  };
}

function headerValue(headers, name) {
  return headers && typeof headers.get === 'function' ? headers.get(name) : null;
}

/**
 * Wraps the transport's fetch so that debug logging sees each attempt as it goes out (method, URL,
 * redacted headers, body size) and when its headers arrive (status, ms, x-request-id). Only
 * installed at level debug, so other levels cost nothing per request.
 */
export function loggingFetch(inner, log, endpoint) {
  return async (url, init = {}) => {
    const started = Date.now();
    const size = typeof init.body === 'string' ? init.body.length : 0;
    log.debug(`request ${init.method || 'GET'} ${url}`, { endpoint, headers: init.headers, bodyChars: size });
    const doFetch = inner || globalThis.fetch;
    try {
      const response = await doFetch(url, init);
      log.debug(`response ${response.status} ${init.method || 'GET'} ${url} after ${Date.now() - started} ms`, {
        endpoint,
        requestId: headerValue(response.headers, 'x-request-id'),
        servedModel: headerValue(response.headers, 'x-llmbase-served-model'),
      });
      return response;
    } catch (error) {
      log.debug(`fetch failed ${init.method || 'GET'} ${url} after ${Date.now() - started} ms: ${error && error.message}`, { endpoint });
      throw error;
    }
  };
}
