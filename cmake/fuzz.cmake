# libFuzzer targets of the core (issue 8), clang only: `cmake --preset fuzz` + scripts/fuzz.sh.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LLMBASE_FUZZ needs clang++ (libFuzzer): use the `fuzz` preset or "
                      "-DCMAKE_CXX_COMPILER=clang++ (Debian: clang, libclang-rt-14-dev)")
endif()

# Every UBSan report aborts (no recovery), so libFuzzer stores it as a crash like an ASan one.
# LLMBASE_FUZZ_UBSAN_ONLY (scripts/fuzz.sh --ubsan-only): no ASan, for the long runs that need
# many millions of executions (ASan costs most of the speed on these small inputs).
option(LLMBASE_FUZZ_UBSAN_ONLY "Fuzz with UBSan but without ASan" OFF)
if(LLMBASE_FUZZ_UBSAN_ONLY)
  set(LLMBASE_FUZZ_SANITIZERS -fsanitize=undefined -fno-sanitize-recover=all)
else()
  set(LLMBASE_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
endif()

# The core again, instrumented for coverage and sanitizers; llmbase_core stays as it is for the
# other native targets of this build tree.
get_target_property(_llmbase_core_sources llmbase_core SOURCES)
add_library(llmbase_core_fuzz STATIC ${_llmbase_core_sources})
foreach(_prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS LINK_LIBRARIES
              INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_LIBRARIES)
  get_target_property(_value llmbase_core ${_prop})
  if(_value)
    set_property(TARGET llmbase_core_fuzz PROPERTY ${_prop} "${_value}")
  endif()
endforeach()
target_compile_options(llmbase_core_fuzz PRIVATE ${LLMBASE_FUZZ_SANITIZERS}
                       -fsanitize=fuzzer-no-link)

add_custom_target(fuzz)
foreach(_name sse_decoder chat_stream chunk_fold metadata validator json_schema)
  add_executable(fuzz_${_name} tests/fuzz/${_name}_fuzz.cpp)
  target_link_libraries(fuzz_${_name} PRIVATE llmbase_core_fuzz)
  target_compile_options(fuzz_${_name} PRIVATE ${LLMBASE_FUZZ_SANITIZERS} -fsanitize=fuzzer)
  target_link_options(fuzz_${_name} PRIVATE ${LLMBASE_FUZZ_SANITIZERS} -fsanitize=fuzzer)
  add_dependencies(fuzz fuzz_${_name})
endforeach()

# Seed corpora come from tests/fixtures at run time (scripts/fuzz.sh); nothing binary is committed.
add_executable(llmbase-fuzz-seeds tests/fuzz/make_seeds.cpp)
target_link_libraries(llmbase-fuzz-seeds PRIVATE nlohmann_json::nlohmann_json)
add_dependencies(fuzz llmbase-fuzz-seeds)
