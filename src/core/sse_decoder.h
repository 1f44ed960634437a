// Incremental Server-Sent Events decoder: feed raw bytes, get complete events (WHATWG HTML §9.2.6).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"

namespace llmbase {

struct SseEvent {
  std::string event = "message";  // the `event:` field, "message" when absent
  std::string data;               // `data:` lines joined with "\n"
  std::string id;                 // last event id in force when this event was dispatched
};

// Receives each event as views that are valid only during the call: the decoder reuses its
// buffers, so a stream is decoded without an allocation per event.
class SseEventSink {
 public:
  virtual ~SseEventSink() = default;
  // `type` is "message" when the event named none. Returns false when the caller needs no more
  // events: the rest of the feed is then not decoded, and the decoder must not be fed again.
  virtual bool on_event(std::string_view type, std::string_view data, std::string_view id) = 0;
};

// Push-driven and allocation-light: no I/O, no threads; the caller owns the bytes it feeds.
// Line ends may be CR, LF or CRLF, also when the CR and the LF arrive in different feeds.
// A UTF-8 BOM at the very start is skipped; invalid UTF-8 becomes U+FFFD, as the spec's decoder
// does, so the data, event type and id handed on are always valid UTF-8. Characters split across
// feeds are safe because lines are only cut at CR/LF bytes, which never occur inside a
// multi-byte sequence.
class SseDecoder {
 public:
  // 8 MiB: far above any real chunk, low enough that a runaway line cannot exhaust memory.
  static constexpr std::size_t kDefaultMaxEventBytes = 8u << 20;

  explicit SseDecoder(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  // Appends every event completed by `bytes` to `out`. Returns an error (kind kEventTooLarge)
  // once a line or an event exceeds the limit; the decoder then ignores further input.
  Error feed(std::string_view bytes, SseEventSink& sink);
  // The same, collecting the events as values (tests and tools).
  Error feed(std::string_view bytes, std::vector<SseEvent>& out);

  // End of input. Per the spec an event without its terminating blank line is discarded;
  // returns true when such an unterminated event (or partial line) was pending.
  bool finish();

  // The `retry:` value in ms last seen, or -1.
  long retry_ms() const { return retry_ms_; }
  const std::string& last_event_id() const { return last_event_id_; }

 private:
  bool process_line(std::string_view line, SseEventSink& sink);  // false: the sink stopped
  bool dispatch(SseEventSink& sink);

  std::size_t max_event_bytes_;
  std::string line_;        // bytes of the line being received
  std::string data_;        // data buffer of the event being built
  std::string event_type_;  // event type buffer
  std::string last_event_id_;
  std::string scratch_;      // sanitised copy of data that was not valid UTF-8
  bool has_data_ = false;    // at least one data line seen in this event
  bool pending_cr_ = false;  // last byte fed was CR: a following LF belongs to it
  bool bom_checked_ = false;
  std::size_t bom_seen_ = 0;  // BOM bytes matched so far at stream start
  bool failed_ = false;
  long retry_ms_ = -1;
};

// Returns `bytes` as valid UTF-8, each invalid or truncated sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

}  // namespace llmbase
