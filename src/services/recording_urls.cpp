// playManifest and thumbnail URLs of a media entry (protocol.md J.6).

#include <fmt/format.h>

#include "core/encoding.hpp"
#include "core/url_check.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/recordings.hpp"
#include "model/recording_wire.hpp"

namespace kmeet {
namespace {

// An absolute http(s) URL without query, fragment, whitespace or control characters; trailing
// '/' removed.
std::string checked_base(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (auto why = detail::http_url_problem(url); !why.empty()) throw ValidationError("cdn_base", why);
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F)
      throw ValidationError("cdn_base", "must not contain whitespace or control characters");
    if (c == '?' || c == '#')
      throw ValidationError("cdn_base", "must not contain a query or fragment ('?' or '#')");
  }
  return std::string(url);
}

/// `<base>/p/<pid>/sp/<pid>00` (`myPartnerUtils::getUrlForPartner`, the sub-partner id is pid x 100).
std::string partner_path(std::string_view cdn_base, PartnerId partner, std::string_view entry_id) {
  if (!partner.valid()) throw ValidationError("partner_id", "must be a positive id");
  detail::validate_entry_id(entry_id, "entry_id");
  return fmt::format("{}/p/{}/sp/{}00", checked_base(cdn_base), partner.value(), partner.value());
}

}  // namespace

std::string_view to_string(PlayFormat format) {
  switch (format) {
    case PlayFormat::url: return "url";
    case PlayFormat::download: return "download";
    case PlayFormat::applehttp: return "applehttp";
    case PlayFormat::mpegdash: return "mpegdash";
  }
  return "url";
}

std::optional<PlayFormat> parse_play_format(std::string_view text) {
  if (text == "url") return PlayFormat::url;
  if (text == "download") return PlayFormat::download;
  if (text == "applehttp" || text == "hls") return PlayFormat::applehttp;
  if (text == "mpegdash" || text == "dash") return PlayFormat::mpegdash;
  return std::nullopt;
}

std::string play_manifest_url(std::string_view cdn_base, PartnerId partner, std::string_view entry_id,
                              PlayFormat format, const PlayUrlOptions& options) {
  const std::string protocol = options.protocol.value_or(cdn_base.starts_with("http://") ? "http" : "https");
  if (protocol != "https" && protocol != "http") throw ValidationError("protocol", "must be https or http");
  std::string url =
      fmt::format("{}/playManifest/entryId/{}/format/{}/protocol/{}",
                  partner_path(cdn_base, partner, entry_id), entry_id, to_string(format), protocol);
  // The entry's own downloadUrl asks for the source flavor (J.6: `flavorParamIds/0`).
  if (format == PlayFormat::download) url += "/flavorParamIds/0";
  if (options.ks) {
    if (options.ks->empty()) throw ValidationError("ks", "must not be empty (leave it unset for no KS)");
    // A path segment: a v1 KS may hold '/', '+' and '=' (base64), which are percent-encoded.
    url += "/ks/" + detail::url_encode_component(*options.ks);
  }
  return url;
}

std::string thumbnail_url(std::string_view cdn_base, PartnerId partner, std::string_view entry_id,
                          std::optional<std::string> version, std::optional<ThumbnailSize> size) {
  std::string url =
      fmt::format("{}/thumbnail/entry_id/{}", partner_path(cdn_base, partner, entry_id), entry_id);
  if (version) {
    if (version->empty() || version->size() > 18 ||
        version->find_first_not_of("0123456789") != std::string::npos) {
      throw ValidationError("version", "must be digits, e.g. 100001");
    }
    url += "/version/" + *version;
  }
  if (size) {
    if (size->width <= 0 || size->height <= 0) {
      throw ValidationError(
          "size", fmt::format("width and height must be positive (got {}x{})", size->width, size->height));
    }
    url += fmt::format("/width/{}/height/{}/type/3", size->width, size->height);
  }
  return url;
}

std::optional<std::string> url_base(std::string_view url) {
  std::size_t scheme = 0;
  if (url.starts_with("https://")) {
    scheme = 8;
  } else if (url.starts_with("http://")) {
    scheme = 7;
  } else {
    return std::nullopt;
  }
  const std::size_t end = url.find_first_of("/?#", scheme);
  std::string base(url.substr(0, end));
  if (!detail::http_url_problem(base).empty()) return std::nullopt;
  for (const char c : base) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '@') return std::nullopt;  // no credentials from a server's URL
  }
  return base;
}

}  // namespace kmeet
