// Incremental SSE decoder: line splitting, field parsing and event dispatch.
#include "sse_decoder.h"

#include <algorithm>
#include <cstdlib>

namespace llmbase {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid or truncated.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (b < min || b > max) return 0;
  }
  return len;
}

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
  while (valid < bytes.size()) {
    if (static_cast<unsigned char>(bytes[valid]) < 0x80) {
      ++valid;
      continue;
    }
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
    const std::size_t end = bytes.find_first_of("\r\n", i);
    const std::size_t stop = end == std::string_view::npos ? bytes.size() : end;
    append_bounded(line_, bytes.substr(i, stop - i), max_event_bytes_);
    if (end == std::string_view::npos || line_.size() > max_event_bytes_) break;
    process_line(line_, out);
    line_.clear();
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

void SseDecoder::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // comment, e.g. ": keep-alive"
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
}

void SseDecoder::dispatch(std::vector<SseEvent>& out) {
  // §9.2.6 "dispatch the event": an empty data buffer (no data line, or a single empty one such
  // as a bare `data:` ping) dispatches nothing and resets the buffers.
  if (data_.empty()) {
    event_type_.clear();
    has_data_ = false;
    return;
  }
  SseEvent ev;
  if (!event_type_.empty()) ev.event = sanitize_utf8(event_type_);
  ev.data = sanitize_utf8(data_);
  ev.id = last_event_id_;
  out.push_back(std::move(ev));
  data_.clear();
  event_type_.clear();
  has_data_ = false;
}

}  // namespace llmbase
