// Shared helpers of the libFuzzer targets: input-derived choices and splits, invariant checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// A broken invariant aborts, so libFuzzer keeps the input as a crash artifact.
#define LLMBASE_FUZZ_CHECK(cond)                                                              \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace llmbase::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Choices (split points, limits, modes) derived from the input itself, so every run of one input
// takes the same path: splitmix64 seeded with the input's FNV-1a hash.
class InputRng {
 public:
  explicit InputRng(std::string_view input) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : input) h = (h ^ c) * 0x100000001b3ULL;
    state_ = h;
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

// Splits `input` into feeds: mostly 1-16 bytes (CR|LF, CRLF and UTF-8 sequences cut across
// feeds), sometimes empty, sometimes up to 4 KiB, sometimes everything that is left.
inline std::vector<std::string_view> split_pieces(std::string_view input, InputRng& rng) {
  std::vector<std::string_view> pieces;
  while (!input.empty()) {
    std::size_t len;
    switch (rng.below(8)) {
      case 0: len = 0; break;
      case 1: len = 1 + rng.below(4096); break;
      case 2: len = rng.below(4) == 0 ? input.size() : 1; break;
      default: len = 1 + rng.below(16); break;
    }
    if (len > input.size()) len = input.size();
    pieces.push_back(input.substr(0, len));
    input.remove_prefix(len);
  }
  return pieces;
}

// Up to `max_fields` fields separated by NUL bytes; the last field keeps any further NULs.
inline std::vector<std::string_view> split_at_nul(std::string_view input, std::size_t max_fields) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < max_fields) {
    const std::size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    fields.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  fields.push_back(input);
  while (fields.size() < max_fields) fields.emplace_back();
  return fields;
}

// Strict UTF-8 check (RFC 3629: no overlongs, surrogates or code points above U+10FFFF), written
// independently of the core's sanitize_utf8 so it can check it.
inline bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp;
    std::size_t n;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, n = 2;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const unsigned char b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// The one serialisation every caller of the core uses; it must never abort (toolchain.md §4.3).
template <typename Json>
std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Parses core output, which must always be valid JSON.
inline nlohmann::json parse_output(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  LLMBASE_FUZZ_CHECK(!parsed.is_discarded());
  return parsed;
}

}  // namespace llmbase::fuzz
