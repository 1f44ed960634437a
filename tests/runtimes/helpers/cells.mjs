// Source of the cell programs that run the scenario in a runtime: ESM and CommonJS flavours.

/** An ES module program: imports the package by name, prints the scenario's result as JSON. */
export function esmCell(baseURL) {
  return `import LLMBase from 'llmbase-wasm';
import { runScenario } from './scenario.mjs';
console.log(JSON.stringify(await runScenario(LLMBase, ${JSON.stringify(baseURL)})));
`;
}

/** A CommonJS program: require() must return the constructible class itself. */
export function cjsCell(baseURL) {
  return `const LLMBase = require('llmbase-wasm');
if (LLMBase.LLMBase !== LLMBase) throw new Error('require() should return the class with the named exports on it');
import('./scenario.mjs')
  .then(({ runScenario }) => runScenario(LLMBase, ${JSON.stringify(baseURL)}))
  .then((result) => console.log(JSON.stringify(result)), (error) => { console.error(error); process.exitCode = 1; });
`;
}

/**
 * Registers node:test hooks that start a local server and write both cells into a scratch app;
 * the returned object holds { server, app, expected } once the hooks have run.
 */
export function useCellApp(name, { before, after, startTestServer, expectedResult, makeApp, writeFileSync, join }) {
  const state = {};
  before(async () => {
    state.server = await startTestServer();
    state.expected = await expectedResult(state.server.url);
    state.app = makeApp(name);
    writeFileSync(join(state.app.dir, 'cell.mjs'), esmCell(state.server.url));
    writeFileSync(join(state.app.dir, 'cell.cjs'), cjsCell(state.server.url));
  });
  after(async () => {
    state.app?.cleanup();
    await state.server?.close();
  });
  return state;
}
