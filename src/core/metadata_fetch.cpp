// The metadata fetch plan the JS client, the native Client and the proxy follow (metadata_fetch.h).
#include "metadata_fetch.h"

#include "json_text.h"

namespace llmbase {

std::optional<Endpoint> metadata_fallback(Endpoint tried, ErrorKind failure) {
  if (tried == Endpoint::kModelMetadata && failure == ErrorKind::kNotFound) {
    return Endpoint::kModelsWithMetadata;
  }
  return std::nullopt;
}

std::string metadata_list_json(const ModelCatalog& catalog) {
  nlohmann::json models = nlohmann::json::array();
  for (const ModelInfo& model : catalog.models()) models.push_back(model.to_json());
  return detail::OrderedObjectText()
      .add("object", "list")
      .add("data", models)
      .add("skipped", catalog.skipped())
      .str();
}

}  // namespace llmbase
