// The LLMBase client: openai-node's shape (chat.completions.create, models, balance) over the wasm core.
import { APIPromise } from './api-promise.mjs';
import { ConcurrencyLimiter } from './concurrency-limiter.mjs';
import { CallChannel } from './call-channel.mjs';
import { coreForRequest, loadCore } from './core-loader.mjs';
import { APIError, APIUserAbortError, InvalidArgumentError, ValidationError } from './errors.mjs';
import { CatalogHolder, listOf, metadataEntry } from './catalog-holder.mjs';
import { checkChat, estimateWith, planChecks } from './preflight.mjs';
import { attach, completionCost } from './completion-extras.mjs';
import { ChatCompletionStream } from './stream.mjs';
import { createLogger, loggingFetch } from './logger.mjs';
import {
  DEFAULTS,
  checkBudget,
  checkCount,
  checkKeepContent,
  checkMode,
  checkMs,
  checkReplyCap,
  isBrowserLike,
  readEnv,
} from './client-options.mjs';
import { completionsHelpers } from './chat-helpers.mjs';

export const DEFAULT_BASE_URL = 'https://api.llmbase.ai/v1';

export class LLMBase {
  #apiKey;
  #fetch;
  #defaultHeaders;
  #fallback;
  #allowMissingKey;
  #limiter;
  #metadataCache = null;
  #metadataPending = null;
  #catalog = new CatalogHolder();
  #givenMetadata = null;
  #onWarning;
  #log;

