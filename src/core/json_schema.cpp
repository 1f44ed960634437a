// JSON Schema instance validation: walks schema × instance and collects violations with JSON paths.
#include "json_schema.h"

#include <cmath>
#include <map>
#include <memory>

#include "detail/json_schema_internal.h"
#include "detail/json_schema_regex.h"
#include "detail/json_schema_validator.h"
#include "json_text.h"
#include "model_metadata.h"

using nlohmann::json;

namespace llmbase {

namespace detail {

std::string shown(const json& v) {
  std::string s = detail::dump_json(v);
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

}  // namespace detail

namespace {

constexpr std::size_t kMaxRefHops = 64;  // $ref chains without instance descent (cycles)

bool is_identifier(const std::string& key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_whole(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool has_type(const json& v, const std::string& t) {
  if (t == "integer") return is_whole(v);
  if (t == "number") return v.is_number();
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return false;
}

const char* type_of(const json& v) {
  if (v.is_number()) return is_whole(v) ? "integer" : "number";
  if (v.is_boolean()) return "boolean";
  return v.type_name();  // string, object, array, null
}

bool multiple_of(const json& v, const json& m) {
  if (v.is_number_integer() && m.is_number_integer() && m.get<long long>() != 0) {
    return v.get<long long>() % m.get<long long>() == 0;
  }
  const double q = v.get<double>() / m.get<double>();
  if (!std::isfinite(q)) return false;
  return std::fabs(q - std::round(q)) <= 1e-9 * std::fmax(1.0, std::fabs(q));
}

}  // namespace

namespace detail {

const detail::SchemaRegex* SchemaValidator::regex(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  if (it != regexes_.end()) return it->second.get();
  auto re = std::make_unique<detail::SchemaRegex>();
  std::string error;
  if (!re->compile(pattern, error)) re.reset();
  return regexes_.emplace(pattern, std::move(re)).first->second.get();
}

bool SchemaValidator::check(const json& s, const json& inst, const std::string& path,
                            std::vector<SchemaViolation>* out) {
  if (s.is_boolean()) {
    return s.get<bool>() || fail(out, path, "false", "no value is allowed here");
  }
  if (!s.is_object()) return fail(out, path, "schema", "the schema here is not an object");
  bool ok = true;
  if (auto ref = s.find("$ref"); ref != s.end()) {
    const json* target = ref->is_string() ? detail::resolve_schema_ref(root_, *ref) : nullptr;
    if (!target) return fail(out, path, "schema", "unresolvable $ref " + shown(*ref));
    if (++hops_ > kMaxRefHops) {
      --hops_;
      return fail(out, path, "schema", "$ref " + shown(*ref) + " loops without consuming input");
    }
    ok = check(*target, inst, path, out);
    --hops_;
    if (!ok && !out) return false;
  }
  if (auto t = s.find("type"); t != s.end()) {
    bool match = false;
    std::string names;
    if (t->is_string()) {
      match = has_type(inst, *t), names = t->get<std::string>();
    } else if (t->is_array()) {
      for (const auto& n : *t) {
        if (!n.is_string()) continue;
        match = match || has_type(inst, n);
        names += (names.empty() ? "" : " or ") + n.get<std::string>();
      }
    }
    if (!match) {
      ok = fail(out, path, "type", "expected " + names + ", got " + type_of(inst));
      if (!out) return false;
    }
  }
  if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
    bool found = false;
    for (const auto& v : *e) found = found || v == inst;
    if (!found) {
      ok = fail(out, path, "enum", "expected one of " + shown(*e) + ", got " + shown(inst));
      if (!out) return false;
    }
  }
  if (auto c = s.find("const"); c != s.end() && *c != inst) {
    ok = fail(out, path, "const", "expected " + shown(*c) + ", got " + shown(inst));
    if (!out) return false;
  }
  if (inst.is_number()) ok = check_number(s, inst, path, out) && ok;
  if (inst.is_string()) ok = check_string(s, inst, path, out) && ok;
  if (inst.is_array()) ok = check_array(s, inst, path, out) && ok;
  if (inst.is_object()) ok = check_object(s, inst, path, out) && ok;
  if (!ok && !out) return false;
  return check_combinators(s, inst, path, out) && ok;
}

bool SchemaValidator::check_number(const json& s, const json& inst, const std::string& path,
                                   std::vector<SchemaViolation>* out) {
  bool ok = true;
  const double x = inst.get<double>();
  auto bound = [&](const char* key, auto violates, const char* relation) {
    auto it = s.find(key);
    if (it == s.end() || !it->is_number() || !violates(*it)) return true;
    ok = fail(
        out, path, key,
        std::string("expected a number ") + relation + " " + shown(*it) + ", got " + shown(inst));
    return out != nullptr;
  };
  // Integers compare exactly (int64 beyond 2^53 would lose precision as doubles).
  auto less = [&](const json& b) {
    return inst.is_number_integer() && b.is_number_integer()
               ? inst.get<long long>() < b.get<long long>()
               : x < b.get<double>();
  };
  auto greater = [&](const json& b) {
    return inst.is_number_integer() && b.is_number_integer()
               ? inst.get<long long>() > b.get<long long>()
               : x > b.get<double>();
  };
  if (!bound("minimum", less, ">=")) return false;
  if (!bound("maximum", greater, "<=")) return false;
  if (!bound(
          "exclusiveMinimum", [&](const json& b) { return !greater(b); }, ">"))
    return false;
  if (!bound(
          "exclusiveMaximum", [&](const json& b) { return !less(b); }, "<"))
    return false;
  if (auto m = s.find("multipleOf");
      m != s.end() && m->is_number() && m->get<double>() > 0 && !multiple_of(inst, *m)) {
    ok = fail(out, path, "multipleOf",
              "expected a multiple of " + shown(*m) + ", got " + shown(inst));
  }
  return ok;
}

bool SchemaValidator::check_string(const json& s, const json& inst, const std::string& path,
                                   std::vector<SchemaViolation>* out) {
  bool ok = true;
  const auto& str = inst.get_ref<const std::string&>();
  const json* min = nullptr;
  const json* max = nullptr;
  if (auto it = s.find("minLength"); it != s.end() && it->is_number()) min = &*it;
  if (auto it = s.find("maxLength"); it != s.end() && it->is_number()) max = &*it;
  if (min || max) {
    const std::size_t count = detail::count_code_points(str);
    const double n = static_cast<double>(count);
    if (min && n < min->get<double>()) {
      ok = fail(out, path, "minLength",
                "expected at least " + shown(*min) + " characters, got " + std::to_string(count));
      if (!out) return false;
    }
    if (max && n > max->get<double>()) {
      ok = fail(out, path, "maxLength",
                "expected at most " + shown(*max) + " characters, got " + std::to_string(count));
      if (!out) return false;
    }
  }
  if (auto p = s.find("pattern"); p != s.end() && p->is_string()) {
    const detail::SchemaRegex* re = regex(*p);
    if (!re) return fail(out, path, "schema", "unsupported pattern " + shown(*p));
    if (!re->search(str)) {
      ok = fail(out, path, "pattern", "expected a string matching /" + p->get<std::string>() + "/");
    }
  }
  return ok;
}

bool SchemaValidator::check_combinators(const json& s, const json& inst, const std::string& path,
                                        std::vector<SchemaViolation>* out) {
  bool ok = true;
  if (auto all = s.find("allOf"); all != s.end() && all->is_array()) {
    for (const auto& sub : *all) {
      if (!check(sub, inst, path, out)) {
        ok = false;
        if (!out) return false;
      }
    }
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    auto alts = s.find(key);
    if (alts == s.end() || !alts->is_array()) continue;
    std::size_t matches = 0;
    for (const auto& sub : *alts) matches += check(sub, inst, path, nullptr) ? 1 : 0;
    const bool one = key[0] == 'o';
    if (matches == 0) {
      // Say why the first alternatives fail: the model (or the user) needs the nearest fix.
      std::string why;
      for (std::size_t i = 0; i < alts->size() && i < 3; ++i) {
        std::vector<SchemaViolation> sub;
        SchemaValidator inner(root_, 1);
        inner.check((*alts)[i], inst, path, &sub);
        if (!sub.empty()) why += (why.empty() ? "" : "; ") + violation_text(sub[0]);
      }
      ok = fail(out, path, key,
                "matches none of the " + std::to_string(alts->size()) + " " + key +
                    " alternatives" + (why.empty() ? "" : " (" + why + ")"));
    } else if (one && matches > 1) {
      ok = fail(
          out, path, key,
          "matches " + std::to_string(matches) + " oneOf alternatives; exactly one must match");
    }
    if (!ok && !out) return false;
  }
  if (auto n = s.find("not"); n != s.end() && check(*n, inst, path, nullptr)) {
    ok = fail(out, path, "not", "must not match the 'not' schema");
    if (!out) return false;
  }
  if (auto cond = s.find("if"); cond != s.end()) {
    const bool holds = check(*cond, inst, path, nullptr);
    auto branch = s.find(holds ? "then" : "else");
    if (branch != s.end() && !check(*branch, inst, path, out)) ok = false;
  }
  return ok;
}

}  // namespace detail

std::string path_key(const std::string& parent, const std::string& key) {
  if (is_identifier(key)) return parent + "." + key;
  return parent + "[" + detail::dump_json(json(key)) + "]";
}

std::string path_index(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string violation_text(const SchemaViolation& v) { return v.path + ": " + v.message; }

std::vector<SchemaViolation> validate_json_schema(const json& schema, const json& instance,
                                                  std::size_t max_errors) {
  std::vector<SchemaViolation> out;
  detail::SchemaValidator validator(schema, max_errors == 0 ? 1 : max_errors);
  validator.check(schema, instance, "$", &out);
  return out;
}

std::string validate_json_schema_text(std::string_view schema_json,
                                      std::string_view instance_json) {
  json result = {{"valid", false}, {"errors", json::array()}};
  auto add = [&](const std::string& path, const std::string& rule, const std::string& message) {
    result["errors"].push_back({{"path", path}, {"rule", rule}, {"message", message}});
  };
  const json schema = parse_json_text(schema_json);
  const json instance = parse_json_text(instance_json);
  if (schema.is_discarded()) {
    add("$", "schema", "the schema is not valid JSON");
  } else if (instance.is_discarded()) {
    add("$", "json", "the value is not valid JSON");
  } else if (auto findings = check_json_schema(schema); !findings.empty()) {
    for (const auto& f : findings) add(f.path, "schema", f.code + ": " + f.message);
  } else {
    for (const auto& v : validate_json_schema(schema, instance)) add(v.path, v.rule, v.message);
    result["valid"] = result["errors"].empty();
  }
  return detail::dump_json(result);
}

}  // namespace llmbase
