#pragma once
// What the sync tests share: calendar files, times, and a client of a fresh emulator.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "kmeet/client.hpp"
#include "kmeet/sync.hpp"
#include "support/emulator.hpp"
#include "support/paths.hpp"

namespace kmeet::test {

inline std::string sync_data(const std::string& name) {
  std::ifstream in(testdata_dir() + "/sync/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// `y-mo-d h:mi` UTC.
inline Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{mo} / std::chrono::day{d}} +
         std::chrono::hours{h} + std::chrono::minutes{mi};
}

/// The window of the 2035 term files.
inline IcalOptions year_2035() {
  IcalOptions o;
  o.from = utc(2035, 1, 1, 0);
  o.to = utc(2036, 1, 1, 0);
  return o;
}

class SyncOnEmulator : public EmulatorTest {
 protected:
  Client client() {
    Config c;
    c.service_url = emulator().base_url();
    c.kaf_url = emulator().base_url();
    c.partner_id = PartnerId(emulator().partner_id());
    c.admin_secret = emulator().admin_secret();
    c.admin_user_id = "admin@example.com";
    return Client(c);
  }
  /// Every event of the partner (any status but deleted), by id.
  std::vector<Event> all_events() {
    EventFilter f;
    f.type = EventListType::any;
    return client().events().list_all(f).to_vector();
  }
  Room room_named(const std::string& name) {
    RoomFilter f;
    f.system_name = default_room_system_name(name);
    auto items = client().rooms().list(f).items;
    if (items.empty()) throw std::runtime_error("no room " + name);
    return items.front();
  }
};

}  // namespace kmeet::test
