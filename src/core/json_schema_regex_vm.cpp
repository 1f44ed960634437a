// JSON Schema `pattern`: the Pike VM that runs a compiled SchemaRegex, and UTF-8 decoding to code points.
#include "detail/json_schema_regex.h"

namespace llmbase::detail {

std::vector<std::uint32_t> decode_utf8(std::string_view s) {
  std::vector<std::uint32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80         ? 1
                      : (b >> 5) == 6  ? 2
                      : (b >> 4) == 14 ? 3
                      : (b >> 3) == 30 ? 4
                                       : 0;
    std::uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      ok = (c >> 6) == 2;
      cp = (cp << 6) | (c & 0x3f);
    }
    out.push_back(ok ? cp : 0xfffd);
    i += ok ? len : 1;
  }
  return out;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

bool SchemaRegex::search(std::string_view text) const {
  if (prog_.empty()) return false;
  const std::vector<std::uint32_t> in = decode_utf8(text);
  const std::size_t n = prog_.size();
  std::vector<std::uint32_t> cur, next, stack;
  std::vector<std::size_t> mark(n, static_cast<std::size_t>(-1));
  std::size_t gen = 0;
  // Follows jumps, splits and anchors from `start` at input position `pos`; true on kMatch.
  auto add = [&](std::vector<std::uint32_t>& list, std::uint32_t start, std::size_t pos) {
    stack.assign(1, start);
    while (!stack.empty()) {
      const std::uint32_t p = stack.back();
      stack.pop_back();
      if (mark[p] == gen) continue;
      mark[p] = gen;
      const Inst& ins = prog_[p];
      switch (ins.op) {
        case Inst::kJmp: stack.push_back(ins.a); break;
        case Inst::kSplit: stack.push_back(ins.b), stack.push_back(ins.a); break;
        case Inst::kBol:
          if (pos == 0) stack.push_back(p + 1);
          break;
        case Inst::kEol:
          if (pos == in.size()) stack.push_back(p + 1);
          break;
        case Inst::kMatch: return true;
        default: list.push_back(p);
      }
    }
    return false;
  };
  for (std::size_t pos = 0;; ++pos) {
    // Unanchored search: a new thread starts at every position.
    if (add(cur, 0, pos)) return true;
    if (pos == in.size()) return false;
    ++gen;
    next.clear();
    const std::uint32_t c = in[pos];
    for (std::uint32_t p : cur) {
      const Inst& ins = prog_[p];
      bool ok = false;
      if (ins.op == Inst::kChar) {
        ok = ins.a == c;
      } else if (ins.op == Inst::kAny) {
        ok = true;
      } else if (ins.op == Inst::kClass) {
        const Class& cls = classes_[ins.a];
        for (const Range& r : cls.ranges) ok = ok || (c >= r.lo && c <= r.hi);
        ok = ok != cls.negated;
      }
      if (ok && add(next, p + 1, pos + 1)) return true;
    }
    cur.swap(next);
  }
}

}  // namespace llmbase::detail
