// UTF-8 validation shared by the SSE decoder and the chunk scanner (RFC 3629 ranges, no overlongs or surrogates).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace llmbase::detail {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid or truncated.
// These are the ranges nlohmann's lexer accepts too, so text valid here parses there.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
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

// Index of the first byte >= 0x80 at or after `i`, or s.size(): eight bytes per step, because
// nearly all SSE and JSON text is ASCII and this runs over every byte of a stream.
inline std::size_t skip_ascii(std::string_view s, std::size_t i) {
  while (i + 8 <= s.size()) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// True when all of `s` is valid UTF-8.
inline bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while ((i = skip_ascii(s, i)) < s.size()) {
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace llmbase::detail
