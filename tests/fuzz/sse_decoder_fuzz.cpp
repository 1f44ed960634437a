// libFuzzer target: SseDecoder fed in input-derived pieces must match one whole feed, hand on
// only valid UTF-8, and never hold (nor dispatch) more than its limit allows.
#include <sanitizer/allocator_interface.h>

// The held-memory check needs ASan's allocator; the UBSan-only build (fuzz.sh --ubsan-only)
// runs every other check.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LLMBASE_FUZZ_HEAP_CHECK 1
#endif
#endif
#ifndef LLMBASE_FUZZ_HEAP_CHECK
#define LLMBASE_FUZZ_HEAP_CHECK 0
#endif

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/sse_decoder.h"
#include "fuzz_support.h"

namespace {
// Heap bytes in use, as ASan counts them; 0 without ASan (the check is then off).
std::size_t allocated_bytes() {
#if LLMBASE_FUZZ_HEAP_CHECK
  return __sanitizer_get_current_allocated_bytes();
#else
  return 0;
#endif
}
}  // namespace

namespace {

using llmbase::ErrorKind;
using llmbase::SseDecoder;
using llmbase::SseEvent;
namespace fz = llmbase::fuzz;

// Heap bytes owned by `s` (libstdc++: 15 bytes live inside the object).
std::size_t heap_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

std::size_t heap_bytes(const std::vector<SseEvent>& events) {
  std::size_t n = events.capacity() * sizeof(SseEvent);
  for (const auto& ev : events) n += heap_bytes(ev.event) + heap_bytes(ev.data) + heap_bytes(ev.id);
  return n;
}

// Bytes of the wire that produced `data`: each U+FFFD stands for at least one input byte.
std::size_t min_wire_bytes(std::string_view data) {
  std::size_t replacements = 0;
  for (std::size_t at = data.find("\xEF\xBF\xBD"); at != std::string_view::npos;
       at = data.find("\xEF\xBF\xBD", at + 3)) {
    ++replacements;
  }
  return data.size() - 2 * replacements;
}

void check_event(const SseEvent& ev, std::size_t limit) {
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(ev.data));
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(ev.event));
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(ev.id));
  LLMBASE_FUZZ_CHECK(!ev.data.empty());  // empty data dispatches nothing (WHATWG HTML §9.2.6)
  LLMBASE_FUZZ_CHECK(!ev.event.empty());
  LLMBASE_FUZZ_CHECK(min_wire_bytes(ev.data) <= limit);
}

bool same(const SseEvent& a, const SseEvent& b) {
  return a.event == b.event && a.data == b.data && a.id == b.id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input = fz::as_text(bytes, size);
  fz::InputRng rng(input);
  // Mostly small limits, so kEventTooLarge is reached by small inputs too.
  static constexpr std::size_t kLimits[] = {1,  2,   7,    16,
                                            64, 300, 4096, SseDecoder::kDefaultMaxEventBytes};
  const std::size_t limit = kLimits[rng.below(sizeof kLimits / sizeof kLimits[0])];

  // Reference: the whole input in one feed. The result must not depend on the split.
  SseDecoder whole(limit);
  std::vector<SseEvent> expected;
  const llmbase::Error whole_error = whole.feed(input, expected);
  const std::vector<std::string_view> pieces = fz::split_pieces(input, rng);

  const std::size_t heap_before = allocated_bytes();
  // Everything the decoder keeps between feeds: the line and the data being built, the event
  // type and the last id, each bounded by the limit (a small multiple, for string growth).
  const std::size_t max_held = 16 * limit + 64;
  SseDecoder split(limit);
  std::size_t next = 0;
  bool failed = false;
  for (std::string_view piece : pieces) {
    std::vector<SseEvent> batch;
    {
      const llmbase::Error e = split.feed(piece, batch);
      if (!e.ok()) {
        LLMBASE_FUZZ_CHECK(e.kind == ErrorKind::kEventTooLarge);
        LLMBASE_FUZZ_CHECK(!failed);  // reported once; later input is ignored
        failed = true;
      } else if (failed) {
        LLMBASE_FUZZ_CHECK(batch.empty());
      }
    }
    if (LLMBASE_FUZZ_HEAP_CHECK && size <= (1u << 20)) {
      const std::size_t held = allocated_bytes() - heap_before - heap_bytes(batch);
      if (held > max_held) {
        std::fprintf(stderr, "decoder holds %zu bytes with limit %zu\n", held, limit);
        LLMBASE_FUZZ_CHECK(held <= max_held);
      }
    }
    for (const auto& ev : batch) {
      check_event(ev, limit);
      LLMBASE_FUZZ_CHECK(next < expected.size() && same(ev, expected[next]));
      ++next;
    }
  }
  LLMBASE_FUZZ_CHECK(next == expected.size());
  LLMBASE_FUZZ_CHECK(failed == !whole_error.ok());
  LLMBASE_FUZZ_CHECK(split.retry_ms() == whole.retry_ms());
  LLMBASE_FUZZ_CHECK(split.last_event_id() == whole.last_event_id());
  LLMBASE_FUZZ_CHECK(split.finish() == whole.finish());
  return 0;
}
