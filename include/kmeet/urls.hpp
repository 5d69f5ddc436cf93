#pragma once
/// @file urls.hpp
/// KAF (Kaltura Application Framework) URLs for Kaltura Meetings: the room launch URL, a ready
/// iframe snippet and the room analytics endpoint (protocol.md G.1, G.2).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kmeet/export.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

/// The KAF base URL: `https://{partnerId}.kaf.kaltura.com`, or `override_url` (an `http://` or
/// `https://` URL) with its trailing `/` removed. Throws `ValidationError` (`partner_id`,
/// `kaf_url`) for an invalid partner or override.
KMEET_EXPORT std::string kaf_base_url(PartnerId partner, std::string_view override_url = {});

/// `{kaf_base}/virtualEvent/launch?ks={KS}` with the KS percent-encoded (a v1 KS holds `+/=`).
KMEET_EXPORT std::string launch_url(std::string_view kaf_base, std::string_view ks);

/// `text` with `& < > " '` escaped, safe in HTML text and in double- or single-quoted attributes
/// (what iframe_html() does to every attribute; for pages of your own around the snippet).
KMEET_EXPORT std::string html_escape(std::string_view text);

/// How the iframe snippet looks.
struct KMEET_EXPORT IframeOptions {
  /// CSS length: digits, optionally followed by `px` or `%`.
  std::string width = "100%";
  /// CSS length, like `width`.
  std::string height = "100%";
  /// Accessible title of the frame.
  std::string title = "Kaltura Meeting";
  /// Adds the `allowfullscreen` attribute (the `allow` list always grants `fullscreen *`).
  bool allow_fullscreen = true;
  /// Optional `id` and `class` attributes (omitted when empty).
  std::string id;
  /// Optional `class` attribute (omitted when empty).
  std::string css_class;
};

/// The permissions a meeting frame needs (guide): camera, microphone, screen sharing, ...
inline constexpr std::string_view kMeetingIframeAllow =
    "microphone *; camera *; speakers *; usermedia *; autoplay *; fullscreen *; display-capture *;";

/// `<iframe src="..." ... allow="microphone *; camera *; ..."></iframe>` with every attribute
/// HTML-escaped. Throws `ValidationError` (`iframe.width`, `iframe.height`) for a bad size.
KMEET_EXPORT std::string iframe_html(std::string_view launch_url, const IframeOptions& options = {});

/// One parameter value of a KAF analytics call: text is sent as a JSON string, a number as a JSON
/// number (protocol.md G.2 types `page`, `session_id` and `include_third_party_data` as ints, the dates as
/// strings).
using AnalyticsValue = std::variant<std::string, std::int64_t>;

/// Parameters of a KAF analytics call, in order.
using AnalyticsParams = std::vector<std::pair<std::string, AnalyticsValue>>;

/// The compact JSON for the KS `api` privilege:
/// `{"method":"GET","action":"analytics/sessions","params":{"from_date":"1522153700"}}`.
/// Throws `ValidationError` (`api.action`, `api.params.<name>`) for empty or invalid text.
KMEET_EXPORT std::string analytics_api_json(std::string_view action, const AnalyticsParams& params = {});

/// `{kaf_base}/newrowkaf/index/api?ks={KS}` with the KS percent-encoded. The KS carries the
/// request (see `Privileges::api`); mint a new one per call.
KMEET_EXPORT std::string analytics_url(std::string_view kaf_base, std::string_view ks);

}  // namespace kmeet
