// JSON Schema `pattern`: a small ECMA-262 regex subset compiled to a Pike VM (linear time, no throw).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmbase::detail {

// Supported: literals, `.`, classes `[a-z\d]` / `[^…]`, escapes \d \D \w \W \s \S \t \n \r \f \v
// \0 \xHH \uHHHH and escaped punctuation, groups `( )` / `(?: )`, `|`, quantifiers * + ? {n}
// {n,} {n,m} (lazy `?` suffix accepted: it does not change whether a string matches), anchors
// ^ and $. Refused (compile error naming the construct): backreferences, lookaround, named
// groups, \b \B, flags, unicode property escapes. Matching is by code point (UTF-8 decoded) and
// unanchored, as JSON Schema's `pattern` requires (an ECMA-262 search; draft 7 validation,
// section 6.3.3).
class SchemaRegex {
 public:
  // Compiles `pattern`; on failure returns false and sets `error` (why, at which offset).
  bool compile(std::string_view pattern, std::string& error);
  // True when some substring of `text` (UTF-8) matches.
  bool search(std::string_view text) const;

  struct Range {
    std::uint32_t lo, hi;
  };
  struct Inst {
    enum Op : std::uint8_t { kChar, kAny, kClass, kSplit, kJmp, kBol, kEol, kMatch } op;
    std::uint32_t a = 0;  // char, class index, or first target
    std::uint32_t b = 0;  // second target of kSplit
  };
  struct Class {
    std::vector<Range> ranges;
    bool negated = false;
  };

 private:
  std::vector<Inst> prog_;
  std::vector<Class> classes_;
  friend class RegexCompiler;
};

// UTF-8 → code points (invalid bytes become U+FFFD); shared with minLength/maxLength counting.
std::vector<std::uint32_t> decode_utf8(std::string_view text);
std::size_t count_code_points(std::string_view text);

}  // namespace llmbase::detail
