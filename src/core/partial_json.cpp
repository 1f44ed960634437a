// Incremental JSON: a prefix of a JSON text is cut back to its last complete point and closed.
#include "partial_json.h"

#include "json_text.h"

namespace llmbase {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The body of a cut-off string ("\"ab…" without its closing quote) without a trailing "\",
// "\u12" or unpaired high surrogate "\ud83d" (its pair may still follow).
std::string_view trim_cut_escape(std::string_view body) {
  std::size_t slashes = 0;
  for (std::size_t k = body.size(); k > 1 && body[k - 1] == '\\'; --k) ++slashes;
  if (slashes % 2 == 1) return body.substr(0, body.size() - 1);
  for (std::size_t k = body.size() >= 6 ? body.size() - 6 : 1; k < body.size(); ++k) {
    if (body[k] != '\\' || k + 1 >= body.size() || body[k + 1] != 'u') continue;
    std::size_t before = 0;  // the backslash must itself be unescaped
    for (std::size_t b = k; b > 1 && body[b - 1] == '\\'; --b) ++before;
    if (before % 2 == 1) continue;
    const std::size_t digits = body.size() - k - 2;
    bool hex = true;
    for (std::size_t d = k + 2; d < body.size(); ++d) hex = hex && is_hex(body[d]);
    if (!hex) continue;
    const bool high = digits == 4 && (body[k + 2] == 'd' || body[k + 2] == 'D') &&
                      std::string_view("89abAB").find(body[k + 3]) != std::string_view::npos;
    if (digits < 4 || high) return body.substr(0, k);
  }
  return body;
}

// ... and without the first bytes of a UTF-8 sequence whose last bytes have not arrived.
std::string_view trim_cut_utf8(std::string_view body) {
  std::size_t k = body.size();
  std::size_t cont = 0;
  while (k > 1 && (static_cast<unsigned char>(body[k - 1]) & 0xc0) == 0x80 && cont < 3) --k, ++cont;
  if (k <= 1) return body;
  const auto lead = static_cast<unsigned char>(body[k - 1]);
  const std::size_t need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return lead >= 0xc0 && cont < need ? body.substr(0, k - 1) : body;
}

// One pass over the prefix. The last point after which the text, closed by the brackets open
// there, is one JSON value is kept as (safe_, safe_closers_); the text ends in one of them.
class PartialScan {
 public:
  explicit PartialScan(std::string_view s) : s_(s) {}

  std::string run() {
    // Object states: 0 key or '}', 1 ':', 2 value, 3 ',' or '}'. Arrays: 2 value (or ']' first),
    // 3 ',' or ']'. The top level is a value once.
    for (;;) {
      ws();
      if (i_ >= s_.size()) return closed();
      const char c = s_[i_];
      if (stack_.empty() && done_) return std::string();  // "1 2", "{} x"
      const int state = stack_.empty() ? 2 : states_.back();
      const bool object = !stack_.empty() && stack_.back() == '}';
      if (state == 0) {
        if (c == '}' && first_) {
          close();
        } else if (c == '"') {
          if (!skip_string()) return closed();  // a cut key is dropped with its object member
          states_.back() = 1;
        } else {
          return std::string();
        }
      } else if (state == 1) {
        if (c != ':') return std::string();
        ++i_;
        states_.back() = 2;
      } else if (state == 2) {
        if (c == ']' && !stack_.empty() && !object && first_) {  // "[]"; a top-level "]" is no JSON
          close();
        } else if (c == '{' || c == '[') {
          if (stack_.size() >= kMaxJsonDepth) return std::string();
          ++i_;
          stack_ += c == '{' ? '}' : ']';
          states_.push_back(c == '{' ? 0 : 2);
          first_ = true;
          mark();
        } else if (c == '"') {
          const std::size_t start = i_;
          if (!skip_string()) return cut_string(start);
          value_done();
        } else if (!skip_scalar()) {
          return scalar_error_ ? std::string() : closed();
        } else {
          value_done();
        }
      } else {  // 3
        if (c == ',') {
          ++i_;
          states_.back() = object ? 0 : 2;
          first_ = false;
        } else if (c == stack_.back()) {
          close();
        } else {
          return std::string();
        }
      }
    }
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  void mark() {
    safe_ = i_;
    safe_closers_.assign(stack_.rbegin(), stack_.rend());
    any_ = true;
  }
  void value_done() {
    if (stack_.empty()) done_ = true;
    else states_.back() = 3;
    first_ = false;
    mark();
  }
  void close() {
    ++i_;
    stack_.pop_back();
    states_.pop_back();
    value_done();
  }
  // Past a string; false when the text ends inside it.
  bool skip_string() {
    for (++i_; i_ < s_.size(); ++i_) {
      if (s_[i_] == '\\') ++i_;
      else if (s_[i_] == '"') return ++i_ <= s_.size();
    }
    i_ = s_.size();
    return false;
  }
  // Past a number or literal; false when it may still grow (the text ends in it) or is no
  // value (scalar_error_).
  bool skip_scalar() {
    const std::size_t start = i_;
    const char c = s_[i_];
    if (c == '-' || (c >= '0' && c <= '9')) {
      while (i_ < s_.size() &&
             std::string_view("+-0123456789.eE").find(s_[i_]) != std::string_view::npos)
        ++i_;
      return i_ < s_.size();
    }
    for (std::string_view word :
         {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
      const std::string_view rest = s_.substr(start, word.size());
      if (rest == word) {
        i_ += word.size();
        return true;
      }
      if (start + rest.size() == s_.size() && word.substr(0, rest.size()) == rest) return false;
    }
    scalar_error_ = true;
    return false;
  }
  std::string closed() const {
    if (!any_) return std::string();
    std::string out(s_.substr(0, safe_));
    out += safe_closers_;
    return out;
  }
  // A string value cut off: it is kept, closed, then its containers.
  std::string cut_string(std::size_t start) const {
    std::string_view body = trim_cut_utf8(trim_cut_escape(s_.substr(start)));
    std::string out(s_.substr(0, start));
    out.append(body.data(), body.size());
    out += '"';
    out.append(stack_.rbegin(), stack_.rend());
    return out;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string stack_;   // the closing bracket of each open container
  std::string states_;  // its state (see run())
  bool first_ = true;   // nothing yet in the innermost container
  bool done_ = false;   // the top-level value is complete
  bool any_ = false;    // some safe point exists
  bool scalar_error_ = false;
  std::size_t safe_ = 0;
  std::string safe_closers_;
};

}  // namespace

std::string complete_partial_json(std::string_view prefix) {
  std::string out = PartialScan(prefix).run();
  // The scan follows the structure only; escapes, numbers and UTF-8 are the parser's to judge.
  if (!out.empty() && parse_json_text(out).is_discarded()) out.clear();
  return out;
}

}  // namespace llmbase
