// JSON Schema `pattern`: parser of the ECMA-262 subset → instructions, and the Pike VM that runs them.
#include "detail/json_schema_regex.h"

#include <memory>

namespace llmbase::detail {

namespace {

constexpr std::uint32_t kInfinite = 0xffffffffu;
constexpr std::uint32_t kMaxCount = 1000;   // {n,m} bounds: larger ones are refused
constexpr std::size_t kMaxProgram = 20000;  // instructions after expanding {n,m}
constexpr std::size_t kMaxNesting = 100;    // group nesting

struct Node {
  enum Kind { kEmpty, kChar, kAny, kClass, kBol, kEol, kConcat, kAlt, kRepeat } kind = kEmpty;
  std::uint32_t value = 0;  // char or class index
  std::uint32_t min = 0, max = 0;
  std::vector<std::unique_ptr<Node>> kids;
};

using Range = SchemaRegex::Range;

void add_digit(std::vector<Range>& r) { r.push_back({'0', '9'}); }
void add_word(std::vector<Range>& r) {
  r.push_back({'0', '9'});
  r.push_back({'A', 'Z'});
  r.push_back({'_', '_'});
  r.push_back({'a', 'z'});
}
// ECMA-262 WhiteSpace and LineTerminator (§22.2.2.9 CharacterClassEscape \s).
void add_space(std::vector<Range>& r) {
  for (Range x : {Range{9, 13}, Range{32, 32}, Range{0xa0, 0xa0}, Range{0x1680, 0x1680},
                  Range{0x2000, 0x200a}, Range{0x2028, 0x2029}, Range{0x202f, 0x202f},
                  Range{0x205f, 0x205f}, Range{0x3000, 0x3000}, Range{0xfeff, 0xfeff}}) {
    r.push_back(x);
  }
}
// The complement of `in` over all code points.
std::vector<Range> complement(std::vector<Range> in) {
  std::vector<Range> out;
  // insertion sort: classes are small
  for (std::size_t i = 1; i < in.size(); ++i)
    for (std::size_t j = i; j > 0 && in[j].lo < in[j - 1].lo; --j) std::swap(in[j], in[j - 1]);
  std::uint32_t next = 0;
  for (const Range& r : in) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    if (r.hi + 1 > next) next = r.hi + 1;
  }
  if (next <= 0x10ffff) out.push_back({next, 0x10ffff});
  return out;
}

}  // namespace

class RegexCompiler {
 public:
  RegexCompiler(SchemaRegex& re, const std::vector<std::uint32_t>& pat) : re_(re), p_(pat) {}

  bool run(std::string& error) {
    std::unique_ptr<Node> root = alternation(0);
    if (root && i_ < p_.size()) fail("unmatched ')'");
    if (!error_.empty()) {
      error = error_ + " at offset " + std::to_string(i_);
      return false;
    }
    emit(*root);
    if (re_.prog_.size() > kMaxProgram) {
      error = "the pattern expands to more than " + std::to_string(kMaxProgram) + " steps";
      return false;
    }
    re_.prog_.push_back({SchemaRegex::Inst::kMatch});
    return true;
  }

 private:
  using Ptr = std::unique_ptr<Node>;

