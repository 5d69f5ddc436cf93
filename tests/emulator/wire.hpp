#pragma once
// Raw HTTP for the emulator wire tests (libcurl, no kmeet services): what a client sends and
// exactly what comes back.

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <map>
#include <string>

#include "kmeet/ks.hpp"
#include "support/emulator.hpp"

namespace kmeet::test::wire {

using Json = nlohmann::ordered_json;

struct Response {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-case names
  [[nodiscard]] Json json() const { return Json::parse(body); }
};

inline std::size_t on_body(char* p, std::size_t s, std::size_t n, void* ud) {
  static_cast<std::string*>(ud)->append(p, s * n);
  return s * n;
}

inline std::size_t on_header(char* p, std::size_t s, std::size_t n, void* ud) {
  std::string line(p, s * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(ud))[name] = value;
  }
  return s * n;
}

/// A handle for `url` that collects the answer into `r` (body, headers) within `timeout_ms`.
inline CURL* easy_for(const std::string& url, Response& r, long timeout_ms) {
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  return c;
}

/// Runs `c`, records the outcome in `r` and frees `c`.
inline void perform_into(CURL* c, Response& r) {
  r.code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(c);
}

/// One request; `content_type` empty = no body header (GET when body is empty).
inline Response request(const std::string& url, const std::string& body = {},
                        const std::string& content_type = {}, long timeout_ms = 10000) {
  Response r;
  CURL* c = easy_for(url, r, timeout_ms);
  curl_slist* hdrs = nullptr;
  if (!body.empty() || !content_type.empty()) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    hdrs = curl_slist_append(hdrs, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  }
  perform_into(c, r);
  curl_slist_free_all(hdrs);
  return r;
}

/// `curl -X POST URL`: a POST with no body and neither Content-Length nor Transfer-Encoding.
inline Response post_without_body(const std::string& url, long timeout_ms = 10000) {
  Response r;
  CURL* c = easy_for(url, r, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "POST");
  perform_into(c, r);
  return r;
}

inline std::string escape(const std::string& s) {
  CURL* c = curl_easy_init();
  char* e = curl_easy_escape(c, s.c_str(), static_cast<int>(s.size()));
  std::string out(e);
  curl_free(e);
  curl_easy_cleanup(c);
  return out;
}

inline std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

/// A JSON api_v3 call as the official clients send it (format=1 added).
inline Response post(const EmulatorProcess& emu, const std::string& service, const std::string& action,
                     Json params) {
  params["format"] = 1;
  return request(emu.base_url() + "/api_v3/service/" + service + "/action/" + action, params.dump(),
                 "application/json");
}

/// The parsed result of a JSON call.
inline Json call(const EmulatorProcess& emu, const std::string& service, const std::string& action,
                 Json params) {
  return post(emu, service, action, std::move(params)).json();
}

inline Response multirequest(const EmulatorProcess& emu, Json params) {
  params["format"] = 1;
  return request(emu.base_url() + "/api_v3/service/multirequest", params.dump(), "application/json");
}

/// A KS minted locally with the emulator's admin secret.
inline std::string mint(const EmulatorProcess& emu, SessionType type, const std::string& user = {},
                        const std::string& privileges = {}, std::int64_t ttl = 3600,
                        KsVersion version = KsVersion::v2) {
  KsSigner signer(emu.admin_secret());
  KsParams p;
  p.partner_id = PartnerId(emu.partner_id());
  p.type = type;
  p.user_id = user;
  p.privileges = privileges;
  p.expires_at = Timestamp(std::chrono::seconds(now() + ttl));
  return signer.mint(p, version);
}

inline std::string admin_ks(const EmulatorProcess& emu, const std::string& user = "admin@example.com") {
  return mint(emu, SessionType::admin, user);
}

inline Json room(const std::string& name, const std::string& tags = "vcprovider:newrow") {
  return Json{{"objectType", "KalturaLocationScheduleResource"}, {"name", name}, {"tags", tags}};
}

inline Json event(const std::string& summary, std::int64_t start, std::int64_t end,
                  const std::string& tags = {}) {
  Json e{{"objectType", "KalturaRecordScheduleEvent"}, {"summary", summary}, {"startDate", start},
         {"endDate", end}, {"recurrenceType", 0}};
  if (!tags.empty()) e["tags"] = tags;
  return e;
}

inline Json add_room(const EmulatorProcess& emu, const std::string& ks, const std::string& name,
                     const std::string& tags = "vcprovider:newrow") {
  return call(emu, "schedule_scheduleresource", "add", {{"ks", ks}, {"scheduleResource", room(name, tags)}});
}

inline Json add_event(const EmulatorProcess& emu, const std::string& ks, const std::string& summary,
                      std::int64_t start, std::int64_t end, const std::string& tags = {}) {
  return call(emu, "schedule_scheduleevent", "add",
              {{"ks", ks}, {"scheduleEvent", event(summary, start, end, tags)}});
}

inline Json link(const EmulatorProcess& emu, const std::string& ks, std::int64_t event_id,
                 std::int64_t resource_id) {
  return call(emu, "schedule_scheduleeventresource", "add",
              {{"ks", ks},
               {"scheduleEventResource",
                {{"objectType", "KalturaScheduleEventResource"}, {"eventId", event_id}, {"resourceId", resource_id}}}});
}

inline Json stats(const EmulatorProcess& emu) {
  return request(emu.base_url() + "/__emulator/stats").json();
}

}  // namespace kmeet::test::wire
