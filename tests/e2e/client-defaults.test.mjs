// node:test: the JS client's DEFAULTS are the core's src/core/client_defaults.h (which the native Client and the retry policy use), value by value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULTS } from '../../src/js/client-options.mjs';
import { LLMBase } from '../../dist/index.mjs';

const header = readFileSync(new URL('../../src/core/client_defaults.h', import.meta.url), 'utf8');
// `inline constexpr <type> kName = 10 * 60 * 1000;`: products of whole numbers only.
const core = {};
for (const [, name, expr] of header.matchAll(/constexpr\s+[\w:]+\s+k(\w+)\s*=\s*([\d\s*']+);/g)) {
  core[name] = expr.split('*').reduce((product, factor) => product * Number(factor.replace(/['\s]/g, '')), 1);
}
const PAIRS = {
  maxRetries: 'MaxRetries',
  timeout: 'TimeoutMs',
  idleTimeout: 'IdleTimeoutMs',
  maxRetryAfterMs: 'MaxRetryAfterMs',
  maxConcurrency: 'MaxConcurrency',
  metadataTTL: 'MetadataTtlMs',
};

test('every JS default is the core header value of the same name', () => {
  assert.deepEqual(Object.keys(DEFAULTS).sort(), Object.keys(PAIRS).sort(), 'a default without a pair here');
  for (const [js, cpp] of Object.entries(PAIRS)) {
    assert.ok(cpp in core, `client_defaults.h has no k${cpp}`);
    assert.equal(DEFAULTS[js], core[cpp], `${js} (JS) vs k${cpp} (core)`);
  }
});

test('a client built without options uses them', () => {
  const client = new LLMBase({ apiKey: 'llmbase_defaults_key', baseURL: 'http://127.0.0.1:1/v1' });
  assert.equal(client.maxRetries, core.MaxRetries);
  assert.equal(client.timeout, core.TimeoutMs);
  assert.equal(client.metadataTTL, core.MetadataTtlMs);
  client.close();
});
