// Option checking for the key-safe proxy (createProxyHandler, startProxy): upstream, key, allow-lists, caps, rate, spend, origins, hosts, timeouts, store, log.
import { DEFAULT_MAX_BODY_BYTES } from './http-error.mjs';
import { checkStore, MemoryStore } from './store.mjs';

export const DEFAULT_PROXY_MAX_TOKENS_CAP = 4096;
export const DEFAULT_PROXY_RATE_LIMIT = '20/min';
export const DEFAULT_PROXY_METADATA_TTL_MS = 10 * 60 * 1000;
// A non-streamed completion arrives whole, headers included, so the headers wait is long; the idle
// limit matches the client's default idleTimeout.
export const DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS = 120_000;
export const DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS = 60_000;

const WINDOWS = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hour: 3_600_000 };

function fail(message) {
  return new TypeError(`llmbase proxy: ${message}`);
}

/** A comma-separated string or an array → trimmed, non-empty strings; undefined/null stays null. */
export function listOption(value) {
  if (value === undefined || value === null) return null;
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => String(item).trim()).filter(Boolean);
}

/**
 * "N/min" (also N/s, N/h; a bare number means per minute), a number, or { requests, windowMs }
 * → { requests, windowMs }; 0, "off" or false → null (no limit).
 */
export function parseRateLimit(value) {
  if (value === undefined) value = DEFAULT_PROXY_RATE_LIMIT;
  if (value === null || value === false || value === 0 || value === 'off' || value === '0') return null;
  if (typeof value === 'object') {
    const { requests, windowMs } = value;
    if (!Number.isInteger(requests) || requests < 1 || !Number.isFinite(windowMs) || windowMs <= 0) {
      throw fail('rateLimit { requests, windowMs } needs a whole number of requests ≥ 1 and a window > 0 ms');
    }
    return { requests, windowMs };
  }
  const match = /^\s*(\d+)\s*(?:\/\s*([a-z]+))?\s*$/i.exec(String(value));
  const windowMs = match ? WINDOWS[(match[2] ?? 'min').toLowerCase()] : undefined;
  if (!match || !windowMs || Number(match[1]) < 1) {
    throw fail(`rateLimit must look like "20/min" (or N/s, N/h), got ${JSON.stringify(value)}`);
  }
  return { requests: Number(match[1]), windowMs };
}

/** Origins are compared in their serialised form (scheme://host[:port]), as browsers send them. */
function parseOrigins(value) {
  const list = listOption(value);
  if (list === null) return { any: false, list: [] };
  if (list.includes('*')) return { any: true, list: [] };
  return {
    any: false,
    list: list.map((item) => {
      let url;
      try {
        url = new URL(item);
      } catch {
        throw fail(`allowedOrigins entry ${JSON.stringify(item)} is not an origin such as https://example.com`);
      }
      if (url.origin === 'null' || (url.pathname !== '/' && url.pathname !== '')) {
        throw fail(`allowedOrigins entry ${JSON.stringify(item)} must be scheme://host[:port] without a path`);
      }
      return url.origin;
    }),
  };
}

/** Public host names the proxy answers to besides loopback and IP literals (DNS rebinding, rules.mjs). */
function parseHosts(value) {
  const list = listOption(value) ?? [];
  if (list.includes('*')) return { any: true, names: [] };
  return {
    any: false,
    names: list.map((item) => {
      const name = item.toLowerCase();
      if (!/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(name)) {
        throw fail(`allowedHosts entry ${JSON.stringify(item)} must be a host name such as proxy.example.com (no scheme, port or path)`);
      }
      return name;
    }),
  };
}

function parseParams(value) {
  const list = listOption(value) ?? [];
  for (const name of list) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw fail(`allowParams entry ${JSON.stringify(name)} is not a parameter name`);
  }
  return list;
}

function parseUpstream(value) {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) {
    throw fail('upstream must be an http(s) base URL such as https://api.llmbase.ai/v1');
  }
  const url = new URL(value);
  if (url.username || url.password) throw fail('upstream must not carry credentials; the key comes from apiKey / LLMBASE_API_KEY');
  return url.href.replace(/\/+$/, '');
}

