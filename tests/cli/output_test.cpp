#include "cli/output.hpp"
#include "cli/safe_text.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

using json = Json;

TEST(Output, ParseFormat) {
  EXPECT_EQ(parse_format("table"), Format::table);
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_EQ(parse_format("csv"), Format::csv);
  EXPECT_THROW((void)parse_format("yaml"), ValidationError);
}

TEST(Output, CsvQuotingFollowsRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_record({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(Output, JsonListIsOneDocument) {
  std::ostringstream out;
  json list = json::array({{{"id", 1}, {"name", "A"}}, {{"id", 2}, {"name", "B"}}});
  print_list(out, Format::json, list, {{"id", "ID"}});
  EXPECT_EQ(json::parse(out.str()), list);
}

TEST(Output, JsonObjectKeepsApiFieldNames) {
  std::ostringstream out;
  json obj = {{"id", 7}, {"startDate", 1767261600}, {"summary", "S"}};
  print_object(out, Format::json, obj);
  EXPECT_EQ(json::parse(out.str()), obj);
}

TEST(Output, CsvListHasHeaderOfKeysAndQuotedCells) {
  std::ostringstream out;
  json list = json::array({{{"id", 1}, {"name", "Room, big"}, {"startDate", 1767261600}}});
  print_list(out, Format::csv, list, {{"id", "ID"}, {"name", "NAME"}, {"startDate", "START"}});
  EXPECT_EQ(out.str(), "id,name,startDate\r\n1,\"Room, big\",1767261600\r\n");
}

TEST(Output, TableAlignsColumnsByDisplayWidth) {
  std::ostringstream out;
  json list = json::array({{{"id", 1}, {"name", "Zürich"}}, {{"id", 22}, {"name", "B"}}});
  print_list(out, Format::table, list, {{"id", "ID"}, {"name", "NAME"}});
  EXPECT_EQ(out.str(), "ID  NAME\n1   Zürich\n22  B\n");
}

TEST(Output, TableShowsTimesAsIsoAndNestedKeys) {
  std::ostringstream out;
  json list = json::array({{{"id", 1}, {"startDate", 1767261600}, {"x", {{"y", "deep"}}}}});
  print_list(out, Format::table, list, {{"startDate", "START"}, {"x.y", "Y"}});
  EXPECT_EQ(out.str(), "START                 Y\n2026-01-01T10:00:00Z  deep\n");
  // Attendance rows (analytics attendees) too; a missing time stays empty.
  std::ostringstream att;
  json rows = json::array({{{"joined", 1767261600}, {"left", nullptr}}});
  print_list(att, Format::table, rows, {{"joined", "JOINED"}, {"left", "LEFT"}});
  EXPECT_EQ(att.str(), "JOINED                LEFT\n2026-01-01T10:00:00Z\n");
}

TEST(Output, TableCutsLongCellsAndEscapesNewlines) {
  auto t = render_table({"A"}, {{std::string(100, 'x')}, {"two\nlines"}}, 12);
  EXPECT_EQ(t, "A\nxxxxxxxxxxx\u2026\ntwo\\nlines\n");
}

TEST(Output, ServerTextIsPrintedAsOnePrintableLine) {
  EXPECT_EQ(printable("plain \u00e9t\u00e9 \\ ok"), "plain \u00e9t\u00e9 \\ ok");
  EXPECT_EQ(printable("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(printable("\x1b[31mred\x1b]8;;http://x\x07"), "\\x1b[31mred\\x1b]8;;http://x\\x07");
  EXPECT_EQ(printable("\x7f"), "\\x7f");
  EXPECT_EQ(printable("\xc2\x9b" "2J"), "\\u009b2J");        // C1 CSI
  EXPECT_EQ(printable("\xe2\x80\xae" "evil"), "\\u202eevil");  // right-to-left override
  EXPECT_EQ(printable("\x9b\xff"), "\\x9b\\xff");          // not UTF-8
}

TEST(Output, CsvCellsThatASpreadsheetWouldRunAreNeutralised) {
  EXPECT_EQ(csv_field("=1+2"), "'=1+2");
  EXPECT_EQ(csv_field("+cmd"), "'+cmd");
  EXPECT_EQ(csv_field("-x"), "'-x");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_field("=a,b"), "\"'=a,b\"");
  for (const char* number : {"-5", "+3", "-1.5", "42", "0.25"}) EXPECT_EQ(csv_field(number), number);
  EXPECT_EQ(csv_field("a=b"), "a=b");
}

TEST(Output, ObjectAsTableAndCsv) {
  json obj = {{"id", 7}, {"name", "Room 1"}, {"description", nullptr}};
  std::ostringstream table, csv;
  print_object(table, Format::table, obj);
  print_object(csv, Format::csv, obj);
  EXPECT_EQ(table.str(), "id           7\nname         Room 1\ndescription\n");
  EXPECT_EQ(csv.str(), "id,name,description\r\n7,Room 1,\r\n");
}

}  // namespace
}  // namespace kmeet::cli
