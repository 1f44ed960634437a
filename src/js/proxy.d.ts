// TypeScript declarations for llmbase-wasm/proxy: the key-safe proxy as a fetch handler, and the stores its limits are counted in.

/** Shared counters of the proxy's limits; every instance that should share a limit uses the same store. */
export interface ProxyStore {
  /** "memory", "redis", "durable-object" (shown on /healthz). */
  readonly name?: string;
  /** Adds `by` (default 1) to `key`'s counter; a new counter expires after `windowMs`. */
  incr(key: string, windowMs: number, by?: number): Promise<{ value: number; resetMs: number }>;
  /** The counter's value; 0 when absent or expired. */
  get(key: string): Promise<number>;
  close?(): Promise<void> | void;
}

/** Counters in this process's memory (the default): exact in one process, not shared. */
export declare class MemoryStore implements ProxyStore {
  readonly name: 'memory';
  constructor(options?: { now?: () => number });
  incr(key: string, windowMs: number, by?: number): Promise<{ value: number; resetMs: number }>;
  get(key: string): Promise<number>;
  close(): void;
}

/** Counters in Redis, shared by every proxy instance using it; atomic increments, expiry by Redis. */
export declare class RedisStore implements ProxyStore {
  readonly name: 'redis';
  /** `client`: a connected client of the `redis` package or of ioredis. */
  constructor(options: { client: unknown; prefix?: string; owned?: boolean });
  incr(key: string, windowMs: number, by?: number): Promise<{ value: number; resetMs: number }>;
  get(key: string): Promise<number>;
  close(): Promise<void>;
}

/** Counters in Cloudflare Durable Objects (one per counter), over the ProxyCounter namespace binding. */
export declare class DurableObjectStore implements ProxyStore {
  readonly name: 'durable-object';
  constructor(namespace: {
    idFromName(name: string): unknown;
    get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
  });
  incr(key: string, windowMs: number, by?: number): Promise<{ value: number; resetMs: number }>;
  get(key: string): Promise<number>;
}

/** The Durable Object class DurableObjectStore talks to; export it from the Worker and bind it in wrangler.toml. */
export declare class ProxyCounter {
  constructor(state: { storage: unknown }, env?: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** One access-log line, written when the response is over. Never a header, the key, the query or (unless logPrompts) the prompt. */
export interface ProxyLogEntry {
  time?: string;
  requestId?: string;
  method?: string;
  /** The path, e.g. "/v1/chat/completions" (also as `url`). */
  route?: string | null;
  url?: string | null;
  status?: number;
  model?: string;
  tokens?: { prompt: number | null; completion: number | null; total: number | null } | null;
  /** The core's cost of the finished call's usage, from the upstream's model prices. */
  costUSD?: number | null;
  durationMs?: number;
  /** false when the response was cut or the client left before its end. */
  completed?: boolean;
  messages?: unknown;
  error?: unknown;
}

export interface ProxyHandlerOptions {
  /** Base URL requests are forwarded to, e.g. "https://api.llmbase.ai/v1". Required. */
  upstream: string;
  /** The upstream key; default env.LLMBASE_API_KEY (the `env` option) or process.env.LLMBASE_API_KEY. */
  apiKey?: string;
  /** The platform's secrets and bindings (a Worker's `env`): LLMBASE_API_KEY is read from it. */
  env?: { LLMBASE_API_KEY?: string; [name: string]: unknown };
  /** Only these models (array or "a,b"); default every upstream model. */
  allowModels?: string[] | string;
  /** Highest max_tokens / max_completion_tokens; default 4096. */
  maxTokensCap?: number;
  /** Requests per client: "20/min" (also N/s, N/h), a number per minute, { requests, windowMs }, or 0/"off". Default "20/min". */
  rateLimit?: string | number | { requests: number; windowMs: number } | false | null;
  /** USD per UTC day, per client IP and for the whole site, from the core's cost of each finished call (429 spend_limit_exceeded). */
  spendLimit?: { perClientUSD?: number; siteUSD?: number } | null;
  /** Where the rate and spend counters live; default a MemoryStore (one process). */
  store?: ProxyStore;
  /** Page origins allowed to call it (CORS, enforced with 403); "*" for any. */
  allowedOrigins?: string[] | string;
  /** Public host names (Host header) it answers to besides loopback and IP addresses; "*" for any. */
  allowedHosts?: string[] | string;
  /** Take the client IP from the last X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** A header the platform sets to the client's address, e.g. "cf-connecting-ip" on Workers. */
  clientIpHeader?: string;
  /** Request parameters forwarded besides the documented ones. */
  allowParams?: string[] | string;
  /** Longest wait for the upstream's response headers, in ms; default 120000. */
  upstreamHeadersTimeout?: number;
  /** Longest upstream silence, in ms; default 60000. */
  upstreamIdleTimeout?: number;
  /** Request body limit in bytes before 413; default 4 MiB. */
  maxBodyBytes?: number;
  /** How long the upstream metadata is cached, in ms; default 600000. */
  metadataTTL?: number;
  /** One entry per request when it is over; `true` writes JSON lines with console.log. */
  log?: ((entry: ProxyLogEntry) => void) | boolean;
  /** Put the request's messages into the log entries (off by default: prompts are the users' data). */
  logPrompts?: boolean;
  /** The port the adapter listens on, for the proxy's own page origins. */
  port?: number;
}

/** What the platform knows about a request: the client's address, and Workers' waitUntil. */
export interface ProxyRequestInfo {
  clientIp?: string;
  waitUntil?(promise: Promise<unknown>): void;
}

export interface ProxyHandler {
  (request: Request, info?: ProxyRequestInfo): Promise<Response>;
  readonly stats: { requests: number; forwarded: number; refused: number };
  /** The proxy's own page origins for this port (adapters call it once listening). */
  listening(port: number): void;
  /** /healthz answers 503 "draining" from now on (shutdown has begun). */
  drain(): void;
  /** Frees the proxy's wasm state and closes its store. */
  close(): Promise<void>;
}

/** The key-safe proxy as one fetch handler: every rule of `llmbase serve --proxy`, for any platform with fetch. */
export declare function createProxyHandler(options: ProxyHandlerOptions): ProxyHandler;

/** Node only: a RedisStore over a new connection (needs the optional peer dependency `redis`). */
export declare function connectRedisStore(url: string, options?: { prefix?: string }): Promise<RedisStore>;

export declare const DEFAULT_PROXY_MAX_TOKENS_CAP: number;
export declare const DEFAULT_PROXY_RATE_LIMIT: string;
export declare const DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS: number;
export declare const DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS: number;
