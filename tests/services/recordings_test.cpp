// Recordings service (src/services/recordings.cpp, recording_urls.cpp): exact requests of
// protocol.md J.4/J.7, every page, the event each recording belongs to, waiting until one is
// ready, and the URL shapes of J.6.

#include "kmeet/recordings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/json.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/testing/mock_transport.hpp"
#include "kmeet/ks.hpp"
#include "services/fixture.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;


using ::testing::ElementsAre;
using ::testing::HasSubstr;
using detail::Json;
using testing_support::kTail;
using testing_support::MockClient;
using testing_support::url;

std::string recording(const std::string& id, int status, std::int64_t created, const std::string& root = "1_tmpl0001") {
  return R"({"mediaType":1,"dataUrl":"https:\/\/cdnapisec.kaltura.com\/p\/1234567\/sp\/123456700\/playManifest\/entryId\/)" + id +
         R"(\/format\/url\/protocol\/https","duration":3541,"id":")" + id +
         R"(","name":"Weekly sync","partnerId":1234567,"userId":"max@organization.com","status":)" + std::to_string(status) +
         R"(,"type":1,"createdAt":)" + std::to_string(created) + R"(,"updatedAt":)" + std::to_string(created) +
         R"(,"thumbnailUrl":"https:\/\/cfvod.kaltura.com\/p\/1234567\/sp\/123456700\/thumbnail\/entry_id\/)" + id +
         R"(\/version\/100002","rootEntryId":")" + root + R"(","objectType":"KalturaMediaEntry"})";
}
std::string media_page(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& i : items) joined += (joined.empty() ? "" : ",") + i;
  return R"({"objects":[)" + joined + R"(],"totalCount":)" + std::to_string(items.size()) +
         R"(,"objectType":"KalturaMediaListResponse"})";
}
std::string event(int id, const std::string& tmpl) {
  return R"({"id":)" + std::to_string(id) +
         R"(,"summary":"Weekly sync","status":2,"startDate":1700000000,"endDate":1700003600,"recurrenceType":0,"createdAt":1699990000,"templateEntryId":")" +
         tmpl + R"(","objectType":"KalturaRecordScheduleEvent"})";
}

TEST(Recordings, ListSendsTheFilterOfJ7) {
  MockClient m;
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000)}));
  RecordingFilter f;
  f.root_entry_id = "1_tmpl0001";
  f.status_in = {EntryStatus::error_importing, EntryStatus::error_converting, EntryStatus::import,
                 EntryStatus::preconvert, EntryStatus::ready, EntryStatus::pending};
  f.order_by = RecordingOrder::created_at_desc;
  const Page<Recording> page = m.client.recordings().list(f, Pager{100, 1});
  EXPECT_EQ(m.mock->last_request().url, url("media", "list"));
  // protocol.md J.7, the request of the recordings list (without kalsig, as every test here).
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"filter":{"objectType":"KalturaMediaEntryFilter","rootEntryIdEqual":"1_tmpl0001",)"
                        R"("statusIn":"-2,-1,0,1,2,4","orderBy":"-createdAt"},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":100,"pageIndex":1},)") +
                kTail);
  EXPECT_TRUE(m.mock->last_request().idempotent);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].id, "1_rec00001");
}

TEST(Recordings, OfEventFindsTheTemplateAndListsEveryStateOnEveryPage) {
  MockClient m;
  m.mock->reply_json(event(77, "1_tmpl0001"));
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000), recording("1_rec00002", 1, 1700002000)}));
  m.mock->reply_json(media_page({recording("1_rec00003", -1, 1700003000)}));
  std::vector<Recording> all = m.client.recordings().of_event(EventId(77), RecordingListOptions{.page_size = 2}).to_vector();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].id, "1_rec00001");
  EXPECT_EQ(all[1].status, EntryStatus::preconvert);  // converting: listed, not hidden (J.4)
  EXPECT_EQ(all[2].status, EntryStatus::error_converting);
  for (const Recording& r : all) EXPECT_EQ(r.event, EventId(77));
  ASSERT_EQ(m.mock->request_count(), 3U);
  EXPECT_EQ(m.mock->requests()[0].url, url("schedule_scheduleevent", "get"));
  EXPECT_EQ(m.mock->requests()[1].body,
            std::string(R"({"filter":{"objectType":"KalturaMediaEntryFilter","rootEntryIdEqual":"1_tmpl0001",)"
                        R"("statusIn":"-2,-1,0,1,2,4,5,6,7","orderBy":"+createdAt"},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":2,"pageIndex":1},)") +
                kTail);
  EXPECT_EQ(Json::parse(m.mock->requests()[2].body)["pager"]["pageIndex"], 2);
}

