// The LLMBase client: openai-node's shape (client.chat.completions.create, client.models.list).
import { CallChannel, loadCore } from './core-bridge.mjs';
import { APIUserAbortError } from './errors.mjs';
import { ChatCompletionStream } from './stream.mjs';

export const DEFAULT_BASE_URL = 'https://api.llmbase.ai/v1';

function readEnv(name) {
  // Browsers and workers have no process; reading it must not throw there.
  const env = typeof process !== 'undefined' && process && process.env ? process.env : undefined;
  const value = env ? env[name] : undefined;
  return value === undefined || value === '' ? undefined : value;
}

export class LLMBase {
  #apiKey;
  #fetch;
  #defaultHeaders;
  #fallback;

  /**
   * @param {object} [options]
   * @param {string} [options.apiKey] defaults to LLMBASE_API_KEY
   * @param {string} [options.baseURL] defaults to LLMBASE_BASE_URL, else https://api.llmbase.ai/v1
   * @param {typeof fetch} [options.fetch] a fetch implementation (tests, proxies, instrumentation)
   * @param {Record<string,string>} [options.defaultHeaders] sent with every request
   * @param {boolean} [options.fallback] false sends `X-LLMBase-Fallback: off`
   */
  constructor(options = {}) {
    this.#apiKey = options.apiKey !== undefined ? options.apiKey : readEnv('LLMBASE_API_KEY') || '';
    this.baseURL = options.baseURL || readEnv('LLMBASE_BASE_URL') || DEFAULT_BASE_URL;
    this.#fetch = options.fetch;
    this.#defaultHeaders = { ...(options.defaultHeaders || {}) };
    this.#fallback = options.fallback !== false;
    this.chat = { completions: { create: (params, requestOptions) => this.#createChat(params, requestOptions) } };
    this.models = { list: (requestOptions) => this.#listModels(requestOptions) };
  }

  /** The key in use. A getter, so that logging the client does not print it. */
  get apiKey() {
    return this.#apiKey;
  }

  async #createChat(params, requestOptions = {}) {
    const channel = await this.#start('chat', params, requestOptions);
    if (params && params.stream === true) {
      await channel.waitForResponse();
      return new ChatCompletionStream(channel);
    }
    return channel.settled();
  }

  #listModels(requestOptions = {}) {
    const page = this.#start('models', {}, requestOptions).then((channel) => channel.settled());
    const withIterator = page.then((body) => {
      const models = Array.isArray(body.data) ? body.data : [];
      Object.defineProperty(body, Symbol.asyncIterator, {
        value: async function* iterateModels() {
          yield* models;
        },
      });
      return body;
    });
    // `for await (const model of client.models.list())` works without awaiting the page first.
    withIterator[Symbol.asyncIterator] = async function* iterateModels() {
      yield* await withIterator;
    };
    return withIterator;
  }

  async #start(endpoint, params, requestOptions) {
    const core = await loadCore();
    const signal = requestOptions.signal;
    if (signal && signal.aborted) throw new APIUserAbortError('Request was aborted.');
    const channel = new CallChannel(new AbortController());
    const config = {
      apiKey: this.#apiKey,
      baseURL: this.baseURL,
      headers: { ...this.#defaultHeaders, ...(requestOptions.headers || {}) },
      fallback: requestOptions.fallback !== undefined ? requestOptions.fallback !== false : this.#fallback,
    };
    channel.start(core, config, endpoint, params, requestOptions.fetch || this.#fetch);
    if (signal) {
      const onAbort = () => channel.abort('user_abort');
      signal.addEventListener('abort', onAbort, { once: true });
      const detach = () => signal.removeEventListener('abort', onAbort);
      channel.settled().then(detach, detach);
    }
    return channel;
  }
}

export default LLMBase;
