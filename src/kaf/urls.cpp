// KAF launch / iframe / analytics URLs (protocol.md G.1, G.2).
#include "kmeet/urls.hpp"

#include "core/url_check.hpp"

#include <nlohmann/json.hpp>

#include "core/encoding.hpp"
#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

std::string_view trim_trailing_slashes(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

// An absolute http(s) URL without query, fragment, whitespace or control characters.
std::string checked_base(std::string_view url, const char* field) {
  url = trim_trailing_slashes(url);
  if (auto why = detail::http_url_problem(url); !why.empty()) throw ValidationError(field, why);
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) throw ValidationError(field, "must not contain whitespace or control characters");
    if (c == '?' || c == '#') throw ValidationError(field, "must not contain a query or fragment ('?' or '#')");
  }
  return std::string(url);
}

std::string with_ks(std::string_view kaf_base, std::string_view path, std::string_view ks) {
  std::string url = checked_base(kaf_base, "kaf_url");
  if (ks.empty()) throw ValidationError("ks", "must not be empty");
  url += path;
  url += detail::url_encode_component(ks);
  return url;
}

void check_size(const std::string& value, const char* field) {
  std::string_view v = value;
  if (v.ends_with("px")) {
    v.remove_suffix(2);
  } else if (v.ends_with('%')) {
    v.remove_suffix(1);
  }
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string_view::npos) {
    throw ValidationError(field, "must be digits optionally followed by 'px' or '%'");
  }
}

void check_json_text(std::string_view text, const std::string& field) {
  if (text.empty()) throw ValidationError(field, "must not be empty");
}

}  // namespace

std::string kaf_base_url(PartnerId partner, std::string_view override_url) {
  if (!override_url.empty()) return checked_base(override_url, "kaf_url");
  if (!partner.valid()) throw ValidationError("partner_id", "must be a positive id");
  return "https://" + partner.str() + ".kaf.kaltura.com";
}

std::string launch_url(std::string_view kaf_base, std::string_view ks) {
  return with_ks(kaf_base, "/virtualEvent/launch?ks=", ks);
}

std::string analytics_url(std::string_view kaf_base, std::string_view ks) {
  return with_ks(kaf_base, "/newrowkaf/index/api?ks=", ks);
}

std::string iframe_html(std::string_view launch_url, const IframeOptions& options) {
  if (launch_url.empty()) throw ValidationError("launch_url", "must not be empty");
  check_size(options.width, "iframe.width");
  check_size(options.height, "iframe.height");
  std::string html = "<iframe src=\"";
  html += detail::html_escape(launch_url);
  html += "\" width=\"" + detail::html_escape(options.width);
  html += "\" height=\"" + detail::html_escape(options.height) + "\"";
  if (!options.title.empty()) html += " title=\"" + detail::html_escape(options.title) + "\"";
  if (!options.id.empty()) html += " id=\"" + detail::html_escape(options.id) + "\"";
  if (!options.css_class.empty()) html += " class=\"" + detail::html_escape(options.css_class) + "\"";
  html += " allow=\"";
  html += kMeetingIframeAllow;
  html += "\"";
  if (options.allow_fullscreen) html += " allowfullscreen";
  html += "></iframe>";
  return html;
}

std::string analytics_api_json(std::string_view action, const AnalyticsParams& params) {
  check_json_text(action, "api.action");
  nlohmann::ordered_json doc;
  doc["method"] = "GET";
  doc["action"] = std::string(action);
  auto& p = doc["params"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : params) {
    check_json_text(name, "api.params");
    if (const auto* text = std::get_if<std::string>(&value)) {
      p[name] = *text;
    } else {
      p[name] = std::get<std::int64_t>(value);
    }
  }
  try {
    return doc.dump();  // compact, '/' unescaped, UTF-8 kept
  } catch (const nlohmann::json::type_error&) {
    // Only invalid UTF-8 makes dump() throw; find which text it was, for the error.
    auto valid = [](const std::string& s) {
      try {
        (void)nlohmann::json(s).dump();
        return true;
      } catch (const nlohmann::json::type_error&) {
        return false;
      }
    };
    if (!valid(std::string(action))) throw ValidationError("api.action", "must be valid UTF-8");
    for (const auto& [name, value] : params) {
      const auto* text = std::get_if<std::string>(&value);
      if (!valid(name) || (text != nullptr && !valid(*text))) throw ValidationError("api.params." + detail::php_urlencode(name), "must be valid UTF-8");
    }
    throw ValidationError("api", "must be valid UTF-8");
  }
}

std::string html_escape(std::string_view text) { return detail::html_escape(text); }

}  // namespace kmeet
