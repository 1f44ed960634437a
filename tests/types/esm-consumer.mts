// Type check: an ES module consumer (.mts, node16/nodenext) gets index.d.ts through the import branch.
import LLMBase, { configureWasm, LLMBaseError, type ChatCompletion } from 'llmbase-wasm';

const client = new LLMBase({ apiKey: 'llmbase_x' });
const completion: ChatCompletion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
console.log(completion.id);
configureWasm({ url: new URL('./llmbase_core.wasm', import.meta.url) });
// @ts-expect-error a file name is not a source object
configureWasm('llmbase_core.wasm');
const error: LLMBaseError = new LLMBaseError('x', { kind: 'wasm_load' });
console.log(error.kind);
