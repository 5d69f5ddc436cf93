#include "kmeet/errors.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/redact.hpp"

namespace kmeet {
namespace {

const std::string kKs =
    "djJ8MTIzNDU2N3ybBet-7skL2TR7Dz-DITZLnVumERp7O0EXBXHA1ZlX3PbHfr5vzdFzBFH4-i9E4_FeHexhDoJuv7IBBw1MOV0RAtcYWQHpQ";

TEST(Errors, ValidationErrorNamesFieldAndReason) {
  ValidationError e("room.name", "must not be empty");
  EXPECT_EQ(e.field(), "room.name");
  EXPECT_EQ(e.reason(), "must not be empty");
  EXPECT_STREQ(e.what(), "invalid room.name: must not be empty");
}

TEST(Errors, ApiErrorRedactsKsInMessageAndArgs) {
  ApiError e({.code = "INVALID_KS",
              .message = "Invalid KS \"" + kKs + "\", Error \"-1,INVALID_STR\"",
              .args = {{"KSID", kKs}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}},
              .server = "pa-apis-1",
              .session = "123, 1700000000"});
  EXPECT_EQ(std::string(e.what()).find(kKs), std::string::npos);
  EXPECT_EQ(e.api_message().find(kKs), std::string::npos);
  EXPECT_EQ(e.args().at("KSID").find(kKs), std::string::npos);
  EXPECT_EQ(e.ks_reason(), "INVALID_STR");
  EXPECT_NE(std::string(e.what()).find("pa-apis-1"), std::string::npos);
}

TEST(Errors, ApiErrorRedactsEveryServerSuppliedField) {
  // A hostile server may put a KS anywhere: the code, an argument's name, the headers.
  ApiError e({.code = kKs,
              .message = "m",
              .args = {{kKs, "v"}},
              .server = kKs,
              .session = "ks=" + kKs});
  const std::string all = std::string(e.what()) + e.code() + e.server() + e.session() + e.args().begin()->first;
  EXPECT_EQ(all.find(kKs), std::string::npos) << all;
  EXPECT_NE(e.code().find("djJ8MT"), std::string::npos);  // recognisable, not the value
  // Ordinary codes are untouched, whatever their length.
  EXPECT_EQ(ApiError({.code = "SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS_AND_SOME_MORE_WORDS"}).code(),
            "SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS_AND_SOME_MORE_WORDS");
}

TEST(Errors, ApiErrorTextIsOnePrintableLine) {
  ApiError e({.code = "X\r\nkmeet: error: forged", .message = "a\nb\x1b]0;title\x07" "c"});
  const std::string what = e.what();
  EXPECT_EQ(what.find('\n'), std::string::npos);
  EXPECT_EQ(what.find('\x1b'), std::string::npos);
  EXPECT_NE(what.find("a\\nb\\x1b]0;title\\x07c"), std::string::npos) << what;
}

TEST(Errors, ApiErrorKsReasonExpired) {
  ApiError e({.code = "INVALID_KS",
              .message = "Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\"",
              .args = {{"KSID", "EXPIRED"}, {"ERR_CODE", "-1"}, {"ERR_DESC", "INVALID_STR"}}});
  EXPECT_EQ(e.ks_reason(), "EXPIRED");
  ApiError other({.code = "INVALID_OBJECT_ID", .message = "Invalid object id [1]", .args = {{"ID", "1"}}});
  EXPECT_EQ(other.ks_reason(), "");
}

TEST(Errors, CredentialErrorsFailEveryCallOthersDoNot) {
  for (const char* code : {"INVALID_KS", "SERVICE_FORBIDDEN", "START_SESSION_ERROR", "INVALID_PARTNER_ID"}) {
    const ApiError e(ApiError::Details{code, "m", {}, {}, {}});
    EXPECT_TRUE(e.fails_every_call()) << code;
    EXPECT_TRUE(fails_every_call(std::make_exception_ptr(e))) << code;
  }
  const ApiError other(ApiError::Details{"INVALID_OBJECT_ID", "m", {}, {}, {}});
  EXPECT_FALSE(other.fails_every_call());
  EXPECT_FALSE(fails_every_call(std::make_exception_ptr(other)));
  EXPECT_FALSE(fails_every_call(std::make_exception_ptr(ValidationError("room.name", "is empty"))));
  EXPECT_FALSE(fails_every_call(std::make_exception_ptr(std::runtime_error("x"))));
  EXPECT_FALSE(fails_every_call(std::exception_ptr{}));
}

TEST(Redact, SnippetHidesTokensAndControlChars) {
  const std::string body = "<html>\n<a href=\"/launch?ks=" + kKs + "\">x</a>";
  const auto s = detail::safe_snippet(body, 1000);
  EXPECT_EQ(s.find(kKs), std::string::npos);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_NE(s.find("djJ8MT"), std::string::npos);
}

TEST(Redact, SecretValuesAreHiddenWhateverTheirLength) {
  // A proxy page echoing a session.start body or query: the secret is short and hex, not KS-like.
  const std::string secret = "0123456789abcdef0123456789abcdef";
  for (const std::string& text :
       {"{\"secret\":\"" + secret + "\",\"type\":2}", "{\"secret\": \"" + secret + "\"}",
        "POST /x?secret=" + secret + "&type=2", "adminSecret=" + secret,
        "{\\\"secret\\\":\\\"" + secret + "\\\"}"}) {
    const auto s = detail::safe_snippet(text, 1000);
    EXPECT_EQ(s.find(secret), std::string::npos) << s;
    EXPECT_NE(s.find("[redacted]"), std::string::npos) << s;
  }
  EXPECT_EQ(detail::safe_snippet("a=1&userSecret%3D" + secret, 1000).find(secret), std::string::npos);
  // An app token's value in a garbled apptoken.list/get/add answer, and the hash startSession sends.
  for (const std::string& text :
       {"{\"objects\":[{\"id\":\"0_hqjivmlo\",\"token\":\"" + secret + "\",\"status\":2}]",
        "POST /api_v3/service/apptoken/action/startSession id=0_hqjivmlo&tokenHash=" + secret}) {
    const auto s = detail::safe_snippet(text, 1000);
    EXPECT_EQ(s.find(secret), std::string::npos) << s;
    EXPECT_NE(s.find("0_hqjivmlo"), std::string::npos) << s;
  }
  // A short KS-like value after `"ks":` is shortened too; other values are kept.
  const auto s = detail::safe_snippet("{\"ks\":\"djJ8MTIzNDU2N3wabcdef\",\"name\":\"room 1\",\"id\":12}", 1000);
  EXPECT_EQ(s.find("djJ8MTIzNDU2N3wabcdef"), std::string::npos) << s;
  EXPECT_NE(s.find("room 1"), std::string::npos) << s;
  EXPECT_NE(s.find("\"id\":12"), std::string::npos) << s;
}

}  // namespace
}  // namespace kmeet
