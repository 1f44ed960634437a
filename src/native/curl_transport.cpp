// libcurl (multi interface) transport: one attempt at a time, bytes fed to the core as they arrive.
#include "curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

namespace llmbase::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Why an attempt was stopped from our side.
enum class Stop { kNone, kCancelled, kIdle, kDeadline, kCoreDone };

struct Attempt {
  ApiCall* call = nullptr;
  const ChunkSink* on_chunk = nullptr;
  TransportOutcome* outcome = nullptr;
  CallUpdate update;   // what the core said last (finished / retry)
  CallUpdate scratch;  // reused by every body read: no allocation per read
  bool headers_done = false;
  int status = 0;
  std::map<std::string, std::string> headers;
  Clock::time_point last_activity;
  Stop stop = Stop::kNone;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string header_or_empty(const std::map<std::string, std::string>& h, const char* name) {
  auto it = h.find(name);
  return it == h.end() ? std::string() : it->second;
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Hands the core's latest update on: chunks to the caller; a finished or retry update ends the
// attempt. Returns false when the attempt must stop.
bool absorb(Attempt& a, CallUpdate& u) {
  if (!u.chunks.empty() && !(*a.on_chunk)(u.chunks, *a.call)) {
    a.stop = Stop::kCancelled;
    return false;
  }
  u.chunks.clear();
  if (u.finished || u.retry_delay_ms >= 0) {
    a.update = std::move(u);
    a.stop = Stop::kCoreDone;
    return false;
  }
  return true;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& a = *static_cast<Attempt*>(user);
  const size_t n = size * count;
  std::string line(data, n);
  a.last_activity = Clock::now();
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue or a redirect): start over.
    a.headers.clear();
    a.headers_done = false;
    const auto sp = line.find(' ');
    a.status = sp == std::string::npos ? 0 : std::atoi(line.c_str() + sp + 1);
    return n;
  }
  const std::string trimmed = trim(line);
  if (trimmed.empty()) {
    if (a.status >= 200 && !a.headers_done) {
      a.headers_done = true;
      RetryHints hints{header_or_empty(a.headers, "retry-after-ms"),
                       header_or_empty(a.headers, "retry-after"), unix_ms_now()};
      a.call->on_response(a.status, header_or_empty(a.headers, "content-type"), hints);
    }
    return n;
  }
  const auto colon = trimmed.find(':');
  if (colon != std::string::npos) {
    a.headers[lower(trimmed.substr(0, colon))] = trim(trimmed.substr(colon + 1));
  }
  return n;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& a = *static_cast<Attempt*>(user);
  const size_t n = size * count;
  a.last_activity = Clock::now();
  if (a.stop != Stop::kNone) return 0;
  a.scratch.clear();
  a.call->on_body(std::string_view(data, n), a.scratch);
  // Returning less than n makes libcurl stop with CURLE_WRITE_ERROR: that is how a finished
  // ([DONE]) or cancelled stream closes its connection.
  return absorb(a, a.scratch) ? n : 0;
}

curl_slist* request_headers(const HttpRequest& req) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : req.headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  // libcurl would otherwise send `Expect: 100-continue` for larger bodies and wait for it.
  list = curl_slist_append(list, "Expect:");
  return list;
}

