// Derives dist/index.d.cts (types for `require('llmbase-wasm')`) from the ESM declarations in src/js/index.d.ts (and the files it re-exports).
//
// require() returns the LLMBase class itself, with every named export attached to it (see the footer
// of the CJS bundle), so the CommonJS types are `export =` of a class merged with a namespace that
// re-exports each declaration. The ESM file stays the single hand-written source.

const DECLARATION = /^export (?:declare )?(?:abstract )?(class|interface|type|const|function|enum) (\w+)/gm;

// What joins the ESM files and has no place inside one namespace: their type imports of each
// other and index.d.ts's `export * from './….js'` of the others.
const CROSS_FILE = /^import type \{[^}]*\} from '\.\/[\w.-]+';\n|^export \* from '\.\/[\w.-]+';\n/gm;

/** `esmDeclarations`: index.d.ts; `reexported`: the texts of the files it `export *`s. */
export function cjsDeclarations(esmDeclarations, ...reexported) {
  if (!/^export default LLMBase;$/m.test(esmDeclarations)) {
    throw new Error('cjs-declarations: index.d.ts no longer ends its class with `export default LLMBase;`');
  }
  const body = [esmDeclarations, ...reexported]
    .map((text) => text.replace(/^\/\/.*\n/, ''))
    .join('\n') // purpose lines
    .replace(CROSS_FILE, '')
    .replace(/^export default LLMBase;\n?/m, '')
    // `declare` is implied inside an ambient namespace and is an error there.
    .replace(/^export declare /gm, 'export ');
  const names = [...new Set([...body.matchAll(DECLARATION)].map((match) => match[2]))];
  if (!names.includes('LLMBase')) throw new Error('cjs-declarations: no LLMBase class in index.d.ts');
  const indented = body.replace(/^(?=.)/gm, '  ');
  const reexports = names.map((name) => `  export import ${name} = api.${name};`).join('\n');
  return `// TypeScript declarations of llmbase-wasm for require() (generated from index.d.ts by scripts/assemble-package.mjs).
declare namespace api {
${indented}}

/** \`const LLMBase = require('llmbase-wasm')\` is the client class; the other exports hang off it. */
declare class LLMBase extends api.LLMBase {}
declare namespace LLMBase {
${reexports}
}
export = LLMBase;
`;
}