TEST(Recordings, ReadyOnlyAsksForReadyEntries) {
  MockClient m;
  m.mock->reply_json(event(77, "1_tmpl0001"));
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000)}));
  (void)m.client.recordings().of_event(EventId(77), RecordingListOptions{.ready_only = true}).to_vector();
  const Json filter = Json::parse(m.mock->last_request().body)["filter"];
  EXPECT_EQ(filter["statusEqual"], "2");
  EXPECT_FALSE(filter.contains("statusIn"));
}

TEST(Recordings, AnEventWithoutATemplateSaysSoWhenIterationStarts) {
  MockClient m;
  m.mock->reply_json(event(77, ""));
  Listing<Recording> list = m.client.recordings().of_event(EventId(77));
  EXPECT_EQ(m.mock->request_count(), 0U);  // lazy
  try {
    (void)list.begin();
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("event 77 has no recording template"));
  }
}

TEST(Recordings, OfEventsListsTheTemplatesOfManyEventsAtOnce) {
  MockClient m;
  m.mock->reply_json(R"({"objects":[)" + event(77, "1_tmpl0001") + "," + event(78, "1_tmpl0002") + "," + event(79, "") +
                     R"(],"totalCount":3,"objectType":"KalturaScheduleEventListResponse"})");
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000, "1_tmpl0001"),
                                 recording("1_rec00002", 2, 1700002000, "1_tmpl0002")}));
  const std::vector<EventId> ids{EventId(77), EventId(78), EventId(79)};
  std::vector<Recording> all = m.client.recordings().of_events(ids).to_vector();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].event, EventId(77));
  EXPECT_EQ(all[1].event, EventId(78));
  const Json events = Json::parse(m.mock->requests()[0].body)["filter"];
  EXPECT_EQ(events["objectType"], "KalturaEntryScheduleEventFilter");
  EXPECT_EQ(events["idIn"], "77,78,79");
  const Json filter = Json::parse(m.mock->requests()[1].body)["filter"];
  EXPECT_EQ(filter["rootEntryIdIn"], "1_tmpl0001,1_tmpl0002");
}

TEST(Recordings, OfEventsNamesEventsThatDoNotExist) {
  MockClient m;
  m.mock->reply_json(R"({"objects":[)" + event(77, "1_tmpl0001") + R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"})");
  const std::vector<EventId> ids{EventId(77), EventId(80)};
  Listing<Recording> list = m.client.recordings().of_events(ids);
  EXPECT_THROW((void)list.begin(), Error);
  try {
    (void)m.client.recordings().of_events(std::vector<EventId>{EventId(0)});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "event_ids");
  }
}

TEST(Recordings, GetReadsTheEntryAndItsEventInOneRoundTrip) {
  MockClient m;
  m.mock->reply_json("[" + recording("1_rec00001", 2, 1700001000) + R"(,{"objects":[)" + event(77, "1_tmpl0001") +
                     R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"}])");
  const Recording r = m.client.recordings().get("1_rec00001");
  EXPECT_EQ(r.id, "1_rec00001");
  EXPECT_EQ(r.event, EventId(77));
  ASSERT_EQ(m.mock->request_count(), 1U);
  // protocol.md C.3: the event list names the entry's root by reference.
  EXPECT_EQ(m.mock->last_request().body,
            std::string(R"({"0":{"entryId":"1_rec00001","service":"media","action":"get"},)"
                        R"("1":{"filter":{"objectType":"KalturaEntryScheduleEventFilter","templateEntryIdEqual":"{1:result:rootEntryId}"},)"
                        R"("pager":{"objectType":"KalturaFilterPager","pageSize":2,"pageIndex":1},)"
                        R"("service":"schedule_scheduleevent","action":"list"},)") +
                kTail);
}

