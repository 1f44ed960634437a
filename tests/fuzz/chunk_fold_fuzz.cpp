// libFuzzer differential target: the one-pass chunk fold against the plain DOM path, on the same inputs.
// Each SSE event's data (and the whole input as one chunk text) goes through add_chunk_text() of one
// accumulator and through parse_json_text() + add_chunk() of another. Every verdict, count and the
// final completion must be identical, byte for byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"
#include "core/json_text.h"
#include "core/sse_decoder.h"
#include "fuzz_support.h"

namespace {

using llmbase::ChatStreamAccumulator;
using llmbase::Error;
using nlohmann::json;
namespace fz = llmbase::fuzz;

// The reference: nothing but the DOM parser and the DOM fold.
Error add_by_dom(ChatStreamAccumulator& acc, std::string_view text, bool* malformed) {
  const json parsed = llmbase::parse_json_text(text);
  *malformed = parsed.is_discarded();
  if (*malformed) return {};
  return acc.add_chunk(parsed);
}

void same_after(std::string_view text, ChatStreamAccumulator& fast, ChatStreamAccumulator& dom) {
  const Error a = fast.add_chunk_text(text);
  bool malformed = false;
  const Error b = add_by_dom(dom, text, &malformed);
  if (malformed) {
    LLMBASE_FUZZ_CHECK(a.code == "malformed_chunk");
  } else {
    LLMBASE_FUZZ_CHECK(a.kind == b.kind && a.code == b.code && a.type == b.type);
    LLMBASE_FUZZ_CHECK(a.param == b.param && a.message == b.message && a.status == b.status);
  }
  LLMBASE_FUZZ_CHECK(fast.chunk_count() == dom.chunk_count());
  LLMBASE_FUZZ_CHECK(fast.has_finish_reason() == dom.has_finish_reason());
  LLMBASE_FUZZ_CHECK(fast.has_usage() == dom.has_usage());
}

void same_completion(const ChatStreamAccumulator& fast, const ChatStreamAccumulator& dom) {
  const json completion = fast.completion();
  LLMBASE_FUZZ_CHECK(fz::dump(completion) == fz::dump(dom.completion()));
  // Both paths count the same reply bytes towards the cap, except for logprobs items, which
  // the fast path keeps as received and the DOM path as re-serialised.
  bool logprobs = false;
  for (const auto& choice : completion["choices"]) logprobs |= !choice["logprobs"].is_null();
  if (!logprobs) LLMBASE_FUZZ_CHECK(fast.reply_bytes() == dom.reply_bytes());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fz::as_text(data, size);

  // The input as an SSE body: every event's data is a chunk text.
  llmbase::SseDecoder sse;
  std::vector<llmbase::SseEvent> events;
  sse.feed(input, events);
  ChatStreamAccumulator fast, dom;
  for (const auto& ev : events) same_after(ev.data, fast, dom);
  same_completion(fast, dom);

  // The input itself as one chunk text, so the fuzzer explores JSON directly; then again on top
  // of the stream's state, where keep-first and merge rules meet earlier values.
  ChatStreamAccumulator fast_one, dom_one;
  same_after(input, fast_one, dom_one);
  same_completion(fast_one, dom_one);
  same_after(input, fast, dom);
  same_completion(fast, dom);
  return 0;
}
