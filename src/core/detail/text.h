// Small text tests shared by the core's parsers and validators.
#pragma once

#include <string_view>

namespace llmbase::detail {

// True when `text` is empty or holds only JSON whitespace (space, tab, CR, LF: RFC 8259 §2), the
// characters a parser skips, so "blank" means "no JSON value here" wherever the core asks.
inline bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace llmbase::detail
