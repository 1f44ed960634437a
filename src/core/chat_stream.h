// Chat-completion streams: chunk deltas → one accumulated `chat.completion`, and SSE bytes → chunks.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.h"
#include "sse_decoder.h"

namespace llmbase {

// Folds `chat.completion.chunk` objects into the `chat.completion` they describe.
// Memory grows with the content received, never with the number of chunks: no chunk is kept.
class ChatStreamAccumulator {
 public:
  // Adds one chunk. A chunk that is not an object, or that carries an `error` object, is
  // refused with an error (kInvalidResponse / kStreamError) and leaves the state unchanged.
  Error add_chunk(const nlohmann::json& chunk);

  // The completion so far (partial until a finish_reason or [DONE] arrived).
  nlohmann::json completion() const;

  bool has_finish_reason() const { return finish_reasons_ > 0; }
  bool has_usage() const { return !usage_.is_null(); }
  std::size_t chunk_count() const { return chunks_; }

 private:
  struct ToolCall {
    std::string id, type, name, arguments;
  };
  struct Choice {
    std::string role = "assistant";
    std::string content, refusal, reasoning_content, reasoning;
    bool has_content = false, has_refusal = false, has_reasoning_content = false,
         has_reasoning = false;
    std::map<long long, ToolCall> tool_calls;  // keyed by the delta's `index`
    nlohmann::json logprobs;                   // content/refusal arrays concatenated
    nlohmann::json finish_reason;              // null until set
  };
  void add_choice(const nlohmann::json& choice_json, long long position);

  std::map<long long, Choice> choices_;
  nlohmann::json id_, created_, model_, system_fingerprint_, service_tier_, usage_;
  std::size_t finish_reasons_ = 0;
  std::size_t chunks_ = 0;
};

// What one network read produced: the chunks to hand to the caller, in order, and whether the
// stream ended ([DONE]) or failed. Chunks are passed on as their original JSON text.
struct StreamBatch {
  std::vector<std::string> chunks;
  bool done = false;
  Error error;
};

// SSE bytes of a `chat/completions` stream → chunks, [DONE] detection, error frames, and the
// accumulated completion. After [DONE] or an error, further input is ignored.
class ChatStreamDecoder {
 public:
  explicit ChatStreamDecoder(std::size_t max_event_bytes = SseDecoder::kDefaultMaxEventBytes);

  void feed(std::string_view bytes, StreamBatch& out);

  // End of the body. A stream that saw neither [DONE] nor any finish_reason fails with
  // kIncompleteStream (llmbase-api.md, Decisions §6): an early end is never a success.
  void finish(StreamBatch& out);

  bool ended() const { return done_ || failed_; }
  bool done() const { return done_; }
  const ChatStreamAccumulator& accumulator() const { return acc_; }

 private:
  void handle_event(SseEvent& ev, StreamBatch& out);  // may move ev.data out
  void fail(Error err, StreamBatch& out);

  SseDecoder sse_;
  ChatStreamAccumulator acc_;
  std::vector<SseEvent> events_;  // reused between feeds
  bool done_ = false;
  bool failed_ = false;
};

// Builds an Error from an OpenAI-style error object ({message,type,code,param}) or envelope.
Error error_from_envelope(const nlohmann::json& body, ErrorKind kind, int status);

}  // namespace llmbase
