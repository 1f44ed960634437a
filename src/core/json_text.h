// JSON from outside the core (chunks, bodies, requests, metadata): depth-limited parsing and safe reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llmbase {

// Deepest array/object nesting accepted. nlohmann parses iteratively, but copying, comparing
// and dumping a value recurse once per level: 100,000 nested arrays (200 KB, far below the SSE
// event limit) overflow the native stack, and far fewer the wasm one. Real chunks, requests and
// metadata nest fewer than 20 levels, JSON Schemas in `tools` a few dozen.
inline constexpr std::size_t kMaxJsonDepth = 512;

// True when no array or object in `text` nests deeper than `max_depth`. One pass that skips
// strings, so it agrees with the parser on every valid text (invalid text fails the parse anyway).
inline bool json_depth_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped character never ends the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

// json::parse without exceptions that also refuses nesting deeper than kMaxJsonDepth: the result
// is discarded (is_discarded()) for invalid or too deep text. Every JSON text that reaches the
// core goes through here; shells that parse text before calling the core should use it too.
//
// It drives nlohmann's DOM builder through sax_parse over `const char*`: json::parse would also
// instantiate the callback parser (a runtime branch), and each input type its own parser copy,
// which cost the wasm module ~9 KB (scripts/size-report.mjs). The one parse of the core is this.
inline nlohmann::json parse_json_text(std::string_view text) {
  nlohmann::json result;
  if (!json_depth_within(text, kMaxJsonDepth)) {
    result = nlohmann::json(nlohmann::json::value_t::discarded);
    return result;
  }
  nlohmann::detail::json_sax_dom_parser<nlohmann::json> builder(result, /*allow_exceptions=*/false);
  const char* begin = text.data();
  const bool ok = nlohmann::json::sax_parse(begin, begin + text.size(), &builder,
                                            nlohmann::json::input_format_t::json, /*strict=*/true);
  if (!ok || builder.is_errored()) result = nlohmann::json(nlohmann::json::value_t::discarded);
  return result;
}

namespace detail {

// The string member `key` of `obj`, or "" when `obj` is no object or the member is absent or of
// another type. Never throws, which matters in a core built without exceptions.
inline std::string string_or_empty(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace detail

}  // namespace llmbase
