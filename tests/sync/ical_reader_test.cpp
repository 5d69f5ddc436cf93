// read_icalendar on calendars as real producers write them (tests/data/sync): recurrences across
// daylight-saving changes, EXDATE, RDATE, RECURRENCE-ID overrides, cancellations, and refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "kmeet/sync.hpp"
#include "support/paths.hpp"

namespace kmeet {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string data(const std::string& name) {
  std::ifstream in(test::testdata_dir() + "/sync/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `2026-03-16T08:15:00Z` as a Timestamp.
Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{mo} / std::chrono::day{d}} +
         std::chrono::hours{h} + std::chrono::minutes{mi};
}

IcalOptions year_2026() {
  IcalOptions o;
  o.from = utc(2026, 1, 1, 0);
  o.to = utc(2027, 1, 1, 0);
  return o;
}

const SyncSession& by_key(const Timetable& t, const std::string& key) {
  for (const auto& s : t.sessions) {
    if (s.key == key) return s;
  }
  throw std::runtime_error("no session " + key);
}

std::vector<std::string> keys(const Timetable& t) {
  std::vector<std::string> out;
  for (const auto& s : t.sessions) out.push_back(s.key);
  return out;
}

std::vector<std::string> problems_of(const std::string& text, const IcalOptions& o) {
  try {
    (void)read_icalendar(text, o);
  } catch (const TimetableError& e) {
    return e.problems();
  }
  ADD_FAILURE() << "no TimetableError";
  return {};
}

TEST(IcalReader, BerlinWeeklyLectureKeepsLocalTimeAcrossTheSpringChange) {
  const Timetable t = read_icalendar(data("berlin_lecture.ics"), year_2026());
  const std::string uid = "linalg-2026-lecture@uni.example";
  EXPECT_THAT(keys(t), ElementsAre(uid + "/20260316", uid + "/20260323", uid + "/20260330", uid + "/20260413",
                                   uid + "/20260420", uid + "/20260427"))
      << "06 April is excluded by EXDATE; UNTIL (07:15Z = 09:15 CEST) keeps 27 April";
  // 09:15 Berlin is 08:15Z before 29 March (CET) and 07:15Z after it (CEST): one hour apart in UTC.
  EXPECT_EQ(by_key(t, uid + "/20260316").start, utc(2026, 3, 16, 8, 15));
  EXPECT_EQ(by_key(t, uid + "/20260316").end, utc(2026, 3, 16, 9, 45));
  EXPECT_EQ(by_key(t, uid + "/20260330").start, utc(2026, 3, 30, 7, 15));
  EXPECT_EQ(by_key(t, uid + "/20260330").end, utc(2026, 3, 30, 8, 45));
  EXPECT_EQ(by_key(t, uid + "/20260427").start, utc(2026, 4, 27, 7, 15));
  const SyncSession& first = by_key(t, uid + "/20260316");
  EXPECT_EQ(first.summary, "Linear Algebra – Lecture");
  EXPECT_EQ(first.description, "Prof. Noether, weekly lecture. Bring the exercise sheets.");
  EXPECT_EQ(first.room.name, "Hörsaal 1");
  EXPECT_FALSE(first.original_start.has_value());
  EXPECT_FALSE(first.cancelled);
  EXPECT_THAT(first.origin, HasSubstr("(UID linalg-2026-lecture@uni.example)"));
}

TEST(IcalReader, RecurrenceIdMovesOneOccurrenceAndStatusCancelledCancelsAnother) {
  const Timetable t = read_icalendar(data("berlin_lecture.ics"), year_2026());
  const std::string uid = "linalg-2026-lecture@uni.example";
  const SyncSession& moved = by_key(t, uid + "/20260323");
  EXPECT_EQ(moved.start, utc(2026, 3, 24, 13, 0)) << "Tuesday 14:00 CET";
  EXPECT_EQ(moved.end, utc(2026, 3, 24, 14, 30));
  EXPECT_EQ(moved.original_start, utc(2026, 3, 23, 8, 15));
  EXPECT_EQ(moved.summary, "Linear Algebra – Lecture (moved)");
  EXPECT_EQ(moved.room.name, "Hörsaal 2");
  EXPECT_EQ(moved.description, "Prof. Noether, weekly lecture. Bring the exercise sheets.")
      << "a field the override leaves out comes from the series";
  EXPECT_THAT(moved.origin, HasSubstr("line 41 (UID linalg-2026-lecture@uni.example)"));
  const SyncSession& cancelled = by_key(t, uid + "/20260420");
  EXPECT_TRUE(cancelled.cancelled);
  EXPECT_EQ(cancelled.start, utc(2026, 4, 20, 7, 15));
}

TEST(IcalReader, NewYorkSeminarShiftsOneHourInUtcWhenDaylightSavingStarts) {
  IcalOptions o = year_2026();
  SyncRoom seminar_room;
  seminar_room.name = "Seminar room";
  o.default_room = seminar_room;
  const Timetable t = read_icalendar(data("newyork_seminar.ics"), o);
  const std::string uid = "3k2v9seminar0001@google.com";
  // Tue/Thu 10:00 New York: 15:00Z (EST) until 8 March, then 14:00Z (EDT). COUNT=6.
  EXPECT_EQ(by_key(t, uid + "/20260303").start, utc(2026, 3, 3, 15));
  EXPECT_EQ(by_key(t, uid + "/20260305").start, utc(2026, 3, 5, 15));
  EXPECT_EQ(by_key(t, uid + "/20260310").start, utc(2026, 3, 10, 14));
  EXPECT_EQ(by_key(t, uid + "/20260310").end, utc(2026, 3, 10, 15, 15));
  EXPECT_EQ(by_key(t, uid + "/20260319").start, utc(2026, 3, 19, 14));
  EXPECT_EQ(by_key(t, uid + "/20260303").room.name, "Seminar room") << "no LOCATION: the default room";
  // INTERVAL=2: every other Wednesday.
  const std::string office = "3k2v9office0002@google.com";
  EXPECT_EQ(by_key(t, office + "/20260304").start, utc(2026, 3, 4, 21));
  EXPECT_EQ(by_key(t, office + "/20260318").start, utc(2026, 3, 18, 20));
  EXPECT_EQ(by_key(t, office + "/20260401").start, utc(2026, 4, 1, 20));
  // MONTHLY BYDAY=1FR with DURATION, across the autumn change (1 November).
  const std::string faculty = "3k2v9faculty0003@google.com";
  EXPECT_EQ(by_key(t, faculty + "/20261002").start, utc(2026, 10, 2, 19));
  EXPECT_EQ(by_key(t, faculty + "/20261106").start, utc(2026, 11, 6, 20));
  EXPECT_EQ(by_key(t, faculty + "/20261106").end, utc(2026, 11, 6, 21, 30));
  EXPECT_EQ(by_key(t, faculty + "/20261204").start, utc(2026, 12, 4, 20));
  EXPECT_EQ(t.sessions.size(), 6U + 3U + 3U);
}

TEST(IcalReader, UtcEventsWithDailyRuleExdateAndRdate) {
  const Timetable t = read_icalendar(data("utc_event.ics"), year_2026());
  EXPECT_THAT(keys(t), ElementsAre("keynote-2026@conf.example", "standup@conf.example/20260608",
                                   "standup@conf.example/20260612", "standup@conf.example/20260613"));
  EXPECT_EQ(by_key(t, "keynote-2026@conf.example").start, utc(2026, 6, 10, 13));
  EXPECT_EQ(by_key(t, "keynote-2026@conf.example").end, utc(2026, 6, 10, 14, 30));
  EXPECT_EQ(by_key(t, "standup@conf.example/20260613").end, utc(2026, 6, 13, 8, 15));
}

TEST(IcalReader, VtimezoneOfTheFileServesAZoneNameTheTzDatabaseLacks) {
  const Timetable t = read_icalendar(data("outlook_zone.ics"), year_2026());
  ASSERT_EQ(t.sessions.size(), 2U);
  EXPECT_EQ(t.sessions[0].start, utc(2026, 10, 19, 8)) << "10:00 CEST";
  EXPECT_EQ(t.sessions[1].start, utc(2026, 10, 26, 9)) << "10:00 CET, after 25 October";
}

TEST(IcalReader, FloatingTimesNeedAZone) {
  const auto problems = problems_of(data("floating.ics"), year_2026());
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_THAT(problems[0], HasSubstr("line 7 (UID tutorial@example.org): DTSTART: floating time"));
  EXPECT_THAT(problems[0], HasSubstr("--tz"));
  IcalOptions o = year_2026();
  o.time_zone = "Europe/Berlin";
  const Timetable t = read_icalendar(data("floating.ics"), o);
  ASSERT_EQ(t.sessions.size(), 2U);
  EXPECT_EQ(t.sessions[0].start, utc(2026, 10, 23, 7));
  EXPECT_EQ(t.sessions[1].start, utc(2026, 10, 30, 8));
}

TEST(IcalReader, AllDayEventIsRefusedWithItsLineAndUid) {
  const auto problems = problems_of(data("all_day.ics"), year_2026());
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_THAT(problems[0], HasSubstr("line 15 (UID holiday@example.org): all-day event"));
}

TEST(IcalReader, MalformedLinesAreRefusedNotDropped) {
  const auto problems = problems_of(data("malformed.ics"), year_2026());
  ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], HasSubstr("line 15 (UID broken@example.org): "));
  EXPECT_THAT(problems[0], HasSubstr("DTSTART"));
  EXPECT_THAT(problems[1], HasSubstr("line 17 (UID broken@example.org): "));
  EXPECT_THAT(problems[1], HasSubstr("RRULE"));
}

