// The gates a chat body passes before the proxy forwards it (/v1/chat/completions and /ui/chat): allow-lists, spending limit, max_tokens cap, validation.
import { validateRequest } from '../validate-request.mjs';
import { HttpError } from './http-error.mjs';
import { forwardedBody } from './rules.mjs';
import { storeCall } from './store.mjs';

/** A 400 that carries the validation findings next to the usual error envelope. */
export class RefusedByValidation extends HttpError {
  constructor(findings) {
    const errors = findings.filter((f) => f.severity === 'error');
    const shown = errors
      .slice(0, 3)
      .map((f) => (f.path ? `${f.path}: ${f.message}` : f.message))
      .join('; ');
    super(400, errors[0].code, `Request refused by the proxy before forwarding: ${shown}`, { param: errors[0].path || null });
    this.findings = findings;
  }

  toBody() {
    const body = super.toBody();
    body.error.findings = this.findings;
    return body;
  }
}

export class ChatAdmission {
  #o;
  #spend;
  #metadata;
  #pricing;
  #metering;

  /**
   * `options`: the normalised proxy options; `metadata`: the MetadataCache of the upstream list;
   * `spend`: the SpendLimit or null; `pricing` and `metering`: the proxy's Pricing, and whether
   * completions are priced at all (the log or the spend cap needs it).
   */
  constructor(options, { metadata, spend, pricing, metering }) {
    this.#o = options;
    this.#metadata = metadata;
    this.#spend = spend;
    this.#pricing = pricing;
    this.#metering = metering;
  }

  /** Whether the operator's model allow-list (none: every model) lets `id` through. */
  allowed(id) {
    return !this.#o.allowModels || this.#o.allowModels.has(id);
  }

  // In order: the parameter allow-list (extra_body merged in first), the model allow-list, the
  // spending limit, the max_tokens cap and the shared validation. Returns the body as it will be
  // sent; throws the refusal.
  async admit(parsed, ctx) {
    const body = forwardedBody(parsed, this.#o.allowParams);
    if (typeof body.model === 'string') ctx.model = body.model;
    if (this.#o.logPrompts) ctx.messages = body.messages;
    if (typeof body.model === 'string' && !this.allowed(body.model)) {
      throw new HttpError(
        403,
        'model_not_allowed',
        `Model ${JSON.stringify(body.model)} is not enabled on this proxy. Allowed: ${[...this.#o.allowModels].join(', ')}.`,
        { param: 'model' }
      );
    }
    if (this.#spend) await storeCall(this.#spend.check(ctx.client));
    const list = await this.#metadata.get();
    if (this.#metering) await this.#pricing.use(list);
    // Only the allowed models: the validator's "pick another model" suggestions then name only those.
    const allowed = list ? list.filter((model) => this.allowed(model.id)) : null;
    this.#capMaxTokens(
      body,
      allowed?.find((model) => model.id === body.model)
    );
    // Without metadata only the shape rules apply; an unknown model is a warning (Decisions §2).
    const { findings } = await validateRequest(body, allowed);
    if (findings.some((f) => f.severity === 'error')) throw new RefusedByValidation(findings);
    // /ui/chat: the client has decoded the completion; it is priced here (ui-chat.mjs calls onEnd).
    ctx.onEnd = (outcome, completion) => {
      if (!this.#metering || !completion) return ctx.settle(outcome, null);
      return this.#pricing.cost(completion, body.model, null).then(
        (cost) => ctx.settle(outcome, { completion, cost }),
        () => ctx.settle(outcome, null)
      );
    };
    return body;
  }

  // Every forwarded request carries max_tokens ≤ the cap: absent → the cap is added (or the model's
  // smaller max_output_length), above → refused (a silent cut would truncate the reply unexplained).
  #capMaxTokens(body, model) {
    const cap = this.#o.maxTokensCap;
    let present = false;
    for (const field of ['max_tokens', 'max_completion_tokens']) {
      if (body[field] === undefined || body[field] === null) continue;
      present = true;
      if (typeof body[field] === 'number' && body[field] > cap) {
        throw new HttpError(
          400,
          'max_tokens_over_cap',
          `${field} ${body[field]} is above this proxy's cap of ${cap}; send ${field} ≤ ${cap}.`,
          { param: field }
        );
      }
    }
    const modelMax = Number(model?.max_output_length);
    if (!present) body.max_tokens = Number.isInteger(modelMax) && modelMax > 0 ? Math.min(cap, modelMax) : cap;
  }
}
