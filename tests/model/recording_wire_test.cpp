// Media entries on the wire (src/model/recording_wire.*): the wire examples of protocol.md J.7
// mapped to typed values and back, KalturaEntryStatus (J.5) as number, numeric string and plugin
// value, and what the decoder refuses.

#include "model/recording_wire.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

using detail::Json;

// protocol.md J.7: the answer of media.add of a template.
constexpr const char* kTemplateAnswer =
    R"({"mediaType":1,"plays":0,"views":0,"duration":0,"msDuration":0,"id":"1_tmpl0001","name":"Weekly sync","description":"Recording of the weekly sync","partnerId":1234567,"userId":"max@organization.com","creatorId":"max@organization.com","tags":"kmeet,weekly","categories":"Meetings","categoriesIds":"123456","status":7,"moderationStatus":6,"moderationCount":0,"type":1,"createdAt":1699990000,"updatedAt":1699990000,"rank":0,"totalRank":0,"votes":0,"downloadUrl":"https:\/\/cdnapisec.kaltura.com\/p\/1234567\/sp\/123456700\/playManifest\/entryId\/1_tmpl0001\/format\/download\/protocol\/https\/flavorParamIds\/0","licenseType":-1,"version":0,"referenceId":"kmeet-evt-42","rootEntryId":"1_tmpl0001","objectType":"KalturaMediaEntry"})";

// protocol.md J.7: the answer of the recordings list.
constexpr const char* kListAnswer =
    R"({"objects":[{"mediaType":1,"sourceType":"1","dataUrl":"https:\/\/cdnapisec.kaltura.com\/p\/1234567\/sp\/123456700\/playManifest\/entryId\/1_rec00001\/format\/url\/protocol\/https","flavorParamsIds":"0,487041,487051","plays":0,"views":0,"width":1280,"height":720,"duration":3541,"msDuration":3541000,"id":"1_rec00001","name":"Weekly sync","partnerId":1234567,"userId":"max@organization.com","tags":"kmeet,weekly","status":2,"moderationStatus":6,"moderationCount":0,"type":1,"createdAt":1700001000,"updatedAt":1700001600,"downloadUrl":"https:\/\/cdnapisec.kaltura.com\/p\/1234567\/sp\/123456700\/playManifest\/entryId\/1_rec00001\/format\/download\/protocol\/https\/flavorParamIds\/0","thumbnailUrl":"https:\/\/cfvod.kaltura.com\/p\/1234567\/sp\/123456700\/thumbnail\/entry_id\/1_rec00001\/version\/100002","rootEntryId":"1_tmpl0001","objectType":"KalturaMediaEntry"}],"totalCount":1,"objectType":"KalturaMediaListResponse"})";

Timestamp at(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

TEST(RecordingWire, TheTemplateOfJ7IsEncodedByteForByte) {
  RecordingTemplate t{.name = "Weekly sync",
                      .description = "Recording of the weekly sync",
                      .tags = "kmeet,weekly",
                      .owner_id = "max@organization.com",
                      .category_ids = "123456",
                      .reference_id = "kmeet-evt-42"};
  EXPECT_EQ(detail::template_to_wire(t).dump(),
            R"({"objectType":"KalturaMediaEntry","name":"Weekly sync","description":"Recording of the weekly sync",)"
            R"("mediaType":1,"userId":"max@organization.com","tags":"kmeet,weekly","categoriesIds":"123456",)"
            R"("referenceId":"kmeet-evt-42"})");
  // Unset fields are not sent; mediaType VIDEO always is (J.3).
  EXPECT_EQ(detail::template_to_wire(RecordingTemplate{}).dump(), R"({"objectType":"KalturaMediaEntry","mediaType":1})");
}

TEST(RecordingWire, TheTemplateAnswerOfJ7IsDecoded) {
  const Recording r = detail::recording_from_wire(Json::parse(kTemplateAnswer));
  EXPECT_EQ(r.id, "1_tmpl0001");
  EXPECT_EQ(r.name, "Weekly sync");
  EXPECT_EQ(r.description, "Recording of the weekly sync");
  EXPECT_EQ(r.status, EntryStatus::no_content);  // a template never becomes READY (J.3)
  EXPECT_EQ(r.status_text, "7");
  EXPECT_FALSE(r.ready());
  EXPECT_EQ(r.root_entry_id, r.id);  // a root entry
  EXPECT_EQ(r.reference_id, "kmeet-evt-42");
  EXPECT_EQ(r.owner_id, "max@organization.com");
  EXPECT_EQ(r.creator_id, "max@organization.com");
  EXPECT_EQ(r.categories, "Meetings");
  EXPECT_EQ(r.categories_ids, "123456");
  EXPECT_EQ(r.partner_id, PartnerId(1234567));
  EXPECT_EQ(r.duration, std::chrono::seconds(0));
  EXPECT_EQ(r.download_url,
            "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_tmpl0001/format/download/"
            "protocol/https/flavorParamIds/0");
  EXPECT_TRUE(r.data_url.empty());
  EXPECT_EQ(r.object_type, "KalturaMediaEntry");
}

TEST(RecordingWire, TheListAnswerOfJ7IsDecoded) {
  const Page<Recording> page = detail::recording_page_from_wire(Json::parse(kListAnswer));
  EXPECT_EQ(page.total_count, 1);
  ASSERT_EQ(page.items.size(), 1U);
  const Recording& r = page.items[0];
  EXPECT_EQ(r.id, "1_rec00001");
  EXPECT_EQ(r.name, "Weekly sync");
  EXPECT_EQ(r.status, EntryStatus::ready);
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.duration, std::chrono::seconds(3541));
  EXPECT_EQ(r.ms_duration, std::chrono::milliseconds(3541000));
  EXPECT_EQ(r.created_at, at(1700001000));
  EXPECT_EQ(r.updated_at, at(1700001600));
  EXPECT_EQ(r.root_entry_id, "1_tmpl0001");  // the template it was cloned from (J.1)
  EXPECT_EQ(r.media_type, 1);
  EXPECT_EQ(r.flavor_params_ids, "0,487041,487051");
  EXPECT_EQ(r.tags, "kmeet,weekly");
  EXPECT_EQ(r.data_url,
            "https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_rec00001/format/url/protocol/https");
  EXPECT_EQ(r.thumbnail_url, "https://cfvod.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/1_rec00001/version/100002");
  EXPECT_FALSE(r.event.has_value());  // only the service knows which event asked
}

