// The native C++ client of the LLMBase API: the JS client's API over the same core, with libcurl as transport.
//
// Errors are values, as in the core: every call returns a Result whose `error` is set (and
// `error.ok()` false) on failure, with the same kinds and codes as the JS error classes. No call
// throws. A Client is thread-safe: calls from several threads share its concurrency limit.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"
#include "core/client_defaults.h"
#include "core/error.h"

namespace llmbase {

class ModelCatalog;

// As in the JS client: "error" refuses a request LLMBase would refuse (kValidation, findings in
// the result's value), "warn" sends it anyway, "off" skips the check.
enum class ValidationMode { kError, kWarn, kOff };

struct ClientOptions {
  std::string api_key;   // from_env(): LLMBASE_API_KEY
  std::string base_url;  // from_env(): LLMBASE_BASE_URL, else https://api.llmbase.ai/v1
  // Defaults: core/client_defaults.h, the JS client's too.
  int max_retries = client_defaults::kMaxRetries;                  // never after streamed bytes
  std::chrono::milliseconds timeout{client_defaults::kTimeoutMs};  // whole call, retries included
  std::chrono::milliseconds idle_timeout{client_defaults::kIdleTimeoutMs};
  std::chrono::milliseconds max_retry_after{client_defaults::kMaxRetryAfterMs};
  int max_concurrency = client_defaults::kMaxConcurrency;  // the rest wait in order
  bool fallback = true;                                    // false sends `X-LLMBase-Fallback: off`
  std::map<std::string, std::string> default_headers;
  std::chrono::milliseconds metadata_ttl{client_defaults::kMetadataTtlMs};
  ValidationMode validation = ValidationMode::kError;
  // Refuse a chat request whose worst case (prompt estimate + max tokens at the model's prices)
  // costs more than this many USD: kValidation, code over_budget (unpriced_model when the model
  // has no prices). Enforced in every validation mode, "off" included.
  std::optional<double> budget_usd;
  // Request fields the validator lets through although the model does not list them.
  std::vector<std::string> allow_params;
  // Cap on the text a stream accumulates (content, reasoning, tool arguments, logprobs): past
  // it the call fails with kReplyTooLarge and the partial reply. 0: no cap.
  std::size_t max_reply_bytes = ReplyLimits::kDefaultMaxBytes;

