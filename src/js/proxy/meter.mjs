// Metering of relayed chat calls: the wasm core decodes the bytes the proxy passes on and prices the finished call's usage.
//
// The proxy relays the upstream's bytes as they are; a copy of each read also goes into a core
// CoreCall (the same SSE decoder and accumulator the client uses), so the usage of a streamed or
// a plain reply comes from the core, not from a second parser here. The cost is the core
// Catalog's actualCost of that usage (completionCost: under fallback the cheaper of the requested
// and the served model, llmbase-api.md §10), priced from the upstream's model metadata.
import { loadCore } from '../core-loader.mjs';
import { CatalogHolder } from '../catalog-holder.mjs';
import { completionCost } from '../completion-extras.mjs';

const FINISHED = 1; // CoreCall update flag (src/wasm/call_bindings.cpp kFinished)
// The meter's call is never sent: the core only needs a well-formed base URL and no key.
const METER_CONFIG = JSON.stringify({ baseURL: 'http://meter.invalid/v1', allowMissingKey: true });

/** One relayed chat call in the core: response(), bytes() per read, end(); result() → the completion or null. */
class CallMeter {
  #core;
  #call;
  #completion = null;
  #over = false;

  constructor(core, body) {
    this.#core = core;
    this.#call = new core.CoreCall();
    // The meter needs the usage, not the text: content is not kept (a relayed stream costs no
    // memory per token), and no reply cap, so a long reply is still priced and charged.
    const options = '{"maxRetries":0,"keepContent":false,"maxReplyBytes":null}';
    const prepared = JSON.parse(this.#call.prepare(METER_CONFIG, 'chat', JSON.stringify(body), options) || '{}');
    if (prepared.error) this.#finish();
  }

  response(status, headers) {
    if (this.#over) return;
    this.#read(this.#call.onResponse(status, headers.get('content-type') || '', '', '', Date.now()));
  }

  bytes(chunk) {
    if (this.#over) return;
    const into = this.#call.inputBuffer(chunk.length);
    this.#core.HEAPU8.set(chunk, into); // HEAPU8 after inputBuffer(): the heap may have grown
    this.#read(this.#call.onBody(chunk.length));
  }

  /** The completion (with usage) once the call is over; null for an error, a cut or a cancel. */
  end(outcome) {
    if (!this.#over && outcome === 'done') this.#read(this.#call.onEnd());
    this.#finish();
    return this.#completion;
  }

  // Only the flags are read: the chunk texts are the browser's business, not the meter's.
  #read(address) {
    if (!(this.#core.HEAPU32[address >>> 2] & FINISHED)) return;
    const state = JSON.parse(this.#call.state() || '{}');
    if (state.result && !state.error) this.#completion = state.result;
    this.#finish();
  }

  #finish() {
    if (this.#over) return;
    this.#over = true;
    this.#call.delete();
  }
}

/** The upstream metadata list as a core Catalog, replaced when the list is refreshed. */
export class Pricing {
  #holder = new CatalogHolder();
  #list = null;

  /** Adopts `list` (the proxy's cached metadata list) if it is not the one already parsed. */
  async use(list) {
    if (!list || list === this.#list) return;
    const core = await loadCore();
    const handle = new core.Catalog(JSON.stringify({ object: 'list', data: list }));
    if (!handle.valid()) {
      handle.delete();
      return;
    }
    this.#list = list;
    this.#holder.adopt(list, handle);
  }

  /** A meter for one call of `body`; its cost(completion, served) prices what the core decoded. */
  async meter(body) {
    const core = await loadCore();
    const lease = this.#list ? await this.#holder.lease(this.#list) : null;
    const meter = new CallMeter(core, body);
    let released = false;
    const release = () => {
      if (!released) lease?.release();
      released = true;
    };
    return {
      response: (status, headers) => meter.response(status, headers),
      bytes: (chunk) => meter.bytes(chunk),
      /** { completion, cost } of the finished call (cost null without a price). */
      end(outcome, servedModel) {
        const completion = meter.end(outcome);
        try {
          return { completion, cost: priced(lease, completion, body.model, servedModel) };
        } finally {
          release();
        }
      },
      release,
    };
  }

  /** Prices a completion the client already decoded (/ui/chat). */
  async cost(completion, model, servedModel) {
    const lease = this.#list ? await this.#holder.lease(this.#list) : null;
    try {
      return priced(lease, completion, model, servedModel);
    } finally {
      lease?.release();
    }
  }

  close() {
    this.#holder.release();
    this.#list = null;
  }
}

function priced(lease, completion, model, servedModel) {
  if (!lease || !completion) return null;
  return completionCost(lease.handle, completion, model, servedModel);
}
