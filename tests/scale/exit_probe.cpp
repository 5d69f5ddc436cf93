// kmeet_exit_probe SERVICE_URL PARTNER_ID ADMIN_SECRET: starts 100 asynchronous create_meeting
// calls and returns from main without waiting for them (docs/async.md, "Destruction and exit").
// Run by tests/scale/exit_test.cpp: the process must exit with 0, never crash in exit() while the
// engine thread still runs OpenSSL or libcurl code.

#include <chrono>
#include <cstdlib>
#include <string>

#include "kmeet/async.hpp"
#include "kmeet/client.hpp"

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  kmeet::Config config;
  config.service_url = argv[1];
  config.partner_id = kmeet::PartnerId(std::stoll(argv[2]));
  config.admin_secret = argv[3];
  const kmeet::Client client(config);
  const auto base = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                    std::chrono::hours(24);
  for (int i = 0; i < 100; ++i) {
    kmeet::MeetingSpec spec;
    kmeet::Room room;
    room.name = "exit room " + std::to_string(i);
    spec.room = room;
    spec.event.summary = "exit session " + std::to_string(i);
    spec.event.start = base + std::chrono::minutes(i);
    spec.event.end = base + std::chrono::minutes(i + 30);
    (void)client.async().create_meeting(spec);
  }
  return 0;
}