// The key from the platform's secrets: `env` (a Workers binding object) first, then process.env on
// Node, Deno (with --allow-env) and Bun.
function readKey(value, env) {
  const fromProcess = typeof process !== 'undefined' && process.env ? process.env.LLMBASE_API_KEY : undefined;
  const key = value ?? env?.LLMBASE_API_KEY ?? fromProcess;
  if (typeof key !== 'string' || key.trim() === '') {
    throw fail(
      "no upstream API key: set the LLMBASE_API_KEY secret in the proxy's environment (Workers: env.LLMBASE_API_KEY, passed as `env`; Node: process.env) or pass apiKey"
    );
  }
  if (/\s/.test(key.trim())) throw fail('the upstream API key contains whitespace');
  // Printable ASCII without quotes or backslashes: the key then reads the same inside JSON text,
  // so scrubbing it from serialised bodies finds every copy.
  if (!/^[\x21-\x7e]+$/.test(key.trim()) || /["\\]/.test(key.trim()))
    throw fail('the upstream API key must be printable ASCII without quotes or backslashes');
  return key.trim();
}

function whole(name, value, fallback, min) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < min) throw fail(`${name} must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

/** Checks and fills in every startProxy option; throws a TypeError naming the bad one. */
export function normalizeProxyOptions(options = {}) {
  const upstream = parseUpstream(options.upstream);
  const apiKey = readKey(options.apiKey, options.env);
  // An agents key must never reach the inference host (llmbase-api.md §2, Decisions §9).
  if (apiKey.startsWith('llmbase_chat_') && new URL(upstream).hostname === 'api.llmbase.ai') {
    throw fail('an llmbase_chat_ (agents) key only works with https://llmbase.ai/api/v1/agents; use an llmbase_ inference key');
  }
  const allowModels = listOption(options.allowModels);
  if (allowModels && allowModels.length === 0) throw fail('allowModels must name at least one model');
  const normalized = {
    upstream,
    host: options.host ?? '127.0.0.1',
    port: whole('port', options.port, 0, 0),
    allowModels: allowModels ? new Set(allowModels) : null,
    maxTokensCap: whole('maxTokensCap', options.maxTokensCap, DEFAULT_PROXY_MAX_TOKENS_CAP, 1),
    rateLimit: parseRateLimit(options.rateLimit),
    origins: parseOrigins(options.allowedOrigins),
    allowedHosts: parseHosts(options.allowedHosts),
    allowParams: parseParams(options.allowParams),
    upstreamHeadersTimeout: whole('upstreamHeadersTimeout', options.upstreamHeadersTimeout, DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS, 1),
    upstreamIdleTimeout: whole('upstreamIdleTimeout', options.upstreamIdleTimeout, DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS, 1),
    trustProxy: options.trustProxy === true,
    maxBodyBytes: whole('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 1),
    metadataTTL: whole('metadataTTL', options.metadataTTL, DEFAULT_PROXY_METADATA_TTL_MS, 0),
    log: parseLog(options.log),
    logPrompts: options.logPrompts === true,
    clientIpHeader: parseHeaderName(options.clientIpHeader),
    store: options.store === undefined || options.store === null ? new MemoryStore() : checkStore(options.store, fail),
    spendLimit: parseSpendLimit(options.spendLimit),
  };
  // Not enumerable: logging or serialising the options never prints the key.
  Object.defineProperty(normalized, 'apiKey', { value: apiKey, enumerable: false });
  return normalized;
}

// true → one JSON line per request on stdout (console.log, which every platform collects).
function parseLog(value) {
  if (typeof value === 'function') return value;
  if (value === true) return (entry) => console.log(JSON.stringify(entry));
  if (value === undefined || value === null || value === false) return null;
  throw fail('log must be a function (entry) => void, true (JSON lines on stdout) or false');
}

function parseHeaderName(value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^[A-Za-z0-9-]+$/.test(value))
    throw fail(`clientIpHeader must be a header name such as cf-connecting-ip, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** { perClientUSD, siteUSD } per UTC day: either may be left out; a limit must be > 0. */
function parseSpendLimit(value) {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value !== 'object') throw fail('spendLimit must be { perClientUSD, siteUSD } (USD per UTC day)');
  const out = {};
  for (const name of ['perClientUSD', 'siteUSD']) {
    const limit = value[name];
    if (limit === undefined || limit === null) continue;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0)
      throw fail(`spendLimit.${name} must be a number of USD > 0, got ${limit}`);
    out[name] = limit;
  }
  const unknown = Object.keys(value).filter((name) => name !== 'perClientUSD' && name !== 'siteUSD');
  if (unknown.length) throw fail(`spendLimit has no field ${JSON.stringify(unknown[0])}; it takes perClientUSD and siteUSD`);
  return Object.keys(out).length ? out : null;
}
