// Message rules of the request validator: model, messages, content parts, tool results (llmbase-api.md §3.2, §11).
#include <string>

#include "detail/request_checker.h"
#include "detail/text.h"

using nlohmann::json;

namespace llmbase {
namespace detail {

namespace fc = finding_code;

void RequestChecker::check_model() {
  const json* model = present(req_, "model");
  if (!model) {
    error("model", fc::kMissingField,
          "'model' is required: set it to a model id such as \"deepseek/deepseek-v4-flash\" "
          "(see GET /v1/models).");
    return;
  }
  if (!model->is_string()) {
    error("model", fc::kInvalidType,
          "'model' must be a model id string, got " + kind_of(*model) + ".");
    return;
  }
  const auto& id = model->get_ref<const std::string&>();
  if (is_blank(id)) {
    error("model", fc::kInvalidValue, "'model' must not be empty: set it to a model id.");
    return;
  }
  if (model_ == nullptr) {
    std::size_t count = catalog_ ? catalog_->models().size() : 0;
    std::string known = count == 0   ? " (no metadata loaded)"
                        : count == 1 ? " (1 model known)"
                                     : " (" + std::to_string(count) + " models known)";
    warn("model", fc::kUnknownModel,
         "Model \"" + id + "\" is not in the model metadata" + known +
             ", so capability checks were skipped: check the id against GET /v1/models or "
             "refresh the metadata.");
  }
}

void RequestChecker::check_messages() {
  const json* messages = present(req_, "messages");
  if (!messages) {
    error("messages", fc::kMissingField,
          "'messages' is required: send an array such as [{\"role\":\"user\",\"content\":\"…\"}].");
    return;
  }
  if (!messages->is_array()) {
    error("messages", fc::kInvalidType,
          "'messages' must be an array of messages, got " + kind_of(*messages) + ".");
    return;
  }
  if (messages->empty()) {
    error("messages", fc::kEmptyArray, "'messages' must contain at least one message.");
    return;
  }
  for (std::size_t i = 0; i < messages->size(); ++i) {
    check_message((*messages)[i], "messages[" + std::to_string(i) + "]");
  }
}

void RequestChecker::check_message(const json& msg, const std::string& path) {
  if (!msg.is_object()) {
    error(path, fc::kInvalidType,
          "'" + path + "' must be an object with \"role\" and \"content\".");
    return;
  }
  const json* role_json = present(msg, "role");
  if (!role_json) {
    error(path + ".role", fc::kMissingField,
          "'" + path + ".role' is required: one of system, user, assistant, tool.");
    return;
  }
  if (!role_json->is_string() ||
      !one_of(role_json->get<std::string>(), {"system", "user", "assistant", "tool"})) {
    error(path + ".role", role_json->is_string() ? fc::kInvalidValue : fc::kInvalidType,
          "'" + path + ".role' must be one of system, user, assistant, tool; got " +
              detail::dump_json(*role_json) + ".");
    return;
  }
  const std::string role = role_json->get<std::string>();
  if (const json* name = present(msg, "name"); name && !name->is_string()) {
    error(path + ".name", fc::kInvalidType, "'" + path + ".name' must be a string.");
  }
  const std::string cpath = path + ".content";
  const json* content = present(msg, "content");
  const json* tool_calls = present(msg, "tool_calls");
  if (role == "tool") {
    // llmbase-api.md §3.2: tool results carry tool_call_id and string content (the serialised result).
    if (!content) {
      error(cpath, fc::kMissingField, "'" + cpath + "' is required: the tool result as a string.");
    } else if (!content->is_string()) {
      error(
          cpath, fc::kInvalidType,
          "'" + cpath + "' of a tool message must be a string: serialise the result (e.g. JSON).");
    }
    const json* id = present(msg, "tool_call_id");
    const std::string ipath = path + ".tool_call_id";
    if (!id) {
      error(ipath, fc::kMissingField,
            "'" + ipath +
                "' is required on tool messages: copy the id of the assistant's tool call.");
    } else if (!id->is_string()) {
      error(ipath, fc::kInvalidType, "'" + ipath + "' must be a string.");
    } else if (id->get_ref<const std::string&>().empty()) {
      error(ipath, fc::kInvalidValue, "'" + ipath + "' must not be empty.");
    }
    return;
  }
  if (!content) {
    if (role != "assistant" || !tool_calls) {
      error(cpath, fc::kMissingField,
            "'" + cpath + "' is required" +
                (role == "assistant" ? " unless the message has tool_calls." : "."));
    }
  } else if (content->is_array()) {
    if (content->empty()) {
      error(cpath, fc::kEmptyArray, "'" + cpath + "' must hold at least one part.");
    }
    check_parts(*content, cpath, role);
  } else if (!content->is_string()) {
    error(cpath, fc::kInvalidType,
          "'" + cpath + "' must be a string or an array of parts, got " + kind_of(*content) + ".");
  }
  if (role == "assistant" && tool_calls) check_tool_calls(*tool_calls, path + ".tool_calls");
}

void RequestChecker::check_parts(const json& parts, const std::string& path,
                                 const std::string& role) {
  for (std::size_t j = 0; j < parts.size(); ++j) {
    const json& part = parts[j];
    const std::string pp = path + "[" + std::to_string(j) + "]";
    if (!part.is_object()) {
      error(pp, fc::kInvalidType,
            "'" + pp + "' must be an object such as {\"type\":\"text\",\"text\":\"…\"}.");
      continue;
    }
    const json* type = present(part, "type");
    if (!type || !type->is_string()) {
      error(pp + ".type", type ? fc::kInvalidType : fc::kMissingField,
            "'" + pp + ".type' must be \"text\", \"image_url\" or \"file\".");
      continue;
    }
    const std::string t = type->get<std::string>();
    if (t == "text" || (t == "refusal" && role == "assistant")) {
      const json* text = present(part, t.c_str());
      if (!text || !text->is_string()) {
        error(pp + "." + t, text ? fc::kInvalidType : fc::kMissingField,
              "'" + pp + "." + t + "' must be a string.");
      }
    } else if (t == "image_url" || t == "file") {
      if (role != "user") {
        error(pp + ".type", fc::kInvalidValue,
              "'" + pp + "' is " + (t == "file" ? "a " : "an ") + t + " part, but " + role +
                  " messages take text parts only: move it to a user message.");
        continue;
      }
      check_attachment(part, pp, t);
    } else {
      warn(pp + ".type", fc::kInvalidValue,
           "'" + pp + ".type' is \"" + t +
               "\"; LLMBase documents only text and image_url parts (and file for models "
               "with file input): the server may reject it.");
    }
  }
}

void RequestChecker::check_attachment(const json& part, const std::string& pp,
                                      const std::string& type) {
  const std::string apath = pp + "." + type;
  const json* body = present(part, type.c_str());
  if (!body) {
    error(apath, fc::kMissingField,
          "'" + apath + "' is required" +
              (type == "image_url" ? ": {\"url\":\"https://…\"}." : ": the file object."));
  } else if (!body->is_object()) {
    error(apath, fc::kInvalidType, "'" + apath + "' must be an object.");
  } else if (type == "image_url") {
    const json* url = present(*body, "url");
    if (!url || !url->is_string() || url->get_ref<const std::string&>().empty()) {
      error(apath + ".url",
            !url               ? fc::kMissingField
            : url->is_string() ? fc::kInvalidValue
                               : fc::kInvalidType,
            "'" + apath + ".url' must be a non-empty URL string.");
    }
  }
  // The capability rule: image parts need `image`, file parts need `file` (llmbase-api.md §11, Decisions §3).
  const std::string modality = type == "image_url" ? "image" : "file";
  if (!model_ || !model_->input_modalities || model_->accepts_input(modality)) return;
  std::string listed;
  for (const auto& m : *model_->input_modalities) listed += (listed.empty() ? "" : ", ") + m;
  error(apath, fc::kUnsupportedModality,
        "Model " + model_->id + " does not accept " + modality +
            " input (input_modalities: " + (listed.empty() ? "none" : listed) + "): remove the " +
            modality + " part or pick a model with \"" + modality + "\" in input_modalities" +
            alternatives([&](const ModelInfo& m) { return m.accepts_input(modality); }) + ".");
}

void RequestChecker::check_tool_calls(const json& calls, const std::string& path) {
  if (!calls.is_array()) {
    error(path, fc::kInvalidType, "'" + path + "' must be an array of tool calls.");
    return;
  }
  for (std::size_t k = 0; k < calls.size(); ++k) {
    const json& call = calls[k];
    const json* fn = present(call, "function");
    const json* id = present(call, "id");
    const json* name = fn ? present(*fn, "name") : nullptr;
    const json* args = fn ? present(*fn, "arguments") : nullptr;
    if (!id || !id->is_string() || !name || !name->is_string() || !args || !args->is_string()) {
      const std::string cp = path + "[" + std::to_string(k) + "]";
      error(
          cp, fc::kInvalidValue,
          "'" + cp +
              "' must be {\"id\":\"…\",\"type\":\"function\",\"function\":{\"name\":\"…\","
              "\"arguments\":\"<JSON text>\"}}: send back the tool call as the model returned it.");
    }
  }
}

}  // namespace detail
}  // namespace llmbase
