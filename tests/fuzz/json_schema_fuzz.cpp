// libFuzzer target: the JSON Schema check and validator, its regex subset, and the partial-JSON completer, on schema NUL instance texts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/detail/json_schema_regex.h"
#include "core/json_schema.h"
#include "core/json_text.h"
#include "core/partial_json.h"
#include "fuzz_support.h"

namespace {

using nlohmann::json;
namespace fz = llmbase::fuzz;

// The completer's contract: "" or one JSON text, which it leaves as it is (it is complete).
void check_partial(std::string_view prefix) {
  const std::string out = llmbase::complete_partial_json(prefix);
  if (out.empty()) return;
  LLMBASE_FUZZ_CHECK(!llmbase::parse_json_text(out).is_discarded());
  // A closed container or string is complete; a bare number or literal may still grow
  // ("-10 " → "-10", which alone could become "-100"), so only those are their own completion.
  if (out[0] == '{' || out[0] == '[' || out[0] == '"')
    LLMBASE_FUZZ_CHECK(llmbase::complete_partial_json(out) == out);
  // A whole JSON text completes to the same value (surrounding whitespace is cut).
  const nlohmann::json whole = llmbase::parse_json_text(prefix);
  if (!whole.is_discarded()) LLMBASE_FUZZ_CHECK(llmbase::parse_json_text(out) == whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = fz::split_at_nul(fz::as_text(data, size), 2);
  const json schema = llmbase::parse_json_text(fields[0]);
  const json instance = llmbase::parse_json_text(fields[1]);
  if (!schema.is_discarded()) {
    const auto findings = llmbase::check_json_schema(schema);
    for (const auto& f : findings)
      LLMBASE_FUZZ_CHECK(!f.path.empty() && f.path[0] == '$' && !f.code.empty());
    if (!instance.is_discarded()) {
      const auto violations = llmbase::validate_json_schema(schema, instance, 8);
      LLMBASE_FUZZ_CHECK(violations.size() <= 8);
      for (const auto& v : violations)
        LLMBASE_FUZZ_CHECK(!v.path.empty() && v.path[0] == '$' && !v.rule.empty());
      // A schema the check accepts never yields the "schema" rule (an unimplemented construct).
      if (findings.empty()) {
        for (const auto& v : violations)
          LLMBASE_FUZZ_CHECK(v.rule != "schema" || v.message.find("$ref") != std::string::npos);
      }
    }
  }
  // The first field as a pattern, the second as the text it is searched in.
  llmbase::detail::SchemaRegex re;
  std::string error;
  if (re.compile(fields[0].substr(0, 256), error)) re.search(fields[1].substr(0, 1024));
  else LLMBASE_FUZZ_CHECK(!error.empty());
  check_partial(fields[1]);
  check_partial(fields[0]);
  return 0;
}