TEST(IcalReader, NotACalendarAtAll) {
  for (const std::string& text : std::vector<std::string>{"", "hello\nworld\n", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n",
                                 std::string("BEGIN:VCALENDAR\n\0\nEND:VCALENDAR\n", 32)}) {
    try {
      (void)read_icalendar(text, year_2026());
      ADD_FAILURE() << "accepted: " << text;
    } catch (const TimetableError& e) {
      EXPECT_THAT(e.problems().front(), HasSubstr("line ")) << text;
    }
  }
}

}  // namespace
}  // namespace kmeet

namespace kmeet {
namespace {

std::string calendar(const std::string& events) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kmeet tests//EN\r\n" + events + "END:VCALENDAR\r\n";
}

std::string vevent(const std::string& uid, const std::string& body) {
  return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:S\r\nLOCATION:Room A\r\n" + body +
         "END:VEVENT\r\n";
}

TEST(IcalReaderRules, TimesInTheSpringGapAndTheAutumnRepeatFollowRfc5545) {
  // 02:30 does not exist in Berlin on 29 March 2026 (02:00 -> 03:00): read with the offset before
  // the gap, +01:00, i.e. 01:30Z (03:30 CEST). 02:30 happens twice on 25 October: the first, CEST.
  const Timetable t = read_icalendar(
      calendar(vevent("gap", "DTSTART;TZID=Europe/Berlin:20260329T023000\r\nDURATION:PT1H\r\n") +
               vevent("repeat", "DTSTART;TZID=Europe/Berlin:20261025T023000\r\nDURATION:PT1H\r\n")),
      year_2026());
  EXPECT_EQ(by_key(t, "gap").start, utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(by_key(t, "gap").end, utc(2026, 3, 29, 2, 30));
  EXPECT_EQ(by_key(t, "repeat").start, utc(2026, 10, 25, 0, 30));
}

TEST(IcalReaderRules, DailyAcrossTheChangeWithDateUntilAndDateExdate) {
  const Timetable t = read_icalendar(
      calendar(vevent("d", "DTSTART;TZID=Europe/Berlin:20260327T180000\r\nDTEND;TZID=Europe/Berlin:20260327T190000\r\n"
                           "RRULE:FREQ=DAILY;UNTIL=20260330\r\nEXDATE;VALUE=DATE:20260328\r\n")),
      year_2026());
  EXPECT_THAT(keys(t), ElementsAre("d/20260327", "d/20260329", "d/20260330")) << "UNTIL as a date includes its day";
  EXPECT_EQ(by_key(t, "d/20260327").start, utc(2026, 3, 27, 17));
  EXPECT_EQ(by_key(t, "d/20260329").start, utc(2026, 3, 29, 16));
}

TEST(IcalReaderRules, OverrideByUtcRecurrenceIdAndOverrideOfNoOccurrence) {
  const Timetable t = read_icalendar(
      calendar(vevent("w", "DTSTART;TZID=America/New_York:20260302T090000\r\nDURATION:PT1H\r\n"
                           "RRULE:FREQ=WEEKLY;COUNT=2\r\n") +
               vevent("w", "RECURRENCE-ID:20260309T130000Z\r\nDTSTART;TZID=America/New_York:20260309T110000\r\n"
                           "DTEND;TZID=America/New_York:20260309T120000\r\n") +
               vevent("w", "RECURRENCE-ID;TZID=America/New_York:20260316T090000\r\n"
                           "DTSTART;TZID=America/New_York:20260317T090000\r\nDURATION:PT1H\r\n")),
      year_2026());
  EXPECT_THAT(keys(t), ElementsAre("w/20260302", "w/20260309", "w/20260316"));
  EXPECT_EQ(by_key(t, "w/20260309").start, utc(2026, 3, 9, 15)) << "09:00 EDT (13:00Z) moved to 11:00 EDT";
  EXPECT_EQ(by_key(t, "w/20260316").start, utc(2026, 3, 17, 13)) << "an override past COUNT is a session of its own";
}

TEST(IcalReaderRules, SeveralOccurrencesOnOneDateGetTimeKeys) {
  const Timetable t = read_icalendar(
      calendar(vevent("twice", "DTSTART:20260601T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=1\r\n"
                               "RDATE:20260601T140000Z\r\n")),
      year_2026());
  EXPECT_THAT(keys(t), ElementsAre("twice/20260601T080000", "twice/20260601T140000"));
}

TEST(IcalReaderRules, TheWindowBoundsTheExpansion) {
  IcalOptions o;
  o.from = utc(2026, 6, 3, 0);
  o.to = utc(2026, 6, 5, 0);
  const Timetable t = read_icalendar(calendar(vevent("x", "DTSTART:20260601T080000Z\r\nDURATION:PT1H\r\n"
                                                          "RRULE:FREQ=DAILY\r\n")),
                                     o);
  EXPECT_THAT(keys(t), ElementsAre("x/20260603", "x/20260604"));
  EXPECT_EQ(t.from, o.from);
  EXPECT_EQ(t.to, o.to);
}

TEST(IcalReaderRules, EveryProblemIsListedWithItsLine) {
  const std::string text = calendar(
      vevent("dup", "DTSTART:20260601T080000Z\r\nDURATION:PT1H\r\n") +
      vevent("dup", "DTSTART:20260602T080000Z\r\nDURATION:PT1H\r\n") +
      vevent("zone", "DTSTART;TZID=Atlantis/Capital:20260601T080000\r\nDURATION:PT1H\r\n") +
      vevent("noend", "DTSTART:20260601T080000Z\r\n") + vevent("back", "DTSTART:20260601T080000Z\r\nDTEND:20260601T070000Z\r\n") +
      vevent("hourly", "DTSTART:20260601T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=HOURLY;COUNT=3\r\n") +
      "BEGIN:VEVENT\r\nUID:nowhere\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:S\r\nDTSTART:20260601T080000Z\r\n"
      "DURATION:PT1H\r\nEND:VEVENT\r\n");
  const auto problems = problems_of(text, year_2026());
  ASSERT_EQ(problems.size(), 6U) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], HasSubstr("line 12 (UID dup): the UID is used by another event too (line 4 (UID dup))"));
  EXPECT_THAT(problems[1], HasSubstr("(UID zone): DTSTART: unknown time zone 'Atlantis/Capital'"));
  EXPECT_THAT(problems[2], HasSubstr("(UID noend): has no DTEND or DURATION"));
  EXPECT_THAT(problems[3], HasSubstr("(UID back): DTEND is not after DTSTART"));
  EXPECT_THAT(problems[4], HasSubstr("(UID hourly): RRULE FREQ=HOURLY is not supported"));
  EXPECT_THAT(problems[5], HasSubstr("(UID nowhere): has no LOCATION and no default room is given (--room)"));
}

