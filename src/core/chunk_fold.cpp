// The chunk fast path: one pass over a chunk's text folds it into the accumulator, without a DOM.
// The pass first records what it found (views into the text) and changes the state only once the
// whole chunk proved valid and of an expected shape; anything else goes to the DOM path.
#include <cstdint>
#include <string_view>
#include <vector>

#include "chat_stream.h"
#include "detail/json_cursor.h"
#include "json_text.h"

namespace llmbase {
namespace {

using detail::JsonCursor;
using detail::JsonInteger;

constexpr std::size_t kMax = kMaxJsonDepth;

// A string member's raw text, when the member was a string.
struct Str {
  std::string_view raw;
  bool escaped = false;
  bool set = false;
};

struct ToolOp {
  long long index = 0;
  Str id, type, name, arguments;
};

struct ChoiceOp {
  long long index = 0;
  Str role, content, refusal, reasoning_content, reasoning, finish_reason;
  std::size_t tools_begin = 0, tools_end = 0;
  bool logprobs_object = false, logprobs_content = false, logprobs_refusal = false;
  std::string_view logprobs_content_items, logprobs_refusal_items;
};

// Index of `key` in `keys`, or -1.
template <std::size_t N>
int key_index(std::string_view key, const std::string_view (&keys)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (keys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

// Marks key `i` as seen; false for a repeated key, whose last value would win in the DOM.
bool first_time(int i, unsigned& seen) {
  if (i < 0) return true;
  const unsigned bit = 1u << i;
  if (seen & bit) return false;
  seen |= bit;
  return true;
}

// An object's members, each handed to `member` as the index of its key in `keys` (-1 for any
// other key). An escaped key or a listed key seen twice ends the fast path: the DOM path decodes
// such keys and lets the last repeat win, which this one pass does not model. A template, so the
// callback inlines as the hand-written loops did (no std::function, no allocation).
template <std::size_t N, typename Member>
bool for_each_keyed_member(JsonCursor& c, const std::string_view (&keys)[N], Member&& member) {
  unsigned seen = 0;
  return detail::for_each_member(c, [&](std::string_view key, bool escaped) {
    if (escaped) return false;
    const int k = key_index(key, keys);
    return first_time(k, seen) && member(k);
  });
}

bool string_or_skip(JsonCursor& c, std::size_t depth, Str& out) {
  if (c.peek() != '"') return c.skip_value(depth, kMax);
  out.set = true;
  return c.read_string(&out.raw, &out.escaped);
}

// An `index` member: its integer value when it is one, else the position stays.
bool index_or_skip(JsonCursor& c, std::size_t depth, long long& index) {
  const char next = c.peek();
  if (next != '-' && (next < '0' || next > '9')) return c.skip_value(depth, kMax);
  JsonInteger n;
  if (!c.read_number(&n)) return false;
  if (n.integer) index = n.value;
  return true;
}

// An array's text without its brackets and surrounding blanks: its items joined by commas.
std::string_view array_items(std::string_view raw) {
  raw = raw.substr(1, raw.size() - 2);
  const auto blank = [](char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; };
  while (!raw.empty() && blank(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && blank(raw.back())) raw.remove_suffix(1);
  return raw;
}

}  // namespace

struct ChatStreamAccumulator::Scratch {
  std::vector<ChoiceOp> choices;
  std::vector<ToolOp> tools;
  std::string_view top[6];  // id, created, model, system_fingerprint, service_tier, usage
  bool has_top[6] = {};

  bool scan(std::string_view text);
  bool scan_choice(JsonCursor& c, long long position);
  bool scan_delta(JsonCursor& c, ChoiceOp& op);
  bool scan_tool_call(JsonCursor& c, long long position);
  bool scan_logprobs(JsonCursor& c, ChoiceOp& op);
};

ChatStreamAccumulator::ChatStreamAccumulator() : scratch_(std::make_unique<Scratch>()) {}
ChatStreamAccumulator::~ChatStreamAccumulator() = default;
ChatStreamAccumulator::ChatStreamAccumulator(ChatStreamAccumulator&&) noexcept = default;
ChatStreamAccumulator& ChatStreamAccumulator::operator=(ChatStreamAccumulator&&) noexcept = default;

bool ChatStreamAccumulator::Scratch::scan(std::string_view text) {
  static constexpr std::string_view kKeys[] = {
      "id", "created", "model", "system_fingerprint", "service_tier", "usage", "choices", "error"};
  choices.clear();
  tools.clear();
  for (bool& b : has_top) b = false;
  JsonCursor c(text);
  if (c.peek() != '{') return false;  // not an object (or a BOM): the DOM path decides
  const bool ok = for_each_keyed_member(c, kKeys, [&](int k) {
    if (k < 0) return c.skip_value(1, kMax);
    if (k == 7) return c.eat_null();  // an `error` chunk takes the DOM path
    if (c.eat_null()) return true;    // null never counts as a value here
    if (k == 5 && c.peek() != '{') return c.skip_value(1, kMax);  // usage must be an object
    if (k == 6) {
      if (c.peek() != '[') return c.skip_value(1, kMax);
      long long position = 0;
      return detail::for_each_element(c, [&] {
        const bool fine = c.peek() == '{' ? scan_choice(c, position) : c.skip_value(2, kMax);
        ++position;
        return fine;
      });
    }
    has_top[k] = true;
    return c.raw_value(1, kMax, &top[k]);
  });
  return ok && c.at_end();
}

bool ChatStreamAccumulator::Scratch::scan_choice(JsonCursor& c, long long position) {
  static constexpr std::string_view kKeys[] = {"index", "delta", "logprobs", "finish_reason"};
  ChoiceOp op;
  op.index = position;
  op.tools_begin = tools.size();
  const bool ok = for_each_keyed_member(c, kKeys, [&](int k) {
    switch (k) {
      case 0: return index_or_skip(c, 3, op.index);
      case 1: return c.peek() == '{' ? scan_delta(c, op) : c.skip_value(3, kMax);
      case 2: return c.peek() == '{' ? scan_logprobs(c, op) : c.skip_value(3, kMax);
      case 3: return string_or_skip(c, 3, op.finish_reason);
      default: return c.skip_value(3, kMax);
    }
  });
  op.tools_end = tools.size();
  choices.push_back(op);
  return ok;
}

bool ChatStreamAccumulator::Scratch::scan_delta(JsonCursor& c, ChoiceOp& op) {
  static constexpr std::string_view kKeys[] = {
      "role", "content", "refusal", "reasoning_content", "reasoning", "tool_calls"};
  Str* strings[] = {&op.role, &op.content, &op.refusal, &op.reasoning_content, &op.reasoning};
  return for_each_keyed_member(c, kKeys, [&](int k) {
    if (k < 0) return c.skip_value(4, kMax);
    if (k < 5) return string_or_skip(c, 4, *strings[k]);
    if (c.peek() != '[') return c.skip_value(4, kMax);
    long long position = 0;  // counts object elements only, as the DOM path does
    return detail::for_each_element(
        c, [&] { return c.peek() == '{' ? scan_tool_call(c, position++) : c.skip_value(5, kMax); });
  });
}

bool ChatStreamAccumulator::Scratch::scan_tool_call(JsonCursor& c, long long position) {
  static constexpr std::string_view kKeys[] = {"index", "id", "type", "function"};
  static constexpr std::string_view kFunctionKeys[] = {"name", "arguments"};
  ToolOp op;
  op.index = position;
  const bool ok = for_each_keyed_member(c, kKeys, [&](int k) {
    switch (k) {
      case 0: return index_or_skip(c, 6, op.index);
      case 1: return string_or_skip(c, 6, op.id);
      case 2: return string_or_skip(c, 6, op.type);
      case 3: {
        if (c.peek() != '{') return c.skip_value(6, kMax);
        return for_each_keyed_member(c, kFunctionKeys, [&](int f) {
          if (f < 0) return c.skip_value(7, kMax);
          return string_or_skip(c, 7, f == 0 ? op.name : op.arguments);
        });
      }
      default: return c.skip_value(6, kMax);
    }
  });
  tools.push_back(op);
  return ok;
}

bool ChatStreamAccumulator::Scratch::scan_logprobs(JsonCursor& c, ChoiceOp& op) {
  static constexpr std::string_view kKeys[] = {"content", "refusal"};
  op.logprobs_object = true;
  return for_each_keyed_member(c, kKeys, [&](int k) {
    if (k < 0 || c.peek() != '[') return c.skip_value(4, kMax);
    std::string_view raw;
    if (!c.raw_value(4, kMax, &raw)) return false;
    (k == 0 ? op.logprobs_content : op.logprobs_refusal) = true;
    (k == 0 ? op.logprobs_content_items : op.logprobs_refusal_items) = array_items(raw);
    return true;
  });
}

namespace {

void assign(std::string& to, const Str& s) {
  to.clear();
  detail::append_unescaped(s.raw, to);
}

// Returns the bytes appended (they count towards the reply cap).
std::size_t append(std::string& to, const Str& s) {
  const std::size_t before = to.size();
  if (s.escaped) {
    detail::append_unescaped(s.raw, to);
  } else {
    to.append(s.raw.data(), s.raw.size());
  }
  return to.size() - before;
}

}  // namespace

bool ChatStreamAccumulator::fold_fast(std::string_view text) {
  Scratch& s = *scratch_;
  if (!s.scan(text)) return false;
  ++chunks_;
  RawValue* firsts[] = {&id_, &created_, &model_, &system_fingerprint_, &service_tier_};
  for (int k = 0; k < 5; ++k) {
    if (s.has_top[k]) firsts[k]->keep_first(s.top[k]);
  }
  if (s.has_top[5]) usage_.replace(s.top[5]);
  // A delta's text part: appended (its bytes count towards the reply cap) and marked present.
  const auto add_text = [this](std::string& to, bool& has, const Str& from) {
    if (!from.set) return;
    reply_bytes_ += append(to, from);
    has = true;
  };
  for (const ChoiceOp& op : s.choices) {
    Choice& c = choices_[op.index];
    if (op.role.set) assign(c.role, op.role);
    add_text(c.content, c.has_content, op.content);
    add_text(c.refusal, c.has_refusal, op.refusal);
    add_text(c.reasoning_content, c.has_reasoning_content, op.reasoning_content);
    add_text(c.reasoning, c.has_reasoning, op.reasoning);
    for (std::size_t i = op.tools_begin; i < op.tools_end; ++i) {
      const ToolOp& t = s.tools[i];
      ToolCall& call = c.tool_calls[t.index];
      // An escape always decodes to at least one byte, so a non-empty raw text is non-empty.
      if (t.id.set && !t.id.raw.empty()) assign(call.id, t.id);
      if (t.type.set && !t.type.raw.empty()) assign(call.type, t.type);
      if (t.name.set && !t.name.raw.empty()) assign(call.name, t.name);
      if (t.arguments.set) reply_bytes_ += append(call.arguments, t.arguments);
    }
    if (op.logprobs_object) {
      c.logprobs_object = true;
      if (op.logprobs_content) {
        c.logprobs_content = true;
        reply_bytes_ += append_items(c.logprobs_content_items, op.logprobs_content_items);
      }
      if (op.logprobs_refusal) {
        c.logprobs_refusal = true;
        reply_bytes_ += append_items(c.logprobs_refusal_items, op.logprobs_refusal_items);
      }
    }
    if (op.finish_reason.set) {
      if (!c.has_finish_reason) ++finish_reasons_;
      c.has_finish_reason = true;
      assign(c.finish_reason, op.finish_reason);
    }
  }
  return true;
}

}  // namespace llmbase
