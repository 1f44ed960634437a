// The client's options: defaults, environment reads and the checks that turn a bad value into an InvalidArgumentError naming it.
import { InvalidArgumentError } from './errors.mjs';
import { VALIDATION_MODES } from './preflight.mjs';

// The same values as src/core/client_defaults.h (pinned by tests/e2e/client-defaults.test.mjs): the
// constructor needs them before the wasm core has loaded.
export const DEFAULTS = {
  maxRetries: 2,
  timeout: 10 * 60 * 1000,
  idleTimeout: 60 * 1000,
  maxRetryAfterMs: 60 * 1000,
  maxConcurrency: 20,
  metadataTTL: 10 * 60 * 1000,
};

export function readEnv(name) {
  // Browsers and workers have no process; reading it must not throw there.
  const env = typeof process !== 'undefined' && process && process.env ? process.env : undefined;
  const value = env ? env[name] : undefined;
  return value === undefined || value === '' ? undefined : value;
}

/** A page or a browser worker, but never Node (Jest's jsdom environment runs in Node too). */
export function isBrowserLike() {
  if (typeof process !== 'undefined' && process && process.versions && process.versions.node) return false;
  const hasDocument = typeof window !== 'undefined' && typeof window.document !== 'undefined';
  const inWorker = typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope;
  return hasDocument || inWorker;
}

/** The cap on a streamed reply's accumulated text: a positive integer of bytes, or Infinity. */
export function checkReplyCap(value) {
  if (value === undefined) return undefined;
  if (value !== Infinity && !(Number.isSafeInteger(value) && value > 0)) {
    throw new InvalidArgumentError(`\`maxReplyBytes\` must be a positive integer of bytes (or Infinity for no cap), got ${value}.`, {
      param: 'maxReplyBytes',
    });
  }
  return value;
}

export function checkKeepContent(value) {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`\`keepContent\` must be true or false, got ${value}.`, { param: 'keepContent' });
  }
  return value;
}

export function checkMs(name, value, { allowZero = true } = {}) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds, got ${value}.`,
      { param: name }
    );
  }
  return value;
}

export function checkMode(value) {
  if (value === undefined) return undefined;
  if (!VALIDATION_MODES.includes(value)) {
    throw new InvalidArgumentError(
      `\`validation\` must be one of ${VALIDATION_MODES.map((m) => `"${m}"`).join(', ')}, got ${JSON.stringify(value)}.`,
      { param: 'validation' }
    );
  }
  return value;
}

export function checkBudget(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`\`budgetUSD\` must be a non-negative number of US dollars, got ${value}.`, { param: 'budgetUSD' });
  }
  return value;
}

export function checkCount(name, value) {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`\`${name}\` must be a non-negative integer, got ${value}.`, { param: name });
  }
  return value;
}