TEST(IcalReaderRules, BadOptions) {
  IcalOptions o = year_2026();
  o.time_zone = "Europe/Atlantis";
  EXPECT_THROW((void)read_icalendar(calendar(""), o), ValidationError);
  o = year_2026();
  o.to = o.from;
  EXPECT_THROW((void)read_icalendar(calendar(""), o), ValidationError);
}

}  // namespace
}  // namespace kmeet

// Files of a hostile tester (tests/data/sync/HOSTILE.md): nothing of a file may be dropped silently.
namespace kmeet {
namespace {

IcalOptions years_2027_2028() {
  IcalOptions o;
  o.from = utc(2027, 1, 1, 0);
  o.to = utc(2029, 1, 1, 0);
  return o;
}

TEST(IcalReaderHostile, EveryValueOfALongRdateLineCounts) {
  // 700 values on one line; libical 3.0 alone reads 500 of them.
  const Timetable t = read_icalendar(data("hostile_rdate3b.ics"), years_2027_2028());
  EXPECT_EQ(t.sessions.size(), 701U) << "DTSTART and the 700 RDATE values";
}

TEST(IcalReaderHostile, EveryValueOfALongExdateLineCounts) {
  // COUNT=700 minus 600 excluded dates on one line.
  const Timetable t = read_icalendar(data("hostile_exd.ics"), years_2027_2028());
  EXPECT_EQ(t.sessions.size(), 100U);
}

TEST(IcalReaderHostile, MultiValuedLinesFoldedAndWithParametersAreSplitPerValue) {
  std::string values;
  for (int d = 1; d <= 28; ++d) values += (d > 1 ? "," : "") + fmt::format("202702{:02}T090000", d);
  std::string folded;  // folded every 70 bytes, as RFC 5545 3.1 writers do
  const std::string line = "EXDATE;TZID=\"Europe/Berlin\":" + values;
  for (std::size_t i = 0; i < line.size(); i += 70) folded += (i == 0 ? "" : "\r\n ") + line.substr(i, 70);
  const std::string ics = calendar(vevent("f", "DTSTART;TZID=Europe/Berlin:20270201T090000\r\n"
                                               "DTEND;TZID=Europe/Berlin:20270201T100000\r\n"
                                               "RRULE:FREQ=DAILY;COUNT=30\r\n" + folded + "\r\n"));
  const Timetable t = read_icalendar(ics, years_2027_2028());
  EXPECT_THAT(keys(t), ElementsAre("f/20270301", "f/20270302"));
}

TEST(IcalReaderHostile, ValuesLibicalCannotReadAreRefusedNamingLineAndUid) {
  // An empty value between two commas is no DATE-TIME: the file is refused, never shortened.
  const std::string ics = calendar(vevent("r", "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\n"
                                               "RDATE:20270302T090000Z,,20270304T090000Z\r\n"));
  const auto problems = problems_of(ics, years_2027_2028());
  ASSERT_FALSE(problems.empty());
  EXPECT_THAT(problems.front(), HasSubstr("line 11 (UID r)"));
}

TEST(IcalReaderHostile, ComponentsLibicalWouldIgnoreAreRefused) {
  const IcalOptions o = years_2027_2028();
  EXPECT_THAT(problems_of(data("hostile_trail.ics"), o),
              ElementsAre("line 12: BEGIN:VEVENT outside a VCALENDAR (after its END:VCALENDAR?) would be ignored"));
  EXPECT_THAT(problems_of(data("hostile_nested.ics"), o),
              ElementsAre("line 11: a VCALENDAR inside a VCALENDAR would be ignored (write calendars one after the "
                          "other)"));
  EXPECT_THAT(problems_of(data("hostile_inner.ics"), o),
              ElementsAre("line 10: a VEVENT inside a VEVENT would be ignored (a VEVENT holds only VALARMs)"));
  const std::string stray = calendar(vevent("s", "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\n")) +
                            "SUMMARY:after the end\r\nDESCRIPTION:still after\r\n";
  EXPECT_THAT(problems_of(stray, o), ElementsAre("line 13: a line outside a VCALENDAR would be ignored"));
  // A VALARM in a VEVENT, and two calendars one after the other, are fine.
  const std::string two = calendar(vevent("a1", "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\n"
                                                "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\n"
                                                "TRIGGER:-PT5M\r\nEND:VALARM\r\n")) +
                          calendar(vevent("a2", "DTSTART:20270302T090000Z\r\nDTEND:20270302T100000Z\r\n"));
  EXPECT_THAT(keys(read_icalendar(two, o)), ElementsAre("a1", "a2"));
}

TEST(IcalReaderHostile, ExruleAndDtendWithDurationAreRefused) {
  const IcalOptions o = years_2027_2028();
  EXPECT_THAT(problems_of(data("hostile_exrule.ics"), o),
              ElementsAre("line 8 (UID a): EXRULE is not supported (RFC 5545 deprecated it): list the excluded "
                          "occurrences as EXDATE"));
  EXPECT_THAT(problems_of(data("hostile_dtend_dur.ics"), o),
              ElementsAre("line 7 (UID a): has both DTEND and DURATION (RFC 5545 3.6.1 allows one or the other)"));
}

TEST(IcalReaderHostile, AByteOrderMarkIsSkipped) {
  const std::string ics = "\xEF\xBB\xBF" + calendar(vevent("b", "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\n"));
  EXPECT_THAT(keys(read_icalendar(ics, years_2027_2028())), ElementsAre("b"));
}

TEST(IcalReaderHostile, AVeryLongLineIsReadInLinearTime) {
  // libical's own string reader looked for the end of the line again for every 80-byte piece:
  // 8 MB on one line took 11 s. Now a line is found once; 16 MB is read well within a second or two.
  const std::string ics = calendar(vevent("h", "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\nX-BIG:" +
                                               std::string(16'000'000, 'A') + "\r\n"));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THAT(keys(read_icalendar(ics, years_2027_2028())), ElementsAre("h"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}

}  // namespace
}  // namespace kmeet
