#include "params.hpp"

namespace kmeet::emulator {

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (text.empty()) {
    return out;
  }
  for (const auto& part : split(text, '&')) {
    if (part.empty()) {
      continue;
    }
    const auto eq = part.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(url_decode(part), "");
    } else {
      out.emplace_back(url_decode(std::string_view(part).substr(0, eq)),
                       url_decode(std::string_view(part).substr(eq + 1)));
    }
  }
  return out;
}

void set_by_path(Json& root, const std::vector<std::string>& path, Json value) {
  Json* node = &root;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!node->is_object()) {
      *node = Json::object();
    }
    Json& child = (*node)[path[i]];
    if (i + 1 == path.size()) {
      if (child.is_object() && value.is_object()) {
        merge_recursive(child, value);
      } else {
        child = std::move(value);
      }
      return;
    }
    node = &child;
  }
}

void merge_recursive(Json& dst, const Json& src) {
  if (!dst.is_object() || !src.is_object()) {
    dst = src;
    return;
  }
  for (auto it = src.begin(); it != src.end(); ++it) {
    auto found = dst.find(it.key());
    if (found != dst.end() && found->is_object() && it->is_object()) {
      merge_recursive(*found, *it);
    } else {
      dst[it.key()] = *it;
    }
  }
}

namespace {

// Server `groupParams`: every top-level key is split on ':' into a path.
Json group(const std::vector<std::pair<std::string, Json>>& flat) {
  Json root = Json::object();
  for (const auto& [key, value] : flat) {
    set_by_path(root, split(key, ':'), value);
  }
  return root;
}

std::vector<std::pair<std::string, Json>> as_json_pairs(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<std::pair<std::string, Json>> out;
  out.reserve(pairs.size());
  for (const auto& [k, v] : pairs) {
    out.emplace_back(k, Json(v));
  }
  return out;
}

}  // namespace

Json build_params(const HttpInput& in) {
  // 1. body
  std::vector<std::pair<std::string, Json>> post;
  const std::string ct = to_lower(in.content_type);
  if (ct == "application/json") {
    const std::string body = trim(in.body);
    if (body.size() >= 2 && body.front() == '{' && body.back() == '}') {
      const Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_object()) {
        for (auto it = parsed.begin(); it != parsed.end(); ++it) {
          post.emplace_back(it.key(), *it);
        }
      }
    }
  } else if (ct.rfind("multipart/form-data", 0) == 0) {
    for (const auto& [name, value] : in.multipart) {
      if (name == "json") {
        const Json parsed = Json::parse(value, nullptr, false);
        if (parsed.is_object()) {
          for (auto it = parsed.begin(); it != parsed.end(); ++it) {
            post.emplace_back(it.key(), *it);
          }
        }
      } else {
        post.emplace_back(name, Json(value));
      }
    }
  } else if (ct.rfind("application/x-www-form-urlencoded", 0) == 0) {
    post = as_json_pairs(parse_form(in.body));
  }
  Json params = group(post);

  // 2. query string ($_GET) overrides the body
  merge_recursive(params, group(as_json_pairs(parse_form(in.query))));

  // 3. URL path pairs after the script name override both
  std::string_view path = in.path;
  if (path.rfind("/api_v3", 0) == 0) {
    path.remove_prefix(7);
  }
  if (path.rfind("/index.php", 0) == 0) {
    path.remove_prefix(10);
  }
  std::vector<std::string> segs;
  for (auto& s : split(path, '/')) {
    if (!s.empty()) {
      segs.push_back(url_decode(s, false));
    }
  }
  std::vector<std::pair<std::string, Json>> url_pairs;
  for (std::size_t i = 0; i < segs.size(); i += 2) {
    url_pairs.emplace_back(segs[i], Json(i + 1 < segs.size() ? segs[i + 1] : std::string()));
  }
  merge_recursive(params, group(url_pairs));
  return params;
}

}  // namespace kmeet::emulator
