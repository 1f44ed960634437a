// JSON Schema instance validation of arrays and objects: items, uniqueItems, properties, dependencies.
#include "detail/json_schema_validator.h"

#include <algorithm>

using nlohmann::json;

namespace llmbase::detail {

bool SchemaValidator::check_array(const json& s, const json& inst, const std::string& path,
                                  std::vector<SchemaViolation>* out) {
  bool ok = true;
  const std::size_t n = inst.size();
  auto count_bound = [&](const char* key, bool at_least) {
    auto it = s.find(key);
    if (it == s.end() || !it->is_number()) return true;
    const double limit = it->get<double>();
    if (at_least ? n >= limit : n <= limit) return true;
    ok = fail(out, path, key,
              std::string(at_least ? "expected at least " : "expected at most ") + shown(*it) +
                  " items, got " + std::to_string(n));
    return out != nullptr;
  };
  if (!count_bound("minItems", true) || !count_bound("maxItems", false)) return false;
  // prefixItems (2020-12) or array-form items (draft 7) cover the first elements; items (schema
  // form, after prefixItems) or additionalItems (after array-form items) the rest.
  const json* prefix = nullptr;
  const json* rest = nullptr;
  auto prefix_items = s.find("prefixItems");
  auto items = s.find("items");
  if (prefix_items != s.end() && prefix_items->is_array()) prefix = &*prefix_items;
  if (items != s.end() && items->is_array()) {
    prefix = &*items;
    if (auto a = s.find("additionalItems"); a != s.end()) rest = &*a;
  } else if (items != s.end()) {
    rest = &*items;
  }
  std::size_t first_rest = 0;
  if (prefix) {
    first_rest = std::min(prefix->size(), n);
    for (std::size_t i = 0; i < first_rest && !full(out); ++i) {
      if (!child((*prefix)[i], inst[i], path_index(path, i), out)) {
        ok = false;
        if (!out) return false;
      }
    }
  }
  for (std::size_t i = first_rest; rest && i < n && !full(out); ++i) {
    if (!child(*rest, inst[i], path_index(path, i), out)) {
      ok = false;
      if (!out) return false;
    }
  }
  if (auto u = s.find("uniqueItems"); u != s.end() && u->is_boolean() && u->get<bool>()) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        if (inst[i] == inst[j]) {
          ok = fail(out, path, "uniqueItems",
                    "expected unique items, but items [" + std::to_string(i) + "] and [" +
                        std::to_string(j) + "] are equal");
          if (!out) return false;
          i = j = n;  // one finding is enough
        }
      }
    }
  }
  if (auto c = s.find("contains"); c != s.end()) {
    bool any = false;
    for (std::size_t i = 0; i < n && !any; ++i)
      any = child(*c, inst[i], path_index(path, i), nullptr);
    if (!any) ok = fail(out, path, "contains", "expected an item matching 'contains'");
  }
  return ok;
}

bool SchemaValidator::check_object(const json& s, const json& inst, const std::string& path,
                                   std::vector<SchemaViolation>* out) {
  bool ok = true;
  auto note = [&](bool passed) {
    if (!passed) ok = false;
    return passed || out != nullptr;
  };
  const double n = static_cast<double>(inst.size());
  if (auto it = s.find("minProperties");
      it != s.end() && it->is_number() && n < it->get<double>()) {
    if (!note(fail(out, path, "minProperties", "expected at least " + shown(*it) + " properties")))
      return false;
  }
  if (auto it = s.find("maxProperties");
      it != s.end() && it->is_number() && n > it->get<double>()) {
    if (!note(fail(out, path, "maxProperties", "expected at most " + shown(*it) + " properties")))
      return false;
  }
  if (auto r = s.find("required"); r != s.end() && r->is_array()) {
    for (const auto& name : *r) {
      if (name.is_string() && !inst.contains(name.get<std::string>()) &&
          !note(fail(out, path_key(path, name), "required", "required property is missing"))) {
        return false;
      }
    }
  }
  const json* props = nullptr;
  const json* patterns = nullptr;
  if (auto p = s.find("properties"); p != s.end() && p->is_object()) props = &*p;
  if (auto p = s.find("patternProperties"); p != s.end() && p->is_object()) patterns = &*p;
  auto additional = s.find("additionalProperties");
  auto names = s.find("propertyNames");
  for (auto it = inst.begin(); it != inst.end() && !full(out); ++it) {
    const std::string child_path = path_key(path, it.key());
    bool matched = false;
    if (props) {
      if (auto p = props->find(it.key()); p != props->end()) {
        matched = true;
        if (!note(child(*p, it.value(), child_path, out))) return false;
      }
    }
    for (auto p = patterns ? patterns->begin() : json::const_iterator();
         patterns && p != patterns->end(); ++p) {
      const detail::SchemaRegex* re = regex(p.key());
      if (!re) return fail(out, path, "schema", "unsupported pattern " + shown(json(p.key())));
      if (re->search(it.key())) {
        matched = true;
        if (!note(child(p.value(), it.value(), child_path, out))) return false;
      }
    }
    if (!matched && additional != s.end()) {
      if (additional->is_boolean() && !additional->get<bool>()) {
        if (!note(fail(out, child_path, "additionalProperties",
                       "property not allowed (additionalProperties is false)")))
          return false;
      } else if (!note(child(*additional, it.value(), child_path, out))) {
        return false;
      }
    }
    if (names != s.end() && !child(*names, json(it.key()), child_path, nullptr)) {
      if (!note(fail(out, child_path, "propertyNames",
                     "property name " + shown(json(it.key())) + " does not match propertyNames")))
        return false;
    }
  }
  // dependencies (draft 7) = dependentRequired (array values) + dependentSchemas (schemas).
  for (const char* key : {"dependencies", "dependentRequired", "dependentSchemas"}) {
    auto deps = s.find(key);
    if (deps == s.end() || !deps->is_object()) continue;
    for (auto d = deps->begin(); d != deps->end(); ++d) {
      if (!inst.contains(d.key())) continue;
      if (d->is_array()) {
        for (const auto& need : *d) {
          if (need.is_string() && !inst.contains(need.get<std::string>()) &&
              !note(fail(out, path_key(path, need), key,
                         "required because property " + shown(json(d.key())) + " is present"))) {
            return false;
          }
        }
      } else if (!note(check(*d, inst, path, out))) {
        return false;
      }
    }
  }
  return ok;
}

}  // namespace llmbase::detail
