#include "api/json.hpp"

#include <fmt/format.h>

#include "core/encoding.hpp"
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

namespace {

bool find_invalid_utf8(const WireJson& v, std::string& path) {
  if (v.is_string()) return !is_valid_utf8(v.get_ref<const std::string&>());
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (find_invalid_utf8(v[i], path)) {
        path.insert(0, "." + std::to_string(i));
        return true;
      }
    }
  } else if (v.is_object()) {
    for (const auto& [key, item] : v.items()) {
      if (!is_valid_utf8(key)) return true;  // the key itself is not named: it cannot be printed
      if (find_invalid_utf8(item, path)) {
        path.insert(0, "." + key);
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void check_json_utf8(const WireJson& value, const std::string& field) {
  std::string path;
  if (find_invalid_utf8(value, path)) throw ValidationError(field + path, "must be valid UTF-8");
}

}  // namespace kmeet::detail
