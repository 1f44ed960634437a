// `llmbase serve --help`: the text, with each default filled in from the option table (serve_options.cpp), so the help cannot show another default than the one used.
#include <string>

#include "cli/serve_options.h"

namespace llmbase::cli {
namespace {

// {name} stands for serve_default("name"); a name without a default stays as written, which
// tests/cpp/cli/serve_options_test.cpp looks for.
const char* const kServeHelp = R"(Usage: llmbase serve [options]
       llmbase serve --proxy --upstream URL [proxy options]

Starts the local LLMBase-compatible server (OpenAI-shaped chat completions, models, balance)
and prints its base URL. Ctrl-C stops it. Node CLI only: npx llmbase serve.

Options:
  --port N              port to listen on (default {port}; 0 picks a free port)
  --host HOST           interface to bind (default {host})
  --catalog FILE        JSON model catalog replacing the built-in one
  --balance USD         starting prepaid balance (default {balance})
  --keys a,b            accept only these API keys (default: any key starting llmbase_)
  --chunk-delay-ms N    pause between stream chunks (default {chunk-delay-ms}; 0 = none)
  --static DIR          also serve files from DIR for every non-/v1 path (index.html for /)
  --static-mount P=DIR  serve DIR under the URL prefix P (e.g. /dist=dist); comma-separated list
  --max-concurrent N    concurrent completions before 429 (default {max-concurrent})
  --quiet               do not log one line per request
  --help                show this help

With --static or --static-mount, requests that carry no key get the local key added (the first of
--keys, else a built-in one), so a page such as the <llmbase-chat> demo needs no key in it.
Requests with their own key are checked as usual.

Key-safe proxy (--proxy): a browser widget talks to it; it adds the key from LLMBASE_API_KEY on
the server side and forwards only /v1/chat/completions, /v1/models and /v1/model-metadata; it also
answers the AI SDK's useChat at POST /ui/chat (UI message stream), behind the same checks.
  --proxy               run the proxy instead of the local server
  --upstream URL        where to forward (e.g. https://api.llmbase.ai/v1); required with --proxy
  --allow-models a,b    only these models (default: every upstream model)
  --max-tokens-cap N    highest max_tokens; requests without one get N (default {max-tokens-cap})
  --rate-limit N/min    requests per client IP (also N/s, N/h; 0 = off; default {rate-limit})
  --allowed-origins a,b page origins allowed to call it, e.g. https://example.com (default: same
                        origin only; * = any)
  --allowed-hosts a,b   public host names the proxy answers to (Host header), e.g.
                        proxy.example.com; loopback and IP addresses always work (* = any)
  --allow-params a,b    forward these request parameters too (default: the documented ones)
  --upstream-headers-timeout MS  wait at most MS for the upstream's response headers → 504
                        (default {upstream-headers-timeout})
  --upstream-idle-timeout MS     longest upstream silence, before or within the body
                        (default {upstream-idle-timeout})
  --trust-proxy         take the client IP from X-Forwarded-For (behind your own reverse proxy)
  --redis URL           keep the rate and spend counters in Redis (redis://host:port), shared by
                        every proxy process using it (default: this process's memory)
  --spend-limit-client USD   USD per client IP per UTC day, from the cost of each finished call
  --spend-limit-site USD     USD for the whole site per UTC day
  --log-json            one JSON line per request (time, route, model, status, tokens, cost, duration)
  --shutdown-timeout MS on Ctrl-C/SIGTERM let streams finish for up to MS (default {shutdown-timeout})
  --static, --static-mount, --port, --host, --quiet as above

Test faults: send the header x-llmbase-test-fault (see src/js/server/faults.mjs).

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 could not start (port in use, unreadable catalog,
  no LLMBASE_API_KEY with --proxy…), 2 usage, or a valid serve given to the native llmbase (it
  checks the options, then points to npx llmbase serve), 130 a second Ctrl-C.
)";

}  // namespace

std::string serve_help() {
  std::string out;
  for (const char* c = kServeHelp; *c; ++c) {
    const char* end = *c == '{' ? c + 1 : nullptr;
    while (end && *end && *end != '}' && *end != '\n') ++end;
    const std::string shown = end && *end == '}' ? serve_default(std::string(c + 1, end)) : "";
    if (!shown.empty()) {
      out += shown;
      c = end;
    } else {
      out += *c;
    }
  }
  return out;
}

}  // namespace llmbase::cli
