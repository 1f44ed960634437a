# nlohmann_json::nlohmann_json for both toolchains, from Debian's nlohmann-json3-dev.
if(NOT EMSCRIPTEN)
  find_package(nlohmann_json 3.11 REQUIRED CONFIG)
else()
  # The wasm compile line must never see /usr/include (it shadows the wasm sysroot), so the
  # header directory is reached through a shim folder holding only a `nlohmann` symlink.
  find_path(LLMBASE_NLOHMANN_HOST_INCLUDE nlohmann/json.hpp
            PATHS /usr/include /usr/local/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT LLMBASE_NLOHMANN_HOST_INCLUDE)
    message(FATAL_ERROR "nlohmann/json.hpp not found: apt-get install nlohmann-json3-dev")
  endif()
  set(_shim "${CMAKE_BINARY_DIR}/nlohmann_shim")
  file(MAKE_DIRECTORY "${_shim}")
  file(CREATE_LINK "${LLMBASE_NLOHMANN_HOST_INCLUDE}/nlohmann" "${_shim}/nlohmann" SYMBOLIC)
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE "${_shim}")
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
endif()