// One HTTP attempt. Leaves the core's verdict in a.update when the core decided (finished or
// retry); otherwise returns the transport error kind to report.
ErrorKind perform_attempt(Attempt& a, const HttpRequest& req, const TransportLimits& limits,
                          std::string* error_text) {
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  curl_slist* headers = request_headers(req);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &a);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &a);
  // Bigger reads mean fewer crossings into the core on a fast stream (the default is 16 KiB).
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "llmbase-native/0.1");
  // Ask for gzip and decode it (identity is always accepted), as fetch in the JS client does.
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
  if (req.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  curl_multi_add_handle(multi, easy);

  a.last_activity = Clock::now();
  int running = 1;
  CURLcode result = CURLE_OK;
  while (running && a.stop == Stop::kNone) {
    curl_multi_perform(multi, &running);
    if (!running) break;
    // Short polls, so cancellation and both time limits act within a few milliseconds.
    curl_multi_poll(multi, nullptr, 0, 20, nullptr);
    const auto now = Clock::now();
    if (limits.cancel && limits.cancel->load()) a.stop = Stop::kCancelled;
    else if (now >= limits.deadline) a.stop = Stop::kDeadline;
    else if (now - a.last_activity >= limits.idle) a.stop = Stop::kIdle;
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
    if (msg->msg == CURLMSG_DONE) result = msg->data.result;
  }
  curl_multi_remove_handle(multi, easy);
  curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  a.outcome->status = a.status;
  a.outcome->headers = a.headers;

  switch (a.stop) {
    case Stop::kCoreDone: return ErrorKind::kNone;
    case Stop::kCancelled:
      *error_text = transport_error_text(ErrorKind::kUserAbort);
      return ErrorKind::kUserAbort;
    case Stop::kDeadline:
      *error_text = transport_error_text(ErrorKind::kTimeout, limits.timeout.count());
      return ErrorKind::kTimeout;
    case Stop::kIdle:
      *error_text = transport_error_text(ErrorKind::kIdleTimeout, limits.idle.count());
      return ErrorKind::kIdleTimeout;
    case Stop::kNone: break;
  }
  if (result == CURLE_OK) {
    if (!a.headers_done) {
      *error_text = transport_error_text(ErrorKind::kConnection);
      return ErrorKind::kConnection;
    }
    CallUpdate u;
    a.call->on_end(u);
    absorb(a, u);
    if (a.stop == Stop::kCancelled) {
      *error_text = transport_error_text(ErrorKind::kUserAbort);
      return ErrorKind::kUserAbort;
    }
    return ErrorKind::kNone;
  }
  *error_text = transport_error_text(ErrorKind::kConnection, 0,
                                     errbuf[0] ? errbuf : curl_easy_strerror(result));
  return ErrorKind::kConnection;
}

// Waits `delay_ms`, in slices, unless cancelled or past the deadline first.
ErrorKind wait_before_retry(std::int64_t delay_ms, const TransportLimits& limits,
                            std::string* error_text) {
  const auto until = Clock::now() + std::chrono::milliseconds(delay_ms);
  while (Clock::now() < until) {
    if (limits.cancel && limits.cancel->load()) {
      *error_text = transport_error_text(ErrorKind::kUserAbort);
      return ErrorKind::kUserAbort;
    }
    if (Clock::now() >= limits.deadline) {
      *error_text = transport_error_text(ErrorKind::kTimeout, limits.timeout.count());
      return ErrorKind::kTimeout;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ErrorKind::kNone;
}

}  // namespace

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

TransportOutcome run_call(ApiCall& call, const TransportLimits& limits, const ChunkSink& on_chunk) {
  ensure_curl_initialised();
  TransportOutcome outcome;
  for (;;) {
    Attempt a;
    a.call = &call;
    a.on_chunk = &on_chunk;
    a.outcome = &outcome;
    std::string error_text;
    ErrorKind transport_error = perform_attempt(a, call.request(), limits, &error_text);
    CallUpdate u = std::move(a.update);
    if (transport_error != ErrorKind::kNone) {
      u = CallUpdate{};
      call.on_transport_error(transport_error, error_text, u);
      // Chunks are not produced by a transport error; only the verdict matters here.
    }
    if (u.retry_delay_ms >= 0 && !u.finished) {
      ErrorKind waited = wait_before_retry(u.retry_delay_ms, limits, &error_text);
      if (waited == ErrorKind::kNone) continue;
      u = CallUpdate{};
      call.on_transport_error(waited, error_text, u);
    }
    outcome.final = std::move(u);
    return outcome;
  }
}

}  // namespace llmbase::detail
