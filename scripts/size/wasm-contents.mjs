// Reads a wasm binary: section sizes, and each function's body size with its name (from the name section).
import { execFileSync } from 'node:child_process';

const SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'element',
  'code',
  'data',
  'data count',
];

function reader(bytes) {
  let pos = 0;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
      shift += 7;
    }
  };
  const name = () => {
    const length = u32();
    const text = Buffer.from(bytes.subarray(pos, pos + length)).toString('utf8');
    pos += length;
    return text;
  };
  return {
    u32,
    name,
    get pos() {
      return pos;
    },
    set pos(p) {
      pos = p;
    },
  };
}

/** { sections: [{ name, bytes }], functions: [{ index, name, bytes }] } */
export function wasmContents(bytes) {
  const r = reader(bytes);
  r.pos = 8; // magic + version
  const sections = [];
  let importedFunctions = 0;
  let bodies = [];
  const names = new Map();
  while (r.pos < bytes.length) {
    const id = bytes[r.pos++];
    const size = r.u32();
    const start = r.pos;
    let label = SECTION_NAMES[id] || `section ${id}`;
    if (id === 0) {
      const customName = r.name();
      label = `custom "${customName}"`;
      if (customName === 'name') readNames(bytes, r, start + size, names);
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n -= 1) {
        r.name();
        r.name();
        const kind = bytes[r.pos++];
        if (kind === 0) {
          importedFunctions += 1;
          r.u32();
        } else if (kind === 1) {
          r.pos += 1;
          const flags = r.u32();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 2) {
          const flags = r.u32();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 3) {
          r.pos += 2;
        }
      }
    } else if (id === 10) {
      bodies = [];
      for (let n = r.u32(); n > 0; n -= 1) {
        const length = r.u32();
        bodies.push(length);
        r.pos += length;
      }
    }
    sections.push({ name: label, bytes: size });
    r.pos = start + size;
  }
  const functions = bodies.map((length, i) => {
    const index = importedFunctions + i;
    return { index, name: names.get(index) || `function[${index}]`, bytes: length };
  });
  return { sections, functions };
}

function readNames(bytes, r, end, names) {
  while (r.pos < end) {
    const kind = bytes[r.pos++];
    const size = r.u32();
    const next = r.pos + size;
    if (kind === 1) {
      for (let n = r.u32(); n > 0; n -= 1) {
        const index = r.u32();
        names.set(index, r.name());
      }
    }
    r.pos = next;
  }
}

/** Demangles C++ names in bulk with llvm-cxxfilt (or c++filt); names stay as they are without one. */
export function demangle(list) {
  for (const tool of ['llvm-cxxfilt', 'c++filt']) {
    try {
      return execFileSync(tool, [], { input: list.join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 })
        .split('\n')
        .slice(0, list.length);
    } catch {
      // try the next tool
    }
  }
  return list;
}

// Which library a demangled name belongs to, for the report's grouping.
export function sourceOf(fullName) {
  // Classified by the qualified name before the parameter list: a core function that takes a
  // json is core code, not nlohmann's.
  const name = fullName.split('(')[0];
  if (/nlohmann/.test(name)) return 'nlohmann/json';
  if (/emscripten::|embind|_embind_|__em_|EmscriptenBindingInitializer/.test(name)) return 'embind';
  if (/llmbase::wasm|llmbase_wasm|EMSCRIPTEN_BINDINGS/.test(name)) return 'src/wasm bindings';
  if (/llmbase::detail::JsonCursor|llmbase::detail::/.test(name)) return 'src/core/detail';
  const core = /llmbase::([A-Za-z_]+)/.exec(name);
  if (core) return `src/core (${coreFile(name)})`;
  if (/std::__2::|std::/.test(name)) return 'libc++';
  if (/^(dl|emmalloc|malloc|free|realloc|calloc|sbrk|memalign|posix_memalign|internal_memalign|aligned_alloc)/.test(name)) return 'malloc';
  if (/^(__cxa|__cxxabiv1|__dynamic_cast|__gxx|abort_message|demangling|__cxa_demangle)/.test(name) || /__cxxabiv1/.test(name))
    return 'libc++abi';
  if (/^(operator new|operator delete)/.test(name)) return 'libc++';
  return 'libc and runtime';
}

function coreFile(name) {
  const rules = [
    [/ChunkFold|chunk_fold|Scratch|fold_/, 'chunk_fold'],
    [/ChatStream|ChunkList|accumulat/i, 'chat_stream'],
    [/Sse|sse_/, 'sse_decoder'],
    [/ModelCatalog|ModelInfo|model_metadata|parse_model/, 'model_metadata'],
    [/validat|Finding|message_rules|check_/, 'request_validator'],
    [/cost|estimate|Cost/, 'cost'],
    [/ApiCall|ResponseConsumer/, 'api_call'],
    [/build_request|ClientConfig|endpoint/, 'http_request'],
    [/retry|Retry|http_|header/, 'http_policy'],
    [/cli_|format_/, 'cli_format'],
    [/error|Error|redact/, 'error'],
    [/chat_checks|preflight|budget/, 'chat_prepare'],
  ];
  for (const [pattern, file] of rules) if (pattern.test(name)) return file;
  return 'other';
}
