// The Node `llmbase` client subcommands (chat, models, metadata, balance, validate): same flags, output and exit codes as the native CLI.
import { readFileSync } from 'node:fs';
import { LLMBase } from './index.mjs';
import { loadCore } from './core-bridge.mjs';
import { LLMBaseError, ValidationError } from './errors.mjs';
import { waitForDrain } from './wait-for-drain.mjs';

const VALUE_OPTIONS = new Set(['model', 'system', 'max-tokens', 'base-url', 'timeout', 'idle-timeout', 'max-retries', 'metadata', 'allow', 'header']);
const FLAG_OPTIONS = new Set(['json', 'help']);
const EXIT_OK = 0;
const EXIT_VALIDATION = 7;

class CliUsageError extends Error {}

// The same grammar as src/native/cli_main.cpp: --name VALUE, --name=VALUE, --flag, positionals.
function parseArgs(argv) {
  const args = { values: {}, flags: {}, allow: [], headers: [], positional: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('--') && arg.length > 2) {
      let name = arg.slice(2);
      let value;
      const eq = name.indexOf('=');
      if (eq !== -1) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (FLAG_OPTIONS.has(name) && value === undefined) {
        args.flags[name] = true;
      } else if (VALUE_OPTIONS.has(name)) {
        if (value === undefined) {
          if (i + 1 >= argv.length) throw new CliUsageError(`--${name} needs a value`);
          value = argv[++i];
        }
        if (name === 'allow') args.allow.push(value);
        else if (name === 'header') args.headers.push(value);
        else args.values[name] = value;
      } else {
        throw new CliUsageError(`unknown option --${name}`);
      }
    } else {
      args.positional.push(arg);
    }
  }
  return args;
}

function positiveMs(args, name) {
  if (args.values[name] === undefined) return undefined;
  if (!/^\d+$/.test(args.values[name]) || Number(args.values[name]) <= 0) {
    throw new CliUsageError('--timeout and --idle-timeout take a positive number of milliseconds');
  }
  return Number(args.values[name]);
}

function clientFor(args, io) {
  const options = {};
  if (args.values['base-url']) options.baseURL = args.values['base-url'];
  options.timeout = positiveMs(args, 'timeout');
  options.idleTimeout = positiveMs(args, 'idle-timeout');
  if (args.values['max-retries'] !== undefined) {
    if (!/^\d+$/.test(args.values['max-retries'])) throw new CliUsageError('--max-retries takes a non-negative integer');
    options.maxRetries = Number(args.values['max-retries']);
  }
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  if (args.headers.length) {
    options.defaultHeaders = {};
    for (const header of args.headers) {
      const colon = header.indexOf(':');
      // Not echoed: a mistyped header is often a key ("Bearer llmbase_…" without the name).
      if (colon <= 0) throw new CliUsageError(`--header takes "Name: value"; one has no name (not shown: it may be a key)`);
      options.defaultHeaders[header.slice(0, colon)] = header.slice(colon + 1).replace(/^ +/, '');
    }
  }
  return new LLMBase({ ...options, ...(io.clientOptions || {}) });
}

// One error line and exit code, both from the core (identical to the native CLI's).
function errorRecord(core, error) {
  if (error instanceof ValidationError) return JSON.parse(core.cliValidationError(JSON.stringify(error.findings)));
  if (error instanceof CliUsageError) return { kind: 'invalid_argument', code: 'usage', message: error.message };
  if (error instanceof LLMBaseError) {
    return { kind: error.kind || 'api_status', status: error.status, code: error.code, param: error.param, message: error.message };
  }
  return { kind: 'api_status', message: error && error.message ? error.message : String(error) };
}

function readInput(path) {
  return readFileSync(path === '-' ? 0 : path, 'utf8');
}

