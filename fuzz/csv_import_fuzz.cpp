// libFuzzer target: `kmeet import`'s CSV reader and import planner on arbitrary files. Any input
// must give a plan or a ValidationError naming the line, never a crash, a hang or another
// exception type; every row of a plan must be accounted for (planned, refused or a duplicate).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/csv_reader.hpp"
#include "cli/import_plan.hpp"
#include "kmeet/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto records = kmeet::cli::read_csv(text);
    const kmeet::Timestamp now{std::chrono::seconds(1'800'000'000)};
    const auto plan = kmeet::cli::plan_import(records, now);
    for (const auto& m : plan.meetings) {
      if (m.room >= plan.rooms.size()) std::abort();  // a meeting pointing at no room
      if (m.end < m.start) std::abort();               // validation let an inverted range through
    }
  } catch (const kmeet::ValidationError&) {
  }
  return 0;
}
