// The entry URLs of docs/protocol.md J.6 on the emulator's own host: playManifest (url, download,
// applehttp, mpegdash) and thumbnails, with placeholder media (docs/emulator.md "Recordings").

#include <map>

#include "entries.hpp"

namespace kmeet::emulator {

namespace {

/// playManifest's short parameter names (J.6, `playManifestAction::$shortNames`).
const std::map<std::string, std::string>& short_names() {
  static const std::map<std::string, std::string> m = {
      {"e", "entryId"},  {"f", "format"},         {"pt", "protocol"},  {"fi", "flavorId"},  {"fs", "flavorIds"},
      {"fp", "flavorParamId"}, {"fps", "flavorParamIds"}, {"mb", "maxBitrate"}, {"mib", "minBitrate"},
      {"pb", "preferredBitrate"}, {"ct", "clipTo"}, {"sf", "seekFrom"}, {"t", "tags"}, {"si", "storageId"},
      {"ch", "cdnHost"}, {"ex", "expiry"}, {"r", "referrer"}, {"dc", "deliveryCode"}, {"pc", "playbackContext"},
      {"ui", "uiConfId"}};
  return m;
}

/// The server dies with HTTP 404 and `X-Kaltura: error-<n>` (J.6). The numbers are the
/// emulator's own (protocol.md does not list KExternalErrors): 1 no such entry, 2 not playable.
MediaAnswer not_found(int n, const std::string& why) {
  MediaAnswer a;
  a.status = 404;
  a.body = why + "\n";
  a.headers.emplace_back("X-Kaltura", "error-" + std::to_string(n));
  return a;
}

MediaAnswer manifest(const StoredObject& e, const std::string& id, const std::string& format) {
  MediaAnswer a;
  const std::string download = json_strval(e.props.value("downloadUrl", Json("")));
  const std::int64_t seconds = json_intval(e.props.value("duration", Json(0)));
  if (format == "url") {  // progressive: a redirect to the file (J.6)
    a.status = 302;
    a.headers.emplace_back("Location", download);
  } else if (format == "download") {
    a.content_type = "video/mp4";
    a.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + id + ".mp4\"");
    a.body = std::string("\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom", 24);  // an MP4 file type box, no media
  } else if (format == "applehttp") {
    a.content_type = "application/vnd.apple.mpegurl";
    a.body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1500000,RESOLUTION=1280x720\n" + download + "\n";
  } else if (format == "mpegdash") {
    a.content_type = "application/dash+xml";
    a.body = "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
             "mediaPresentationDuration=\"PT" + std::to_string(seconds) + "S\"><Period><AdaptationSet mimeType=\"video/mp4\">"
             "<Representation id=\"0\" bandwidth=\"1500000\" width=\"1280\" height=\"720\"><BaseURL>" +
             html_escape(download) + "</BaseURL></Representation></AdaptationSet></Period></MPD>\n";
  } else {
    return not_found(2, "format '" + format + "' is not served by kmeet-emulator (url, download, applehttp, mpegdash)");
  }
  return a;
}

}  // namespace

bool is_media_path(const std::string& path) {
  const auto parts = split(path, '/');
  return parts.size() >= 6 && parts[0].empty() && parts[1] == "p" && parts[3] == "sp" &&
         (parts[5] == "playManifest" || parts[5] == "thumbnail");
}

MediaAnswer serve_media(World& w, const std::string& path, std::int64_t now) {
  std::lock_guard<std::mutex> lock(w.mu);
  advance_recordings(w, now);
  const auto parts = split(path, '/');  // "", p, PID, sp, SP, kind, name, value, ...
  if (php_intval(parts[2]) != w.cfg.partner_id || parts[4] != parts[2] + "00") {
    return not_found(1, "no such partner: " + parts[2]);
  }
  std::map<std::string, std::string> params;
  for (std::size_t i = 6; i + 1 < parts.size(); i += 2) {
    const auto alias = short_names().find(parts[i]);
    params[alias == short_names().end() ? parts[i] : alias->second] = url_decode(parts[i + 1], false);
  }
  const bool thumbnail = parts[5] == "thumbnail";
  const std::string id = thumbnail ? params["entry_id"] : params["entryId"];
  const StoredObject* e = active_entry(w.state, id);
  if (e == nullptr) return not_found(1, "no such entry: " + id);
  if (json_intval(e->props.value("status", Json(0))) != 2) {
    return not_found(2, "entry " + id + " is not ready (status " + json_strval(e->props.value("status", Json(0))) + ")");
  }
  if (thumbnail) {
    MediaAnswer a;
    a.content_type = "image/jpeg";
    a.body = std::string("\xFF\xD8\xFF\xD9", 4);  // start and end of image markers only
    return a;
  }
  return manifest(*e, id, params["format"]);
}

}  // namespace kmeet::emulator
