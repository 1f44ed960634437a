// Chat-completion streams: chunk deltas → one accumulated `chat.completion`, and SSE bytes → chunks.
#pragma once

#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.h"
#include "sse_decoder.h"

namespace llmbase {

// Chunk texts of one batch in one reused buffer: no allocation per chunk once it has grown. The
// texts are kept as received, joined by commas, so `joined()` is the inside of a JSON array.
class ChunkList {
 public:
  class const_iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using reference = std::string_view;
    using pointer = void;
    using iterator_category = std::forward_iterator_tag;
    const_iterator(const ChunkList* list, std::size_t i) : list_(list), i_(i) {}
    std::string_view operator*() const { return (*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

   private:
    const ChunkList* list_;
    std::size_t i_;
  };

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t start = i == 0 ? 0 : ends_[i - 1] + 1;
    return std::string_view(text_).substr(start, ends_[i] - start);
  }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, ends_.size()}; }
  void push_back(std::string_view chunk) {
    if (!ends_.empty()) text_ += ',';
    text_.append(chunk.data(), chunk.size());
    ends_.push_back(text_.size());
  }
  // Appends every chunk of `other`, in order.
  void append(const ChunkList& other) {
    for (std::string_view c : other) push_back(c);
  }
  void swap(ChunkList& other) noexcept {
    text_.swap(other.text_);
    ends_.swap(other.ends_);
  }
  void clear() {  // keeps the capacity: the next batch reuses it
    text_.clear();
    ends_.clear();
  }
  // "c1,c2,...": the chunk texts joined by commas.
  std::string_view joined() const { return text_; }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

// What a stream may keep of its reply. The cap bounds memory against a stream that never ends:
// the texts it accumulates (content, refusal, reasoning, tool arguments, logprobs items) may
// not pass `max_bytes`; the chunk that passes it is still folded, then the stream fails with
// kReplyTooLarge and the partial reply. The default is 64 times the longest reply a catalog
// model may give (max_output_length 65,536 tokens), and keeps the peak memory of a failing call
// (the text, its completion, the caller's copy) near 100 MB.
// `keep_content` false keeps only the content of the current read (a CLI that prints it and
// needs nothing more), so content alone never grows the memory.
struct ReplyLimits {
  static constexpr std::size_t kDefaultMaxBytes = 16u << 20;
  std::size_t max_bytes = kDefaultMaxBytes;  // 0: no cap
  bool keep_content = true;
};

// Folds `chat.completion.chunk` objects into the `chat.completion` they describe.
// Memory grows with the content received, never with the number of chunks: no chunk is kept.
// Values the completion repeats as they came (id, created, usage, logprobs items…) are kept as
// their JSON text and parsed once, when completion() is asked for.
class ChatStreamAccumulator {
 public:
  ChatStreamAccumulator();
  ~ChatStreamAccumulator();
  ChatStreamAccumulator(ChatStreamAccumulator&&) noexcept;
  ChatStreamAccumulator& operator=(ChatStreamAccumulator&&) noexcept;

  // The cap on the accumulated texts (ReplyLimits::max_bytes; 0: none).
  void set_max_reply_bytes(std::size_t max) { max_reply_bytes_ = max; }
  // Bytes of accumulated text kept so far (what the cap counts).
  std::size_t reply_bytes() const { return reply_bytes_; }
  // Forgets the content of every choice (see ReplyLimits::keep_content); the rest stays, and
  // completion() then has `content: null`.
  void drop_content();

  // Adds the chunk whose JSON text is `text`, in one pass over it and without a DOM; shapes the
  // fast path does not decide go through add_chunk(). Text that is not JSON (or nests deeper
  // than kMaxJsonDepth) is refused with kInvalidResponse "malformed_chunk".
  Error add_chunk_text(std::string_view text);

  // Adds one parsed chunk. A chunk that is not an object, or that carries an `error` object, is
  // refused with an error (kInvalidResponse / kStreamError) and leaves the state unchanged.
  Error add_chunk(const nlohmann::json& chunk);

  // The completion so far (partial until a finish_reason or [DONE] arrived).
  nlohmann::json completion() const;

