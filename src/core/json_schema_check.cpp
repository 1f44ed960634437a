// JSON Schema check: every keyword must be one the validator implements, with a well-formed value.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "detail/json_schema_internal.h"
#include "detail/json_schema_regex.h"
#include "json_schema.h"
#include "json_text.h"
#include "model_metadata.h"

using nlohmann::json;

namespace llmbase {
namespace detail {

namespace {

bool one_of(const std::string& key, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return key == n; });
}

// Keywords whose value is one schema, an array of schemas, or an object of schemas.
constexpr std::initializer_list<const char*> kSingle = {"additionalProperties",
                                                        "additionalItems",
                                                        "contains",
                                                        "propertyNames",
                                                        "not",
                                                        "if",
                                                        "then",
                                                        "else"};
constexpr std::initializer_list<const char*> kList = {"allOf", "anyOf", "oneOf", "prefixItems"};
constexpr std::initializer_list<const char*> kMap = {"properties", "patternProperties", "$defs",
                                                     "definitions", "dependentSchemas"};

bool is_schema(const json& v) { return v.is_object() || v.is_boolean(); }

// RFC 6901 token: ~1 → '/', ~0 → '~', after percent-decoding (the pointer is a URI fragment).
std::string unescape_token(const std::string& raw) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  std::string pct;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
      pct += static_cast<char>(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
      i += 2;
      continue;
    }
    pct += raw[i];
  }
  std::string out;
  for (std::size_t i = 0; i < pct.size(); ++i) {
    if (pct[i] == '~' && i + 1 < pct.size() && (pct[i + 1] == '0' || pct[i + 1] == '1')) {
      out += pct[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += pct[i];
    }
  }
  return out;
}

const json* find_anchor(const json& schema, const std::string& name) {
  if (!schema.is_object()) return nullptr;
  auto anchor = schema.find("$anchor");
  if (anchor != schema.end() && anchor->is_string() && *anchor == name) return &schema;
  auto id = schema.find("$id");
  if (id != schema.end() && id->is_string() && *id == "#" + name) return &schema;
  const json* found = nullptr;
  for_each_subschema(schema, "", [&](const json& sub, const std::string&) {
    if (!found) found = find_anchor(sub, name);
  });
  return found;
}

}  // namespace

void for_each_subschema(const json& schema, const std::string& parent,
                        const std::function<void(const json&, const std::string&)>& visit) {
  if (!schema.is_object()) return;
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    const std::string here = path_key(parent, key);
    if (one_of(key, kSingle) || (key == "items" && is_schema(v))) {
      if (is_schema(v)) visit(v, here);
    } else if (one_of(key, kList) || (key == "items" && v.is_array())) {
      for (std::size_t i = 0; v.is_array() && i < v.size(); ++i) {
        if (is_schema(v[i])) visit(v[i], path_index(here, i));
      }
    } else if (one_of(key, kMap) || key == "dependencies") {
      for (auto m = v.is_object() ? v.begin() : json::const_iterator();
           v.is_object() && m != v.end(); ++m) {
        if (is_schema(m.value())) visit(m.value(), path_key(here, m.key()));
      }
    }
  }
}

