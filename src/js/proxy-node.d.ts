// TypeScript declarations for llmbase-wasm/proxy on Node (the `node` condition): everything of the fetch handler's entry, plus startProxy, the proxy as a Node server.
/// <reference types="node" />
import type { Server } from 'node:http';
import type { ProxyHandler, ProxyHandlerOptions } from './proxy.js';

export * from './proxy.js';

/** Options of the key-safe proxy (`llmbase serve --proxy`): every option of the fetch handler, plus the Node server's. */
export interface StartProxyOptions extends ProxyHandlerOptions {
  /** The upstream key, sent as `Authorization: Bearer …`; default process.env.LLMBASE_API_KEY (required one way or the other). */
  apiKey?: string;
  /** Port; default 0 (a free port). */
  port?: number;
  /** Interface; default "127.0.0.1". */
  host?: string;
  /** Serve a site from here too (same origin as the API, so no CORS at all). */
  staticDir?: string;
  /** URL prefix ("/dist/") → directory, checked before staticDir. */
  staticMounts?: Record<string, string>;
  /** How long close() lets streams in flight finish before cutting them, in ms; default 10000. */
  shutdownTimeout?: number;
}

export interface RunningProxy {
  /** Base URL ending in /v1: what the widget's base-url attribute takes. */
  url: string;
  origin: string;
  host: string;
  port: number;
  /** Stops listening, lets streams in flight finish up to the deadline (default shutdownTimeout), then cuts the rest. Idempotent. */
  close(options?: { deadlineMs?: number }): Promise<void>;
  server: Server;
  /** The fetch handler the server runs. */
  handler: ProxyHandler;
  stats: { requests: number; forwarded: number; refused: number };
  /** What it enforces (the key is deliberately not here). */
  settings: {
    upstream: string;
    allowModels: string[] | null;
    maxTokensCap: number;
    rateLimit: { requests: number; windowMs: number } | null;
    allowedOrigins: string[] | '*';
    allowedHosts: string[] | '*';
    allowParams: string[];
    upstreamHeadersTimeout: number;
    upstreamIdleTimeout: number;
    store: string;
    spendLimit: { perClientUSD?: number; siteUSD?: number } | null;
    shutdownTimeout: number;
  };
}

export declare const DEFAULT_SHUTDOWN_TIMEOUT_MS: number;

/**
 * Starts the key-safe proxy on Node: forwards POST /v1/chat/completions (after the model
 * allow-list, the max_tokens cap and the shared validation), GET /v1/models and GET
 * /v1/model-metadata, adding the key server side; streams replies through as they arrive.
 * Everything else under /v1 is a 404. POST /ui/chat answers the AI SDK's useChat (UI message
 * stream protocol) behind the same checks.
 */
export declare function startProxy(options: StartProxyOptions): Promise<RunningProxy>;
