// Request validation: parameter rules and the JSON entry point (llmbase-api.md §3, §7, §8).
#include "request_validator.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>

#include "cost.h"
#include "detail/request_checker.h"
#include "detail/text.h"
#include "json_text.h"

using nlohmann::json;

namespace llmbase {
namespace detail {

namespace fc = finding_code;

constexpr std::size_t kMaxStopSequences = 4;  // chat-completions (old table)
constexpr long long kMaxTopLogprobs = 20;     // OpenAI's limit; the local server uses it too

const json* present(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

std::string kind_of(const json& value) {
  std::string name = value.type_name();
  return (one_of(name, {"array", "object"}) ? "an " : "a ") + name;
}

std::string num(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  return dump_json(json(value));
}

namespace {

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

std::string join_quoted(std::initializer_list<const char*> names, const char* sep) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "\"" : std::string(sep) + "\"") + n + "\"";
  return out;
}

}  // namespace

std::vector<Finding> RequestChecker::run() {
  if (!req_.is_object()) {
    error("", fc::kInvalidType,
          "The request must be a JSON object with \"model\" and \"messages\", got " +
              kind_of(req_) + ".");
    return std::move(findings_);
  }
  check_model();
  check_messages();
  check_number("temperature", 0, 2);
  check_number("top_p", 0, 1);
  check_number("frequency_penalty", -2, 2);
  check_number("presence_penalty", -2, 2);
  check_stop();
  check_integer("seed");
  check_max_tokens("max_tokens");
  check_max_tokens("max_completion_tokens");
  check_logprobs();
  check_type("stream", json::value_t::boolean, "a boolean");
  check_type("stream_options", json::value_t::object, "an object");
  check_type("prompt_cache_key", json::value_t::string, "a string");
  check_type("chat_template_kwargs", json::value_t::object, "an object");
  check_tools();
  check_tool_choice();
  check_response_format();
  check_reasoning_effort();
  check_context();
  return std::move(findings_);
}

void RequestChecker::add(std::string path, const char* code, Severity severity,
                         std::string message) {
  // allow_params matches the top-level parameter: the path up to the first '.' or '['.
  std::string top = path.substr(0, path.find_first_of(".["));
  const auto& allow = options_.allow_params;
  if (!top.empty() && std::find(allow.begin(), allow.end(), top) != allow.end()) return;
  findings_.push_back({std::move(path), code, severity, std::move(message)});
}

void RequestChecker::check_number(const char* name, double min, double max) {
  const json* v = present(req_, name);
  if (!v) return;
  const std::string range = "between " + num(min) + " and " + num(max);
  if (!v->is_number()) {
    error(name, fc::kInvalidType,
          std::string("'") + name + "' must be a number " + range + ", got " + kind_of(*v) + ".");
  } else if (v->get<double>() < min || v->get<double>() > max) {
    error(name, fc::kOutOfRange,
          std::string("'") + name + "' must be " + range + ", got " + detail::dump_json(*v) + ".");
  }
}

const json* RequestChecker::check_integer(const char* name, std::optional<long long> min,
                                          std::optional<long long> max) {
  const json* v = present(req_, name);
  if (!v) return nullptr;
  if (!v->is_number() || !is_integral(*v)) {
    error(name, fc::kInvalidType,
          std::string("'") + name + "' must be an integer, got " +
              (v->is_number() ? detail::dump_json(*v) : kind_of(*v)) + ".");
    return nullptr;
  }
  const double d = v->get<double>();
  if ((min && d < static_cast<double>(*min)) || (max && d > static_cast<double>(*max))) {
    std::string range = min && max ? "between " + num(*min) + " and " + num(*max)
                        : min      ? "at least " + num(*min)
                                   : "at most " + num(*max);
    error(name, fc::kOutOfRange,
          std::string("'") + name + "' must be " + range + ", got " + detail::dump_json(*v) + ".");
    return nullptr;
  }
  return v;
}

void RequestChecker::check_stop() {
  const json* stop = present(req_, "stop");
  if (!stop || stop->is_string()) return;
  if (!stop->is_array() ||
      !std::all_of(stop->begin(), stop->end(), [](const json& s) { return s.is_string(); })) {
    error("stop", fc::kInvalidType, "'stop' must be a string or an array of strings.");
  } else if (stop->size() > kMaxStopSequences) {
    error(
        "stop", fc::kTooManyItems,
        "'stop' allows at most 4 sequences, got " + std::to_string(stop->size()) + ": drop some.");
  }
}

void RequestChecker::check_max_tokens(const char* name) {
  const json* v = check_integer(name, 1);
  if (!v || !model_ || !model_->max_output_length) return;
  const double wanted = v->get<double>();
  const long long limit = *model_->max_output_length;
  if (wanted <= static_cast<double>(limit)) return;
  error(name, fc::kExceedsMaxOutput,
        std::string("'") + name + "' is " + detail::dump_json(*v) + " but " + model_->id +
            " writes at most " + num(limit) + " tokens (max_output_length): lower it to " +
            num(limit) + " or less" +
            alternatives(
                [&](const ModelInfo& m) {
                  return m.max_output_length && static_cast<double>(*m.max_output_length) >= wanted;
                },
                "models that write that much") +
            ".");
}

void RequestChecker::need_feature(const std::string& path,
                                  std::initializer_list<const char*> any_of,
                                  const std::string& what) {
  if (!model_ || !model_->supported_features) return;
  for (const char* f : any_of) {
    if (model_->supports_feature(f)) return;
  }
  const std::string top = path.substr(0, path.find_first_of(".["));
  error(path, fc::kUnsupportedFeature,
        "Model " + model_->id + " does not support " + what + " (supported_features has no " +
            join_quoted(any_of, " or ") + "): remove '" + top + "' or pick another model" +
            alternatives([&](const ModelInfo& m) {
              return std::any_of(any_of.begin(), any_of.end(),
                                 [&](const char* f) { return m.supports_feature(f); });
            }) +
            ".");
}

void RequestChecker::check_logprobs() {
  const json* logprobs = present(req_, "logprobs");
  if (logprobs && !logprobs->is_boolean()) {
    error("logprobs", fc::kInvalidType,
          "'logprobs' must be true or false, got " + kind_of(*logprobs) + ".");
  } else if (logprobs && logprobs->get<bool>()) {
    need_feature("logprobs", {"logprobs"}, "logprobs");
  }
  if (!present(req_, "top_logprobs")) return;
  if (check_integer("top_logprobs", 0, kMaxTopLogprobs) &&
      !(logprobs && logprobs->is_boolean() && logprobs->get<bool>())) {
    error("top_logprobs", fc::kInvalidValue, "'top_logprobs' needs 'logprobs': true as well.");
  }
  need_feature("top_logprobs", {"logprobs"}, "logprobs");
}

void RequestChecker::check_type(const char* name, json::value_t type, const char* what) {
  const json* v = present(req_, name);
  if (v && v->type() != type) {
    error(name, fc::kInvalidType,
          std::string("'") + name + "' must be " + what + ", got " + kind_of(*v) + ".");
  }
}

void RequestChecker::check_reasoning_effort() {
  const json* effort = present(req_, "reasoning_effort");
  if (!effort) return;
  if (!effort->is_string()) {
    error("reasoning_effort", fc::kInvalidType,
          "'reasoning_effort' must be a string such as \"low\", \"medium\" or \"high\".");
  } else if (!one_of(effort->get<std::string>(),
                     {"none", "minimal", "low", "medium", "high", "xhigh"})) {
    warn("reasoning_effort", fc::kInvalidValue,
         "'reasoning_effort' is " + detail::dump_json(*effort) +
             "; the common values are \"low\", \"medium\" and \"high\".");
  }
  // llmbase-api.md §8: use reasoning_effort only when the model lists it in supported_parameters.
  if (!model_ || !model_->supported_parameters || model_->supports_parameter("reasoning_effort")) {
    return;
  }
  error("reasoning_effort", fc::kUnsupportedParameter,
        "Model " + model_->id +
            " does not list \"reasoning_effort\" in supported_parameters: remove it or pick "
            "another model" +
            alternatives(
                [](const ModelInfo& m) { return m.supports_parameter("reasoning_effort"); }) +
            ".");
}

// The member requested_max_tokens() read (same precedence), for the finding's path.
const char* RequestChecker::cap_key() const {
  const json* v = present(req_, "max_completion_tokens");
  auto n = v ? detail::whole_number(*v) : std::nullopt;
  return n && *n > 0 ? "max_completion_tokens" : "max_tokens";
}

void RequestChecker::check_context() {
  const json* messages = present(req_, "messages");
  if (!model_ || !model_->context_length || !messages || !messages->is_array()) return;
  const long long prompt = estimate_prompt_tokens(req_);
  const auto cap = requested_max_tokens(req_);
  const long long need = prompt + cap.value_or(0);
  const long long context = *model_->context_length;
  if (need <= context) return;
  const std::string cap_name = cap ? cap_key() : "";
  warn(cap ? cap_name : "messages", fc::kContextOverflow,
       "The prompt (~" + num(prompt) + " tokens, estimated)" +
           (cap ? " plus " + cap_name + " (" + num(*cap) + ")" : std::string()) + " exceeds the " +
           num(context) + "-token context of " + model_->id + ": shorten the conversation" +
           (cap ? " or lower " + cap_name : std::string()) +
           alternatives(
               [&](const ModelInfo& m) { return m.context_length && *m.context_length >= need; },
               "models with that much context") +
           ".");
}

}  // namespace detail