  // Options with the key and base URL taken from the environment.
  static ClientOptions from_env();
};

// Per-call overrides.
struct RequestOptions {
  std::optional<int> max_retries;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> idle_timeout;
  std::map<std::string, std::string> headers;
  std::optional<ValidationMode> validation;
  std::optional<double> budget_usd;
  std::optional<std::size_t> max_reply_bytes;
  // false: stream_chat_text hands out each read's content and keeps none of it (a terminal
  // that prints the reply); the returned completion then has `content: null`.
  bool keep_content = true;
  // Set to true from any thread to cancel the call (it ends with kUserAbort).
  const std::atomic<bool>* cancel = nullptr;
};

template <typename T>
struct Result {
  T value{};    // the result; on a failed stream, the partial completion
  Error error;  // kind kNone on success
  int status = 0;
  std::map<std::string, std::string> headers;  // response headers, lower-case names
  // Chat calls: what the pre-send check found and let through (mode "warn", or the warning that
  // the metadata could not be fetched): [{path, code, severity, message}]. Empty when clean.
  nlohmann::json findings = nlohmann::json::array();
  // Chat calls checked against the metadata: what LLMBase bills for the usage, the cheaper of the
  // requested and the served model under fallback: {ok, model, prompt_tokens,
  // completion_tokens, cached_tokens, cost_usd, priced}. null when not known.
  nlohmann::json cost;
  bool ok() const { return error.ok(); }
};

// Receives each chat.completion.chunk as it arrives; return false to stop the stream (the
// call then ends with kUserAbort and the partial completion).
using ChunkCallback = std::function<bool(const nlohmann::json& chunk)>;
// Receives the reply's new text (the first choice's content) once per network read; no chunk
// is parsed into a DOM on this path. Returning false cancels the call.
using TextCallback = std::function<bool(std::string_view text)>;

// A tool of run_tools(): gets the parsed arguments, already checked against the tool's
// `parameters` schema by the core, and returns the text the model reads as the result. With
// `failed`, `content` is the error the model gets back, so it can correct itself (such rounds are
// bounded by maxRepairs).
struct ToolOutcome {
  std::string content;
  bool failed = false;
};
using ToolFunction = std::function<ToolOutcome(const nlohmann::json& arguments)>;

// The bounds of a tool run (the JS runTools options of the same names).
struct ToolRunOptions {
  int max_chat_completions = 10;  // completions per run; one that still calls tools past it fails
  int max_repairs = 3;            // rounds whose results carry an error back to the model
};

// What a tool run produced: every completion, in order, and the conversation (the request's
// messages, each reply, each tool result). On failure, what was done until then.
struct ToolRun {
  std::vector<nlohmann::json> completions;
  nlohmann::json messages;
  // The answer: the last completion's message (empty when the run failed).
  const nlohmann::json* final_completion() const {
    return completions.empty() ? nullptr : &completions.back();
  }
};

class ApiCall;
class ChunkList;
// The transport's per-read hook (see curl_transport.h).
using StreamSink = std::function<bool(const ChunkList& chunks, const ApiCall& call)>;

class Client {
 public:
  explicit Client(ClientOptions options = ClientOptions::from_env());
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POST /chat/completions without streaming: the chat.completion object.
  Result<nlohmann::json> chat_completion(const nlohmann::json& request,
                                         const RequestOptions& options = {});
  // POST /chat/completions with "stream": true; chunks go to `on_chunk` as they arrive and the
  // result is the accumulated chat.completion.
  Result<nlohmann::json> stream_chat_completion(const nlohmann::json& request,
                                                const ChunkCallback& on_chunk,
                                                const RequestOptions& options = {});
  // The same stream, handing out only the new content text (what a terminal prints), once per
  // network read. With RequestOptions::keep_content false, memory stays flat however long the
  // reply.
  Result<nlohmann::json> stream_chat_text(const nlohmann::json& request,
                                          const TextCallback& on_text,
                                          const RequestOptions& options = {});
  // GET /models (the OpenAI list object).
  Result<nlohmann::json> list_models(const RequestOptions& options = {});
  // GET /model-metadata, or /models?metadata=true on 404; normalised {object, data, skipped}
  // and cached for metadata_ttl unless `refresh`.
  Result<nlohmann::json> model_metadata(bool refresh = false, const RequestOptions& options = {});
  // GET /balance as the server sends it.
  Result<nlohmann::json> balance(const RequestOptions& options = {});
  // Checks a request against the (cached) metadata without sending it: {ok, findings}.
  // Metadata that cannot be fetched gives one `metadata_unavailable` warning, never a refusal.
  Result<nlohmann::json> validate(const nlohmann::json& request,
                                  const RequestOptions& options = {});

  // Runs the model's tool calls until it answers (runTools() in JS), driven by the core's
  // ToolLoop: each request is sent with chat_completion(), each call's arguments are checked
  // against its schema before `tools[name]` runs, and invalid ones go back to the model.
  // Errors: kInvalidArgument (unusable params, a tool without a function), kToolLoop (code
  // max_chat_completions or max_repairs), or the failed completion's own error.
  Result<ToolRun> run_tools(const nlohmann::json& params,
                            const std::map<std::string, ToolFunction>& tools,
                            const ToolRunOptions& run = {}, const RequestOptions& options = {});

  const ClientOptions& options() const { return options_; }

 private:
  Result<nlohmann::json> call(const std::string& endpoint, const nlohmann::json& params,
                              const StreamSink* sink, const RequestOptions& options);
  Result<nlohmann::json> stream(const nlohmann::json& request, const StreamSink& sink,
                                const RequestOptions& options);
  struct PreSend;
  // The core's pre-send plan for a chat request (chat_prepare.h), its I/O done here.
  PreSend check_before_sending(const nlohmann::json& request, const RequestOptions& options);
  Result<nlohmann::json> send_chat(const nlohmann::json& body, const StreamSink* sink,
                                   const RequestOptions& options);
  std::shared_ptr<const ModelCatalog> fresh_catalog(bool just_fetched = false);
  void acquire_slot();
  void release_slot();

  ClientOptions options_;
  std::mutex mutex_;
  std::condition_variable slot_free_;
  int active_ = 0;
  std::uint64_t next_ticket_ = 0, serving_ticket_ = 0;  // FIFO order of waiting calls
  std::optional<nlohmann::json> metadata_;
  std::shared_ptr<const ModelCatalog> catalog_;  // metadata_, parsed once
  std::chrono::steady_clock::time_point metadata_at_;
};

}  // namespace llmbase
