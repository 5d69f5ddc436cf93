#include "api/json.hpp"

#include <fmt/format.h>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {

bool json_depth_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > max_depth) return false;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return true;
}

Json parse_json(std::string_view text, int status) {
  if (!json_depth_within(text, kMaxJsonDepth)) {
    throw ProtocolError(fmt::format("response nests deeper than {} levels", kMaxJsonDepth), status,
                        safe_snippet(text, 80));
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    throw ProtocolError("response is not valid JSON", status, safe_snippet(text));
  }
  return doc;
}

}  // namespace kmeet::detail