async function runChat(client, args, io, signal) {
  let prompt = args.positional.length === 0 || (args.positional.length === 1 && args.positional[0] === '-')
    ? readInput('-')
    : args.positional.join(' ');
  prompt = prompt.replace(/[\r\n]+$/, '');
  if (!prompt) throw new CliUsageError('no prompt: pass it as arguments or on stdin');
  const model = args.values.model ?? (process.env.LLMBASE_MODEL || 'deepseek/deepseek-v4-flash');
  const messages = [];
  if (args.values.system !== undefined) messages.push({ role: 'system', content: args.values.system });
  messages.push({ role: 'user', content: prompt });
  const request = { model, messages, stream: true };
  if (args.values['max-tokens'] !== undefined) {
    if (!/^\d+$/.test(args.values['max-tokens']) || Number(args.values['max-tokens']) <= 0) {
      throw new CliUsageError('--max-tokens takes a positive integer');
    }
    request.max_tokens = Number(args.values['max-tokens']);
  }
  const asJson = Boolean(args.flags.json);
  let printed = false;
  try {
    // Printed text is not kept (unless --json prints the completion): memory stays flat.
    const stream = await client.chat.completions.create(request, { signal, keepContent: asJson });
    for await (const chunk of stream) {
      // Choice 0 only, as the native CLI prints it: with n > 1 the replies would interleave.
      const first = !asJson && Array.isArray(chunk.choices) ? chunk.choices.find((c, i) => (c.index ?? i) === 0) : undefined;
      const content = first && first.delta ? first.delta.content : undefined;
      if (typeof content === 'string' && content) {
        io.write(content);
        printed = true;
        // A slow reader of stdout: read from the network only as fast as it takes the text.
        if (io.output && io.output.writableNeedDrain) await waitForDrain(io.output, signal);
      }
    }
    const completion = await stream.finalChatCompletion();
    if (printed) io.write('\n');
    if (asJson) io.write((await loadCore()).cliText('json', JSON.stringify(completion)));
  } catch (error) {
    // The reply ends with a newline; an error before any text prints nothing on stdout.
    if (printed) io.write('\n');
    throw error;
  }
  return EXIT_OK;
}

async function runValidate(client, args, io, signal, core) {
  if (args.positional.length !== 1) throw new CliUsageError("validate takes one REQUEST.json (or '-')");
  let requestText;
  let metadataText;
  try {
    requestText = readInput(args.positional[0]);
  } catch {
    throw new CliUsageError(`cannot read ${args.positional[0]}`);
  }
  if (args.values.metadata !== undefined) {
    try {
      metadataText = readInput(args.values.metadata);
    } catch {
      throw new CliUsageError(`cannot read ${args.values.metadata}`);
    }
  } else {
    metadataText = JSON.stringify(await client.models.metadata({ signal }));
  }
  const result = JSON.parse(core.validateRequest(requestText, metadataText, JSON.stringify({ allow_params: args.allow })));
  io.write(core.cliText('json', JSON.stringify(result)));
  return result.ok ? EXIT_OK : EXIT_VALIDATION;
}

// A reader that went away (`llmbase chat … | head -c 300`): 128 + SIGPIPE, as a shell reports it.
const EXIT_OUTPUT_CLOSED = 141;

/**
 * Runs one client subcommand; `io` = { write(text), error(line), output?, clientOptions? }. Returns
 * the exit code. `output` (the stream `write` goes to): when its reader closes the pipe, the request
 * is aborted and the command ends quietly with 141 instead of dying on an unhandled EPIPE.
 */
export async function runClientCommand(name, argv, io) {
  const core = await loadCore();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let outputClosed = false;
  // Stays attached: a write after the close (the final newline) reports EPIPE again.
  io.output?.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    outputClosed = true;
    controller.abort();
  });
  try {
    const args = parseArgs(argv);
    if (args.flags.help) {
      io.write(core.cliHelp(name));
      return EXIT_OK;
    }
    const client = clientFor(args, io);
    const signal = controller.signal;
    if (name === 'chat') return await runChat(client, args, io, signal);
    if (name === 'validate') return await runValidate(client, args, io, signal, core);
    if (name === 'models') {
      const page = await client.models.list({ signal });
      io.write(core.cliText(args.flags.json ? 'json' : 'models', JSON.stringify(page)));
    } else if (name === 'metadata') {
      const list = await client.models.metadata({ signal });
      io.write(core.cliText(args.flags.json ? 'json' : 'metadata', JSON.stringify(list)));
    } else {
      const balance = await client.balance.retrieve({ signal });
      io.write(core.cliText(args.flags.json ? 'json' : 'balance', JSON.stringify(balance)));
    }
    return outputClosed ? EXIT_OUTPUT_CLOSED : EXIT_OK;
  } catch (error) {
    if (outputClosed) return EXIT_OUTPUT_CLOSED;
    const record = errorRecord(core, error);
    io.error(core.cliErrorLine(JSON.stringify(record)));
    return core.cliExitCode(record.kind);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The subcommands, with the one-line summaries `llmbase --help` shows. */
export const CLIENT_COMMANDS = {
  chat: 'stream a reply to PROMPT (or stdin) to stdout',
  models: 'list model ids',
  metadata: 'models with features, context and prices',
  balance: 'the prepaid balance',
  validate: 'check a request (JSON) against model metadata',
};
