// The "Request not sent: …" error from validation findings: first three in words, the rest counted.
#include "validation_error.h"

#include <string>

#include "json_text.h"

namespace llmbase {

Error validation_error(const nlohmann::json& findings) {
  Error e;
  e.kind = ErrorKind::kValidation;
  std::string shown;
  int errors = 0;
  if (findings.is_array()) {
    for (const auto& f : findings) {
      if (!f.is_object() || detail::string_or_empty(f, "severity") != "error") continue;
      const std::string path = detail::string_or_empty(f, "path");
      if (++errors == 1) {
        e.code = detail::string_or_empty(f, "code");
        e.param = path;
      }
      if (errors > 3) continue;
      if (!shown.empty()) shown += "; ";
      shown += (path.empty() ? std::string() : path + ": ") + detail::string_or_empty(f, "message");
    }
  }
  e.message = "Request not sent: " + shown;
  if (errors > 3) e.message += " (+" + std::to_string(errors - 3) + " more)";
  return e;
}

}  // namespace llmbase
