// Request building (with the key guard) and response consumption for one API call.
#include "client_session.h"

#include <algorithm>
#include <cctype>

#include "http_policy.h"
#include "json_text.h"

using nlohmann::json;

namespace llmbase {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Host part of an http(s) URL, lower-cased, without port or credentials.
std::string host_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find(':'));
  std::string host(rest);
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return host;
}

void set_header(std::vector<std::pair<std::string, std::string>>& headers, const std::string& name,
                const std::string& value) {
  for (auto& [n, v] : headers) {
    if (iequals(n, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

Error invalid(std::string code, std::string message, std::string param = {}) {
  return make_error(ErrorKind::kInvalidArgument, std::move(code), std::move(message),
                    std::move(param));
}

Error check_chat_params(const json& params) {
  if (!params.is_object()) {
    return invalid("invalid_params",
                   "The request body must be an object such as "
                   "{ model, messages }.");
  }
  auto model = params.find("model");
  if (model == params.end() || !model->is_string() ||
      model->get_ref<const std::string&>().empty()) {
    return invalid("missing_model",
                   "`model` must be a non-empty string such as \"deepseek/deepseek-v4-flash\"; "
                   "list the choices with client.models.list().",
                   "model");
  }
  auto messages = params.find("messages");
  if (messages == params.end() || !messages->is_array() || messages->empty()) {
    return invalid("missing_messages",
                   "`messages` must be a non-empty array, e.g. [{ role: \"user\", content: "
                   "\"Hello\" }].",
                   "messages");
  }
  return {};
}

}  // namespace

namespace {
constexpr std::pair<std::string_view, Endpoint> kEndpointNames[] = {
    {"chat", Endpoint::kChatCompletions},
    {"models", Endpoint::kModels},
    {"model-metadata", Endpoint::kModelMetadata},
    {"models-metadata", Endpoint::kModelsWithMetadata},
    {"balance", Endpoint::kBalance},
};
}  // namespace

std::string_view endpoint_name(Endpoint endpoint) {
  for (const auto& [n, e] : kEndpointNames) {
    if (e == endpoint) return n;
  }
  return {};
}

bool endpoint_from_name(std::string_view name, Endpoint* out) {
  for (const auto& [n, e] : kEndpointNames) {
    if (n == name) {
      *out = e;
      return true;
    }
  }
  return false;
}

Error build_request(const ClientConfig& config, Endpoint endpoint, const json& params,
                    HttpRequest* out) {
  const std::string& base = config.base_url;
  if (!starts_with(base, "http://") && !starts_with(base, "https://")) {
    return invalid(
        "invalid_base_url",
        "`baseURL` must start with http:// or https://, e.g. " + std::string(kDefaultBaseUrl) + ".",
        "baseURL");
  }
  // An agents key must never reach the inference host (llmbase-api.md §2, Decisions §9).
  if (starts_with(config.api_key, "llmbase_chat_") && host_of(base) == "api.llmbase.ai") {
    return make_error(ErrorKind::kAuthentication, "wrong_key_type",
                      "This is an llmbase_chat_ (agents) key; it works only with " +
                          std::string(kAgentsBaseUrl) +
                          ". Use an llmbase_ inference key for https://api.llmbase.ai/v1.",
                      "apiKey");
  }
  const bool needs_key = endpoint != Endpoint::kModels && !config.allow_missing_key;
  if (needs_key && config.api_key.empty()) {
    return make_error(ErrorKind::kAuthentication, "missing_api_key",
                      "No API key: set LLMBASE_API_KEY or pass { apiKey } (or { allowMissingKey: "
                      "true } when the base URL is a proxy that adds the key).",
                      "apiKey");
  }

  HttpRequest req;
  std::string trimmed = base;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  if (endpoint == Endpoint::kChatCompletions) {
    if (Error e = check_chat_params(params); !e.ok()) return e;
    req.method = "POST";
    req.url = trimmed + "/chat/completions";
    json body = params;
    // `extra_body` is a client-side option in the OpenAI SDKs: its keys go to the top level
    // (Decisions §10), overriding same-named params, and the key itself is not sent.
    if (auto extra = body.find("extra_body"); extra != body.end()) {
      json extra_fields = *extra;
      body.erase(extra);
      if (extra_fields.is_object()) {
        for (auto& [key, value] : extra_fields.items()) body[key] = value;
      }
    }
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    const auto stream = params.find("stream");
    const bool streaming = stream != params.end() && stream->is_boolean() && stream->get<bool>();
    set_header(req.headers, "Content-Type", "application/json");
    set_header(req.headers, "Accept", streaming ? "text/event-stream" : "application/json");
  } else {
    req.method = "GET";
    switch (endpoint) {
      case Endpoint::kModelMetadata: req.url = trimmed + "/model-metadata"; break;
      case Endpoint::kModelsWithMetadata: req.url = trimmed + "/models?metadata=true"; break;
      case Endpoint::kBalance: req.url = trimmed + "/balance"; break;
      default: req.url = trimmed + "/models"; break;
    }
    set_header(req.headers, "Accept", "application/json");
  }
  // Sent on every request, model discovery included: LLMBase's CDN treats Bearer traffic as
  // API traffic and skips browser challenges (llmbase-api.md §2).
  if (!config.api_key.empty()) set_header(req.headers, "Authorization", "Bearer " + config.api_key);
  if (!config.fallback) set_header(req.headers, "X-LLMBase-Fallback", "off");
  if (config.default_headers.is_object()) {
    for (const auto& [name, value] : config.default_headers.items()) {
      if (value.is_string()) set_header(req.headers, name, value.get<std::string>());
    }
  }
  *out = std::move(req);
  return {};
}

ResponseConsumer::ResponseConsumer(bool stream, std::string api_key, bool array_body_ok,
                                   std::vector<std::string> extra_secrets, ReplyLimits reply)
    : stream_(stream),
      array_body_ok_(array_body_ok),
      api_key_(std::move(api_key)),
      secrets_(std::move(extra_secrets)),
      decoder_(SseDecoder::kDefaultMaxEventBytes, reply) {
  secrets_.insert(secrets_.begin(), api_key_);
}

void ResponseConsumer::on_status(int status, std::string_view content_type) {
  status_ = status;
  // A server may answer a stream request with a plain JSON completion; accept it as such.
  sse_body_ = content_type.find("application/json") == std::string_view::npos;
}

void ResponseConsumer::on_body(std::string_view bytes, CallUpdate& out) {
  if (finished_) return;
  if (decoding_stream()) {
    batch_.chunks.clear();
    batch_.done = false;
    batch_.error = Error{};
    decoder_.feed(bytes, batch_);
    // Swapped, not copied: the two buffers take turns and keep their capacity.
    if (out.chunks.empty()) {
      out.chunks.swap(batch_.chunks);
    } else {
      out.chunks.append(batch_.chunks);
    }
    if (!batch_.error.ok()) finish_with_error(std::move(batch_.error), out);
    // [DONE] ends the call at once; trailing bytes are ignored.
    if (batch_.done && !finished_) on_end(out);
    return;
  }
  if (body_.size() + bytes.size() > kMaxBufferedBody) {
    finish_with_error(
        make_error(ErrorKind::kInvalidResponse, "body_too_large",
                   "The response body exceeded " + std::to_string(kMaxBufferedBody) + " bytes."),
        out);
    return;
  }
  body_.append(bytes.data(), bytes.size());
}

void ResponseConsumer::on_end(CallUpdate& out) {
  if (finished_) return;
  if (status_ < 200 || status_ >= 300) {
    finish_with_error(error_from_response(status_, body_, api_key_), out);
    return;
  }
  if (decoding_stream()) {
    StreamBatch batch;
    decoder_.finish(batch);
    if (!batch.error.ok()) {
      finish_with_error(std::move(batch.error), out);
      return;
    }
    finished_ = true;
    out.finished = true;
    out.result = decoder_.accumulator().completion();
    return;
  }
  json parsed = parse_json_text(body_);
  body_.clear();
  if (parsed.is_discarded() || !(parsed.is_object() || (array_body_ok_ && parsed.is_array()))) {
    finish_with_error(make_error(ErrorKind::kInvalidResponse, "invalid_json",
                                 "The server answered " + std::to_string(status_) +
                                     " with a body that is not a JSON object."),
                      out);
    return;
  }
  finished_ = true;
  out.finished = true;
  out.result = std::move(parsed);
}

void ResponseConsumer::on_transport_error(ErrorKind kind, const std::string& message,
                                          CallUpdate& out) {
  if (finished_) return;
  Error e;
  e.kind = kind;
  e.status = status_;
  e.code = error_kind_name(kind);
  e.message = redact_secret(message, api_key_);
  // A connection lost in the middle of a 200 stream is an incomplete stream (Decisions §6): the
  // caller gets the typed error for "the reply is cut short", with the cause in the message.
  if (kind == ErrorKind::kConnection && decoding_stream()) {
    e.kind = ErrorKind::kIncompleteStream;
    e.code = "incomplete_stream";
    e.message = "The connection closed before the stream finished; the reply is incomplete (" +
                e.message + ").";
  }
  finish_with_error(std::move(e), out);
}

void ResponseConsumer::finish_with_error(Error err, CallUpdate& out) {
  finished_ = true;
  out.finished = true;
  redact_error(err, secrets_);  // every field, whatever the server echoed into it (error.h)
  out.error = std::move(err);
  // Whatever arrived before the failure stays available to the caller.
  if (decoding_stream()) out.result = decoder_.accumulator().completion();
}

ApiCall::ApiCall(HttpRequest request, bool stream, std::string api_key, CallOptions options)
    : request_(std::move(request)),
      stream_(stream),
      api_key_(std::move(api_key)),
      options_(options),
      consumer_(stream, api_key_, options.array_body_ok, header_secrets(request_.headers),
                options.reply),
      rng_state_(options.seed) {}

void ApiCall::on_response(int status, std::string_view content_type, const RetryHints& hints) {
  hints_ = hints;
  consumer_.on_status(status, content_type);
}

void ApiCall::on_body(std::string_view bytes, CallUpdate& out) {
  if (!bytes.empty() && consumer_.status() >= 200 && consumer_.status() < 300) streamed_ = true;
  consumer_.on_body(bytes, out);
  maybe_retry(out);
}

void ApiCall::on_end(CallUpdate& out) {
  consumer_.on_end(out);
  maybe_retry(out);
}

void ApiCall::on_transport_error(ErrorKind kind, const std::string& message, CallUpdate& out) {
  consumer_.on_transport_error(kind, message, out);
  maybe_retry(out);
}

void ApiCall::maybe_retry(CallUpdate& out) {
  if (!out.finished || out.error.ok() || streamed_) return;
  if (attempt_ > options_.retry.max_retries || !is_retryable(out.error)) return;
  out.retry_delay_ms = retry_delay_ms(attempt_, hints_, options_.retry, next_random());
  out.finished = false;
  out.result = nullptr;
  ++attempt_;
  consumer_ = ResponseConsumer(stream_, api_key_, options_.array_body_ok,
                               header_secrets(request_.headers), options_.reply);
  hints_ = RetryHints{};
}

double ApiCall::next_random() {
  // splitmix64: tiny, good enough for jitter, and reproducible from the seed in tests.
  std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace llmbase
