// How every client gets model metadata: which endpoint first, the fallback on 404, and the list it hands callers.
#pragma once

#include <optional>
#include <string>

#include "error.h"
#include "http_request.h"
#include "model_metadata.h"

namespace llmbase {

// The first metadata request of a fetch.
inline constexpr Endpoint kFirstMetadataEndpoint = Endpoint::kModelMetadata;

// The request to send next after `tried` failed with `failure`, or nullopt when the failure
// stands. GET /v1/model-metadata is not in LLMBase's public docs, so its 404 falls back to the
// documented GET /v1/models?metadata=true (llmbase-api.md §11).
std::optional<Endpoint> metadata_fallback(Endpoint tried, ErrorKind failure);

// What models.metadata() / model_metadata() return: {"object":"list","data":[…],"skipped":n}.
std::string metadata_list_json(const ModelCatalog& catalog);

}  // namespace llmbase
