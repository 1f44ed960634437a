// A validating one-pass JSON cursor for the chunk fast path: strict RFC 8259, no DOM, no allocation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace llmbase::detail {

// An integer token as nlohmann classifies it: `integer` when it has no fraction or exponent and
// fits int64 (negative) or uint64 (positive); `value` is then what get<long long>() returns.
struct JsonInteger {
  bool integer = false;
  long long value = 0;
};

// Walks JSON text and accepts only what nlohmann's parser accepts with the same meaning; anything
// else (and anything it does not want to decide, such as a BOM) makes a call return false, and the
// caller falls back to the DOM parser, which then gives the exact verdict.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  // The next non-whitespace byte, or '\0' at the end; the cursor stays on it.
  char peek() {
    skip_ws();
    return p_ < end_ ? *p_ : '\0';
  }
  // Consumes `c` when it is the next non-whitespace byte.
  bool eat(char c) {
    if (peek() != c) return false;
    ++p_;
    return true;
  }
  bool at_end() {
    skip_ws();
    return p_ == end_;
  }

  // A string token: `raw` is the text between the quotes; `escaped` when it holds a backslash.
  bool read_string(std::string_view* raw, bool* escaped);
  // A number token (grammar checked); `out` says whether and how it reads as an integer.
  bool read_number(JsonInteger* out);
  // Skips one value of any type. `depth` is the number of containers around it: a container
  // nested deeper than max_depth fails, like parse_json_text's depth limit.
  bool skip_value(std::size_t depth, std::size_t max_depth);
  // Skips one value and returns its text.
  bool raw_value(std::size_t depth, std::size_t max_depth, std::string_view* raw) {
    skip_ws();
    const char* start = p_;
    if (!skip_value(depth, max_depth)) return false;
    *raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return true;
  }
  // Consumes the literal `null` when it comes next.
  bool eat_null();

 private:
  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool eat_literal(std::string_view word);

  const char* begin_;
  const char* p_;
  const char* end_;
};

// Appends the value of a string whose raw text read_string() accepted (escapes decoded, UTF-16
// surrogate pairs joined into one UTF-8 sequence).
void append_unescaped(std::string_view raw, std::string& out);

// Calls member(key, escaped) for each member of the object at the cursor, with the cursor on the
// member's value; member consumes the value and returns false to give up.
template <class Member>
bool for_each_member(JsonCursor& c, Member&& member) {
  if (!c.eat('{')) return false;
  if (c.eat('}')) return true;
  for (;;) {
    std::string_view key;
    bool escaped = false;
    if (c.peek() != '"' || !c.read_string(&key, &escaped) || !c.eat(':')) return false;
    if (!member(key, escaped)) return false;
    if (c.eat(',')) continue;
    return c.eat('}');
  }
}

// Calls element() for each element of the array at the cursor, with the cursor on the element.
template <class Element>
bool for_each_element(JsonCursor& c, Element&& element) {
  if (!c.eat('[')) return false;
  if (c.eat(']')) return true;
  for (;;) {
    if (!element()) return false;
    if (c.eat(',')) continue;
    return c.eat(']');
  }
}

}  // namespace llmbase::detail
