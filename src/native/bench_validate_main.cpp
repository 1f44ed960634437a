// llmbase-bench-validate: times request validation against a metadata catalog, natively (used by scripts/bench-validate.mjs).
// Usage: llmbase-bench-validate CATALOG.json REQUEST.json ITERATIONS — prints one JSON line.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "core/request_validator.h"

namespace {

std::string read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <typename Fn>
double ns_per_call(long iterations, Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) fn();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return std::chrono::duration<double, std::nano>(elapsed).count() /
         static_cast<double>(iterations);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CATALOG.json REQUEST.json ITERATIONS\n", argv[0]);
    return 2;
  }
  const std::string catalog_text = read_all(argv[1]);
  const std::string request_text = read_all(argv[2]);
  const long iterations = std::strtol(argv[3], nullptr, 10);
  if (catalog_text.empty() || request_text.empty() || iterations <= 0) {
    std::fprintf(stderr, "llmbase-bench-validate: unreadable input or bad ITERATIONS\n");
    return 2;
  }
  bool valid = true;
  const llmbase::ModelCatalog catalog = llmbase::ModelCatalog::parse_text(catalog_text, &valid);
  const nlohmann::json request = nlohmann::json::parse(request_text, nullptr, false);
  std::size_t sink = 0;  // keeps the optimiser from dropping the work
  // The client's path: the catalog parsed once, each request validated against it.
  const double parsed = ns_per_call(iterations, [&] {
    sink += llmbase::validation_result_json(
                llmbase::validate_against_catalog(request, catalog, llmbase::ValidationOptions{}))
                .size();
  });
  // The stateless path: catalog and request parsed from text on every call.
  const long text_iterations = iterations / 20 > 0 ? iterations / 20 : 1;
  const double from_text = ns_per_call(text_iterations, [&] {
    sink += llmbase::validate_request_json(request_text, catalog_text, "").size();
  });
  std::printf(
      "{\"models\":%zu,\"valid\":%s,\"ns_per_validation\":%.0f,\"ns_per_validation_from_text\":%.0f,"
      "\"sink\":%zu}\n",
      catalog.models().size(), valid ? "true" : "false", parsed, from_text, sink);
  return 0;
}
