// `llmbase serve [options]`: its grammar, rules, defaults and help, so both CLIs refuse and explain the same way; only the Node shell runs it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmbase::cli {

// What `llmbase serve ARGS` asks for, once its options are read.
struct ServeParse {
  enum class Outcome {
    kHelp,        // print serve_help(), exit 0
    kUsageError,  // `error` names the option and the fix (exit 2)
    kStart,       // start what `instruction` describes
  };
  Outcome outcome = Outcome::kStart;
  std::string error;
  // Every option, the defaults of the help applied, in the names the Node shell hands on:
  // {mode: "local"|"proxy", port, host, quiet, staticDir?, staticMounts: [[prefix, dir]…],
  //  server: {startServer options} (local) | proxy: {startProxy options}, redis?, logJson}.
  nlohmann::json instruction;
};

// `args`: the words after `serve`. Never throws (the wasm build has no exceptions).
ServeParse parse_serve_options(const std::vector<std::string>& args);

// The default of `option` ("balance" for --balance) as the help shows it and the instruction
// carries it; empty when it has none.
std::string serve_default(const std::string& option);

// `llmbase serve --help` (serve_help.cpp), ending in "\n".
std::string serve_help();

}  // namespace llmbase::cli