TEST(Recordings, GetWithoutARootOrWithAnUnrelatedEventLeavesTheEventUnset) {
  MockClient m;
  // rootEntryId empty: "{1:result:rootEntryId}" resolves to "", which the server ignores (D.6): any event may come back.
  std::string rootless = recording("1_rec00001", 2, 1700001000, "");
  m.mock->reply_json("[" + rootless + R"(,{"objects":[)" + event(77, "1_other") + R"(],"totalCount":1,"objectType":"KalturaScheduleEventListResponse"}])");
  EXPECT_FALSE(m.client.recordings().get("1_rec00001").event.has_value());
  m.mock->reply_json(R"([{"code":"ENTRY_ID_NOT_FOUND","message":"Entry id \"1_nope\" not found","objectType":"KalturaAPIException","args":{"ENTRY_ID":"1_nope"}},)"
                     R"({"objects":[],"totalCount":0,"objectType":"KalturaScheduleEventListResponse"}])");
  try {
    (void)m.client.recordings().get("1_nope");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "ENTRY_ID_NOT_FOUND");
  }
  EXPECT_THROW((void)m.client.recordings().get("1_x/../y"), ValidationError);
}

WaitOptions quick() { return WaitOptions{.first_interval = std::chrono::milliseconds(1), .max_interval = std::chrono::milliseconds(5)}; }

TEST(Recordings, WaitReturnsOnceARecordingIsReady) {
  MockClient m;
  m.mock->reply_json(event(77, "1_tmpl0001"));
  m.mock->reply_json(media_page({}));
  m.mock->reply_json(media_page({recording("1_rec00001", 1, 1700001000)}));
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000)}));
  const Recording r = m.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(30), quick());
  EXPECT_EQ(r.id, "1_rec00001");
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.event, EventId(77));
  EXPECT_EQ(m.mock->request_count(), 4U);  // the event once, then one list per look
}

TEST(Recordings, WaitReturnsTheNewestReadyRecording) {
  MockClient m;
  m.mock->reply_json(event(77, "1_tmpl0001"));
  m.mock->reply_json(media_page({recording("1_rec00001", 2, 1700001000), recording("1_rec00002", 2, 1700005000),
                                 recording("1_rec00003", 1, 1700009000)}));
  EXPECT_EQ(m.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(30), quick()).id, "1_rec00002");
}

TEST(Recordings, WaitFailsWhenEveryRecordingFailed) {
  MockClient m;
  m.mock->reply_json(event(77, "1_tmpl0001"));
  m.mock->reply_json(media_page({recording("1_rec00001", -1, 1700001000)}));
  try {
    (void)m.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(30), quick());
    FAIL();
  } catch (const RecordingWaitError& e) {
    EXPECT_EQ(e.reason(), RecordingWaitError::Reason::failed);
    EXPECT_THAT(e.what(), HasSubstr("1_rec00001 ERROR_CONVERTING"));
    ASSERT_EQ(e.last_seen().size(), 1U);
  }
}

TEST(Recordings, WaitGivesUpAtTheTimeout) {
  auto mock = std::make_shared<MockTransport>([](const HttpRequest& req) {
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = req.url.ends_with("/get") ? event(77, "1_tmpl0001") : media_page({recording("1_rec00001", 1, 1700001000)});
    return r;
  });
  Client client(testing_support::mock_config(mock));
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)client.recordings().wait_until_ready(EventId(77), std::chrono::milliseconds(200), quick());
    FAIL();
  } catch (const RecordingWaitError& e) {
    EXPECT_EQ(e.reason(), RecordingWaitError::Reason::timed_out);
    EXPECT_THAT(e.what(), HasSubstr("none READY"));
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(200));
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_GT(mock->request_count(), 3U);  // it kept looking
}

