// `llmbase serve`: the Node-only local server and key-safe proxy (the C++ front end hands it the arguments after `serve`).
import { startServer, DEFAULT_BALANCE_USD, DEFAULT_CHUNK_DELAY_MS, DEFAULT_MAX_CONCURRENT } from './server/index.mjs';
import { startKeylessFront } from './server/keyless-front.mjs';
import {
  connectRedisStore,
  startProxy,
  DEFAULT_PROXY_MAX_TOKENS_CAP,
  DEFAULT_PROXY_RATE_LIMIT,
  DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS,
  DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS,
} from './proxy-node.mjs';

const EXIT_USAGE = 2;

class UsageError extends Error {}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag` against a spec `{name: 'string'|'int'|'number'|'boolean'}`.
 * Unknown flags and stray arguments are usage errors, so a typo never silently does the default.
 */
function parseFlags(argv, spec) {
  const flags = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const [, name, inline] = match;
    const type = spec[name];
    if (!type) throw new UsageError(`unknown option --${name}`);
    if (type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (type === 'int' && !/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
    if (type === 'number' && !(value.trim() !== '' && Number.isFinite(Number(value)) && Number(value) >= 0)) {
      throw new UsageError(`--${name} must be a number ≥ 0, got ${JSON.stringify(value)}`);
    }
    flags[name] = type === 'int' || type === 'number' ? Number(value) : value;
  }
  return flags;
}

const SERVE_HELP = `Usage: llmbase serve [options]
       llmbase serve --proxy --upstream URL [proxy options]

Starts the local LLMBase-compatible server (OpenAI-shaped chat completions, models, balance)
and prints its base URL. Ctrl-C stops it.

Options:
  --port N              port to listen on (default 8787; 0 picks a free port)
  --host HOST           interface to bind (default 127.0.0.1)
  --catalog FILE        JSON model catalog replacing the built-in one
  --balance USD         starting prepaid balance (default ${DEFAULT_BALANCE_USD})
  --keys a,b            accept only these API keys (default: any key starting llmbase_)
  --chunk-delay-ms N    pause between stream chunks (default ${DEFAULT_CHUNK_DELAY_MS}; 0 = none)
  --static DIR          also serve files from DIR for every non-/v1 path (index.html for /)
  --static-mount P=DIR  serve DIR under the URL prefix P (e.g. /dist=dist); comma-separated list
  --max-concurrent N    concurrent completions before 429 (default ${DEFAULT_MAX_CONCURRENT})
  --quiet               do not log one line per request
  --help                show this help

With --static or --static-mount, requests that carry no key get the local key added (the first of
--keys, else a built-in one), so a page such as the <llmbase-chat> demo needs no key in it.
Requests with their own key are checked as usual.

