// Embind surface of structured outputs and the tool loop: JSON Schema checks, partial JSON and the ToolLoop (full core only).
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_schema.h"
#include "core/json_text.h"
#include "core/partial_json.h"
#include "core/structured_output.h"
#include "core/tool_loop.h"
#include "wasm/call_bindings.h"

using nlohmann::json;

namespace llmbase::wasm {
namespace {

std::string validate_json_schema_binding(const std::string& schema, const std::string& instance) {
  return validate_json_schema_text(schema, instance);
}
std::string complete_partial_json_binding(const std::string& text) {
  return complete_partial_json(text);
}
std::string check_structured_output_binding(const std::string& params,
                                            const std::string& completion) {
  return check_structured_output_text(params, completion);
}

// JS: new ToolLoop(paramsJson, optionsJson) … delete(). Every answer leaves as JSON text.
class JsToolLoop {
 public:
  JsToolLoop(const std::string& params_json, const std::string& options_json)
      : loop_(parse_json_text(params_json), parse_json_text(options_json)) {}
  // The chat params to send next, or "" when there is none (status() says why).
  std::string next_request() {
    const json request = loop_.next_request();
    return request.is_null() ? std::string() : dump_json(request);
  }
  // The step: status() after the completion.
  std::string on_completion(const std::string& completion_json) {
    loop_.on_completion(parse_json_text(completion_json));
    return loop_.status();
  }
  bool add_tool_result(const std::string& id, const std::string& content) {
    return loop_.add_tool_result(id, content);
  }
  bool add_tool_error(const std::string& id, const std::string& message) {
    return loop_.add_tool_error(id, message);
  }
  std::string status() const { return loop_.status(); }
  std::string messages() const { return dump_json(loop_.messages()); }

 private:
  ToolLoop loop_;
};

}  // namespace
}  // namespace llmbase::wasm

EMSCRIPTEN_BINDINGS(llmbase_schema) {
  using llmbase::wasm::JsToolLoop;
  emscripten::function("validateJsonSchema", &llmbase::wasm::validate_json_schema_binding);
  emscripten::function("completePartialJson", &llmbase::wasm::complete_partial_json_binding);
  emscripten::function("checkStructuredOutput", &llmbase::wasm::check_structured_output_binding);
  emscripten::class_<JsToolLoop>("ToolLoop")
      .constructor<const std::string&, const std::string&>()
      .function("nextRequest", &JsToolLoop::next_request)
      .function("onCompletion", &JsToolLoop::on_completion)
      .function("addToolResult", &JsToolLoop::add_tool_result)
      .function("addToolError", &JsToolLoop::add_tool_error)
      .function("status", &JsToolLoop::status)
      .function("messages", &JsToolLoop::messages);
}
