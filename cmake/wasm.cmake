# The wasm module: every Emscripten flag of the project lives here, each with its reason.
# em++'s JS optimizer needs acorn, which Debian ships under /usr/share/nodejs.
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# 3.1.6's default exception mode compiles `throw` but never runs `catch`; the core is no-throw.
target_compile_options(llmbase_core PUBLIC -fno-exceptions)

# Optimisation, chosen by measurement (browser module, gzip -9 of the .wasm; scripts/size-report.mjs
# shows what is inside). Starting point -Os, no LTO: 83.1 KB.
#   -flto (compile and link)                    -6.4 KB  cross-file inlining and dead code
#   -Oz instead of -Os (compile and link)        -0.7 KB
#   -sMALLOC=emmalloc instead of dlmalloc        -2.1 KB  the core allocates little and in bulk
#   integer_snprintf.cpp, js_strtod.cpp          -8.7 KB  no musl printf/strtod/long double
#   one nlohmann parser (json_text.h)            -1.5 KB
#   no nlohmann::ordered_json (OrderedObjectText) -2.4 KB
# = 60.1 KB. The Node module links the same objects at -O2 (size matters less there).
# The hot path at -O2 inside the -Oz browser module (LLMBASE_WASM_HOT_FLAGS="-O2") cost +1.4 KB
# and its speed could not be told apart from -Oz on this shared machine (core-only feed of
# 100,000 chunks: 403-559 ms either way, load 5-6), so it is off; the switch stays for a
# quieter measurement.
set(CMAKE_CXX_FLAGS_MINSIZEREL "-Oz -DNDEBUG")
target_compile_options(llmbase_core PRIVATE -flto)

# The streaming hot path may be compiled with other flags than the rest; empty = the build
# type's flags everywhere.
set(LLMBASE_WASM_HOT_FLAGS "" CACHE STRING "Compile flags for the streaming hot path sources")
if(LLMBASE_WASM_HOT_FLAGS)
  separate_arguments(_hot_flags UNIX_COMMAND "${LLMBASE_WASM_HOT_FLAGS}")
  set_source_files_properties(
    src/core/sse_decoder.cpp src/core/chat_stream.cpp src/core/chunk_fold.cpp
    src/core/detail/json_cursor.cpp src/core/api_call.cpp src/wasm/call_bindings.cpp
    PROPERTIES COMPILE_OPTIONS "${_hot_flags}")
endif()

set(LLMBASE_WASM_LINK_FLAGS
  --bind                                          # embind: the JS-facing classes
  -flto                                           # link-time optimisation (see above)
  -sMALLOC=emmalloc                               # smaller allocator (see above)
  -sTEXTDECODER=2                                 # TextDecoder is everywhere we run: no JS fallback decoder
  -fno-exceptions                                 # same no-throw contract at link time
  -sALLOW_MEMORY_GROWTH=1                         # long replies must not hit a fixed heap
  -sMODULARIZE=1                                  # a factory, one instance per load, no globals
  -sEXPORT_NAME=createLlmbaseCore                 # the factory's name in the glue
  -sFILESYSTEM=0                                  # no files in the browser; saves ~10 KB of glue
  -sDYNAMIC_EXECUTION=0                           # Workers/edge forbid eval/new Function (embind's default)
  -sINCOMING_MODULE_JS_API=wasmBinary,locateFile,instantiateWasm,print,printErr  # only what the loaders pass
)

# The transport is src/js/fetch-transport.mjs, a plain ES module that drives CoreCall
# (call_bindings.cpp): no --js-library, so modern JS and no Emscripten minifier traps.
add_library(llmbase_wasm_bindings OBJECT src/wasm/bindings.cpp src/wasm/call_bindings.cpp
  src/wasm/bindings_stream_decoder.cpp  # stream runner snapshots, relayed streams
  src/wasm/integer_snprintf.cpp   # keeps musl printf and long-double floats out (see the file)
  src/wasm/js_strtod.cpp)         # and musl strtod: Number() parses, correctly rounded