Key-safe proxy (--proxy): a browser widget talks to it; it adds the key from LLMBASE_API_KEY on
the server side and forwards only /v1/chat/completions, /v1/models and /v1/model-metadata; it also
answers the AI SDK's useChat at POST /ui/chat (UI message stream), behind the same checks.
  --proxy               run the proxy instead of the local server
  --upstream URL        where to forward (e.g. https://api.llmbase.ai/v1); required with --proxy
  --allow-models a,b    only these models (default: every upstream model)
  --max-tokens-cap N    highest max_tokens; requests without one get N (default ${DEFAULT_PROXY_MAX_TOKENS_CAP})
  --rate-limit N/min    requests per client IP (also N/s, N/h; 0 = off; default ${DEFAULT_PROXY_RATE_LIMIT})
  --allowed-origins a,b page origins allowed to call it, e.g. https://example.com (default: same
                        origin only; * = any)
  --allowed-hosts a,b   public host names the proxy answers to (Host header), e.g.
                        proxy.example.com; loopback and IP addresses always work (* = any)
  --allow-params a,b    forward these request parameters too (default: the documented ones)
  --upstream-headers-timeout MS  wait at most MS for the upstream's response headers → 504
                        (default ${DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS})
  --upstream-idle-timeout MS     longest upstream silence, before or within the body
                        (default ${DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS})
  --trust-proxy         take the client IP from X-Forwarded-For (behind your own reverse proxy)
  --redis URL           keep the rate and spend counters in Redis (redis://host:port), shared by
                        every proxy process using it (default: this process's memory)
  --spend-limit-client USD   USD per client IP per UTC day, from the cost of each finished call
  --spend-limit-site USD     USD for the whole site per UTC day
  --log-json            one JSON line per request (time, route, model, status, tokens, cost, duration)
  --shutdown-timeout MS on Ctrl-C/SIGTERM let streams finish for up to MS (default 10000)
  --static, --static-mount, --port, --host, --quiet as above

Test faults: send the header x-llmbase-test-fault (see src/js/server/faults.mjs).`;

// "/dist=dist,/assets=public" → { "/dist/": "dist", "/assets/": "public" }
function parseMounts(text) {
  if (!text) return undefined;
  const mounts = {};
  for (const item of text.split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--static-mount takes PREFIX=DIR, got "${item}"`);
    const prefix = item.slice(0, eq).replace(/\/*$/, '/');
    mounts[prefix.startsWith('/') ? prefix : `/${prefix}`] = item.slice(eq + 1);
  }
  return mounts;
}

const LOCAL_ONLY_FLAGS = ['catalog', 'balance', 'keys', 'chunk-delay-ms', 'max-concurrent'];
const PROXY_ONLY_FLAGS = [
  'upstream',
  'allow-models',
  'max-tokens-cap',
  'rate-limit',
  'allowed-origins',
  'trust-proxy',
  'allowed-hosts',
  'allow-params',
  'upstream-headers-timeout',
  'upstream-idle-timeout',
  'redis',
  'spend-limit-client',
  'spend-limit-site',
  'log-json',
  'shutdown-timeout',
];

// The local key the keyless front adds for a page served by `serve --static` (not a secret: the local
// server is a stand-in and accepts any llmbase_ key).
const LOCAL_PAGE_KEY = 'llmbase_local_page';

function requestLogger(flags, io) {
  if (flags.quiet) return undefined;
  return (entry) => {
    if (entry.error) return io.err(`error ${entry.requestId ?? ''} ${entry.error.stack ?? entry.error}`);
    const model = entry.model ? ` ${entry.model}` : '';
    const cut = entry.completed ? '' : ' (connection closed early)';
    io.out(`${new Date().toISOString()} ${entry.method} ${entry.url} ${entry.status}${model} ${entry.durationMs}ms${cut}`);
    return undefined;
  };
}

async function runServe(argv, io) {
  const flags = parseFlags(argv, {
    port: 'int',
    host: 'string',
    catalog: 'string',
    balance: 'number',
    keys: 'string',
    'chunk-delay-ms': 'int',
    static: 'string',
    'static-mount': 'string',
    'max-concurrent': 'int',
    quiet: 'boolean',
    help: 'boolean',
    proxy: 'boolean',
    upstream: 'string',
    'allow-models': 'string',
    'max-tokens-cap': 'int',
    'rate-limit': 'string',
    'allowed-origins': 'string',
    'trust-proxy': 'boolean',
    'allowed-hosts': 'string',
    'allow-params': 'string',
    'upstream-headers-timeout': 'int',
    'upstream-idle-timeout': 'int',
    redis: 'string',
    'spend-limit-client': 'number',
    'spend-limit-site': 'number',
    'log-json': 'boolean',
    'shutdown-timeout': 'int',
  });
  if (flags.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  const misplaced = (flags.proxy ? LOCAL_ONLY_FLAGS : PROXY_ONLY_FLAGS).find((name) => flags[name] !== undefined);
  if (misplaced) throw new UsageError(`--${misplaced} ${flags.proxy ? 'is for the local server, not --proxy' : 'needs --proxy'}`);
  return flags.proxy ? runProxy(flags, io) : runLocal(flags, io);
}

async function runLocal(flags, io) {
  const mounts = parseMounts(flags['static-mount']);
  const servesPage = Boolean(flags.static || mounts);
  const port = flags.port ?? 8787;
  const host = flags.host ?? '127.0.0.1';
  // Serving a page: the local server moves to a private port behind the keyless front.
  const server = await startServer({
    port: servesPage ? 0 : port,
    host: servesPage ? '127.0.0.1' : host,
    catalog: flags.catalog,
    balance: flags.balance,
    keys: flags.keys,
    chunkDelayMs: flags['chunk-delay-ms'],
    staticDir: flags.static,
    staticMounts: mounts,
    maxConcurrent: flags['max-concurrent'],
    log: requestLogger(flags, io),
  });
  let front = null;
  if (servesPage) {
    const pageKey = flags.keys
      ? flags.keys
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)[0]
      : LOCAL_PAGE_KEY;
    try {
      front = await startKeylessFront({ target: server.origin, apiKey: pageKey, port, host });
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  const shown = front ?? server;
  const { stats } = server;
  io.out(`LLMBase local server listening on ${shown.url}`);
  io.out(`  models: ${stats.catalog.size} (${flags.catalog ? flags.catalog : 'built-in catalog'})`);
  io.out(`  balance: $${stats.balance} USD`);
  io.out(`  keys: ${flags.keys ? `${flags.keys.split(',').filter(Boolean).length} listed` : 'any key starting llmbase_'}`);
  if (flags.static) io.out(`  static files: ${flags.static} at ${shown.origin}/`);
  for (const [prefix, dir] of Object.entries(mounts || {})) {
    io.out(`  static files: ${dir} at ${shown.origin}${prefix}`);
  }
  if (servesPage) io.out(`  page: open ${shown.origin}/ (requests without a key get the local key; the page holds none)`);
  io.out('Press Ctrl-C to stop.');
  return untilSignal(io, async () => {
    if (front) await front.close();
    await server.close();
  });
}

async function runProxy(flags, io) {
  if (!flags.upstream) throw new UsageError('--proxy needs --upstream URL (e.g. https://api.llmbase.ai/v1)');
  if (flags['rate-limit'] !== undefined && !/^\d+(\/(s|sec|m|min|h|hour))?$/i.test(flags['rate-limit'])) {
    throw new UsageError(`--rate-limit takes N/min (or N/s, N/h), got ${JSON.stringify(flags['rate-limit'])}`);
  }
  const spend = { perClientUSD: flags['spend-limit-client'], siteUSD: flags['spend-limit-site'] };
  // The Redis connection is the store's: the proxy's close() closes it.
  const store = flags.redis ? await connectRedisStore(flags.redis) : undefined;
  const proxy = await startProxy({
    upstream: flags.upstream,
    store,
    spendLimit: spend.perClientUSD === undefined && spend.siteUSD === undefined ? undefined : spend,
    shutdownTimeout: flags['shutdown-timeout'],
    port: flags.port ?? 8787,
    host: flags.host ?? '127.0.0.1',
    allowModels: flags['allow-models'],
    maxTokensCap: flags['max-tokens-cap'],
    rateLimit: flags['rate-limit'],
    allowedOrigins: flags['allowed-origins'],
    trustProxy: flags['trust-proxy'] === true,
    allowedHosts: flags['allowed-hosts'],
    allowParams: flags['allow-params'],
    upstreamHeadersTimeout: flags['upstream-headers-timeout'],
    upstreamIdleTimeout: flags['upstream-idle-timeout'],
    staticDir: flags.static,
    staticMounts: parseMounts(flags['static-mount']),
    log: flags['log-json'] ? (entry) => io.out(JSON.stringify(entry)) : requestLogger(flags, io),
  });
  const { settings } = proxy;
  const rate = settings.rateLimit ? `${settings.rateLimit.requests} per ${settings.rateLimit.windowMs / 1000} s per client IP` : 'off';
  io.out(`LLMBase key-safe proxy listening on ${proxy.url}`);
  io.out(`  upstream: ${settings.upstream} (key from LLMBASE_API_KEY, added server side)`);
  io.out(`  forwards: POST /v1/chat/completions, GET /v1/models, GET /v1/model-metadata; useChat at POST /ui/chat`);
  io.out(`  models: ${settings.allowModels ? settings.allowModels.join(', ') : 'all upstream models (restrict with --allow-models)'}`);
  io.out(`  max_tokens cap: ${settings.maxTokensCap}`);
  io.out(`  rate limit: ${rate}`);
  io.out(`  allowed origins: ${settings.allowedOrigins === '*' ? 'any (*)' : ['same origin', ...settings.allowedOrigins].join(', ')}`);
  io.out(
    `  allowed hosts: ${settings.allowedHosts === '*' ? 'any (*)' : ['loopback', 'IP addresses', ...settings.allowedHosts].join(', ')}`
  );
  if (settings.allowParams.length) io.out(`  extra parameters forwarded: ${settings.allowParams.join(', ')}`);
  io.out(`  upstream timeouts: headers ${settings.upstreamHeadersTimeout} ms, idle ${settings.upstreamIdleTimeout} ms`);
  io.out(
    `  counters: ${settings.store === 'redis' ? 'Redis (shared by every instance using it)' : "this process's memory (use --redis URL to share them)"}`
  );
  if (settings.spendLimit) {
    const { perClientUSD, siteUSD } = settings.spendLimit;
    io.out(
      `  spend limit per UTC day: ${[perClientUSD && `${perClientUSD} USD per client IP`, siteUSD && `${siteUSD} USD site-wide`].filter(Boolean).join(', ')}`
    );
  }
  if (flags.static) io.out(`  static files: ${flags.static} at ${proxy.origin}/`);
  for (const [prefix, dir] of Object.entries(parseMounts(flags['static-mount']) || {})) {
    io.out(`  static files: ${dir} at ${proxy.origin}${prefix}`);
  }
  io.out('Press Ctrl-C to stop.');
  return untilSignal(io, () => proxy.close());
}

function untilSignal(io, close) {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal) => {
      if (stopping) {
        io.err(`Second ${signal}: exiting without waiting.`);
        process.exit(130);
      }
      stopping = true;
      io.out('Stopping…');
      close().then(() => {
        io.out('Stopped.');
        resolve(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

/** Runs `llmbase serve ARGS`; resolves with the exit code once the server has stopped. */
export async function runServeCommand(argv, io = { out: (text) => console.log(text), err: (text) => console.error(text) }) {
  try {
    return await runServe(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`llmbase serve: ${error.message}. Run "llmbase serve --help".`);
      return EXIT_USAGE;
    }
    io.err(`llmbase serve: ${error.message}`);
    return 1;
  }
}