  bool has_finish_reason() const { return finish_reasons_ > 0; }
  bool has_usage() const { return usage_.set; }
  std::size_t chunk_count() const { return chunks_; }
  // The content of choice 0 so far (what a terminal prints when n > 1).
  std::string_view first_content() const {
    const auto it = choices_.find(0);
    return it == choices_.end() ? std::string_view() : std::string_view(it->second.content);
  }

  struct Scratch;  // the fast path's reusable plan (chunk_fold.cpp)

 private:
  // The JSON text of a value, kept as received.
  struct RawValue {
    bool set = false;
    std::string text;
    void keep_first(std::string_view raw) {
      if (set) return;
      set = true;
      text.assign(raw.data(), raw.size());
    }
    void replace(std::string_view raw) {
      set = true;
      text.assign(raw.data(), raw.size());
    }
  };
  struct ToolCall {
    std::string id, type, name, arguments;
  };
  struct Choice {
    std::string role = "assistant";
    std::string content, refusal, reasoning_content, reasoning;
    bool has_content = false, has_refusal = false, has_reasoning_content = false,
         has_reasoning = false;
    std::map<long long, ToolCall> tool_calls;  // keyed by the delta's `index`
    // logprobs: an object once any chunk had one; its content/refusal arrays concatenated, as
    // the items' texts joined by commas.
    bool logprobs_object = false, logprobs_content = false, logprobs_refusal = false;
    std::string logprobs_content_items, logprobs_refusal_items;
    bool has_finish_reason = false;
    std::string finish_reason;
  };
  void add_choice(const nlohmann::json& choice_json, long long position);
  bool fold_fast(std::string_view text);  // false: not decided, nothing changed
  Error over_cap() const;                 // kReplyTooLarge once reply_bytes_ passed the cap
  // Appends one item to a comma-joined list; returns the bytes added.
  static std::size_t append_items(std::string& items, std::string_view more);

  std::map<long long, Choice> choices_;
  RawValue id_, created_, model_, system_fingerprint_, service_tier_, usage_;
  std::size_t finish_reasons_ = 0;
  std::size_t chunks_ = 0;
  std::size_t reply_bytes_ = 0;
  bool content_dropped_ = false;  // drop_content() was called: completion() has no content
  std::size_t max_reply_bytes_ = ReplyLimits::kDefaultMaxBytes;
  std::unique_ptr<Scratch> scratch_;
};

// What one network read produced: the chunks to hand to the caller, in order, and whether the
// stream ended ([DONE]) or failed. Chunks are passed on as their original JSON text.
struct StreamBatch {
  ChunkList chunks;
  bool done = false;
  Error error;
};

// SSE bytes of a `chat/completions` stream → chunks, [DONE] detection, error frames, and the
// accumulated completion. After [DONE] or an error, further input is ignored.
class ChatStreamDecoder : private SseEventSink {
 public:
  explicit ChatStreamDecoder(std::size_t max_event_bytes = SseDecoder::kDefaultMaxEventBytes,
                             ReplyLimits limits = {});

  void feed(std::string_view bytes, StreamBatch& out);

  // End of the body. A stream that saw neither [DONE] nor any finish_reason fails with
  // kIncompleteStream (llmbase-api.md §5, Decisions §6): an early end is never a success.
  void finish(StreamBatch& out);

  bool ended() const { return done_ || failed_; }
  bool done() const { return done_; }
  const ChatStreamAccumulator& accumulator() const { return acc_; }

 private:
  bool on_event(std::string_view type, std::string_view data, std::string_view id) override;
  void fail(Error err, StreamBatch& out);

  SseDecoder sse_;
  ChatStreamAccumulator acc_;
  bool keep_content_ = true;
  StreamBatch* batch_ = nullptr;  // the batch of the feed in progress
  bool done_ = false;
  bool failed_ = false;
};

// Builds an Error from an OpenAI-style error object ({message,type,code,param}) or envelope.
Error error_from_envelope(const nlohmann::json& body, ErrorKind kind, int status);

}  // namespace llmbase
