#include "cli/csv_reader.hpp"

#include <csv.h>

#include <fmt/format.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

struct State {
  std::vector<CsvRecord> records;
  CsvRecord current;
  int record_start = 0;
};

void on_field(void* data, std::size_t len, void* ctx) {
  auto* st = static_cast<State*>(ctx);
  st->current.fields.emplace_back(static_cast<const char*>(data), len);
}

void on_record(int /*terminator*/, void* ctx) {
  auto* st = static_cast<State*>(ctx);
  st->current.line = st->record_start;
  st->records.push_back(std::move(st->current));
  st->current = CsvRecord{};
}

class Parser {
 public:
  Parser() {
    if (csv_init(&p_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error("cannot initialise the CSV parser");
  }
  ~Parser() { csv_free(&p_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  csv_parser* get() { return &p_; }

 private:
  csv_parser p_{};
};

}  // namespace

std::vector<CsvRecord> read_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Parser parser;
  State st;
  int line = 0;
  // Fed one physical line at a time so that each record knows the line it starts on. A record
  // starts on the first line fed while libcsv is between rows (pstate 0 = ROW_NOT_BEGUN).
  while (!text.empty()) {
    ++line;
    auto nl = text.find('\n');
    std::string_view chunk = nl == std::string_view::npos ? text : text.substr(0, nl + 1);
    text.remove_prefix(chunk.size());
    if (parser.get()->pstate == 0 && st.current.fields.empty()) st.record_start = line;
    if (csv_parse(parser.get(), chunk.data(), chunk.size(), on_field, on_record, &st) != chunk.size()) {
      throw ValidationError("csv", fmt::format("line {}: malformed CSV ({}; a quote inside a field must be "
                                               "doubled and the field quoted)",
                                               line, csv_strerror(csv_error(parser.get()))));
    }
  }
  if (csv_fini(parser.get(), on_field, on_record, &st) != 0) {
    throw ValidationError("csv", fmt::format("line {}: malformed CSV (unterminated quoted field starting on line {})",
                                             line, st.record_start));
  }
  return std::move(st.records);
}

}  // namespace kmeet::cli
