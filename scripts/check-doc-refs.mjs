// Fails when a `§N` reference in the repository cites no heading §N of a document inside the repository.
//
// Comments cite the project's own documents: `Decisions §3` → docs/decisions.md,
// `llmbase-api.md §7` → docs/llmbase-api.md, `toolchain.md §4.3` → docs/toolchain.md. A list such
// as `llmbase-api.md §9, §11; Decisions §1` reads each number against the name before it. External
// standards (RFC, WHATWG HTML, ECMA-262) are cited by name and not checked. A `§N` with no name
// before it on its line is an error (in a Markdown file it is one of the file's own sections), and
// so are the old unnumbered form `Decision 3` and any path into a directory outside the
// repository (`shared/docs/`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

// Usage: node scripts/check-doc-refs.mjs [DIR]   (DIR, a git work tree, defaults to this repository;
// tests/e2e/doc-refs-rule.test.mjs passes a made-up one)
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
const scanned = listed.filter(
  (file) => /^(src|scripts|tests|cmake|web|examples|docs)\//.test(file) || /^[^/]+\.(md|txt)$|^CMakeLists\.txt$/.test(file)
);

// A name that governs the section numbers after it, up to the next name.
const ANCHOR = /\bDecisions\b|[A-Za-z0-9_.-]+\.md\b|\bRFC \d+|\bWHATWG\b|\bECMA-262\b/g;
const SECTION = /§(\d+(?:\.\d+)*)/g;
const EXTERNAL = /^(RFC|WHATWG|ECMA-262)/;
// This checker and its test quote wrong references as examples.
const SELF = new Set(['scripts/check-doc-refs.mjs', 'tests/e2e/doc-refs-rule.test.mjs']);

const headingsCache = new Map();
function headings(file) {
  if (!headingsCache.has(file)) {
    const text = readFileSync(join(root, file), 'utf8');
    const found = new Set();
    for (const match of text.matchAll(/^#+ §(\d+(?:\.\d+)*)\b/gm)) found.add(match[1]);
    headingsCache.set(file, found);
  }
  return headingsCache.get(file);
}

// `x.md` is docs/x.md, else the one listed file of that name.
function resolveDoc(name) {
  if (name === 'Decisions') return 'docs/decisions.md';
  if (listed.includes(`docs/${name}`)) return `docs/${name}`;
  if (listed.includes(name)) return name;
  const same = listed.filter((file) => basename(file) === name);
  return same.length === 1 ? same[0] : null;
}

const problems = [];
let checked = 0;
for (const file of scanned) {
  const path = join(root, file);
  if (!existsSync(path) || statSync(path).size > 1 << 20) continue;
  const text = readFileSync(path, 'utf8');
  if (text.includes('\0')) continue; // binary fixtures
  text.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    if (file.startsWith('docs/') && /^#+ /.test(line)) return; // the headings themselves
    if (SELF.has(file)) return; // examples of bad references, on purpose
    if (/\bDecisions? \d/.test(line)) problems.push(`${where}: write "Decisions §N"`);
    if (/shared\/docs\//.test(line)) problems.push(`${where}: cites a document outside the repository`);
    const anchors = [...line.matchAll(ANCHOR)];
    for (const section of line.matchAll(SECTION)) {
      const anchor = anchors.filter((a) => a.index + a[0].length <= section.index).pop();
      // Inside a Markdown document a bare §N is one of its own sections.
      const name = anchor ? anchor[0] : file.endsWith('.md') ? file : null;
      if (!name) {
        problems.push(`${where}: §${section[1]} names no document before it on the line`);
        continue;
      }
      if (EXTERNAL.test(name)) continue;
      checked += 1;
      const doc = resolveDoc(name);
      if (!doc) problems.push(`${where}: ${name} §${section[1]}: no such document in the repository`);
      else if (!headings(doc).has(section[1])) problems.push(`${where}: ${name} §${section[1]}: ${doc} has no heading §${section[1]}`);
    }
  });
}

if (problems.length) {
  for (const problem of problems) console.error(`check-doc-refs: ${problem}`);
  console.error(`check-doc-refs: ${problems.length} unresolved references`);
  process.exit(1);
}
console.log(`check-doc-refs: ${checked} § references resolve to documents in the repository`);