const json* resolve_schema_ref(const json& root, const std::string& ref_in) {
  std::string ref = ref_in;
  // "<root $id>#…" is the same document.
  if (root.is_object()) {
    auto id = root.find("$id");
    if (id != root.end() && id->is_string()) {
      std::string base = id->get<std::string>();
      if (!base.empty() && base.back() == '#') base.pop_back();
      if (!base.empty() && ref.compare(0, base.size(), base) == 0) ref = ref.substr(base.size());
      if (ref.empty()) ref = "#";
    }
  }
  if (ref.empty() || ref[0] != '#') return nullptr;
  if (ref == "#") return &root;
  if (ref[1] != '/') return find_anchor(root, unescape_token(ref.substr(1)));
  const json* node = &root;
  std::size_t start = 2;
  while (node) {
    const std::size_t slash = ref.find('/', start);
    const std::string token = unescape_token(
        ref.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (node->is_object()) {
      auto it = node->find(token);
      node = it == node->end() ? nullptr : &*it;
    } else if (node->is_array() && !token.empty() &&
               std::all_of(token.begin(), token.end(),
                           [](char c) { return c >= '0' && c <= '9'; }) &&
               token.size() < 10 && std::strtoul(token.c_str(), nullptr, 10) < node->size()) {
      node = &(*node)[std::strtoul(token.c_str(), nullptr, 10)];
    } else {
      node = nullptr;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return node;
}

namespace {

constexpr std::initializer_list<const char*> kAnnotations = {
    "title",   "description", "default",   "examples",  "$comment",
    "$schema", "readOnly",    "writeOnly", "deprecated"};
constexpr std::initializer_list<const char*> kTypes = {"string", "number",  "integer", "object",
                                                       "array",  "boolean", "null"};

class SchemaChecker {
 public:
  explicit SchemaChecker(const json& root) : root_(root) {}

  std::vector<SchemaFinding> run() {
    check(root_, "$", true);
    return std::move(findings_);
  }

 private:
  void add(const std::string& path, const char* code, std::string message) {
    findings_.push_back({path, code, std::move(message)});
  }
  void invalid(const std::string& path, const std::string& key, const std::string& expected) {
    add(path, schema_code::kInvalidKeyword, "'" + key + "' must be " + expected + ".");
  }

  void check(const json& s, const std::string& path, bool is_root) {
    if (s.is_boolean()) return;
    if (!s.is_object()) {
      add(path, schema_code::kNotASchema,
          "a schema must be an object or a boolean, got " + std::string(s.type_name()) + ".");
      return;
    }
    for (auto it = s.begin(); it != s.end(); ++it)
      check_keyword(s, it.key(), it.value(), path, is_root);
    for_each_subschema(s, path,
                       [&](const json& sub, const std::string& p) { check(sub, p, false); });
  }

  void check_keyword(const json& s, const std::string& key, const json& v, const std::string& path,
                     bool is_root) {
    const std::string here = path_key(path, key);
    if (one_of(key, kAnnotations) || key == "$anchor") return;
    if (key == "$id") {
      if (!v.is_string()) return invalid(here, key, "a string");
      if (!is_root && v.get<std::string>().rfind('#', 0) != 0) {
        add(here, schema_code::kUnsupportedKeyword,
            "a nested '$id' that changes the base URI is not supported: move the schema under "
            "$defs and use \"$ref\": \"#/$defs/…\".");
      }
      return;
    }
    if (key == "type") {
      auto known = [](const json& t) {
        return t.is_string() && one_of(t.get<std::string>(), kTypes);
      };
      const bool ok =
          known(v) || (v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), known));
      if (!ok)
        invalid(
            here, key,
            "one of string, number, integer, object, array, boolean, null, or an array of them");
      return;
    }
    if (key == "enum") {
      if (!v.is_array()) invalid(here, key, "an array of allowed values");
      return;
    }
    if (key == "const") return;
    if (one_of(key, {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})) {
      if (v.is_boolean()) {
        return invalid(here, key, "a number (the draft-4 boolean form is not supported)");
      }
      if (!v.is_number()) invalid(here, key, "a number");
      return;
    }
    if (key == "multipleOf") {
      if (!v.is_number() || v.get<double>() <= 0) invalid(here, key, "a number greater than 0");
      return;
    }
    if (one_of(key, {"minLength", "maxLength", "minItems", "maxItems", "minProperties",
                     "maxProperties"})) {
      const bool whole = v.is_number_unsigned() || (v.is_number() && v.get<double>() >= 0 &&
                                                    std::floor(v.get<double>()) == v.get<double>());
      if (!whole) invalid(here, key, "a non-negative integer");
      return;
    }
    if (key == "uniqueItems") {
      if (!v.is_boolean()) invalid(here, key, "a boolean");
      return;
    }
    if (key == "pattern") {
      if (!v.is_string()) return invalid(here, key, "a string (a regular expression)");
      return check_pattern(here, v.get<std::string>());
    }
    if (key == "required") {
      if (!v.is_array() ||
          !std::all_of(v.begin(), v.end(), [](const json& n) { return n.is_string(); })) {
        invalid(here, key, "an array of property names");
      }
      return;
    }
    if (key == "dependentRequired" || key == "dependencies") {
      if (!v.is_object()) return invalid(here, key, "an object");
      for (auto d = v.begin(); d != v.end(); ++d) {
        const bool names = d->is_array() && std::all_of(d->begin(), d->end(), [](const json& n) {
                             return n.is_string();
                           });
        if (!names && !(key == "dependencies" && is_schema(d.value()))) {
          invalid(path_key(here, d.key()), key,
                  key == "dependencies" ? "an object of property-name arrays or schemas"
                                        : "an object of property-name arrays");
        }
      }
      return;
    }
    if (key == "items") {
      if (!is_schema(v) && !(v.is_array() && std::all_of(v.begin(), v.end(), is_schema))) {
        invalid(here, key, "a schema or an array of schemas");
      }
      return;
    }
    if (one_of(key, kSingle)) {
      if (!is_schema(v)) invalid(here, key, "a schema (an object or a boolean)");
      return;
    }
    if (one_of(key, kList)) {
      const bool ok = v.is_array() && (key == "prefixItems" || !v.empty()) &&
                      std::all_of(v.begin(), v.end(), is_schema);
      if (!ok) invalid(here, key, "a non-empty array of schemas");
      return;
    }
    if (one_of(key, kMap)) {
      if (!v.is_object() || !std::all_of(v.begin(), v.end(), is_schema)) {
        return invalid(here, key, "an object whose values are schemas");
      }
      if (key == "patternProperties") {
        for (auto p = v.begin(); p != v.end(); ++p) check_pattern(path_key(here, p.key()), p.key());
      }
      return;
    }
    if (key == "$ref") return check_ref(s, here, v);
    add(here, schema_code::kUnsupportedKeyword, unsupported_message(key));
  }

  static std::string unsupported_message(const std::string& key) {
    std::string fix = "remove it";
    if (key == "format") fix = "remove it, or express the rule with 'pattern'";
    if (key == "nullable")
      fix = "use \"type\": [\"…\", \"null\"] or anyOf with {\"type\": \"null\"}";
    if (key == "unevaluatedProperties") fix = "use additionalProperties";
    if (key == "unevaluatedItems") fix = "use items";
    return "the keyword '" + key +
           "' is not implemented by this validator, so it would not be checked: " + fix + ".";
  }

  void check_pattern(const std::string& path, const std::string& pattern) {
    SchemaRegex re;
    std::string error;
    if (!re.compile(pattern, error)) {
      add(path, schema_code::kUnsupportedPattern,
          "the pattern " + dump_json(json(pattern)) + " cannot be used: " + error + ".");
    }
  }

  void check_ref(const json& s, const std::string& here, const json& v) {
    if (!v.is_string()) return invalid(here, "$ref", "a string");
    const std::string ref = v.get<std::string>();
    if (!resolve_schema_ref(root_, ref)) {
      const bool local = !ref.empty() && ref[0] == '#';
      add(here, local ? schema_code::kUnresolvedRef : schema_code::kUnsupportedRef,
          local ? "'$ref' " + dump_json(v) + " points to nothing in this schema."
                : "'$ref' " + dump_json(v) +
                      " is not a reference into this schema: only \"#\", \"#/$defs/…\"-style "
                      "pointers and \"#name\" anchors are supported.");
      return;
    }
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::string& k = it.key();
      if (k == "$ref" || k == "$defs" || k == "definitions" || k == "$id" || k == "$anchor" ||
          one_of(k, kAnnotations)) {
        continue;
      }
      add(here, schema_code::kAmbiguousRef,
          "'$ref' next to '" + k +
              "' means different things in draft 7 (ignored) and 2020-12 "
              "(applied): put both in \"allOf\": [{\"$ref\": …}, {…}].");
      return;
    }
  }

  const json& root_;
  std::vector<SchemaFinding> findings_;
};

}  // namespace
}  // namespace detail

std::vector<SchemaFinding> check_json_schema(const json& schema) {
  return detail::SchemaChecker(schema).run();
}

}  // namespace llmbase