  bool more() const { return i_ < p_.size() && error_.empty(); }
  Ptr fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return nullptr;
  }
  static Ptr leaf(Node::Kind kind, std::uint32_t value = 0) {
    Ptr n = std::make_unique<Node>();
    n->kind = kind;
    n->value = value;
    return n;
  }
  Ptr class_leaf(std::vector<Range> ranges, bool negated) {
    re_.classes_.push_back({std::move(ranges), negated});
    return leaf(Node::kClass, static_cast<std::uint32_t>(re_.classes_.size() - 1));
  }

  Ptr alternation(std::size_t depth) {
    if (depth > kMaxNesting) return fail("groups nested too deeply");
    Ptr alt = leaf(Node::kAlt);
    alt->kids.push_back(sequence(depth));
    while (more() && p_[i_] == '|') {
      ++i_;
      alt->kids.push_back(sequence(depth));
    }
    if (!error_.empty()) return nullptr;
    return alt->kids.size() == 1 ? std::move(alt->kids[0]) : std::move(alt);
  }

  Ptr sequence(std::size_t depth) {
    Ptr seq = leaf(Node::kConcat);
    while (more() && p_[i_] != '|' && p_[i_] != ')') {
      Ptr atom_node = atom(depth);
      if (!atom_node) return nullptr;
      atom_node = quantified(std::move(atom_node));
      if (!atom_node) return nullptr;
      seq->kids.push_back(std::move(atom_node));
    }
    return seq;
  }

  bool read_int(std::uint32_t& out) {
    std::size_t start = i_;
    std::uint64_t v = 0;
    while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9') {
      v = v * 10 + (p_[i_++] - '0');
      if (v > kMaxCount) v = kMaxCount + 1;
    }
    out = static_cast<std::uint32_t>(v);
    return i_ > start;
  }

  Ptr quantified(Ptr atom_node) {
    if (!more()) return atom_node;
    std::uint32_t min = 0, max = 0;
    const std::uint32_t c = p_[i_];
    if (c == '*') {
      min = 0, max = kInfinite, ++i_;
    } else if (c == '+') {
      min = 1, max = kInfinite, ++i_;
    } else if (c == '?') {
      min = 0, max = 1, ++i_;
    } else if (c == '{') {
      const std::size_t save = i_++;
      if (!read_int(min)) {  // ECMA-262 Annex B: a '{' that starts no quantifier is literal
        i_ = save;
        return atom_node;
      }
      max = min;
      if (i_ < p_.size() && p_[i_] == ',') {
        ++i_;
        if (!read_int(max)) max = kInfinite;
      }
      if (i_ >= p_.size() || p_[i_] != '}') {
        i_ = save;
        return atom_node;
      }
      ++i_;
      if (min > kMaxCount || (max != kInfinite && max > kMaxCount)) {
        return fail("a repetition count above " + std::to_string(kMaxCount));
      }
      if (max < min) return fail("a {min,max} quantifier with max below min");
    } else {
      return atom_node;
    }
    if (atom_node->kind == Node::kBol || atom_node->kind == Node::kEol) {
      return fail("a quantifier after an anchor");
    }
    if (i_ < p_.size() && p_[i_] == '?') ++i_;  // lazy: same set of matching strings
    Ptr rep = leaf(Node::kRepeat);
    rep->min = min;
    rep->max = max;
    rep->kids.push_back(std::move(atom_node));
    return rep;
  }

  Ptr atom(std::size_t depth) {
    const std::uint32_t c = p_[i_++];
    switch (c) {
      case '^': return leaf(Node::kBol);
      case '$': return leaf(Node::kEol);
      case '.': return class_leaf({{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}}, true);
      case '[': return char_class();
      case '*':
      case '+':
      case '?': return fail("a quantifier with nothing to repeat");
      case '(': {
        if (i_ < p_.size() && p_[i_] == '?') {
          if (i_ + 1 < p_.size() && p_[i_ + 1] == ':') {
            i_ += 2;
          } else {
            return fail("lookaround and named groups ((?=, (?!, (?<) are not supported");
          }
        }
        Ptr inner = alternation(depth + 1);
        if (!inner) return nullptr;
        if (i_ >= p_.size() || p_[i_] != ')') return fail("an unclosed '('");
        ++i_;
        return inner;
      }
      case '\\': {
        std::vector<Range> ranges;
        bool negated = false;
        std::uint32_t ch = 0;
        if (!escape(ranges, negated, ch, false)) return nullptr;
        if (!ranges.empty()) return class_leaf(std::move(ranges), negated);
        return leaf(Node::kChar, ch);
      }
      default: return leaf(Node::kChar, c);
    }
  }

  bool hex(std::size_t digits, std::uint32_t& out) {
    out = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      if (i_ >= p_.size()) return false;
      const std::uint32_t h = p_[i_];
      std::uint32_t v;
      if (h >= '0' && h <= '9') v = h - '0';
      else if (h >= 'a' && h <= 'f') v = h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') v = h - 'A' + 10;
      else return false;
      out = out * 16 + v;
      ++i_;
    }
    return true;
  }

  // After a backslash: a class escape fills `ranges` (+ `negated`), else `ch` is the character.
  bool escape(std::vector<Range>& ranges, bool& negated, std::uint32_t& ch, bool in_class) {
    if (i_ >= p_.size()) return fail("a trailing backslash"), false;
    const std::uint32_t e = p_[i_++];
    switch (e) {
      case 'd': add_digit(ranges); return true;
      case 'w': add_word(ranges); return true;
      case 's': add_space(ranges); return true;
      case 'D': add_digit(ranges), negated = true; return true;
      case 'W': add_word(ranges), negated = true; return true;
      case 'S': add_space(ranges), negated = true; return true;
      case 't': ch = '\t'; return true;
      case 'n': ch = '\n'; return true;
      case 'r': ch = '\r'; return true;
      case 'f': ch = '\f'; return true;
      case 'v': ch = '\v'; return true;
      case '0': ch = 0; return true;
      case 'x':
        if (!hex(2, ch)) return fail("\\x needs two hex digits"), false;
        return true;
      case 'u':
        if (!hex(4, ch)) return fail("\\u needs four hex digits"), false;
        return true;
      case 'b':
        if (in_class) return ch = '\b', true;
        return fail("\\b (word boundary) is not supported"), false;
      default: break;
    }
    if ((e >= '1' && e <= '9')) return fail("backreferences are not supported"), false;
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
      return fail(std::string("the escape \\") + static_cast<char>(e) + " is not supported"), false;
    }
    ch = e;  // escaped punctuation (and any other non-letter) stands for itself
    return true;
  }

  Ptr char_class() {
    bool negated = false;
    if (i_ < p_.size() && p_[i_] == '^') negated = true, ++i_;
    std::vector<Range> ranges;
    bool first = true;
    while (true) {
      if (i_ >= p_.size()) return fail("an unclosed '['");
      if (p_[i_] == ']' && !first) break;
      if (p_[i_] == ']' && first) break;  // ECMA-262: [] matches nothing, [^] everything
      first = false;
      std::uint32_t lo = 0;
      if (!class_atom(ranges, lo)) {
        if (!error_.empty()) return nullptr;
        continue;  // a class escape such as \d was added
      }
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        std::uint32_t hi = 0;
        if (!class_atom(ranges, hi)) {
          if (!error_.empty()) return nullptr;
          return fail("a class escape as the end of a range");
        }
        if (hi < lo) return fail("a range out of order");
        ranges.push_back({lo, hi});
      } else {
        ranges.push_back({lo, lo});
      }
    }
    ++i_;  // ']'
    return class_leaf(std::move(ranges), negated);
  }

  // One class member: true with `ch` for a character, false after adding a class escape.
  bool class_atom(std::vector<Range>& ranges, std::uint32_t& ch) {
    const std::uint32_t c = p_[i_++];
    if (c != '\\') return ch = c, true;
    std::vector<Range> escaped;
    bool negated = false;
    if (!escape(escaped, negated, ch, true)) return false;
    if (escaped.empty()) return true;
    if (negated) escaped = complement(std::move(escaped));
    ranges.insert(ranges.end(), escaped.begin(), escaped.end());
    return false;
  }

  // Code generation (Thompson construction). Each node's code falls through to what follows.
  std::uint32_t pc() const { return static_cast<std::uint32_t>(re_.prog_.size()); }
  std::uint32_t push(SchemaRegex::Inst::Op op, std::uint32_t a = 0, std::uint32_t b = 0) {
    re_.prog_.push_back({op, a, b});
    return pc() - 1;
  }

  void emit(const Node& n) {
    if (re_.prog_.size() > kMaxProgram) return;  // reported by run()
    using I = SchemaRegex::Inst;
    switch (n.kind) {
      case Node::kEmpty: break;
      case Node::kChar: push(I::kChar, n.value); break;
      case Node::kAny: push(I::kAny); break;
      case Node::kClass: push(I::kClass, n.value); break;
      case Node::kBol: push(I::kBol); break;
      case Node::kEol: push(I::kEol); break;
      case Node::kConcat:
        for (const auto& k : n.kids) emit(*k);
        break;
      case Node::kAlt: {
        std::vector<std::uint32_t> jumps;
        for (std::size_t k = 0; k < n.kids.size(); ++k) {
          if (k + 1 < n.kids.size()) {
            const std::uint32_t split = push(I::kSplit);
            re_.prog_[split].a = pc();
            emit(*n.kids[k]);
            jumps.push_back(push(I::kJmp));
            re_.prog_[split].b = pc();
          } else {
            emit(*n.kids[k]);
          }
        }
        for (std::uint32_t j : jumps) re_.prog_[j].a = pc();
        break;
      }
      case Node::kRepeat: {
        const Node& body = *n.kids[0];
        for (std::uint32_t k = 0; k < n.min; ++k) emit(body);
        if (n.max == kInfinite) {
          const std::uint32_t loop = push(I::kSplit);
          re_.prog_[loop].a = pc();
          emit(body);
          push(I::kJmp, loop);
          re_.prog_[loop].b = pc();
        } else {
          std::vector<std::uint32_t> splits;
          for (std::uint32_t k = n.min; k < n.max && re_.prog_.size() <= kMaxProgram; ++k) {
            const std::uint32_t split = push(I::kSplit);
            re_.prog_[split].a = pc();
            splits.push_back(split);
            emit(body);
          }
          for (std::uint32_t s : splits) re_.prog_[s].b = pc();
        }
        break;
      }
    }
  }

  SchemaRegex& re_;
  const std::vector<std::uint32_t>& p_;
  std::size_t i_ = 0;
  std::string error_;
};

bool SchemaRegex::compile(std::string_view pattern, std::string& error) {
  prog_.clear();
  classes_.clear();
  const std::vector<std::uint32_t> cps = decode_utf8(pattern);
  RegexCompiler compiler(*this, cps);
  return compiler.run(error);
}

}  // namespace llmbase::detail
