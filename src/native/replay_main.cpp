// llmbase-replay: decodes a recorded chat-completions SSE stream from stdin and prints the completion.
// Exit codes: 0 complete, 3 the stream failed (error JSON on stderr), 2 usage.
#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(stderr, "usage: %s < transcript.sse\n", argv[0]);
    return 2;
  }
  llmbase::ChatStreamDecoder decoder;
  llmbase::StreamBatch batch;
  char buffer[16384];
  std::size_t n;
  while (!decoder.ended() && (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    decoder.feed(std::string_view(buffer, n), batch);
  }
  decoder.finish(batch);
  if (!batch.error.ok()) {
    nlohmann::json err = {{"kind", llmbase::error_kind_name(batch.error.kind)},
                          {"code", batch.error.code},
                          {"message", batch.error.message}};
    std::cerr << err.dump() << "\n";
    return 3;
  }
  std::cout << decoder.accumulator().completion().dump(2) << "\n";
  return 0;
}