const char* severity_name(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::vector<Finding> validate_request(const json& request, const ModelInfo* model,
                                      const ModelCatalog* catalog,
                                      const ValidationOptions& options) {
  return detail::RequestChecker(request, model, catalog, options).run();
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

std::string findings_to_json(const std::vector<Finding>& findings) {
  std::string list = "[";
  for (const auto& f : findings) {
    if (list.size() > 1) list += ',';
    list += detail::OrderedObjectText()
                .add("path", f.path)
                .add("code", f.code)
                .add("severity", severity_name(f.severity))
                .add("message", f.message)
                .str();
  }
  return list + ']';
}

bool parse_validation_options(const json& options, ValidationOptions& out) {
  out = ValidationOptions();
  if (options.is_null()) return true;
  if (!options.is_object()) return false;
  const json* allow = detail::present(options, "allow_params");
  if (!allow) return true;
  if (!allow->is_array()) return false;
  for (const auto& name : *allow) {
    if (!name.is_string()) return false;
    out.allow_params.push_back(name.get<std::string>());
  }
  return true;
}

std::string validate_request_json(std::string_view request_json, std::string_view metadata_json,
                                  std::string_view options_json) {
  std::vector<Finding> findings;
  ValidationOptions options;
  if (!detail::is_blank(options_json)) {
    json parsed = parse_json_text(options_json);
    if (parsed.is_discarded() || !parse_validation_options(parsed, options)) {
      findings.push_back(
          {"", finding_code::kInvalidOptions, Severity::kError,
           "The options must be a JSON object such as {\"allow_params\":[\"tools\"]}."});
    }
  }
  bool metadata_ok = true;
  ModelCatalog catalog = ModelCatalog::parse_text(metadata_json, &metadata_ok);
  if (!metadata_ok) {
    findings.push_back({"", finding_code::kInvalidMetadata, Severity::kError, kMetadataShapeError});
  }
  json request = parse_json_text(request_json);
  if (request.is_discarded()) {
    findings.push_back({"", finding_code::kInvalidJson, Severity::kError,
                        "The request is not valid JSON: send a JSON object."});
  } else {
    auto more = validate_against_catalog(request, catalog, options);
    findings.insert(findings.end(), more.begin(), more.end());
  }
  return validation_result_json(findings);
}

std::vector<Finding> validate_against_catalog(const json& request, const ModelCatalog& catalog,
                                              const ValidationOptions& options) {
  const json* id = request.is_object() ? detail::present(request, "model") : nullptr;
  const ModelInfo* model = id && id->is_string() ? catalog.find(id->get<std::string>()) : nullptr;
  return validate_request(request, model, &catalog, options);
}

std::string validation_result_json(const std::vector<Finding>& findings) {
  return detail::OrderedObjectText()
      .add("ok", !has_errors(findings))
      .add_text("findings", findings_to_json(findings))
      .str();
}

}  // namespace llmbase
