// Error messages of <llmbase-chat>: turns the package's typed errors into words saying what happened and what to do.
//
// Keyed on the error's `kind` (the core's stable error kind, also behind the class names
// AuthenticationError, InsufficientBalanceError, …), so it needs no import of the package. The
// words come from the widget's string table (chat-strings.mjs), so a site owner can change them.
import { EN, translator } from './chat-strings.mjs';

const seconds = (error) => {
  const headers = error.headers || {};
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const s = Number(headers['retry-after']);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s) : null;
};

/** The balance a 402 message names ("… the balance is $0.000012 …"), or null. */
export function balanceFromMessage(message) {
  const match = /balance(?: is|:)?\s*\$?\s*(\d+(?:\.\d+)?)/i.exec(String(message || ''));
  return match ? Number(match[1]) : null;
}

export function formatUSD(value) {
  if (!Number.isFinite(value)) return '';
  return value !== 0 && Math.abs(value) < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`;
}

const trimMessage = (error) =>
  String(error && error.message ? error.message : error)
    .replace(/\s+/g, ' ')
    .trim();

/**
 * { title, hint, findings, retry } for an error. `context`: { baseURL, model, balance, t } where
 * `balance` is the account balance in USD when known (for a 402) and `t` the widget's translator.
 */
export function describeError(error, context = {}) {
  const t = context.t || translator(EN);
  const kind = error && error.kind;
  const status = error && error.status;
  const detail = trimMessage(error);
  const words = (title, hint, retry, vars) => ({ title: t(title, vars), hint: t(hint, vars), retry });
  if (kind === 'validation' || (error && error.name === 'ValidationError')) {
    return {
      ...words('errValidation', 'errValidationHint', false, { model: context.model || '?' }),
      findings: (error.findings || []).filter((f) => f.severity === 'error'),
    };
  }
  if (kind === 'authentication' || status === 401) return words('errAuth', 'errAuthHint', true);
  if (kind === 'insufficient_balance' || status === 402) {
    const balance = Number.isFinite(context.balance) ? context.balance : balanceFromMessage(detail);
    const known = balance !== null && balance !== undefined;
    return words(known ? 'errBalanceKnown' : 'errBalance', 'errBalanceHint', true, { balance: known ? formatUSD(balance) : '' });
  }
  if (kind === 'concurrency_limit') return words('errConcurrency', 'errConcurrencyHint', true);
  if (kind === 'rate_limit' || status === 429) {
    const wait = seconds(error);
    return words('errRate', wait ? 'errRateWait' : 'errRateHint', true, { seconds: wait });
  }
  if (kind === 'permission_denied' || status === 403) return words('errForbidden', 'errForbiddenHint', false, { detail });
  if (kind === 'not_found' || status === 404) {
    return words('errNotFound', 'errNotFoundHint', false, { detail, baseURL: context.baseURL || t('notSet') });
  }
  if (kind === 'bad_request' || kind === 'unprocessable_entity' || status === 400 || status === 422) {
    return words('errRefused', 'errRefusedHint', false, { status: status || 400, detail });
  }
  if (kind === 'idle_timeout') return words('errIdle', 'errIdleHint', true);
  if (kind === 'timeout') return words('errTimeout', 'errTimeoutHint', true);
  if (kind === 'connection') {
    return words(context.baseURL ? 'errConnectionAt' : 'errConnection', 'errConnectionHint', true, { baseURL: context.baseURL });
  }
  if (kind === 'incomplete_stream') return words('errIncomplete', 'errIncompleteHint', true);
  if (kind === 'internal_server' || status >= 500) return words('errServer', 'errServerHint', true, { status: status || t('serverError') });
  if (kind === 'stream_error' || kind === 'invalid_response' || kind === 'event_too_large')
    return words('errStream', 'errStreamHint', true, { detail });
  if (kind === 'invalid_argument') return words('errSetup', 'errSetupHint', false, { detail });
  return words('errOther', 'errOtherHint', true, { detail });
}

/** The detail of the llmbase-error event: the error, the words shown for it, its status and kind when known. */
export function errorEventDetail(error, words) {
  const { title, hint, findings } = words;
  return { error, title, hint, findings: findings || null, status: error.status ?? null, kind: error.kind ?? null };
}

/**
 * The widget's error box: show(words, retry) fills it (title, findings with their paths, hint) and
 * offers "Try again" when `retry` is given; its buttons hide it and return focus to `focusAfter`.
 */
export class ErrorBox {
  #ui;
  #retry = null;

  constructor(ui, focusAfter) {
    this.#ui = ui;
    ui.retry.addEventListener('click', () => {
      const action = this.#retry;
      this.hide();
      if (action) action();
      focusAfter.focus();
    });
    ui.dismiss.addEventListener('click', () => {
      this.hide();
      focusAfter.focus();
    });
  }

  show(words, retry) {
    renderError(this.#ui, words);
    this.#retry = retry || null;
    this.#ui.retry.hidden = !this.#retry;
    this.#ui.error.hidden = false;
  }

  hide() {
    this.#ui.error.hidden = true;
    this.#retry = null;
  }
}

function renderError(ui, words) {
  ui.errorTitle.textContent = words.title;
  ui.errorHint.textContent = words.hint;
  ui.findings.replaceChildren(
    ...(words.findings || []).map((finding) => {
      const item = document.createElement('li');
      if (finding.path) {
        const path = document.createElement('code');
        path.textContent = finding.path;
        item.append(path, ': ');
      }
      item.append(finding.message);
      return item;
    })
  );
  ui.findings.hidden = !(words.findings && words.findings.length);
}