TEST(RecordingWire, AnEmptyListOfJ7IsDecoded) {
  const Page<Recording> page =
      detail::recording_page_from_wire(Json::parse(R"({"objects":[],"totalCount":0,"objectType":"KalturaMediaListResponse"})"));
  EXPECT_TRUE(page.items.empty());
  EXPECT_EQ(page.total_count, 0);
}

TEST(RecordingWire, StatusIsReadAsANumberANumericStringOrAPluginValue) {
  auto status_of = [](const std::string& value) {
    return detail::recording_from_wire(Json::parse(R"({"id":"1_a","status":)" + value + "}"));
  };
  EXPECT_EQ(status_of("2").status, EntryStatus::ready);
  EXPECT_EQ(status_of(R"("2")").status, EntryStatus::ready);  // the clients' string enum (J.5)
  EXPECT_EQ(status_of("-1").status, EntryStatus::error_converting);
  EXPECT_EQ(status_of(R"("-2")").status, EntryStatus::error_importing);
  EXPECT_EQ(status_of("1").status, EntryStatus::preconvert);
  EXPECT_EQ(status_of(R"("virusScan.Infected")").status, EntryStatus::infected);
  EXPECT_EQ(status_of(R"("virusScan.ScanFailure")").status, EntryStatus::scan_failure);
  const Recording odd = status_of(R"("someplugin.State")");
  EXPECT_EQ(odd.status, EntryStatus::unknown);
  EXPECT_EQ(odd.status_text, "someplugin.State");  // kept as sent
  EXPECT_EQ(status_of("42").status, EntryStatus::unknown);
  EXPECT_EQ(status_of("42").status_text, "42");
  EXPECT_THROW(status_of("true"), ProtocolError);
  EXPECT_THROW(status_of("{}"), ProtocolError);
}

TEST(RecordingWire, EveryStatusOfJ5HasItsNameAndValue) {
  const std::vector<std::tuple<EntryStatus, std::string, std::string>> all = {
      {EntryStatus::error_importing, "-2", "ERROR_IMPORTING"}, {EntryStatus::error_converting, "-1", "ERROR_CONVERTING"},
      {EntryStatus::import, "0", "IMPORT"},                   {EntryStatus::preconvert, "1", "PRECONVERT"},
      {EntryStatus::ready, "2", "READY"},                     {EntryStatus::deleted, "3", "DELETED"},
      {EntryStatus::pending, "4", "PENDING"},                 {EntryStatus::moderate, "5", "MODERATE"},
      {EntryStatus::blocked, "6", "BLOCKED"},                 {EntryStatus::no_content, "7", "NO_CONTENT"},
      {EntryStatus::infected, "virusScan.Infected", "INFECTED"},
      {EntryStatus::scan_failure, "virusScan.ScanFailure", "SCAN_FAILURE"}};
  for (const auto& [status, wire, name] : all) {
    EXPECT_EQ(wire_value(status), wire);
    EXPECT_EQ(to_string(status), name);
    EXPECT_EQ(parse_entry_status(wire), status);
    EXPECT_EQ(parse_entry_status_name(name), status);
    EXPECT_EQ(parse_entry_status_name(wire), status);
  }
  EXPECT_EQ(parse_entry_status_name("ready"), EntryStatus::ready);
  EXPECT_EQ(parse_entry_status_name("Error_Converting"), EntryStatus::error_converting);
  EXPECT_EQ(parse_entry_status_name("done"), std::nullopt);
  EXPECT_EQ(to_string(EntryStatus::unknown), "UNKNOWN");
  EXPECT_TRUE(is_failure(EntryStatus::error_converting));
  EXPECT_TRUE(is_failure(EntryStatus::infected));
  EXPECT_FALSE(is_failure(EntryStatus::preconvert));
  EXPECT_FALSE(is_failure(EntryStatus::no_content));
  EXPECT_FALSE(is_failure(EntryStatus::unknown));
}

