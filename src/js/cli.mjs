#!/usr/bin/env node
// The `llmbase` command: a small table of subcommands; for now `serve`, the local LLMBase-compatible server.
import { readFileSync } from 'node:fs';
import { startServer, DEFAULT_BALANCE_USD, DEFAULT_CHUNK_DELAY_MS, DEFAULT_MAX_CONCURRENT } from './server/index.mjs';

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

async function runServe(argv, io) {
  const flags = parseFlags(argv, {
    port: 'int', host: 'string', catalog: 'string', balance: 'number', keys: 'string',
    'chunk-delay-ms': 'int', static: 'string', 'static-mount': 'string', 'max-concurrent': 'int', quiet: 'boolean', help: 'boolean',
  });
  if (flags.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  const log = flags.quiet ? undefined : (entry) => {
    if (entry.error) return io.err(`error ${entry.requestId ?? ''} ${entry.error.stack ?? entry.error}`);
    const model = entry.model ? ` ${entry.model}` : '';
    const cut = entry.completed ? '' : ' (connection closed early)';
    io.out(`${new Date().toISOString()} ${entry.method} ${entry.url} ${entry.status}${model} ${entry.durationMs}ms${cut}`);
  };
  const server = await startServer({
    port: flags.port ?? 8787,
    host: flags.host ?? '127.0.0.1',
    catalog: flags.catalog,
    balance: flags.balance,
    keys: flags.keys,
    chunkDelayMs: flags['chunk-delay-ms'],
    staticDir: flags.static,
    staticMounts: parseMounts(flags['static-mount']),
    maxConcurrent: flags['max-concurrent'],
    log,
  });
  const { stats } = server;
  io.out(`LLMBase local server listening on ${server.url}`);
  io.out(`  models: ${stats.catalog.size} (${flags.catalog ? flags.catalog : 'built-in catalog'})`);
  io.out(`  balance: $${stats.balance} USD`);
  io.out(`  keys: ${flags.keys ? `${flags.keys.split(',').filter(Boolean).length} listed` : 'any key starting llmbase_'}`);
  if (flags.static) io.out(`  static files: ${flags.static} at ${server.origin}/`);
  for (const [prefix, dir] of Object.entries(parseMounts(flags['static-mount']) || {})) {
    io.out(`  static files: ${dir} at ${server.origin}${prefix}`);
  }
  io.out('Press Ctrl-C to stop.');

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal) => {
      if (stopping) {
        io.err(`Second ${signal}: exiting without waiting.`);
        process.exit(130);
      }
      stopping = true;
      io.out('Stopping…');
      server.close().then(() => {
        io.out('Stopped.');
        resolve(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

const COMMANDS = {
  serve: { summary: 'start the local LLMBase-compatible server', run: runServe },
};

function mainHelp() {
  let version = '';
  try {
    version = ` ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version ?? ''}`;
  } catch {
    // Not fatal: the package.json sits elsewhere in some layouts.
  }
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return `llmbase${version}: client tools for the LLMBase inference API\n\nUsage: llmbase <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "llmbase <command> --help" for a command's options.`;
}

async function main(argv, io = { out: (text) => console.log(text), err: (text) => console.error(text) }) {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`llmbase: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`llmbase ${name}: ${error.message}. Run "llmbase ${name} --help".`);
      return EXIT_USAGE;
    }
    io.err(`llmbase ${name}: ${error.message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
