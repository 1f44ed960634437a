// Benchmark part: instructions per chunk of the native core under valgrind --tool=callgrind, for the current core and an older one ("before").
// Standalone: node scripts/bench/callgrind.mjs [--chunks N] [--before REV]   (after scripts/build.sh)
// Ir/chunk = (Ir(2N) − Ir(N)) / (chunks(2N) − chunks(N)): start-up, the file reads' set-up and the
// parts that do not grow with the stream cancel out. The driver is scripts/bench/native/fold_driver.cpp.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STREAM_KINDS, buildBenchStream } from './streams.mjs';

const execAsync = promisify(execFile);
export const BEFORE_REV = '72079ed'; // the core before the one-pass fold (be23adc)

function hasValgrind() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The fold driver against the core of `rev`: its src/core from git archive, built by the
// standalone scripts/bench/native/CMakeLists.txt (Release, the core's flags) under build/bench-before.
async function beforeDriver(root, rev) {
  const dir = join(root, 'build', `bench-before-${rev}`);
  const src = join(dir, 'tree');
  const bin = join(dir, 'build', 'llmbase-bench-fold');
  if (!existsSync(join(src, 'src', 'core', 'chat_stream.h'))) {
    const archive = execFileSync('git', ['-C', root, 'archive', rev, 'src/core'], {
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    mkdirSync(src, { recursive: true });
    execFileSync('tar', ['-x', '-C', src], { input: archive });
  }
  if (!existsSync(join(dir, 'build', 'CMakeCache.txt'))) {
    await execAsync('cmake', [
      '-S',
      join(root, 'scripts', 'bench', 'native'),
      '-B',
      join(dir, 'build'),
      '-DCMAKE_BUILD_TYPE=Release',
      `-DLLMBASE_CORE_SRC=${join(src, 'src')}`,
    ]);
  }
  await execAsync('cmake', ['--build', join(dir, 'build'), '-j2']);
  return bin;
}

async function instructions(driver, fixture, outFile) {
  const { stdout, stderr } = await execAsync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, driver, fixture], {
    maxBuffer: 16 << 20,
  });
  const match = /Collected\s*:\s*(\d+)/.exec(stderr);
  if (!match) throw new Error(`callgrind printed no total: ${stderr.slice(-400)}`);
  return { ir: Number(match[1]), counts: JSON.parse(stdout.trim()) };
}

const SAME = ['chunks', 'content', 'reasoning', 'arguments', 'toolCalls'];
function check(counts, expect) {
  const got = { ...counts, toolCalls: counts.tool_calls };
  const bad = SAME.filter((k) => got[k] !== expect[k]);
  return bad.length ? `mismatch (${bad.map((k) => `${k} ${got[k]}≠${expect[k]}`).join(', ')})` : 'ok';
}

/**
 * { skipped } or { chunks, beforeRev, rows: { kind: { after, before, check } } }, Ir per chunk.
 * A missing valgrind or driver is a skip, never a failure; a failed "before" build leaves before null.
 */
export async function callgrindFigures({ root, chunks = 5000, beforeRev = BEFORE_REV, log = () => {} }) {
  if (!hasValgrind()) return { skipped: 'valgrind not installed (apt-get install -y valgrind)' };
  const after = join(root, 'build', 'native', 'llmbase-bench-fold');
  if (!existsSync(after)) return { skipped: `${after} missing (scripts/build.sh builds it)` };
  let before = null;
  let beforeError = null;
  try {
    log(`callgrind: building the fold driver against ${beforeRev}'s core`);
    before = await beforeDriver(root, beforeRev);
  } catch (error) {
    beforeError = error.message.split('\n')[0];
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-callgrind-'));
  try {
    const rows = {};
    for (const kind of STREAM_KINDS) {
      const small = buildBenchStream(kind, chunks);
      const large = buildBenchStream(kind, 2 * chunks);
      writeFileSync(join(dir, `${kind}-1.sse`), small.body);
      writeFileSync(join(dir, `${kind}-2.sse`), large.body);
      const perChunk = async (driver) => {
        // The two sizes side by side (two cores); instruction counts do not depend on the load.
        const [a, b] = await Promise.all([
          instructions(driver, join(dir, `${kind}-1.sse`), join(dir, 'out-1')),
          instructions(driver, join(dir, `${kind}-2.sse`), join(dir, 'out-2')),
        ]);
        const status = [check(a.counts, small.expect), check(b.counts, large.expect)].find((s) => s !== 'ok') || 'ok';
        return { irPerChunk: (b.ir - a.ir) / (large.expect.chunks - small.expect.chunks), check: status };
      };
      log(`callgrind: ${kind} stream, ${chunks} and ${2 * chunks} chunks`);
      const now = await perChunk(after);
      const then = before ? await perChunk(before) : null;
      rows[kind] = {
        after: now.irPerChunk,
        before: then ? then.irPerChunk : null,
        check: then && then.check !== 'ok' ? `before: ${then.check}` : now.check,
      };
    }
    return { chunks, beforeRev, beforeError, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** The Markdown lines of the callgrind section. */
export function callgrindReport(cg) {
  if (!cg || cg.skipped) return [`Instructions per chunk (callgrind): skipped, ${cg ? cg.skipped : 'not run'}.`];
  const lines = [
    `Instructions per chunk of the native core (valgrind --tool=callgrind, fold driver, 64 KiB reads, (Ir(2N) − Ir(N)) / N, N = ${fmt(cg.chunks)}):`,
  ];
  lines.push(
    `| stream | before (${cg.beforeRev}${cg.beforeRev === BEFORE_REV ? ', a DOM per chunk' : ''}) | after (this tree) | after / before | check |`
  );
  lines.push('|---|---:|---:|---:|---|');
  for (const [kind, r] of Object.entries(cg.rows)) {
    lines.push(
      `| ${kind} | ${r.before === null ? 'n/a' : fmt(r.before)} | ${fmt(r.after)} | ${r.before ? (r.after / r.before).toFixed(2) : ''} | ${r.check} |`
    );
  }
  if (cg.beforeError) lines.push(`("before" not built: ${cg.beforeError})`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.lastIndexOf(`--${name}`) + 1] : fallback);
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const cg = await callgrindFigures({
    root,
    chunks: Number(option('chunks', 5000)),
    beforeRev: option('before', BEFORE_REV),
    log: (m) => console.error(m),
  });
  console.log(callgrindReport(cg).join('\n'));
}
