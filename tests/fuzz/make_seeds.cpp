// Writes the seed corpora of the fuzz targets from the shared fixtures (run by scripts/fuzz.sh):
//   make_seeds FIXTURES_DIR OUT_DIR  →  OUT_DIR/{sse_decoder,chat_stream,chunk_fold,metadata,validator,json_schema}/
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int written = 0;

void write_seed(const fs::path& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary) << bytes;
  ++written;
}

json parse(const std::string& text) { return json::parse(text, nullptr, false); }

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A member, or null when absent (const operator[] must not be used for absent keys).
json member(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? json() : *it;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FIXTURES_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path fixtures = argv[1], out = argv[2];
  const char* kTargets[] = {"sse_decoder", "chat_stream", "chunk_fold",
                            "metadata",    "validator",   "json_schema"};
  std::error_code ec;
  for (const char* target : kTargets) {
    fs::remove_all(out / target, ec);
    fs::create_directories(out / target, ec);
    if (ec) {
      std::fprintf(stderr, "make_seeds: cannot create %s\n", (out / target).c_str());
      return 1;
    }
  }

  // Streams: the raw bodies for both stream targets; the usage of each expected completion,
  // with the catalog, for the cost helpers of the validator target.
  const std::string catalog_text = read_file(fixtures / "validation" / "catalog.json");
  for (const auto& entry : fs::directory_iterator(fixtures / "streams", ec)) {
    const fs::path path = entry.path();
    if (path.extension() == ".sse") {
      const std::string body = read_file(path);
      write_seed(out / "sse_decoder", path.filename().string(), body);
      write_seed(out / "chat_stream", path.filename().string(), body);
      write_seed(out / "chunk_fold", path.filename().string(), body);
    } else if (path.extension() == ".json") {
      const json expected = parse(read_file(path));
      const json completion = member(expected, "completion");
      if (completion.is_object()) {
        write_seed(out / "validator", "usage-" + path.stem().string(),
                   dump(completion) + '\0' + catalog_text);
      }
    }
  }

  // Metadata: the catalog, each of its models alone, and every inline metadata of the cases.
  write_seed(out / "metadata", "catalog.json", catalog_text);
  const json models = member(parse(catalog_text), "data");
  if (models.is_array()) {
    int i = 0;
    for (const auto& model : models) {
      write_seed(out / "metadata", "model-" + std::to_string(i++), dump(model));
    }
  }

  // Validation cases: request NUL metadata NUL options, as validator_fuzz.cpp splits them.
  const json cases = parse(read_file(fixtures / "validation" / "cases.json"));
  std::set<std::string> inline_metadata;
  for (const auto& c : cases.is_array() ? cases : json::array()) {
    const json name = member(c, "name"), metadata = member(c, "metadata");
    if (!name.is_string()) continue;
    std::string metadata_text;
    if (metadata.is_string()) {
      metadata_text = read_file(fixtures / "validation" / metadata.get<std::string>());
    } else if (!metadata.is_null()) {
      metadata_text = dump(metadata);
      inline_metadata.insert(metadata_text);
    }
    std::string seed = dump(member(c, "request")) + '\0' + metadata_text;
    if (c.contains("options")) seed += '\0' + dump(member(c, "options"));
    write_seed(out / "validator", "case-" + name.get<std::string>(), seed);
  }
  int i = 0;
  for (const auto& text : inline_metadata) {
    write_seed(out / "metadata", "case-metadata-" + std::to_string(i++), text);
  }

  // JSON Schema: schema NUL instance, from the official suite's draft-7 groups when installed
  // (Debian's json-schema-test-suite, scripts/setup.sh) and a structured-output prefix.
  const fs::path suite = "/usr/share/json-schema-test-suite/tests/draft7";
  for (const auto& entry : fs::directory_iterator(suite, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;  // optional/
    const json groups = parse(read_file(entry.path()));
    int g = 0;
    for (const auto& group : groups.is_array() ? groups : json::array()) {
      const json tests = member(group, "tests");
      if (!tests.is_array() || tests.empty()) continue;
      write_seed(out / "json_schema", entry.path().stem().string() + "-" + std::to_string(g++),
                 dump(member(group, "schema")) + '\0' + dump(member(tests[0], "data")));
    }
  }
  write_seed(out / "json_schema", "partial",
             std::string(
                 R"({"type":"object","properties":{"a":{"type":"string","pattern":"^[a-z]+$"}}})") +
                 '\0' + R"({"a":"ab\u00e9", "b":[1,2.5e3,{"c":tr)");

  std::printf("make_seeds: %d seed files in %s\n", written, out.c_str());
  return 0;
}
