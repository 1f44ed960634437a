// Incremental SSE decoder: line splitting, field parsing and event dispatch.
#include "sse_decoder.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "detail/utf8.h"

namespace llmbase {
namespace {

using detail::utf8_sequence_length;

// Index of the first CR or LF at or after `i`, or npos. Eight bytes per step: SSE lines are
// long JSON texts and this looks at every byte of a stream.
std::size_t find_line_end(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  while (i + 8 <= s.size()) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (has_zero(w ^ (kOnes * '\n')) | has_zero(w ^ (kOnes * '\r'))) break;
    i += 8;
  }
  for (; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') return i;
  }
  return std::string_view::npos;
}

// Collects events as values, for the vector overload of feed().
class CollectingSink : public SseEventSink {
 public:
  explicit CollectingSink(std::vector<SseEvent>& out) : out_(out) {}
  bool on_event(std::string_view type, std::string_view data, std::string_view id) override {
    SseEvent ev;
    ev.event.assign(type.data(), type.size());
    ev.data.assign(data.data(), data.size());
    ev.id.assign(id.data(), id.size());
    out_.push_back(std::move(ev));
    return true;
  }

 private:
  std::vector<SseEvent>& out_;
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Appends to the line being received, but never more than one byte past `max`: that byte is
// enough to refuse the line, and the rest of an oversized feed is not copied.
void append_bounded(std::string& line, std::string_view bytes, std::size_t max) {
  const std::size_t room = line.size() <= max ? max + 1 - line.size() : 0;
  line.append(bytes.data(), std::min(bytes.size(), room));
}

}  // namespace

std::string sanitize_utf8(std::string_view bytes) {
  // Fast path: valid text (nearly every event) is copied once, after a check that runs over
  // ASCII a byte at a time without a call.
  std::size_t valid = 0;
  while ((valid = detail::skip_ascii(bytes, valid)) < bytes.size()) {
    const std::size_t len = utf8_sequence_length(bytes, valid);
    if (len == 0) break;
    valid += len;
  }
  if (valid == bytes.size()) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size());
  out.append(bytes.data(), valid);
  std::size_t i = valid;
  while (i < bytes.size()) {
    const std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(bytes.data() + i, len);
      i += len;
    }
  }
  return out;
}

SseDecoder::SseDecoder(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

Error SseDecoder::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  CollectingSink sink(out);
  return feed(bytes, sink);
}

Error SseDecoder::feed(std::string_view bytes, SseEventSink& sink) {
  if (failed_) return {};
  // The BOM may itself arrive split across feeds: match it byte by byte before any line.
  while (!bom_checked_ && !bytes.empty()) {
    if (bytes.front() == kBom[bom_seen_]) {
      bytes.remove_prefix(1);
      if (++bom_seen_ == kBom.size()) bom_checked_ = true;
    } else {
      // Not a BOM after all: the bytes matched so far are ordinary content.
      line_.append(kBom.data(), bom_seen_);
      bom_checked_ = true;
    }
  }
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (bytes[i] == '\n') {  // second half of a CRLF split across feeds
        ++i;
        continue;
      }
    }
    const std::size_t end = find_line_end(bytes, i);
    const std::size_t stop = end == std::string_view::npos ? bytes.size() : end;
    bool go_on;
    if (line_.empty() && end != std::string_view::npos && stop - i <= max_event_bytes_) {
      // A whole line inside this feed: decoded where it lies, without a copy.
      go_on = process_line(bytes.substr(i, stop - i), sink);
    } else {
      append_bounded(line_, bytes.substr(i, stop - i), max_event_bytes_);
      if (end == std::string_view::npos || line_.size() > max_event_bytes_) break;
      go_on = process_line(line_, sink);
      line_.clear();
    }
    if (!go_on) return {};
    if (bytes[end] == '\r') {
      if (end + 1 < bytes.size()) {
        i = end + 1 + (bytes[end + 1] == '\n' ? 1 : 0);
      } else {
        pending_cr_ = true;
        i = end + 1;
      }
    } else {
      i = end + 1;
    }
    if (data_.size() > max_event_bytes_) break;
  }
  if (line_.size() > max_event_bytes_ || data_.size() > max_event_bytes_) {
    failed_ = true;
    // Further input is ignored, so the buffers are given back now rather than kept until the
    // decoder is destroyed.
    std::string().swap(line_);
    std::string().swap(data_);
    return make_error(ErrorKind::kEventTooLarge, "event_too_large",
                      "An SSE line or event exceeded the limit of " +
                          std::to_string(max_event_bytes_) + " bytes; the stream was stopped.");
  }
  return {};
}

bool SseDecoder::finish() {
  const bool pending = !line_.empty() || has_data_ || (!bom_checked_ && bom_seen_ > 0);
  line_.clear();
  data_.clear();
  event_type_.clear();
  has_data_ = false;
  return pending;
}

bool SseDecoder::process_line(std::string_view line, SseEventSink& sink) {
  if (line.empty()) return dispatch(sink);
  if (line.front() == ':') return true;  // comment, e.g. ": keep-alive"
  std::string_view field = line, value;
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value.data(), value.size());
    has_data_ = true;
  } else if (field == "event") {
    event_type_.assign(value.data(), value.size());
  } else if (field == "id") {
    // The spec ignores ids containing NUL.
    if (value.find('\0') == std::string_view::npos) last_event_id_ = sanitize_utf8(value);
  } else if (field == "retry") {
    if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos &&
        value.size() < 10) {
      retry_ms_ = std::strtol(std::string(value).c_str(), nullptr, 10);
    }
  }
  // Any other field name is ignored, as the spec requires.
  return true;
}

bool SseDecoder::dispatch(SseEventSink& sink) {
  // WHATWG HTML §9.2.6 "dispatch the event": an empty data buffer (no data line, or a single empty one such
  // as a bare `data:` ping) dispatches nothing and resets the buffers.
  if (data_.empty()) {
    event_type_.clear();
    has_data_ = false;
    return true;
  }
  std::string_view data = data_;
  if (!detail::is_valid_utf8(data)) {
    scratch_ = sanitize_utf8(data_);
    data = scratch_;
  }
  std::string type_copy;
  std::string_view type = "message";
  if (!event_type_.empty()) {
    type = event_type_;
    if (!detail::is_valid_utf8(type)) {
      type_copy = sanitize_utf8(event_type_);
      type = type_copy;
    }
  }
  const bool go_on = sink.on_event(type, data, last_event_id_);
  data_.clear();
  event_type_.clear();
  has_data_ = false;
  return go_on;
}

}  // namespace llmbase
