// TypeScript declarations for the local LLMBase-compatible server (src/js/server/index.mjs, installed as dist/server/index.mjs).
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

/** USD per 1M tokens. Numeric strings are accepted in catalog files. */
export interface ModelPricing {
  input: number | string;
  output: number | string;
  input_cache_read?: number | string;
}

/** One catalog entry; also the shape of a `GET /v1/models?metadata=true` item. Unknown fields are kept. */
export interface CatalogModel {
  id: string;
  name?: string;
  created?: number;
  owned_by?: string;
  context_length?: number;
  max_output_length?: number;
  input_modalities?: string[];
  output_modalities?: string[];
  supported_features?: string[];
  supported_parameters?: string[];
  pricing: ModelPricing;
  prompt_cache_supported?: boolean;
  /** `false` simulates a temporarily unavailable model: smart fallback serves the request instead. */
  available?: boolean;
  /** Fallback candidates in order; without it, the rest of the catalog in order. */
  fallback_models?: string[];
  [extra: string]: unknown;
}

export type CatalogSource = string | CatalogModel[] | { models: CatalogModel[] } | { data: CatalogModel[] };

export interface RequestLogEntry {
  requestId?: string;
  time?: string;
  route?: string | null;
  tokens?: { prompt: number | null; completion: number | null; total: number | null } | null;
  costUSD?: number | null;
  method?: string;
  url?: string | null;
  status?: number;
  model?: string;
  durationMs?: number;
  /** false when the connection closed before the response was fully written. */
  completed?: boolean;
  error?: unknown;
}

export interface StartServerOptions {
  /** Port; default 0 (a free port). */
  port?: number;
  /** Interface; default "127.0.0.1". */
  host?: string;
  /** Catalog file path or parsed entries; replaces the built-in catalog.json. */
  catalog?: CatalogSource;
  /** Starting prepaid balance in USD; default 10. */
  balance?: number;
  /** Accept only these keys (array or "a,b"); default: any key starting `llmbase_`. */
  keys?: string[] | string;
  /** Pause between stream chunks in ms; default 20; 0 only yields to the event loop. */
  chunkDelayMs?: number;
  /** Serve files from this directory for every non-/v1 path (index.html for directories). */
  staticDir?: string;
  /** URL prefix ("/dist/") → directory, checked before staticDir (longest prefix first). */
  staticMounts?: Record<string, string>;
  /** Directory of NAME.sse transcripts replayed for requests with `x-llmbase-test-transcript: NAME` (tests). */
  transcriptsDir?: string;
  /** Concurrent chat completions before 429 too_many_concurrent_requests; default 20. */
  maxConcurrent?: number;
  /** Request body limit in bytes before 413; default 4 MiB. */
  maxBodyBytes?: number;
  /** Called once per finished or closed request (and for unexpected errors). Default: silent. */
  log?: (entry: RequestLogEntry) => void;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface ServerEvents {
  /** Every HTTP request, as it arrives. */
  request: [{ requestId: string; method: string; url: string; headers: Record<string, string | string[] | undefined> }];
  /** Every parsed chat-completion body (before validation). */
  'chat-request': [{ requestId: string; body: unknown; headers: Record<string, string | string[] | undefined> }];
  /** A billed completion. */
  completion: [{ requestId: string; requestedModel: string; servedModel: string; usage: CompletionUsage; cost: number; stream: boolean }];
  /** The server finished writing a stream body; outcome is "done" (with [DONE]) or the fault that shaped it. */
  'stream-end': [{ requestId: string; chunksSent: number; outcome: 'done' | 'no-done' | 'error-frame' | 'error-event' }];
  /** The client closed the connection before the response was complete. */
  'client-closed': [{ requestId: string; chunksSent: number }];
  /** The drop-after fault cut the connection. */
  'stream-dropped': [{ requestId: string; chunksSent: number }];
  /** Unexpected server bug (only emitted when someone listens; otherwise logged). */
  error: [unknown];
}

export interface ServerStats {
  /** Chat completions in flight now. */
  readonly inflight: number;
  /** Peak of `inflight` since start (or since resetPeaks()). */
  readonly maxInflight: number;
  /** HTTP requests received (any path). */
  readonly requests: number;
  /** Chat completions completed and billed. */
  readonly completions: number;
  /** Current balance in USD; assignable, so tests can set up a 402. */
  balance: number;
  readonly catalog: { readonly size: number; get(id: string): CatalogModel | undefined; list(): CatalogModel[] };
  readonly events: EventEmitter<ServerEvents>;
  resetPeaks(): void;
}

export interface RunningServer {
  /** Base URL ending in /v1, e.g. http://127.0.0.1:43123/v1 — what an OpenAI-style client takes as baseURL. */
  url: string;
  /** Same without /v1 (static files live here). */
  origin: string;
  host: string;
  port: number;
  /** Stops listening, cuts open connections, and resolves once every socket is closed. Idempotent. */
  close(): Promise<void>;
  stats: ServerStats;
  server: Server;
}

export declare const DEFAULT_BALANCE_USD: number;
export declare const DEFAULT_CHUNK_DELAY_MS: number;
export declare const DEFAULT_MAX_CONCURRENT: number;
export declare const AGENTS_BASE_URL: string;

export declare function startServer(options?: StartServerOptions): Promise<RunningServer>;

export declare function loadCatalog(source?: CatalogSource): {
  readonly size: number;
  get(id: string): CatalogModel | undefined;
  list(): CatalogModel[];
};