target_link_libraries(llmbase_wasm_bindings PUBLIC llmbase_core)
target_compile_options(llmbase_wasm_bindings PRIVATE -flto)
# Structured outputs and the tool loop (JSON Schema validation, partial JSON, ToolLoop): the
# full core only. With the schema rules they are 22 KB of the 83 KB gzipped full module.
add_library(llmbase_wasm_schema_bindings OBJECT src/wasm/bindings_schema.cpp)
target_link_libraries(llmbase_wasm_schema_bindings PUBLIC llmbase_core)
target_compile_options(llmbase_wasm_schema_bindings PRIVATE -flto)
# The chat module's stand-ins for the schema rules (see the core file): with them first on the link
# line, the archive's request_schema_rules.o and the validator behind it are never pulled in.
add_library(llmbase_wasm_chat_bindings OBJECT src/wasm/chat_module_schema_rules.cpp
  src/core/request_schema_rules_unavailable.cpp)
target_link_libraries(llmbase_wasm_chat_bindings PUBLIC llmbase_core)
target_compile_options(llmbase_wasm_chat_bindings PRIVATE -flto)

function(llmbase_wasm_glue target output_name suffix)
  add_executable(${target})
  target_link_libraries(${target} PRIVATE llmbase_wasm_bindings)
  if(NOT output_name STREQUAL "llmbase_core_chat")
    target_link_libraries(${target} PRIVATE llmbase_wasm_schema_bindings)
  endif()
  target_link_options(${target} PRIVATE ${LLMBASE_WASM_LINK_FLAGS} ${ARGN})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${output_name} SUFFIX ${suffix})
endfunction()

# Browsers and bundlers, Workers and edge runtimes: the full core, as an ES module glue that finds
# the .wasm through locateFile.
llmbase_wasm_glue(llmbase_wasm_web llmbase_core ".mjs" -sEXPORT_ES6=1 -sENVIRONMENT=web,worker -Oz)
# What a browser loads first (browser.mjs): the full core without JSON Schema validation and the
# tool loop. A request carrying a schema, parse() and runTools() load the full core on demand.
llmbase_wasm_glue(llmbase_wasm_web_chat llmbase_core_chat ".mjs" -sEXPORT_ES6=1 -sENVIRONMENT=web,worker -Oz)
target_link_libraries(llmbase_wasm_web_chat PRIVATE llmbase_wasm_chat_bindings)
# Node (require and import, Jest): the loader passes wasmBinary, since the 3.1.6 glue would
# otherwise fetch() a file path under Node 20.
llmbase_wasm_glue(llmbase_wasm_node llmbase_core.node ".cjs" -sENVIRONMENT=node -O2
  -sNODEJS_CATCH_EXIT=0        # a library must not install process.on('uncaughtException')
  -sNODEJS_CATCH_REJECTION=0)  # nor turn the host's unhandled rejections into crashes

# The Node CLI's own module (dist/llmbase_cli.node.*, loaded by dist/cli.mjs only): the CLI front
# end (src/cli: grammar, flows, help, exit codes) and the core, no client bindings. The library
# modules above never contain the front end, so neither browsers nor library users load it.
target_compile_options(llmbase_cli_front PRIVATE -flto)
add_executable(llmbase_wasm_cli src/wasm/cli_bindings.cpp
  src/wasm/integer_snprintf.cpp src/wasm/js_strtod.cpp)  # same number text as the client module
target_link_libraries(llmbase_wasm_cli PRIVATE llmbase_cli_front)
target_compile_options(llmbase_wasm_cli PRIVATE -flto)
target_link_options(llmbase_wasm_cli PRIVATE ${LLMBASE_WASM_LINK_FLAGS} -sENVIRONMENT=node -O2
  -sEXPORT_NAME=createLlmbaseCli   # its own factory name (the later -s setting wins)
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0)
set_target_properties(llmbase_wasm_cli PROPERTIES OUTPUT_NAME llmbase_cli.node SUFFIX ".cjs")
include(cmake/wasm-tests.cmake)  # the core GoogleTest suite under Node; not in the default build
