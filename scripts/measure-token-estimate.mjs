// Measures the client's prompt-token estimate against a tokenizer this project did not write: OpenAI's o200k_base (gpt-tokenizer, a pinned devDependency), on the chats in scripts/token-estimate/corpus.json.
//
// The local server counts tokens with the same rule the client estimates with, so comparing the
// two proves nothing. o200k_base is not LLMBase's tokenizer either (each model has its own), but
// it is a real BPE tokenizer, independent of us, and it shows how far the "~4 characters per
// token" rule is off per kind of text. Usage: node scripts/measure-token-estimate.mjs [--json]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeChat } from 'gpt-tokenizer/encoding/o200k_base';
import { LLMBase } from '../dist/index.mjs';

const corpus = JSON.parse(readFileSync(fileURLToPath(new URL('./token-estimate/corpus.json', import.meta.url)), 'utf8'));
const MODEL = 'measure/model';
// The estimate needs the model in the metadata; its price plays no part in the token count.
const client = new LLMBase({ apiKey: 'llmbase_measure', modelMetadata: [{ id: MODEL, pricing: { input: 1, output: 1 } }] });

const rows = [];
for (const [group, chats] of Object.entries(corpus.groups)) {
  for (const messages of chats) {
    const { promptTokens } = await client.estimateCost({ model: MODEL, messages, max_tokens: 1 });
    // encodeChat frames each message and primes the reply the way gpt-4o's chat format does.
    const reference = encodeChat(messages, 'gpt-4o').length;
    rows.push({ group, estimate: promptTokens, reference, error: (promptTokens - reference) / reference });
  }
}
client.close();

const percent = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const groups = [...new Set(rows.map((r) => r.group))].map((group) => {
  const of = rows.filter((r) => r.group === group);
  const errors = of.map((r) => r.error);
  return {
    group,
    requests: of.length,
    estimate: of.reduce((sum, r) => sum + r.estimate, 0),
    reference: of.reduce((sum, r) => sum + r.reference, 0),
    low: Math.min(...errors),
    high: Math.max(...errors),
  };
});
const absolute = rows.map((r) => Math.abs(r.error));
const summary = {
  tokenizer: 'o200k_base (gpt-tokenizer 4.0.0, encodeChat as gpt-4o)',
  requests: rows.length,
  medianAbsoluteError: median(absolute),
  within25Percent: absolute.filter((e) => e <= 0.25).length,
  worstUnder: Math.min(...rows.map((r) => r.error)),
  worstOver: Math.max(...rows.map((r) => r.error)),
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ summary, groups, rows }, null, 2));
} else {
  console.log(`prompt-token estimate vs ${summary.tokenizer}, ${summary.requests} text-only chats`);
  console.log('group                 chats  estimate  reference  error per chat');
  for (const g of groups) {
    console.log(
      `${g.group.padEnd(22)}${String(g.requests).padStart(5)}${String(g.estimate).padStart(10)}${String(g.reference).padStart(11)}  ${percent(g.low)} … ${percent(g.high)}`
    );
  }
  console.log(
    `median |error| ${percent(summary.medianAbsoluteError).slice(1)}; ${summary.within25Percent} of ${summary.requests} within ±25%; ` +
      `worst ${percent(summary.worstUnder)} (under-count) and ${percent(summary.worstOver)} (over-count)`
  );
}
