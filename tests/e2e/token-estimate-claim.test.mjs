// node:test: the README's figures for the token estimate's accuracy are the ones scripts/measure-token-estimate.mjs measures today (against o200k_base, a tokenizer this project did not write).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('README states the measured median, the share within ±25% and the worst errors', () => {
  const { summary } = JSON.parse(
    execFileSync(process.execPath, ['scripts/measure-token-estimate.mjs', '--json'], { cwd: root, encoding: 'utf8' })
  );
  const readme = readFileSync(`${root}README.md`, 'utf8').replace(/\s+/g, ' ');
  const pct = (x) => Math.round(Math.abs(x) * 100);
  const claim =
    `the median error is ${pct(summary.medianAbsoluteError)}% and ${summary.within25Percent} of ${summary.requests} chats are within ±25%, ` +
    `from −${pct(summary.worstUnder)}%`;
  assert.ok(readme.includes(claim), `README should say: "${claim}"; rerun node scripts/measure-token-estimate.mjs and update it`);
  assert.ok(readme.includes(`to +${pct(summary.worstOver)}%`), `README should give the worst over-count, +${pct(summary.worstOver)}%`);
  assert.ok(readme.includes(`on the ${summary.requests} text-only chats`), 'README names the number of chats measured');
});
