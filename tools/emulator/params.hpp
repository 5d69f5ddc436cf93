#pragma once
// api_v3 request parameters: URL path pairs, query string and body merged like the server
// (protocol.md A.1, A.2), with `:` paths expanded into nested objects.

#include <string>
#include <utility>
#include <vector>

#include "common.hpp"

namespace kmeet::emulator {

struct HttpInput {
  std::string path;          ///< e.g. /api_v3/service/session/action/start
  std::string query;         ///< raw query string without '?'
  std::string content_type;  ///< raw Content-Type header
  std::string body;
  /// multipart/form-data fields (name, value), already split by the HTTP layer.
  std::vector<std::pair<std::string, std::string>> multipart;
};

/// Parses `a=b&c=d` (percent-decoding, `+` as space) into ordered pairs.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

/// Sets `root[path[0]][path[1]]...` = value, creating objects on the way.
void set_by_path(Json& root, const std::vector<std::string>& path, Json value);

/// array_replace_recursive(dst, src): objects merge, anything else is replaced.
void merge_recursive(Json& dst, const Json& src);

/// The merged parameter tree: body (JSON only for Content-Type exactly application/json,
/// multipart `json` field, or form encoding), overridden by the query, overridden by URL path pairs.
Json build_params(const HttpInput& in);

}  // namespace kmeet::emulator
