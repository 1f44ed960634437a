// The wasm-side classes JS holds handles to: CoreCall (one API call) and Catalog (parsed metadata).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/error.h"
#include "core/model_metadata.h"

namespace llmbase::wasm {

std::string dump_json(const nlohmann::json& j);
nlohmann::json error_to_json(const Error& e);

// A metadata catalog parsed once and kept in wasm memory: the client validates and prices every
// request against it without shipping and re-parsing the whole catalog each time.
class Catalog {
 public:
  explicit Catalog(const std::string& metadata_json)
      : catalog_(ModelCatalog::parse_text(metadata_json, &valid_)) {}
  bool valid() const { return valid_; }
  int size() const { return static_cast<int>(catalog_.models().size()); }
  const ModelCatalog& catalog() const { return catalog_; }
  // {"ok","models","skipped","error"?}: normalizeModelMetadata's answer, from this parse.
  std::string list_json() const { return model_metadata_result_json(catalog_, valid_); }
  std::string validate(const std::string& request_json, const std::string& options_json) const;
  std::string estimate_cost(const std::string& request_json) const;
  std::string actual_cost(const std::string& usage_json, const std::string& model_id) const;
  // What LLMBase bills for a completion's usage (cost.h bill_completion): actualCost's shape.
  std::string completion_cost(const std::string& usage_json, const std::string& requested,
                              const std::string& served) const;
  // models.metadata()'s answer: {"object":"list","data":[…],"skipped":n}.
  std::string metadata_list() const;

 private:
  bool valid_ = true;
  ModelCatalog catalog_;
};

// One API call. Prepared once (prepare / prepareChat), then fed the transport's events; each
// event returns the address of four u32: flags (1 finished, 2 retry), chunks pointer, chunks
// length in bytes, chunk count. The chunk span stays valid until the next event.
class CoreCall {
 public:
  CoreCall();
  ~CoreCall();
  CoreCall(const CoreCall&) = delete;
  CoreCall& operator=(const CoreCall&) = delete;

  // CoreCall objects alive: JS must delete() each; tests assert this returns to 0.
  static int live();

  // "{}" when ready to send, else {"error":{…}} (refused before any I/O).
  std::string prepare(const std::string& config_json, const std::string& endpoint,
                      const std::string& params_json, const std::string& options_json);
  // A chat request checked (chat_prepare.h), priced and prepared in one crossing, its params
  // parsed once: the preflight result {"ok","findings","estimate"}, or {"error":{…}}. Not
  // prepared when refused or with checks.dryRun.
  std::string prepare_chat(const std::string& config_json, const std::string& params_json,
                           const std::string& checks_json, const Catalog* catalog,
                           const std::string& options_json);
  // {"method","url","headers":[[n,v]…],"body"?} of the prepared request.
  std::string request() const;

  std::uintptr_t input_buffer(int length);  // where the next onBody's bytes go
  std::uintptr_t on_response(int status, const std::string& content_type,
                             const std::string& retry_after_ms, const std::string& retry_after,
                             double now_ms);
  std::uintptr_t on_body(int length);
  std::uintptr_t on_end();
  std::uintptr_t on_error(const std::string& kind, const std::string& message);
  // {"finished","error"?,"result"?,"retryDelayMs"?} of the last event that flagged it, else "".
  std::string state() const { return state_; }
  // Response headers [[name,value]…] with the call's secrets (apiKey, keys given as headers)
  // redacted, as the same JSON; "" when no value held one (the usual case: nothing to copy).
  std::string redact_headers(const std::string& headers_json) const;

 private:
  std::string start(const std::string& config_json, Endpoint ep, const nlohmann::json& params,
                    const std::string& options_json, const std::string& ok_json);
  static std::string refuse(const Error& e);
  std::uintptr_t publish();

  std::unique_ptr<ApiCall> call_;
  std::vector<std::string> secrets_;
  bool over_ = false;
  std::string input_;
  CallUpdate update_;
  std::string state_;
  std::uint32_t out_[4] = {0, 0, 0, 0};
};

}  // namespace llmbase::wasm
