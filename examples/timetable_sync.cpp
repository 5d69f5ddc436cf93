// Timetable sync: read an iCalendar file, plan, apply, and show that a second plan is empty.
// Applying twice changes nothing; only the sessions this sync made are ever changed (docs/sync.md).
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_timetable_sync term.ics [FROM TO]
//
// FROM and TO are Unix seconds (default: the next 365 days).
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>
#include <kmeet/sync.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

void show(const kmeet::SyncPlan& plan) {
  std::cout << "plan: " << plan.create.size() << " to create, " << plan.update.size() << " to update, "
            << plan.cancel.size() << " to cancel, " << plan.remove.size() << " to delete, " << plan.unchanged
            << " unchanged, " << plan.conflicts.size() << " conflicts\n";
  for (const kmeet::SyncCreate& c : plan.create) {
    std::cout << "  create " << c.session.key << " \"" << c.session.summary << "\" at "
              << c.session.start.time_since_epoch().count() << " in " << c.session.room.name << '\n';
  }
  for (const kmeet::SyncUpdate& u : plan.update) {
    std::cout << "  update event " << u.current.id.value() << ":";
    for (kmeet::SyncField f : u.changes) std::cout << ' ' << kmeet::to_string(f);
    std::cout << '\n';
  }
  for (const kmeet::SyncRemoval& r : plan.cancel) std::cout << "  cancel event " << r.current.id.value() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: " << argv[0] << " FILE.ics [FROM TO]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  kmeet::IcalOptions options;
  options.from = argc == 4 ? kmeet::Timestamp{std::chrono::seconds{std::stoll(argv[2])}} : now;
  options.to = argc == 4 ? kmeet::Timestamp{std::chrono::seconds{std::stoll(argv[3])}} : now + std::chrono::days(365);
  try {
    const kmeet::Client client = kmeet::Client::from_env();
    const kmeet::Timetable timetable = kmeet::read_icalendar(text.str(), options);
    const kmeet::SyncPlan plan = kmeet::plan_sync(client, timetable);
    show(plan);
    const kmeet::SyncResult result = kmeet::apply_sync(client, plan);
    std::cout << "applied: " << (plan.create.size() + plan.update.size() + plan.cancel.size() + plan.remove.size() -
                                 result.not_done())
              << " done, " << result.not_done() << " not done\n";
    std::cout << (kmeet::plan_sync(client, timetable).empty() ? "second plan: nothing to do\n"
                                                               : "second plan: changes left\n");
    return result.ok() ? 0 : 1;
  } catch (const kmeet::TimetableError& e) {
    for (const std::string& problem : e.problems()) std::cerr << argv[1] << ": " << problem << '\n';
    return 2;
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "invalid " << e.field() << ": " << e.reason() << '\n';
    return 2;
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
