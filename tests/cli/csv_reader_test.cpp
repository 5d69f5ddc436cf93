#include "cli/csv_reader.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainRowsWithLineNumbers) {
  auto r = read_csv("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[2].fields, (Fields{"4", "5", "6"}));
  EXPECT_EQ(r[2].line, 3);
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto r = read_csv("name,desc\r\n\"Room, A\",\"line1\r\nline2 \"\"quoted\"\"\"\r\nB,x\r\n");
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[1].fields, (Fields{"Room, A", "line1\r\nline2 \"quoted\""}));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[2].fields, (Fields{"B", "x"}));
  EXPECT_EQ(r[2].line, 4);  // the quoted newline moved it one physical line down
}

TEST(CsvReader, BomCrlfBlankLinesAndNoFinalNewline) {
  auto r = read_csv("\xEF\xBB\xBFroom_name,summary\r\n\r\nA,S\r\n\nB,T");
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0].fields[0], "room_name");
  EXPECT_EQ(r[1].line, 3);
  EXPECT_EQ(r[2].line, 5);
  EXPECT_EQ(r[2].fields, (Fields{"B", "T"}));
}

TEST(CsvReader, EmptyFieldsAreKept) {
  auto r = read_csv("a,b,c\n,,\n");
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[1].fields, (Fields{"", "", ""}));
}

TEST(CsvReader, MalformedQuotingNamesTheLine) {
  try {
    (void)read_csv("a,b\n1,2\nx\"y,3\n");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "csv");
    EXPECT_EQ(e.reason().rfind("line 3:", 0), 0U) << e.reason();
  }
  try {
    (void)read_csv("a,b\n1,\"unterminated\n2,3\n");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_NE(e.reason().find("line 2"), std::string::npos) << e.reason();
  }
}

}  // namespace
}  // namespace kmeet::cli
