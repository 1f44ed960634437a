// Which requests carry JSON Schemas for the pre-send rules: the routing test of a core built without the validator.
#include "request_validator.h"

namespace llmbase {

// A superset of where request_validator.cpp calls check_schema / check_json_schema: a request
// sent to the full core needlessly costs a module load, one kept from it would be refused.
bool request_carries_json_schema(const nlohmann::json& request) {
  if (!request.is_object()) return false;
  const auto format = request.find("response_format");
  if (format != request.end() && format->is_object()) {
    const auto type = format->find("type");
    if (type != format->end() && *type == "json_schema") return true;
  }
  const auto tools = request.find("tools");
  if (tools == request.end() || !tools->is_array()) return false;
  for (const nlohmann::json& tool : *tools) {
    if (!tool.is_object()) continue;
    const auto fn = tool.find("function");
    if (fn != tool.end() && fn->is_object() && fn->contains("parameters")) return true;
  }
  return false;
}

}  // namespace llmbase