TEST(Recordings, WaitRefusesBadOptions) {
  MockClient m;
  auto& r = m;
  EXPECT_THROW((void)r.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(0)), ValidationError);
  EXPECT_THROW((void)r.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(1),
                                                            WaitOptions{.first_interval = std::chrono::milliseconds(0)}),
               ValidationError);
  EXPECT_THROW((void)r.client.recordings().wait_until_ready(EventId(77), std::chrono::seconds(1), WaitOptions{.multiplier = 0.5}),
               ValidationError);
  EXPECT_EQ(m.mock->request_count(), 0U);
}

// ---- URLs (protocol.md J.6) -------------------------------------------------------------------

TEST(RecordingUrls, PlayManifestUrlsHaveTheShapesOfJ6) {
  const std::string cdn = "https://cdnapisec.kaltura.com";
  // The live JSON shapes of J.6.
  EXPECT_EQ(play_manifest_url(cdn, PartnerId(27017), "1_9vga7lbm", PlayFormat::url),
            "https://cdnapisec.kaltura.com/p/27017/sp/2701700/playManifest/entryId/1_9vga7lbm/format/url/protocol/https");
  EXPECT_EQ(play_manifest_url(cdn, PartnerId(27017), "1_9vga7lbm", PlayFormat::download),
            "https://cdnapisec.kaltura.com/p/27017/sp/2701700/playManifest/entryId/1_9vga7lbm/format/download/protocol/"
            "https/flavorParamIds/0");
  EXPECT_EQ(play_manifest_url(cdn + "/", PartnerId(1234567), "1_rec00001", PlayFormat::applehttp),
            "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00001/format/applehttp/protocol/https");
  EXPECT_EQ(play_manifest_url(cdn, PartnerId(1234567), "1_rec00001", PlayFormat::mpegdash, PlayUrlOptions{.protocol = "http"}),
            "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00001/format/mpegdash/protocol/http");
  // A KS is a path parameter; base64 '/', '+' and '=' are percent-encoded.
  EXPECT_EQ(play_manifest_url(cdn, PartnerId(1), "0_a", PlayFormat::url, PlayUrlOptions{.ks = "ab+/c="}),
            "https://cdnapisec.kaltura.com/p/1/sp/100/playManifest/entryId/0_a/format/url/protocol/https/ks/ab%2B%2Fc%3D");
}

TEST(RecordingUrls, ThumbnailUrlsHaveTheShapeOfJ6) {
  EXPECT_EQ(thumbnail_url("https://cfvod.kaltura.com", PartnerId(27017), "1_9vga7lbm", "100001"),
            "https://cfvod.kaltura.com/p/27017/sp/2701700/thumbnail/entry_id/1_9vga7lbm/version/100001");
  EXPECT_EQ(thumbnail_url("https://cfvod.kaltura.com", PartnerId(27017), "1_9vga7lbm", "100001", ThumbnailSize{640, 360}),
            "https://cfvod.kaltura.com/p/27017/sp/2701700/thumbnail/entry_id/1_9vga7lbm/version/100001/width/640/height/360/type/3");
  EXPECT_EQ(thumbnail_url("http://127.0.0.1:8080", PartnerId(1), "0_a"), "http://127.0.0.1:8080/p/1/sp/100/thumbnail/entry_id/0_a");
}

