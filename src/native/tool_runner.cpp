// Client::run_tools: the native tool runner, driven by the core's ToolLoop (tool_loop.h) as runTools() is in JS.
#include "llmbase/client.h"

#include "core/json_text.h"
#include "core/tool_loop.h"

using nlohmann::json;

namespace llmbase {

Result<ToolRun> Client::run_tools(const json& params,
                                  const std::map<std::string, ToolFunction>& tools,
                                  const ToolRunOptions& run, const RequestOptions& options) {
  Result<ToolRun> out;
  json tool_options = {{"maxChatCompletions", run.max_chat_completions},
                       {"maxRepairs", run.max_repairs}};
  ToolLoop loop(params, tool_options);
  // Only what the core cannot see is checked here: that each tool it was given can be run.
  // The loop has checked that every tool is {"function":{"name":…}} when it is not in error.
  if (loop.state() != ToolLoop::State::kError) {
    for (const json& tool : *params.find("tools")) {
      const std::string name = detail::string_or_empty(*tool.find("function"), "name");
      if (!tools.count(name)) {
        out.error = make_error(ErrorKind::kInvalidArgument, tool_loop_code::kInvalidParams,
                               "run_tools(): tool \"" + name +
                                   "\" has no function: add it to the "
                                   "`tools` map under that name.",
                               "tools");
        return out;
      }
    }
  }
  for (json request = loop.next_request(); !request.is_null(); request = loop.next_request()) {
    Result<json> step = chat_completion(request, options);
    out.status = step.status;
    out.headers = std::move(step.headers);
    if (!step.ok()) {
      out.error = std::move(step.error);
      out.value.messages = loop.messages();
      return out;
    }
    out.value.completions.push_back(step.value);
    if (loop.on_completion(step.value) != ToolLoop::State::kAwaitingResults) continue;
    // The calls run one after another; the core answered those with invalid arguments.
    std::vector<ToolLoop::Call> calls = loop.calls();
    for (const ToolLoop::Call& call : calls) {
      if (!call.valid) continue;
      ToolOutcome result = tools.at(call.name)(call.parsed);
      if (result.failed) {
        loop.add_tool_error(call.id, result.content);
      } else {
        loop.add_tool_result(call.id, result.content);
      }
    }
  }
  out.value.messages = loop.messages();
  if (loop.state() == ToolLoop::State::kError) {
    const bool params_error = loop.error_code() == tool_loop_code::kInvalidParams;
    out.error = make_error(params_error ? ErrorKind::kInvalidArgument : ErrorKind::kToolLoop,
                           loop.error_code(), "run_tools(): " + loop.error_message());
  }
  return out;
}

}  // namespace llmbase
