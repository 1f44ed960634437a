// Token estimate and USD cost from metadata prices (llmbase-api.md §9, §11; Decisions §1, §4).
#include "cost.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "json_text.h"

using nlohmann::json;

namespace llmbase {
namespace {

constexpr double kTokensPerPriceUnit = 1e6;  // prices are USD per 1M tokens

long long string_tokens(const json& value) {
  if (!value.is_string()) return 0;
  return estimate_text_tokens(value.get_ref<const std::string&>());
}

const json* member(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// Prices near the largest double (garbage metadata) overflow a cost to infinity, which JSON
// writes as null, the value that means "not priced": a priced model's cost saturates instead.
double saturated(double usd) {
  return std::isfinite(usd) ? usd : std::numeric_limits<double>::max();
}

long long non_negative_count(const json& obj, const char* key) {
  const json* value = member(obj, key);
  if (value == nullptr) return 0;
  auto n = detail::whole_number(*value);
  return n && *n > 0 ? *n : 0;
}

}  // namespace

long long estimate_text_tokens(std::string_view utf8) {
  // Count code points: every byte except UTF-8 continuation bytes (10xxxxxx) starts one.
  long long points = std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return (points + kCharsPerToken - 1) / kCharsPerToken;
}

long long estimate_message_tokens(const json& message) {
  long long tokens = kMessageOverheadTokens;
  if (!message.is_object()) return tokens;
  if (const json* name = member(message, "name")) tokens += string_tokens(*name);
  if (const json* content = member(message, "content")) {
    if (content->is_string()) {
      tokens += string_tokens(*content);
    } else if (content->is_array()) {
      for (const auto& part : *content) {
        const json* type = member(part, "type");
        if (type == nullptr || !type->is_string()) continue;
        const auto& t = type->get_ref<const std::string&>();
        if (t == "text") {
          if (const json* text = member(part, "text")) tokens += string_tokens(*text);
        } else if (t == "image_url" || t == "file") {
          tokens += kAttachmentTokens;
        }
      }
    }
  }
  if (const json* calls = member(message, "tool_calls"); calls && calls->is_array()) {
    for (const auto& call : *calls) {
      const json* function = member(call, "function");
      if (function == nullptr) continue;
      if (const json* name = member(*function, "name")) tokens += string_tokens(*name);
      if (const json* args = member(*function, "arguments")) tokens += string_tokens(*args);
    }
  }
  return tokens;
}

long long estimate_prompt_tokens(const json& request) {
  long long tokens = kReplyPrimingTokens;
  if (const json* messages = member(request, "messages"); messages && messages->is_array()) {
    for (const auto& message : *messages) tokens += estimate_message_tokens(message);
  }
  if (const json* tools = member(request, "tools"); tools && tools->is_array()) {
    tokens += estimate_text_tokens(detail::dump_json(*tools));
  }
  return tokens;
}

std::optional<long long> requested_max_tokens(const json& request) {
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    const json* value = member(request, key);
    if (value == nullptr) continue;
    auto n = detail::whole_number(*value);
    if (n && *n > 0) return n;
  }
  return std::nullopt;
}

CostEstimate estimate_cost(const json& request, const ModelInfo* model) {
  CostEstimate estimate;
  estimate.prompt_tokens = estimate_prompt_tokens(request);
  estimate.max_completion_tokens = requested_max_tokens(request);
  if (!estimate.max_completion_tokens && model) {
    estimate.max_completion_tokens = model->max_output_length;
  }
  estimate.priced = model != nullptr && model->pricing.has_value();
  if (estimate.priced && estimate.max_completion_tokens) {
    const ModelPricing& p = *model->pricing;
    estimate.max_cost_usd =
        saturated((static_cast<double>(estimate.prompt_tokens) * p.input +
                   static_cast<double>(*estimate.max_completion_tokens) * p.output) /
                  kTokensPerPriceUnit);
  }
  return estimate;
}

UsageCost actual_cost(const json& usage_or_response, const ModelInfo* model) {
  const json* usage = &usage_or_response;
  if (const json* inner = member(usage_or_response, "usage"); inner && inner->is_object()) {
    usage = inner;
  }
  UsageCost cost;
  cost.prompt_tokens = non_negative_count(*usage, "prompt_tokens");
  cost.completion_tokens = non_negative_count(*usage, "completion_tokens");
  if (const json* details = member(*usage, "prompt_tokens_details")) {
    // Never more cached than prompt tokens, whatever a server reports.
    cost.cached_tokens =
        std::min(non_negative_count(*details, "cached_tokens"), cost.prompt_tokens);
  }
  cost.priced = model != nullptr && model->pricing.has_value();
  if (cost.priced) {
    const ModelPricing& p = *model->pricing;
    cost.cost_usd =
        saturated((static_cast<double>(cost.prompt_tokens - cost.cached_tokens) * p.input +
                   static_cast<double>(cost.cached_tokens) * p.cache_read_price() +
                   static_cast<double>(cost.completion_tokens) * p.output) /
                  kTokensPerPriceUnit);
  }
  return cost;
}

namespace {

nlohmann::json or_null(const std::optional<long long>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
nlohmann::json or_null(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// The members after "ok" and "model", as an object's inside: "k":v,...
detail::OrderedObjectText estimate_members(const CostEstimate& estimate) {
  detail::OrderedObjectText out;
  out.add("prompt_tokens", estimate.prompt_tokens)
      .add("max_completion_tokens", or_null(estimate.max_completion_tokens))
      .add("max_cost_usd", or_null(estimate.max_cost_usd))
      .add("priced", estimate.priced);
  return out;
}

detail::OrderedObjectText usage_members(const UsageCost& cost) {
  detail::OrderedObjectText out;
  out.add("prompt_tokens", cost.prompt_tokens)
      .add("completion_tokens", cost.completion_tokens)
      .add("cached_tokens", cost.cached_tokens)
      .add("cost_usd", or_null(cost.cost_usd))
      .add("priced", cost.priced);
  return out;
}

}  // namespace

std::string cost_estimate_to_json(const CostEstimate& estimate) {
  return estimate_members(estimate).str();
}
std::string usage_cost_to_json(const UsageCost& cost) { return usage_members(cost).str(); }

namespace {

std::string failure(const char* code, const char* message) {
  return detail::OrderedObjectText()
      .add("ok", false)
      .add_text("error",
                detail::OrderedObjectText().add("code", code).add("message", message).str())
      .str();
}

// Parses the metadata and finds `id` in it; false (with `out` set) when the metadata is unusable.
bool lookup(std::string_view metadata_json, const std::string& id, ModelCatalog& catalog,
            const ModelInfo*& model, std::string& out) {
  bool valid = true;
  catalog = ModelCatalog::parse_text(metadata_json, &valid);
  if (!valid) {
    out = failure("invalid_metadata", kMetadataShapeError);
    return false;
  }
  model = catalog.find(id);
  return true;
}

// {"ok":true,"model":…, then the members of `tail` (an object's text)}.
std::string with_header(const ModelInfo* model, const std::string& tail) {
  std::string head = detail::OrderedObjectText()
                         .add("ok", true)
                         .add("model", model ? nlohmann::json(model->id) : nlohmann::json())
                         .str();
  head.pop_back();  // the closing brace: the tail's members follow
  return tail.size() > 2 ? head + ',' + tail.substr(1) : head + '}';
}

}  // namespace

std::string estimate_cost_json(std::string_view request_json, std::string_view metadata_json) {
  json request = parse_json_text(request_json);
  if (request.is_discarded() || !request.is_object()) {
    return failure("invalid_json", "The request is not a JSON object.");
  }
  ModelCatalog catalog;
  const ModelInfo* model = nullptr;
  std::string error;
  if (!lookup(metadata_json, detail::string_or_empty(request, "model"), catalog, model, error)) {
    return error;
  }
  return with_header(model, cost_estimate_to_json(estimate_cost(request, model)));
}

std::string actual_cost_json(std::string_view usage_json, std::string_view metadata_json,
                             std::string_view model_id) {
  json usage = parse_json_text(usage_json);
  if (usage.is_discarded() || !usage.is_object()) {
    return failure("invalid_json", "The usage is not a JSON object.");
  }
  std::string id =
      model_id.empty() ? detail::string_or_empty(usage, "model") : std::string(model_id);
  ModelCatalog catalog;
  const ModelInfo* model = nullptr;
  std::string error;
  if (!lookup(metadata_json, id, catalog, model, error)) return error;
  return with_header(model, usage_cost_to_json(actual_cost(usage, model)));
}

std::string estimate_cost_json(const json& request, const ModelCatalog& catalog) {
  const ModelInfo* model = catalog.find(detail::string_or_empty(request, "model"));
  return with_header(model, cost_estimate_to_json(estimate_cost(request, model)));
}

std::string actual_cost_json(const json& usage, const ModelCatalog& catalog,
                             const std::string& model_id) {
  const ModelInfo* model = catalog.find(model_id);
  return with_header(model, usage_cost_to_json(actual_cost(usage, model)));
}

CompletionBill bill_completion(const json& usage, const ModelCatalog& catalog,
                               const std::string& requested, const std::string& served) {
  CompletionBill bill{catalog.find(requested), {}};
  bill.cost = actual_cost(usage, bill.model);
  if (served.empty() || served == requested) return bill;
  const ModelInfo* other = catalog.find(served);
  UsageCost other_cost = actual_cost(usage, other);
  if (other_cost.cost_usd && (!bill.cost.cost_usd || *other_cost.cost_usd < *bill.cost.cost_usd)) {
    bill = CompletionBill{other, other_cost};
  }
  return bill;
}

std::string completion_bill_json(const json& usage, const ModelCatalog& catalog,
                                 const std::string& requested, const std::string& served) {
  const CompletionBill bill = bill_completion(usage, catalog, requested, served);
  return with_header(bill.model, usage_cost_to_json(bill.cost));
}

std::string fixed_decimals(double amount, int decimals) {
  long long scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const long long scaled = std::llround(std::fabs(amount) * static_cast<double>(scale));
  const std::string whole = (amount < 0 && scaled != 0 ? "-" : "") + std::to_string(scaled / scale);
  if (decimals <= 0) return whole;
  std::string fraction = std::to_string(scaled % scale);
  fraction.insert(0, static_cast<std::size_t>(decimals) - fraction.size(), '0');
  return whole + "." + fraction;
}

}  // namespace llmbase
