// `llmbase serve`: starts the local server or the key-safe proxy and prints what it does; the C++ front end (src/cli/serve_options.cpp) has read and checked the options and filled in their defaults.
import { startServer } from './server/index.mjs';
import { startKeylessFront } from './server/keyless-front.mjs';
import { connectRedisStore, startProxy } from './proxy-node.mjs';

// The local key the keyless front adds for a page served by `serve --static` (not a secret: the local
// server is a stand-in and accepts any llmbase_ key).
const LOCAL_PAGE_KEY = 'llmbase_local_page';

function requestLogger(options, io) {
  if (options.quiet) return undefined;
  return (entry) => {
    if (entry.error) return io.err(`error ${entry.requestId ?? ''} ${entry.error.stack ?? entry.error}`);
    const model = entry.model ? ` ${entry.model}` : '';
    const cut = entry.completed ? '' : ' (connection closed early)';
    io.out(`${new Date().toISOString()} ${entry.method} ${entry.url} ${entry.status}${model} ${entry.durationMs}ms${cut}`);
    return undefined;
  };
}

// [[prefix, dir]…] (in the order given) → the { prefix: dir } of startServer and startProxy.
function mountsOf(options) {
  return options.staticMounts.length ? Object.fromEntries(options.staticMounts) : undefined;
}

async function runLocal(options, io) {
  const settings = options.server;
  const mounts = mountsOf(options);
  const servesPage = Boolean(options.staticDir || mounts);
  // Serving a page: the local server moves to a private port behind the keyless front.
  const server = await startServer({
    ...settings,
    port: servesPage ? 0 : options.port,
    host: servesPage ? '127.0.0.1' : options.host,
    staticDir: options.staticDir,
    staticMounts: mounts,
    log: requestLogger(options, io),
  });
  let front = null;
  if (servesPage) {
    const pageKey = settings.keys ? settings.keys[0] : LOCAL_PAGE_KEY;
    try {
      front = await startKeylessFront({ target: server.origin, apiKey: pageKey, port: options.port, host: options.host });
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  const shown = front ?? server;
  const { stats } = server;
  io.out(`LLMBase local server listening on ${shown.url}`);
  io.out(`  models: ${stats.catalog.size} (${settings.catalog ? settings.catalog : 'built-in catalog'})`);
  io.out(`  balance: $${stats.balance} USD`);
  io.out(`  keys: ${settings.keys ? `${settings.keys.length} listed` : 'any key starting llmbase_'}`);
  if (options.staticDir) io.out(`  static files: ${options.staticDir} at ${shown.origin}/`);
  for (const [prefix, dir] of options.staticMounts) io.out(`  static files: ${dir} at ${shown.origin}${prefix}`);
  if (servesPage) io.out(`  page: open ${shown.origin}/ (requests without a key get the local key; the page holds none)`);
  io.out('Press Ctrl-C to stop.');
  return untilSignal(io, async () => {
    if (front) await front.close();
    await server.close();
  });
}

async function runProxy(options, io) {
  // The Redis connection is the store's: the proxy's close() closes it.
  const store = options.redis ? await connectRedisStore(options.redis) : undefined;
  const proxy = await startProxy({
    ...options.proxy,
    store,
    port: options.port,
    host: options.host,
    staticDir: options.staticDir,
    staticMounts: mountsOf(options),
    log: options.logJson ? (entry) => io.out(JSON.stringify(entry)) : requestLogger(options, io),
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
  if (options.staticDir) io.out(`  static files: ${options.staticDir} at ${proxy.origin}/`);
  for (const [prefix, dir] of options.staticMounts) io.out(`  static files: ${dir} at ${proxy.origin}${prefix}`);
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

/**
 * Runs `llmbase serve` with `options`, the front end's instruction ({mode, port, host, quiet,
 * staticDir?, staticMounts, server | proxy, redis?, logJson}); resolves with the exit code once
 * the server has stopped: 0, or 1 when it could not start.
 */
export async function runServeCommand(options, io = { out: (text) => console.log(text), err: (text) => console.error(text) }) {
  try {
    return await (options.mode === 'proxy' ? runProxy(options, io) : runLocal(options, io));
  } catch (error) {
    io.err(`llmbase serve: ${error.message}`);
    return 1;
  }
}
