# Native (g++) targets: the replay and validate tools and the GoogleTest suite of the core.
add_executable(llmbase-replay src/native/replay_main.cpp)
target_link_libraries(llmbase-replay PRIVATE llmbase_core)

# Request validation against model metadata, until the `llmbase` CLI exposes it.
add_executable(llmbase-validate src/native/validate_main.cpp)
target_link_libraries(llmbase-validate PRIVATE llmbase_core)

option(LLMBASE_BUILD_TESTS "Build the GoogleTest suite" ON)
if(LLMBASE_BUILD_TESTS)
  enable_testing()
  find_package(GTest CONFIG REQUIRED)
  include(GoogleTest)
  file(GLOB LLMBASE_CPP_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cpp/*_test.cpp)
  add_executable(llmbase_core_tests ${LLMBASE_CPP_TESTS})
  target_link_libraries(llmbase_core_tests PRIVATE llmbase_core GTest::gtest_main)
  # Fixture files are read at run time from the source tree.
  target_compile_definitions(llmbase_core_tests PRIVATE
    LLMBASE_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures")
  gtest_discover_tests(llmbase_core_tests DISCOVERY_TIMEOUT 30)
endif()

# Benchmark helper for scripts/bench-validate.mjs (not a test).
add_executable(llmbase-bench-validate src/native/bench_validate_main.cpp)
target_link_libraries(llmbase-bench-validate PRIVATE llmbase_core)
