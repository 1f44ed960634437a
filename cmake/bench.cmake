# Native benchmark helpers for scripts/bench.mjs (not tests): the core's fold driver for callgrind and a rusage wrapper.
option(LLMBASE_BUILD_BENCH "Build the native benchmark helpers" ON)
if(LLMBASE_BUILD_BENCH)
  # SSE fixture → ChatStreamDecoder → completion(), for instructions per chunk under callgrind.
  add_executable(llmbase-bench-fold scripts/bench/native/fold_driver.cpp)
  target_link_libraries(llmbase-bench-fold PRIVATE llmbase_core)
  target_compile_options(llmbase-bench-fold PRIVATE -Wall -Wextra)
  # Wall time, user+sys CPU and peak RSS of one child (the native CLI) from wait4().
  add_executable(llmbase-bench-rusage scripts/bench/native/rusage_main.cpp)
  target_compile_options(llmbase-bench-rusage PRIVATE -Wall -Wextra)
endif()
