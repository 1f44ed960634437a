// Benchmark driver (not a test): an SSE fixture file through the core's ChatStreamDecoder in 64 KiB reads, then completion(); prints counts as JSON.
// Usage: llmbase-bench-fold FIXTURE.sse   (run under valgrind --tool=callgrind by scripts/bench/callgrind.mjs)
// Builds against the current core and against an older src/core (scripts/bench/native/CMakeLists.txt):
// StreamBatch::chunks is a ChunkList now and was a std::vector<std::string>; the loop below reads both.
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"

namespace {

std::size_t text_size(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get_ref<const std::string&>().size() : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: llmbase-bench-fold FIXTURE.sse\n");
    return 2;
  }
  std::FILE* file = std::fopen(argv[1], "rb");
  if (!file) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<char> buffer(64 * 1024);
  llmbase::ChatStreamDecoder decoder;
  llmbase::StreamBatch batch;
  std::size_t chunks = 0;
  std::size_t chunk_bytes = 0;
  std::string error;
  auto drain = [&]() {
    for (const auto& chunk : batch.chunks) {
      chunks += 1;
      chunk_bytes += std::string_view(chunk).size();
    }
    batch.chunks.clear();
    if (!batch.error.ok() && error.empty()) error = batch.error.code + ": " + batch.error.message;
  };
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
    decoder.feed(std::string_view(buffer.data(), n), batch);
    drain();
  }
  std::fclose(file);
  decoder.finish(batch);
  drain();

  const nlohmann::json completion = decoder.accumulator().completion();
  std::size_t content = 0, reasoning = 0, arguments = 0, tool_calls = 0;
  const auto choices = completion.find("choices");
  if (choices != completion.end() && choices->is_array() && !choices->empty()) {
    const auto message = (*choices)[0].find("message");
    if (message != (*choices)[0].end() && message->is_object()) {
      content = text_size(*message, "content");
      reasoning = text_size(*message, "reasoning_content") + text_size(*message, "reasoning");
      const auto calls = message->find("tool_calls");
      if (calls != message->end() && calls->is_array()) {
        for (const auto& call : *calls) {
          tool_calls += 1;
          const auto fn = call.find("function");
          if (fn != call.end() && fn->is_object()) arguments += text_size(*fn, "arguments");
        }
      }
    }
  }
  const nlohmann::json out = {{"chunks", chunks},       {"chunk_bytes", chunk_bytes},
                              {"content", content},     {"reasoning", reasoning},
                              {"arguments", arguments}, {"tool_calls", tool_calls},
                              {"done", decoder.done()}, {"error", error}};
  std::printf("%s\n", out.dump().c_str());
  return error.empty() ? 0 : 1;
}