TEST(RecordingUrls, BadPartsAreRefused) {
  const std::string cdn = "https://cdnapisec.kaltura.com";
  auto field_of = [](auto&& f) {
    try {
      f();
    } catch (const ValidationError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of([&] { (void)play_manifest_url("ftp://x", PartnerId(1), "0_a", PlayFormat::url); }), "cdn_base");
  EXPECT_EQ(field_of([&] { (void)play_manifest_url(cdn + "?x=1", PartnerId(1), "0_a", PlayFormat::url); }), "cdn_base");
  EXPECT_EQ(field_of([&] { (void)play_manifest_url(cdn, PartnerId(0), "0_a", PlayFormat::url); }), "partner_id");
  EXPECT_EQ(field_of([&] { (void)play_manifest_url(cdn, PartnerId(1), "0_a/../b", PlayFormat::url); }), "entry_id");
  EXPECT_EQ(field_of([&] { (void)play_manifest_url(cdn, PartnerId(1), "0_a", PlayFormat::url, PlayUrlOptions{.protocol = "rtmp"}); }),
            "protocol");
  EXPECT_EQ(field_of([&] { (void)play_manifest_url(cdn, PartnerId(1), "0_a", PlayFormat::url, PlayUrlOptions{.ks = ""}); }), "ks");
  EXPECT_EQ(field_of([&] { (void)thumbnail_url(cdn, PartnerId(1), "0_a", "1x"); }), "version");
  EXPECT_EQ(field_of([&] { (void)thumbnail_url(cdn, PartnerId(1), "0_a", std::nullopt, ThumbnailSize{0, 10}); }), "size");
}

TEST(RecordingUrls, FormatsAndBasesParse) {
  EXPECT_EQ(parse_play_format("hls"), PlayFormat::applehttp);
  EXPECT_EQ(parse_play_format("dash"), PlayFormat::mpegdash);
  EXPECT_EQ(parse_play_format("download"), PlayFormat::download);
  EXPECT_EQ(parse_play_format("rtmp"), std::nullopt);
  EXPECT_EQ(to_string(PlayFormat::applehttp), "applehttp");
  EXPECT_EQ(url_base("https://cdnapisec.kaltura.com/p/1/sp/100/x"), "https://cdnapisec.kaltura.com");
  EXPECT_EQ(url_base("http://127.0.0.1:8080/p/1"), "http://127.0.0.1:8080");
  EXPECT_EQ(url_base("https://user:pw@evil.example/p/1"), std::nullopt);
  EXPECT_EQ(url_base("javascript:alert(1)"), std::nullopt);
  EXPECT_EQ(url_base(""), std::nullopt);
}

TEST(RecordingUrls, PlayUrlUsesTheEntrysOwnCdnHost) {
  MockClient m;
  Recording r;
  r.id = "1_rec00001";
  r.partner_id = PartnerId(1234567);
  r.data_url = "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00001/format/url/protocol/https";
  EXPECT_EQ(m.client.recordings().play_url(r, PlayFormat::url), r.data_url);
  EXPECT_EQ(m.client.recordings().play_url(r, PlayFormat::mpegdash),
            "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00001/format/mpegdash/protocol/https");
  Recording bare;
  bare.id = "1_rec00002";  // no URL of its own: the service URL and the configured partner
  EXPECT_EQ(m.client.recordings().play_url(bare, PlayFormat::url),
            "https://www.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00002/format/url/protocol/https");
  r.thumbnail_url = "https://cfvod.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/1_rec00001/version/100002";
  EXPECT_EQ(m.client.recordings().thumbnail(r, ThumbnailSize{320, 180}), r.thumbnail_url + "/width/320/height/180/type/3");
  EXPECT_EQ(m.client.recordings().thumbnail(r), r.thumbnail_url);
  EXPECT_EQ(m.client.recordings().thumbnail(bare), "https://www.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/1_rec00002");
}

TEST(RecordingUrls, APlaybackKsIsAUserKsLimitedToTheEntry) {
  auto mock = std::make_shared<MockTransport>();
  Config c = testing_support::mock_config(mock);
  c.ks.clear();
  c.admin_secret = "0123456789abcdef0123456789abcdef";
  Client client(c);
  const std::string ks = client.recordings().playback_ks("1_rec00001");
  const KsInfo info = Ks::inspect(ks, c.admin_secret);
  EXPECT_TRUE(info.signature_valid);
  EXPECT_EQ(info.raw_type, 0);  // USER, never the admin KS
  EXPECT_EQ(info.user_id, "kmeet-playback");
  EXPECT_EQ(info.privileges, "sview:1_rec00001");
  EXPECT_EQ(mock->request_count(), 0U);  // minted locally
  EXPECT_THROW((void)client.recordings().playback_ks("1_x,edit:*"), ValidationError);
  // Without any secret there is nothing to make a KS with.
  MockClient ks_only;
  EXPECT_THROW((void)ks_only.client.recordings().playback_ks("1_rec00001"), ValidationError);
}

}  // namespace
}  // namespace kmeet