  /** See ClientOptions in index.d.ts for every option and its default. */
  constructor(options = {}) {
    this.#apiKey = options.apiKey !== undefined && options.apiKey !== null ? options.apiKey : readEnv('LLMBASE_API_KEY') || '';
    if (this.#apiKey && isBrowserLike() && options.dangerouslyAllowBrowser !== true) {
      throw new InvalidArgumentError(
        'Refusing to use an API key in a browser: anyone who loads the page can read it. Call LLMBase ' +
          'from your server or through a proxy that holds the key (npx llmbase serve --proxy), or pass ' +
          '{ dangerouslyAllowBrowser: true } if you accept the risk.',
        { param: 'apiKey' }
      );
    }
    this.baseURL = options.baseURL || readEnv('LLMBASE_BASE_URL') || DEFAULT_BASE_URL;
    this.maxRetries = checkCount('maxRetries', options.maxRetries) ?? DEFAULTS.maxRetries;
    this.timeout = checkMs('timeout', options.timeout, { allowZero: false }) ?? DEFAULTS.timeout;
    this.idleTimeout = checkMs('idleTimeout', options.idleTimeout, { allowZero: false }) ?? DEFAULTS.idleTimeout;
    this.maxRetryAfterMs = checkMs('maxRetryAfterMs', options.maxRetryAfterMs) ?? DEFAULTS.maxRetryAfterMs;
    this.metadataTTL = checkMs('metadataTTL', options.metadataTTL) ?? DEFAULTS.metadataTTL;
    // Unset: the core's default (ReplyLimits::kDefaultMaxBytes, 16 MiB).
    this.maxReplyBytes = checkReplyCap(options.maxReplyBytes);
    this.#limiter = new ConcurrencyLimiter(options.maxConcurrency ?? DEFAULTS.maxConcurrency);
    this.#fetch = options.fetch;
    this.#defaultHeaders = { ...(options.defaultHeaders || {}) };
    this.#fallback = options.fallback !== false;
    this.#allowMissingKey = options.allowMissingKey === true;
    this.validation = checkMode(options.validation) ?? 'error';
    this.budgetUSD = checkBudget(options.budgetUSD);
    this.#onWarning = typeof options.onWarning === 'function' ? options.onWarning : null;
    this.#log = createLogger({
      logLevel: options.logLevel,
      logger: options.logger,
      envLevel: readEnv('LLMBASE_LOG'),
      apiKey: this.#apiKey,
    });
    if (options.modelMetadata !== undefined && options.modelMetadata !== null) {
      if (typeof options.modelMetadata !== 'object') {
        throw new InvalidArgumentError('`modelMetadata` must be the body of GET /v1/model-metadata (an object or an array of models).', {
          param: 'modelMetadata',
        });
      }
      this.#givenMetadata = options.modelMetadata;
    }

    this.chat = { completions: { create: (params, requestOptions) => this.#createChat(params, requestOptions) } };
    Object.assign(this.chat.completions, completionsHelpers(this.chat.completions)); // stream, runTools, parse
    this.models = {
      list: (requestOptions) => this.#listModels(requestOptions),
      metadata: (requestOptions) => this.#modelMetadata(requestOptions),
    };
    this.balance = {
      retrieve: (requestOptions) => this.#get('balance', requestOptions),
      check: (params, requestOptions) => this.#checkBalance(params, requestOptions),
    };
  }

  /**
   * Checks `params` against the model metadata (fetched and cached) without sending anything:
   * { ok, findings }. Findings: { path, code, severity: "error" | "warning", message }.
   */
  validate(params, options = {}) {
    return coreForRequest(params).then((core) =>
      this.#withCatalog(options, core, (catalog, error) => {
        const checks = { mode: 'error', allowParams: options.allowParams || [], metadataError: error ? error.message : '' };
        const { ok, findings } = checkChat(core, params, checks, catalog);
        return { ok, findings };
      })
    );
  }

  /** Worst-case cost before sending: { promptTokens, maxCompletionTokens, maxCostUSD, priced }. */
  estimateCost(params, options = {}) {
    return this.#withCatalog(options, null, (catalog, error) => {
      if (!catalog) throw error;
      const { model, ...estimate } = estimateWith(catalog, params);
      return estimate;
    });
  }

  /** Frees the parsed metadata held in wasm memory; the client stays usable. */
  close() {
    this.#catalog.release();
    this.#metadataCache = null;
    this.#givenMetadata = null;
  }

  /** The key in use. A getter, so that logging the client does not print it. */
  get apiKey() {
    return this.#apiKey;
  }

  /** Requests in flight and waiting for a slot (maxConcurrency). */
  get concurrency() {
    return { active: this.#limiter.active, queued: this.#limiter.queued };
  }

  #createChat(params, requestOptions = {}) {
    const inner = (async () => {
      let body = params;
      if (requestOptions.extra_body && params && typeof params === 'object') {
        // The core merges `extra_body` into the top level; a per-request one adds to it.
        body = { ...params, extra_body: { ...(params.extra_body || {}), ...requestOptions.extra_body } };
      }
      const check = await this.#preflight(body, requestOptions);
      let channel;
      try {
        channel = await this.#start('chat', body, requestOptions, check);
      } catch (error) {
        check.release();
        throw error;
      }
      const findings = channel.preflight.findings || [];
      // The cost is added as soon as the call settles, while the catalog lease is still held.
      const decorated = channel.settled().then((completion) => {
        if (check.catalog) {
          const served = channel.headers['x-llmbase-served-model'];
          attach(completion, 'cost', completionCost(check.catalog, completion, params.model, served));
        }
        if (findings.length) attach(completion, 'validation', { findings });
        return completion;
      });
      decorated.catch(() => {}).finally(check.release);
      if (params && params.stream === true) {
        await channel.waitForResponse();
        const stream = new ChatCompletionStream(channel, decorated);
        if (findings.length) attach(stream, 'validation', { findings });
        return { data: stream, response: channel.response };
      }
      return { data: await decorated, response: channel.response };
    })();
    return new APIPromise(inner);
  }

  // What the core checks before sending (validation mode error|warn|off, the budget) and the
  // catalog to check against (Decisions §3). Metadata that cannot be fetched never blocks a
  // request: the core turns it into a warning. The result holds a lease on the catalog; the
  // caller releases it when the call is over. The checks themselves run in #start, in the same
  // core crossing that prepares the request.
  async #preflight(params, requestOptions) {
    const mode = checkMode(requestOptions.validation) ?? this.validation;
    const budget = checkBudget(requestOptions.budgetUSD) ?? this.budgetUSD;
    const checks = { mode, allowParams: requestOptions.allowParams || [] };
    if (budget !== undefined) checks.budgetUSD = budget;
    // The module that checks and sends it: the browser's chat module, or the full core for a
    // request that carries a JSON Schema.
    const core = await coreForRequest(params);
    const none = { core, catalog: null, checks, release() {} };
    const plan = planChecks(core, checks, this.#metadataFresh());
    if (plan.shapeFirst) {
      // Shape errors need no metadata: refuse them before any request at all, metadata included.
      const shape = checkChat(core, params, { ...checks, shapeOnly: true }, null);
      if (!shape.ok) throw new ValidationError(shape.findings, shape.refusal);
    }
    if (!plan.needsCatalog) return none;
    const { lease, error } = await this.#leaseCatalog(requestOptions, core);
    if (!lease) checks.metadataError = error ? error.message : '';
    return { core, catalog: lease ? lease.handle : null, checks, release: lease ? lease.release : none.release };
  }

  #metadataFresh() {
    const cached = this.#metadataCache;
    return Boolean(cached && Date.now() - cached.at < this.metadataTTL);
  }

  // A lease on the parsed metadata catalog, or the error that kept it from being fetched.
  async #leaseCatalog(requestOptions = {}, core = null) {
    try {
      const entry = await this.#metadataEntry({ signal: requestOptions.signal, refresh: false });
      return { lease: await this.#catalog.lease(entry, core), error: null };
    } catch (error) {
      if (error instanceof APIUserAbortError) throw error;
      return { lease: null, error };
    }
  }

  // Runs `use(catalog, error)` with the catalog (in `core`, default the realm's module) leased for the duration.
  async #withCatalog(requestOptions, core, use) {
    const { lease, error } = await this.#leaseCatalog(requestOptions, core);
    try {
      return use(lease ? lease.handle : null, error);
    } finally {
      if (lease) lease.release();
    }
  }

  async #checkBalance(params, requestOptions = {}) {
    const [balance, estimate] = await Promise.all([this.#get('balance', requestOptions), this.estimateCost(params, requestOptions)]);
    const available = typeof balance.balance === 'number' ? balance.balance : Number(balance.balance);
    return {
      balance: available,
      currency: balance.currency ?? 'USD',
      maxCostUSD: estimate.maxCostUSD,
      sufficient: estimate.maxCostUSD !== null && Number.isFinite(available) ? estimate.maxCostUSD <= available : null,
    };
  }

  #get(endpoint, requestOptions = {}) {
    return new APIPromise(
      this.#start(endpoint, {}, requestOptions).then(async (channel) => ({
        data: await channel.settled(),
        response: channel.response,
      }))
    );
  }

  #listModels(requestOptions) {
    // An APIPromise, so that `.withResponse()` works here as on every other call.
    const page = new APIPromise(
      this.#get('models', requestOptions)
        .withResponse()
        .then(({ data: body, response }) => {
          const models = Array.isArray(body.data) ? body.data : [];
          Object.defineProperty(body, Symbol.asyncIterator, {
            value: async function* iterateModels() {
              yield* models;
            },
          });
          return { data: body, response };
        })
    );
    // `for await (const model of client.models.list())` works without awaiting the page first.
    page[Symbol.asyncIterator] = async function* iterateModels() {
      yield* await page;
    };
    return page;
  }

  async #modelMetadata(requestOptions = {}) {
    return listOf(await this.#metadataEntry(requestOptions));
  }

  // The cache entry { at, handle, list } of the metadata, fetched (or taken from modelMetadata)
  // when there is none or it is older than metadataTTL.
  async #metadataEntry(requestOptions = {}) {
    if (!requestOptions.refresh && !this.#metadataCache && this.#givenMetadata) {
      // Metadata the caller already had: no round trip; it stays until refresh or close().
      this.#metadataCache = metadataEntry(await loadCore(), this.#givenMetadata, Infinity);
      this.#catalog.adopt(this.#metadataCache, this.#metadataCache.handle, this.#metadataCache.origin);
    }
    const cached = this.#metadataCache;
    if (!requestOptions.refresh && cached && Date.now() - cached.at < this.metadataTTL) return cached;
    // Concurrent first requests share one fetch.
    if (!requestOptions.refresh && this.#metadataPending) return this.#metadataPending;
    const pending = this.#fetchMetadata(requestOptions);
    this.#metadataPending = pending;
    try {
      return await pending;
    } finally {
      if (this.#metadataPending === pending) this.#metadataPending = null;
    }
  }

  async #fetchMetadata(requestOptions) {
    const core = await loadCore();
    // The core names each request of the fetch: /model-metadata, then its fallback on a 404.
    let endpoint = 'model-metadata';
    let body;
    for (;;) {
      try {
        body = await this.#get(endpoint, requestOptions);
        break;
      } catch (error) {
        endpoint = error instanceof APIError ? core.metadataFallback(endpoint, error.kind || '') : '';
        if (!endpoint) throw error;
      }
    }
    const entry = metadataEntry(core, body, Date.now());
    this.#catalog.adopt(entry, entry.handle, entry.origin);
    this.#metadataCache = entry;
    return entry;
  }

  // Prepares and sends one call; a chat call's `chat` = { checks, catalog } is checked in the
  // same crossing (channel.preflight holds the findings). The concurrency slot is held until the
  // transport has let go of the connection, not merely until the result is known.
  async #start(endpoint, params, requestOptions, chat = null) {
    const signal = requestOptions.signal;
    const core = chat ? chat.core : await loadCore();
    const release = await this.#limiter.acquire(signal);
    const channel = new CallChannel(new AbortController());
    const started = Date.now();
    const log = this.#log;
    channel.onRetry = (delayMs, why) => log.info(`retrying ${endpoint} in ${delayMs} ms${why ? ` after: ${why.message}` : ''}`);
    const timeout = checkMs('timeout', requestOptions.timeout, { allowZero: false }) ?? this.timeout;
    const config = {
      apiKey: this.#apiKey,
      baseURL: this.baseURL,
      headers: { ...this.#defaultHeaders, ...(requestOptions.headers || {}) },
      fallback: requestOptions.fallback !== undefined ? requestOptions.fallback !== false : this.#fallback,
      allowMissingKey: this.#allowMissingKey,
    };
    try {
      if (signal && signal.aborted) throw new APIUserAbortError(core.transportErrorText('user_abort', 0, ''));
      const preflight = channel.prepare(
        core,
        config,
        endpoint,
        params,
        {
          // Debug logging wraps the fetch; at other levels nothing is added per request.
          fetch: log.enabled('debug')
            ? loggingFetch(requestOptions.fetch || this.#fetch, log, endpoint)
            : requestOptions.fetch || this.#fetch,
          idleTimeoutMs: checkMs('idleTimeout', requestOptions.idleTimeout, { allowZero: false }) ?? this.idleTimeout,
          maxRetries: checkCount('maxRetries', requestOptions.maxRetries) ?? this.maxRetries,
          maxRetryAfterMs: checkMs('maxRetryAfterMs', requestOptions.maxRetryAfterMs) ?? this.maxRetryAfterMs,
          maxReplyBytes: checkReplyCap(requestOptions.maxReplyBytes) ?? this.maxReplyBytes,
          keepContent: checkKeepContent(requestOptions.keepContent),
        },
        chat && { checks: chat.checks, catalog: chat.catalog }
      );
      if (chat) {
        if (!preflight.ok) throw new ValidationError(preflight.findings, preflight.refusal);
        if (preflight.findings.length && this.#onWarning) this.#onWarning(preflight.findings, params);
      }
      channel.preflight = preflight;
      channel.send();
    } catch (error) {
      channel.discard();
      release();
      throw error;
    }
    const timer = setTimeout(() => channel.abort('timeout', timeout), timeout);
    const onAbort = () => channel.abort('user_abort');
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    };
    channel.settled().then(done, done);
    channel.settled().then(
      () => log.debug(`${endpoint} done in ${Date.now() - started} ms`, { retries: channel.retries }),
      (error) =>
        log.debug(`${endpoint} failed after ${Date.now() - started} ms: ${error.name}: ${error.message}`, {
          kind: error.kind,
          status: error.status,
          requestId: error.requestId,
          retries: channel.retries,
        })
    );
    channel.released.then(release);
    return channel;
  }
}

export default LLMBase;
