#include "cli/output.hpp"

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

TEST(Output, TableCutsLongCellsAndFlattensNewlines) {
  auto t = render_table({"A"}, {{std::string(100, 'x')}, {"two\nlines"}}, 10);
  EXPECT_EQ(t, "A\nxxxxxxxxx\u2026\ntwo lines\n");
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
