#pragma once
// RFC 4180 CSV reading on libcsv, keeping the line number where each record starts.

#include <string>
#include <string_view>
#include <vector>

namespace kmeet::cli {

struct CsvRecord {
  int line = 0;  ///< physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

/// Parses CSV text: quoted fields with commas, quotes (`""`) and newlines, CRLF or LF line ends,
/// a UTF-8 byte-order mark, blank lines skipped. Throws ValidationError("csv", "line N: reason")
/// for malformed quoting.
std::vector<CsvRecord> read_csv(std::string_view text);

}  // namespace kmeet::cli
