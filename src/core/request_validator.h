// Request validation: a chat request × one model's metadata → ordered findings (Decisions §3).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model_metadata.h"

namespace llmbase {

// Stable finding codes, shared with JS and the native tool. Severity is per finding, not per code
// (an unknown part type is a warning, a bad role an error).
namespace finding_code {
// -- local shape rules (apply whether or not the model is known) --
inline constexpr const char* kInvalidJson = "invalid_json";          // request text is not JSON
inline constexpr const char* kInvalidMetadata = "invalid_metadata";  // metadata text unusable
inline constexpr const char* kInvalidOptions = "invalid_options";    // options text unusable
inline constexpr const char* kMissingField = "missing_field";        // a required field is absent
inline constexpr const char* kInvalidType = "invalid_type";          // wrong JSON type
inline constexpr const char* kInvalidValue = "invalid_value";   // right type, not an allowed value
inline constexpr const char* kEmptyArray = "empty_array";       // messages / content / tools = []
inline constexpr const char* kOutOfRange = "out_of_range";      // a number outside its range
inline constexpr const char* kTooManyItems = "too_many_items";  // stop with more than 4 strings
inline constexpr const char* kInvalidJsonSchema = "invalid_json_schema";  // json_schema.h's check
// A build of the core without json_schema.h (the browsers' chat module) met a schema to check.
inline constexpr const char* kSchemaCheckUnavailable = "schema_check_unavailable";
// -- rules against the model's metadata (skipped when the model is unknown) --
inline constexpr const char* kUnknownModel = "unknown_model";  // warning: not in the metadata
inline constexpr const char* kUnsupportedFeature = "unsupported_feature";      // supported_features
inline constexpr const char* kUnsupportedParameter = "unsupported_parameter";  // ..._parameters
inline constexpr const char* kUnsupportedModality = "unsupported_modality";    // input_modalities
inline constexpr const char* kJsonSchemaNeedsStructuredOutputs =
    "json_schema_needs_structured_outputs";  // warning: json_schema on a json_mode-only model
inline constexpr const char* kExceedsMaxOutput = "exceeds_max_output";  // > max_output_length
inline constexpr const char* kContextOverflow = "context_overflow";  // warning: estimate > context
// -- pre-send checks of the clients (chat_prepare.h) --
inline constexpr const char* kMetadataUnavailable = "metadata_unavailable";  // warning: not checked
inline constexpr const char* kUnpricedModel = "unpriced_model";  // budget set, model not priced
inline constexpr const char* kOverBudget = "over_budget";        // worst case above the budget
}  // namespace finding_code

enum class Severity { kError, kWarning };

// "error" | "warning"
const char* severity_name(Severity severity);

struct Finding {
  std::string path;  // JSON path into the request: "messages[2].content[1].image_url"; "" = root
  std::string code;  // one of finding_code
  Severity severity = Severity::kError;
  std::string message;  // human text that names the fix; free text, not part of the contract
};

struct ValidationOptions {
  // Parameter names whose findings are dropped: a finding is dropped when the first segment of
  // its path (up to the first '.' or '[') is listed, e.g. "tools" silences "tools[0].type" too.
  std::vector<std::string> allow_params;
};

// Validates `request` (a parsed chat/completions body). `model` is that model's metadata, or
// nullptr when the model is not in the metadata: then exactly one `unknown_model` warning is
// added and no rule that needs metadata runs (Decisions §2). Likewise a rule whose metadata field
// is absent (e.g. no supported_features) is skipped, never assumed "unsupported". `catalog`
// (optional) lets capability findings name up to 3 other models that would accept the request.
//
// Rules (llmbase-api.md §3, §7, §8, §11, Decisions §3):
//   model           non-empty string                    missing_field, invalid_type, invalid_value
//   messages        non-empty array of objects          missing_field, invalid_type, empty_array
//     .role         system|user|assistant|tool          missing_field, invalid_type, invalid_value
//     .name         string                              invalid_type
//     .content      user: string or parts; system: string or text parts; assistant: string,
//                   text parts, or null with tool_calls; tool: string   missing_field, invalid_…
//     .content[j]   {type:text,text} | {type:image_url,image_url:{url}} | {type:file,file:{}};
//                   another type is a warning (invalid_value); image_url needs input modality
//                   `image`, file needs `file` (unsupported_modality)
//     .tool_call_id tool messages: non-empty string      missing_field, invalid_type, invalid_…
//     .tool_calls   assistant: [{id,function:{name,arguments}}]         invalid_type, invalid_…
//   temperature 0–2, top_p 0–1, frequency_penalty / presence_penalty −2–2   invalid_type, out_…
//   stop            string or ≤ 4 strings               invalid_type, too_many_items
//   seed            integer                             invalid_type
//   max_tokens, max_completion_tokens   integer ≥ 1     invalid_type, out_of_range;
//                   ≤ max_output_length                 exceeds_max_output
//   logprobs        boolean; true needs feature logprobs            invalid_type, unsupported_…
//   top_logprobs    integer 0–20, needs logprobs:true and feature logprobs
//   stream boolean, stream_options object, prompt_cache_key string, chat_template_kwargs object
//   tools           non-empty array of {type:function,function:{name,parameters?}};
//                   needs feature tools                 …, unsupported_feature
//   tool_choice     auto|none|required or {type:function,function:{name}} naming a tool;
//                   needs feature tools                 invalid_value, unsupported_feature
//   response_format {type:text|json_object|json_schema}; json_schema needs json_schema.name and
//                   json_schema.schema; json_object needs json_mode or structured_outputs;
//                   json_schema needs structured_outputs (json_mode only: warning
//                   json_schema_needs_structured_outputs)        …, unsupported_feature
//   reasoning_effort string (not low|medium|high|none|minimal|xhigh: warning); needs the name
//                   in supported_parameters               invalid_type, unsupported_parameter
//   estimate + cap  estimate_prompt_tokens (cost.h) + requested cap ≤ context_length: else a
//                   context_overflow warning (never an error), at the cap's path or `messages`
// Unknown parameters produce nothing: supported_parameters is an open set (Decisions §3).
// A null optional parameter counts as absent.
//
// Order (deterministic, independent of the JSON object's key order): the root, `model`,
// `unknown_model`, `messages` in index order (per message: role, name, content parts in order,
// tool_call_id, tool_calls), then the parameters in the order listed above, then
// context_overflow. Within one field, shape findings come before capability findings.
std::vector<Finding> validate_request(const nlohmann::json& request, const ModelInfo* model,
                                      const ModelCatalog* catalog = nullptr,
                                      const ValidationOptions& options = {});

// True when any finding has error severity (what `ok` negates).
bool has_errors(const std::vector<Finding>& findings);

// [{"path","code","severity","message"}…] in that key order, as JSON text.
std::string findings_to_json(const std::vector<Finding>& findings);

// Options from JSON: {"allow_params":["tools",…]}; other keys are ignored. False when `options`
// is neither null nor an object, or allow_params is not an array of strings.
bool parse_validation_options(const nlohmann::json& options, ValidationOptions& out);

// One-call helper for the bindings, the native tool and the parity fixtures:
//   request_json   the chat request body text
//   metadata_json  one model entry, or a whole metadata / models response (the model is looked
//                  up by the request's `model`); empty text = no metadata (model unknown)
//   options_json   ValidationOptions as JSON; empty text = defaults
// → {"ok":bool,"findings":[…]} compact, ok = no error-severity finding. Unusable input texts
// become error findings at path "" (invalid_json, invalid_metadata, invalid_options).
// Validates against a catalog parsed once, the model looked up by the request's `model`
// (the path the wasm client takes for every request: the catalog is not re-parsed each time).
std::vector<Finding> validate_against_catalog(const nlohmann::json& request,
                                              const ModelCatalog& catalog,
                                              const ValidationOptions& options);

// {"ok": no error findings, "findings": [...]}: the one JSON form of a validation result.
std::string validation_result_json(const std::vector<Finding>& findings);

std::string validate_request_json(std::string_view request_json, std::string_view metadata_json,
                                  std::string_view options_json = {});

// True when the request carries a JSON Schema that the pre-send rules would check (a tool's
// function.parameters, a json_schema response_format), or may: it errs towards true. A shell
// whose core was built without the schema validator routes such requests to a core with it.
bool request_carries_json_schema(const nlohmann::json& request);

}  // namespace llmbase
