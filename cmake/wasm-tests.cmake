# The core's GoogleTest suite built with em++ and run by Node: the wasm build of the core, tested directly.
# Not part of the default wasm build: `cmake --build --preset wasm-tests`, then `ctest --preset wasm`
# (scripts/build.sh and scripts/test.sh do both when run with --with-test-tools).

# GoogleTest from the sources Debian's googletest package ships (libgtest.a is a host library).
# Compiled here as two plain files rather than through googletest's own CMakeLists, whose
# cxx_strict flags add -fexceptions: the core's no-throw contract (wasm.cmake) holds for the
# test binary too, so GoogleTest runs without exceptions and without threads.
set(LLMBASE_GTEST_SOURCE_DIR /usr/src/googletest/googletest CACHE PATH "GoogleTest sources (Debian: googletest)")
add_library(llmbase_gtest_wasm STATIC EXCLUDE_FROM_ALL
  ${LLMBASE_GTEST_SOURCE_DIR}/src/gtest-all.cc
  ${LLMBASE_GTEST_SOURCE_DIR}/src/gtest_main.cc)
target_include_directories(llmbase_gtest_wasm SYSTEM PUBLIC ${LLMBASE_GTEST_SOURCE_DIR}/include)
target_include_directories(llmbase_gtest_wasm PRIVATE ${LLMBASE_GTEST_SOURCE_DIR})
target_compile_options(llmbase_gtest_wasm PRIVATE -fno-exceptions)
target_compile_definitions(llmbase_gtest_wasm PUBLIC GTEST_HAS_EXCEPTIONS=0 GTEST_HAS_PTHREAD=0)

# The same test files as the native suite (native.cmake), minus tests/cpp/native (libcurl, a server).
file(GLOB LLMBASE_WASM_CPP_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cpp/*_test.cpp)
add_executable(llmbase_core_tests_wasm EXCLUDE_FROM_ALL ${LLMBASE_WASM_CPP_TESTS}
  # The libc replacements the shipped module links (wasm.cmake): the core is tested with them.
  src/wasm/integer_snprintf.cpp
  src/wasm/js_strtod.cpp
  tests/cpp/wasm/strtod_locale.cpp)  # the strtod_l family over that strtod (see the file)
target_link_libraries(llmbase_core_tests_wasm PRIVATE llmbase_core llmbase_gtest_wasm)
target_compile_options(llmbase_core_tests_wasm PRIVATE -fno-exceptions)
target_compile_definitions(llmbase_core_tests_wasm PRIVATE
  LLMBASE_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures")
target_link_options(llmbase_core_tests_wasm PRIVATE
  -flto                  # the core's objects are LTO bitcode (wasm.cmake)
  -fno-exceptions
  -sMALLOC=emmalloc      # the shipped module's allocator
  -sALLOW_MEMORY_GROWTH=1
  -sENVIRONMENT=node
  -sWASM_ASYNC_COMPILATION=0  # read the .wasm synchronously: 3.1.6 would fetch() a file path under Node 20
  -sNODERAWFS=1          # the tests read tests/fixtures from the source tree through Node's fs
  -sEXIT_RUNTIME=1       # main's return value becomes Node's exit code
  -sNODEJS_CATCH_EXIT=0)
set_target_properties(llmbase_core_tests_wasm PROPERTIES SUFFIX ".cjs")

# One CTest entry for the whole binary; CTest runs it through the toolchain file's
# CMAKE_CROSSCOMPILING_EMULATOR, the node found on PATH.
enable_testing()
add_test(NAME core_tests_wasm COMMAND llmbase_core_tests_wasm)
set_tests_properties(core_tests_wasm PROPERTIES TIMEOUT 300)
