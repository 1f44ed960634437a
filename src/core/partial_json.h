// Incremental JSON: the value a prefix of a JSON text holds so far (structured outputs while streaming).
#pragma once

#include <string>
#include <string_view>

namespace llmbase {

// Completes `prefix`, a prefix of one JSON text, into the JSON text of the value it holds so
// far: an open string is closed (an incomplete escape or UTF-8 sequence at its end is dropped),
// open arrays and objects are closed, an object key without its value is dropped, and a number
// or literal that may still grow ("12", "tru", "-") is dropped. The text is cut and closed, never
// rebuilt: key order and spacing stay as received, and no DOM is built. Returns "" when the
// prefix holds no value yet ("", "  ", "tr") or is not the start of one JSON text ("{a", "1 2").
std::string complete_partial_json(std::string_view prefix);

}  // namespace llmbase
