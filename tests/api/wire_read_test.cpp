// The one set of field readers every api_v3 decoder uses (api/wire_read.hpp).
#include "api/wire_read.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

const Json kObject = Json::parse(
    R"({"n":12,"f":12.0,"s":"-7","e":"","z":null,"b":true,"p":"+3","w":" 4","x":"12abc","d":"1.5","t":"1700000000",)"
    R"("frac":1.5,"o":{}})");

TEST(WireRead, IntegersFromNumbersAndPlainIntegerStrings) {
  EXPECT_EQ(wire_read::integer(kObject, "n", "X"), 12);
  EXPECT_EQ(wire_read::integer(kObject, "f", "X"), 12);
  EXPECT_EQ(wire_read::integer(kObject, "s", "X"), -7);
  EXPECT_EQ(wire_read::integer(kObject, "missing", "X"), std::nullopt);
  EXPECT_EQ(wire_read::integer(kObject, "z", "X"), std::nullopt);  // null is absent
  for (const char* bad : {"b", "p", "w", "x", "frac", "o"}) {
    EXPECT_THROW((void)wire_read::integer(kObject, bad, "X"), ProtocolError) << bad;
    EXPECT_THROW((void)wire_read::integer_or_empty(kObject, bad, "X"), ProtocolError) << bad;
  }
}

TEST(WireRead, AnEmptyStringIsAbsentOnlyWhereTheNameSaysSo) {
  EXPECT_THROW((void)wire_read::integer(kObject, "e", "X"), ProtocolError);
  EXPECT_THROW((void)wire_read::time(kObject, "e", "X"), ProtocolError);
  EXPECT_EQ(wire_read::integer_or_empty(kObject, "e", "X"), std::nullopt);
  EXPECT_EQ(wire_read::time_or_empty(kObject, "e", "X"), std::nullopt);
  EXPECT_EQ(wire_read::integer_or_empty(kObject, "s", "X"), -7);
}

TEST(WireRead, TextNumbersAndTimes) {
  EXPECT_EQ(wire_read::text(kObject, "n", "X"), "12");
  EXPECT_EQ(wire_read::text(kObject, "s", "X"), "-7");
  EXPECT_THROW((void)wire_read::text(kObject, "b", "X"), ProtocolError);
  EXPECT_EQ(wire_read::number(kObject, "d", "X"), 1.5);
  EXPECT_EQ(wire_read::number(kObject, "frac", "X"), 1.5);
  EXPECT_EQ(wire_read::number(kObject, "e", "X"), std::nullopt);
  EXPECT_THROW((void)wire_read::number(kObject, "x", "X"), ProtocolError);
  EXPECT_EQ(wire_read::time(kObject, "t", "X"), Timestamp(std::chrono::seconds(1700000000)));
}

TEST(WireRead, TheErrorNamesTheObjectAndTheField) {
  try {
    (void)wire_read::integer(kObject, "x", "KalturaThing");
    FAIL() << "no ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("KalturaThing: field 'x'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kmeet::detail
