// plan_sync: check, read, compare. Sends no change.
#include <exception>

#include <fmt/format.h>

#include "sync/plan_internal.hpp"

namespace kmeet {

SyncPlan plan_sync(const Client& client, const Timetable& timetable, const SyncOptions& options) {
  const detail::sync::Checked checked = detail::sync::check_timetable(timetable, options);
  const detail::sync::Actual actual = detail::sync::read_actual(client, timetable, checked, options.scope);
  SyncPlan plan;
  plan.scope = options.scope;
  plan.from = timetable.from;
  plan.to = timetable.to;
  detail::sync::diff(checked, actual, options, plan);
  plan.conflicts = detail::sync::find_conflicts(checked, actual, options.scope);
  return plan;
}

namespace detail::sync {

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const MeetingError& e) {
    return e.what();
  } catch (const ApiError& e) {
    if (!e.ks_reason().empty()) return fmt::format("{}: {} (KS {})", e.code(), e.api_message(), e.ks_reason());
    return fmt::format("{}: {}", e.code(), e.api_message());
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace detail::sync
}  // namespace kmeet
