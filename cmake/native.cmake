# Native (g++) targets: the libcurl client library, the `llmbase` CLI, tools, tests, and install/export.
find_package(CURL REQUIRED)  # Debian: libcurl4-openssl-dev

# The C++ client others link: llmbase::client (with llmbase::core) after find_package(llmbase).
add_library(llmbase_client STATIC src/native/client.cpp src/native/curl_transport.cpp
  src/native/tool_runner.cpp)
target_include_directories(llmbase_client PUBLIC
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/src/native>
  $<INSTALL_INTERFACE:include>)
target_link_libraries(llmbase_client PUBLIC llmbase_core PRIVATE CURL::libcurl)
target_compile_options(llmbase_client PRIVATE -Wall -Wextra)
set_target_properties(llmbase_core PROPERTIES EXPORT_NAME core)
set_target_properties(llmbase_client PROPERTIES EXPORT_NAME client)

# The native CLI, built to build/native/llmbase.
# The native CLI, built to build/native/llmbase: the front end (src/cli) with libcurl I/O.
add_executable(llmbase_cli src/native/cli_main.cpp)
target_link_libraries(llmbase_cli PRIVATE llmbase_cli_front llmbase_client)
set_target_properties(llmbase_cli PROPERTIES OUTPUT_NAME llmbase)

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
  # The CLI front end (src/cli), apart from the core suite: it is not part of the core.
  file(GLOB LLMBASE_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cpp/cli/*_test.cpp)
  add_executable(llmbase_cli_tests ${LLMBASE_CLI_TESTS})
  target_link_libraries(llmbase_cli_tests PRIVATE llmbase_cli_front GTest::gtest_main)
  target_compile_definitions(llmbase_cli_tests PRIVATE LLMBASE_VERSION="${PROJECT_VERSION}")
  gtest_discover_tests(llmbase_cli_tests DISCOVERY_TIMEOUT 30)
endif()

# Benchmark helper for scripts/bench-validate.mjs (not a test).
add_executable(llmbase-bench-validate src/native/bench_validate_main.cpp)
target_link_libraries(llmbase-bench-validate PRIVATE llmbase_core)

# install() + an exported package: another CMake project does find_package(llmbase CONFIG)
# and links llmbase::client (tests/cmake-consumer is built against it by the e2e tests).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
install(TARGETS llmbase_core llmbase_client EXPORT llmbaseTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS llmbase_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES src/native/llmbase/client.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/llmbase)
file(GLOB LLMBASE_CORE_HEADERS ${CMAKE_SOURCE_DIR}/src/core/*.h)
install(FILES ${LLMBASE_CORE_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/llmbase/core)
install(EXPORT llmbaseTargets NAMESPACE llmbase:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/llmbase)
configure_package_config_file(cmake/llmbaseConfig.cmake.in
  ${CMAKE_BINARY_DIR}/llmbaseConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/llmbase)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/llmbaseConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/llmbaseConfig.cmake ${CMAKE_BINARY_DIR}/llmbaseConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/llmbase)

# The native client against the local server (node dist/cli.mjs serve, started by the tests).
if(LLMBASE_BUILD_TESTS)
  file(GLOB LLMBASE_NATIVE_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cpp/native/*.cpp)
  add_executable(llmbase_native_tests ${LLMBASE_NATIVE_TESTS})
  target_link_libraries(llmbase_native_tests PRIVATE llmbase_client GTest::gtest_main)
  target_compile_definitions(llmbase_native_tests PRIVATE LLMBASE_REPO_DIR="${CMAKE_SOURCE_DIR}")
  gtest_discover_tests(llmbase_native_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 60)
endif()