TEST(RecordingWire, WrongTypesAreRefusedNamingTheField) {
  auto refused = [](const std::string& json, const std::string& field) {
    try {
      (void)detail::recording_from_wire(Json::parse(json));
      ADD_FAILURE() << "accepted " << json;
    } catch (const ProtocolError& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr(field));
    }
  };
  refused(R"({"id":"1_a","duration":"long"})", "duration");
  refused(R"({"id":"1_a","createdAt":[1]})", "createdAt");
  refused(R"({"id":"1_a","rootEntryId":{}})", "rootEntryId");
  refused(R"({"name":"no id"})", "no id");
  EXPECT_THROW((void)detail::recording_from_wire(Json::parse("[]")), ProtocolError);
  EXPECT_THROW((void)detail::recording_page_from_wire(Json::parse(R"({"objects":{}})")), ProtocolError);
  // Numbers as strings are read as numbers (what PHP clients sometimes send).
  EXPECT_EQ(detail::recording_from_wire(Json::parse(R"({"id":"1_a","duration":"60"})")).duration, std::chrono::seconds(60));
}

TEST(RecordingWire, TheFilterOfJ7IsEncodedInItsOrder) {
  RecordingFilter f;
  f.root_entry_id = "1_tmpl0001";
  f.status_in = {EntryStatus::error_importing, EntryStatus::error_converting, EntryStatus::import,
                 EntryStatus::preconvert, EntryStatus::ready, EntryStatus::pending};
  f.order_by = RecordingOrder::created_at_desc;
  EXPECT_EQ(detail::to_wire(f).dump(),
            R"({"objectType":"KalturaMediaEntryFilter","rootEntryIdEqual":"1_tmpl0001","statusIn":"-2,-1,0,1,2,4",)"
            R"("orderBy":"-createdAt"})");
  RecordingFilter many;
  many.root_entry_id_in = {"1_a", "1_b"};
  many.status = EntryStatus::ready;
  many.status_in.clear();
  many.created_at_gte = at(1700000000);
  EXPECT_EQ(detail::to_wire(many).dump(),
            R"({"objectType":"KalturaMediaEntryFilter","rootEntryIdIn":"1_a,1_b","statusEqual":"2",)"
            R"("createdAtGreaterThanOrEqual":1700000000})");
  // The default status filter names every state but deleted: nothing still converting is hidden (J.4).
  EXPECT_EQ(detail::to_wire(RecordingFilter{}).dump(),
            R"({"objectType":"KalturaMediaEntryFilter","statusIn":"-2,-1,0,1,2,4,5,6,7"})");
}

TEST(RecordingWire, InputIsCheckedBeforeSending) {
  EXPECT_NO_THROW(detail::validate_entry_id("1_9vga7lbm", "entry_id"));
  EXPECT_THROW(detail::validate_entry_id("", "entry_id"), ValidationError);
  EXPECT_THROW(detail::validate_entry_id("1_x/../../y", "entry_id"), ValidationError);
  EXPECT_THROW(detail::validate_entry_id("1_x y", "entry_id"), ValidationError);
  EXPECT_THROW(detail::validate_entry_id(std::string(65, 'a'), "entry_id"), ValidationError);
  RecordingFilter f;
  f.root_entry_id = "1_a,1_b";
  EXPECT_THROW(detail::validate(f), ValidationError);
  RecordingFilter g;
  g.status_in = {EntryStatus::unknown};
  EXPECT_THROW(detail::validate(g), ValidationError);
  for (const char* bad : {"", ",1", "1,", "1,,2", "1;2", "a"}) {
    RecordingTemplate t;
    t.category_ids = bad;
    EXPECT_THROW(detail::validate(t, "record"), ValidationError) << bad;
  }
  RecordingTemplate ok;
  ok.category_ids = "1,22,333";
  EXPECT_NO_THROW(detail::validate(ok, "record"));
  RecordingTemplate ctl;
  ctl.name = "a\x1b[31mb";
  EXPECT_THROW(detail::validate(ctl, "record"), ValidationError);
}

}  // namespace
}  // namespace kmeet
