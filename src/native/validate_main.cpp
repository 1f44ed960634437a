// llmbase-validate: checks a chat request against model metadata and prints {"ok","findings"} JSON.
// Usage: llmbase-validate [--metadata FILE] [--allow PARAM]... REQUEST.json   (REQUEST "-" = stdin)
// FILE is one model entry or a whole /v1/models?metadata=true (or model-metadata) response.
// Exit codes: 0 no error findings, 1 error findings, 2 usage or I/O error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/request_validator.h"

namespace {

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--metadata FILE] [--allow PARAM]... REQUEST.json\n"
               "  --metadata FILE  one model entry or a metadata/models response (JSON)\n"
               "  --allow PARAM    suppress the findings of a top-level parameter (repeatable)\n"
               "  REQUEST.json     the chat/completions body; '-' reads stdin\n",
               argv0);
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    out = buffer.str();
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  std::string metadata_path, request_path;
  std::vector<std::string> allow;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--metadata" && i + 1 < argc) {
      metadata_path = argv[++i];
    } else if (arg == "--allow" && i + 1 < argc) {
      allow.push_back(argv[++i]);
    } else if (arg.rfind("--metadata=", 0) == 0) {
      metadata_path = arg.substr(11);
    } else if (arg == "-h" || arg == "--help") {
      usage(argv[0]);
      return 0;
    } else if ((arg.empty() || arg[0] != '-' || arg == "-") && request_path.empty()) {
      request_path = arg;
    } else {
      return usage(argv[0]);
    }
  }
  if (request_path.empty()) return usage(argv[0]);

  std::string request, metadata;
  if (!read_file(request_path, request)) {
    std::fprintf(stderr, "llmbase-validate: cannot read %s\n", request_path.c_str());
    return 2;
  }
  if (!metadata_path.empty() && !read_file(metadata_path, metadata)) {
    std::fprintf(stderr, "llmbase-validate: cannot read %s\n", metadata_path.c_str());
    return 2;
  }
  nlohmann::json options = {{"allow_params", allow}};
  std::string result = llmbase::validate_request_json(request, metadata, options.dump());
  std::cout << result << "\n";
  nlohmann::json parsed = nlohmann::json::parse(result, nullptr, false);
  bool ok = parsed.is_object() && parsed.value("ok", false);
  return ok ? 0 : 1;
}
