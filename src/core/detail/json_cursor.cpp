// The validating JSON cursor: strings, numbers, literals and iterative value skipping.
#include "json_cursor.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "utf8.h"

namespace llmbase::detail {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

constexpr std::uint64_t has_zero_byte(std::uint64_t v) { return (v - kOnes) & ~v & kHighs; }

// True when one of the eight bytes ends a run of plain string characters: '"', '\\', a control
// character or a non-ASCII byte. Eight bytes per step, because content is most of a chunk.
constexpr bool has_special_byte(std::uint64_t w) {
  return (has_zero_byte(w ^ (kOnes * '"')) | has_zero_byte(w ^ (kOnes * '\\')) |
          ((w - kOnes * 0x20) & ~w & kHighs) | (w & kHighs)) != 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (the caller checked there are four bytes).
int read_hex4(const char* p) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = hex_value(p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool JsonCursor::read_string(std::string_view* raw, bool* escaped) {
  if (p_ >= end_ || *p_ != '"') return false;
  const char* start = ++p_;
  bool esc = false;
  for (;;) {
    while (end_ - p_ >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p_, 8);
      if (has_special_byte(w)) break;
      p_ += 8;
    }
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    if (p_ >= end_) return false;
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      *raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
      *escaped = esc;
      ++p_;
      return true;
    }
    if (c < 0x20) return false;  // control characters must be escaped (RFC 8259 §7)
    if (c >= 0x80) {
      const std::string_view all(begin_, static_cast<std::size_t>(end_ - begin_));
      const std::size_t len = utf8_sequence_length(all, static_cast<std::size_t>(p_ - begin_));
      if (len == 0) return false;
      p_ += len;
      continue;
    }
    // A backslash escape.
    esc = true;
    if (end_ - p_ < 2) return false;
    const char e = p_[1];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
        e == 't') {
      p_ += 2;
      continue;
    }
    if (e != 'u' || end_ - p_ < 6) return false;
    const int cp = read_hex4(p_ + 2);
    if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;  // a lone low surrogate
    p_ += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low one.
      if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
      const int low = read_hex4(p_ + 2);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      p_ += 6;
    }
  }
}

bool JsonCursor::read_number(JsonInteger* out) {
  const char* p = p_;
  const bool negative = p < end_ && *p == '-';
  if (negative) ++p;
  if (p >= end_ || !is_digit(*p)) return false;
  const char* digits = p;
  if (*p == '0') {
    ++p;
  } else {
    while (p < end_ && is_digit(*p)) ++p;
  }
  const char* digits_end = p;
  bool integral = true;
  if (p < end_ && *p == '.') {
    ++p;
    if (p >= end_ || !is_digit(*p)) return false;
    while (p < end_ && is_digit(*p)) ++p;
    integral = false;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !is_digit(*p)) return false;
    while (p < end_ && is_digit(*p)) ++p;
    integral = false;
  }
  p_ = p;
  // nlohmann refuses a number whose float value overflows ("number overflow"); those texts are
  // left to the DOM path. Long tokens too, rather than copying them.
  const std::size_t length = static_cast<std::size_t>(p - (negative ? digits - 1 : digits));
  if (!integral || digits_end - digits > 19) {
    char buffer[64];
    if (length >= sizeof buffer) return false;
    std::memcpy(buffer, p - length, length);
    buffer[length] = '\0';
    if (!std::isfinite(std::strtod(buffer, nullptr))) return false;
  }
  if (!out) return true;
  *out = JsonInteger{};
  if (!integral) return true;
  // nlohmann reads integers with strtoll/strtoull and keeps a float when they overflow.
  std::uint64_t magnitude = 0;
  for (const char* d = digits; d < digits_end; ++d) {
    const auto digit = static_cast<std::uint64_t>(*d - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return true;  // overflow: a float
    magnitude = magnitude * 10 + digit;
  }
  if (negative) {
    if (magnitude > (std::uint64_t{1} << 63)) return true;
    out->value = static_cast<long long>(std::uint64_t{0} - magnitude);
  } else {
    out->value = static_cast<long long>(magnitude);  // get<long long>() of an unsigned value
  }
  out->integer = true;
  return true;
}

bool JsonCursor::eat_literal(std::string_view word) {
  if (static_cast<std::size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return false;
  }
  p_ += word.size();
  return true;
}

bool JsonCursor::eat_null() {
  skip_ws();
  return eat_literal("null");
}

bool JsonCursor::skip_value(std::size_t depth, std::size_t max_depth) {
  // Iterative, with the open containers' closing brackets on a small stack: hostile nesting can
  // neither overflow the native stack nor the much smaller wasm one.
  char closers[1024];
  std::size_t open = 0;
  if (max_depth >= sizeof closers) return false;
  for (;;) {
    // A value.
    skip_ws();
    if (p_ >= end_) return false;
    const char c = *p_;
    std::string_view raw;
    bool escaped;
    if (c == '{' || c == '[') {
      if (depth + open + 1 > max_depth) return false;
      closers[open++] = c == '{' ? '}' : ']';
      ++p_;
      skip_ws();
      if (p_ < end_ && *p_ == closers[open - 1]) {
        ++p_;
        --open;
      } else {
        if (c == '{' && (!read_string(&raw, &escaped) || !eat(':'))) return false;
        continue;
      }
    } else if (c == '"') {
      if (!read_string(&raw, &escaped)) return false;
    } else if (c == '-' || is_digit(c)) {
      if (!read_number(nullptr)) return false;
    } else if (!eat_literal("null") && !eat_literal("true") && !eat_literal("false")) {
      return false;
    }
    // After a value: close containers or move to the next member or element.
    for (;;) {
      if (open == 0) return true;
      skip_ws();
      if (p_ >= end_) return false;
      if (*p_ == ',') {
        ++p_;
        if (closers[open - 1] == '}') {
          skip_ws();
          if (!read_string(&raw, &escaped) || !eat(':')) return false;
        }
        break;
      }
      if (*p_ != closers[open - 1]) return false;
      ++p_;
      --open;
    }
  }
}

void append_unescaped(std::string_view raw, std::string& out) {
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t slash = raw.find('\\', i);
    if (slash == std::string_view::npos) {
      out.append(raw.data() + i, raw.size() - i);
      return;
    }
    out.append(raw.data() + i, slash - i);
    const char e = raw[slash + 1];
    i = slash + 2;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        std::uint32_t cp = static_cast<std::uint32_t>(read_hex4(raw.data() + i));
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const auto low = static_cast<std::uint32_t>(read_hex4(raw.data() + i + 2));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        append_utf8(cp, out);
        break;
      }
      default: out += e; break;  // '"', '\\', '/'
    }
  }
}

}  // namespace llmbase::detail
