// Embind surface of the stream decoder outside any call: stream runner snapshots and relayed streams.
#include <emscripten/bind.h>

#include <string>

#include "core/chat_stream.h"
#include "core/json_text.h"
#include "wasm/call_bindings.h"

namespace llmbase::wasm {
namespace {

// SSE text → chunks, [DONE], error frames and the accumulated completion, outside any call: the
// stream runner's snapshots (fed the chunks it has handed out) and relayed streams
// (fromReadableStream) use the same decoder as a live call.
class JsStreamDecoder {
 public:
  // {"finished":b,"error":{…}?,"chunks":[…]}: the chunks as received, joined without a re-dump.
  std::string feed(const std::string& text) {
    batch_ = StreamBatch{};
    decoder_.feed(text, batch_);
    return answer();
  }
  std::string finish() {
    batch_ = StreamBatch{};
    decoder_.finish(batch_);
    return answer();
  }
  std::string completion() const { return dump_json(decoder_.accumulator().completion()); }

 private:
  std::string answer() const {
    detail::OrderedObjectText out;
    out.add("finished", batch_.done || !batch_.error.ok());
    if (!batch_.error.ok()) out.add("error", error_to_json(batch_.error));
    std::string chunks = "[";
    chunks.append(batch_.chunks.joined());
    chunks += ']';
    return out.add_text("chunks", chunks).str();
  }

  ChatStreamDecoder decoder_;
  StreamBatch batch_;
};

}  // namespace
}  // namespace llmbase::wasm

EMSCRIPTEN_BINDINGS(llmbase_stream_decoder) {
  using llmbase::wasm::JsStreamDecoder;
  emscripten::class_<JsStreamDecoder>("StreamDecoder")
      .constructor<>()
      .function("feed", &JsStreamDecoder::feed)
      .function("finish", &JsStreamDecoder::finish)
      .function("completion", &JsStreamDecoder::completion);
}
