// A kmeet::testing consumer: the kind of test a user writes, without a test framework. It starts a
// LocalKaltura, drives it through kmeet::Client, opens a join link, moves the clock, and scripts a
// MockTransport. Exit 0 when everything behaves.
#include <kmeet/kmeet.hpp>
#include <kmeet/testing/local_kaltura.hpp>
#include <kmeet/testing/mock_transport.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << '\n';
    ++failures;
  }
}

void local_kaltura() {
  using namespace std::chrono_literals;
  kmeet::testing::LocalKaltura kaltura;
  const kmeet::Client client(kaltura.config());
  const kmeet::Room room = client.rooms().add(kmeet::Room{.name = "Consumer room"});
  const kmeet::EventId event = kaltura.add_event(room.id, "Consumer session", kaltura.now(), kaltura.now() + 1h);
  check(kaltura.rooms().size() == 1 && kaltura.rooms()[0].id == room.id, "the room is on the server");
  const kmeet::JoinLink link = client.join({.event = event, .user_id = "ann@example.com"});
  check(kaltura.open(link.url).joined, "the join link lets Ann in");
  check(kaltura.joins().size() == 1 && kaltura.joins()[0].role == kmeet::Role::attendee, "Ann attends");
  kaltura.advance_clock(3h);
  check(kaltura.open(link.url).status == 403, "the link expires with the server's clock");
}

void mock_transport() {
  auto mock = std::make_shared<kmeet::testing::MockTransport>();
  mock->reply_json("1700000000");
  kmeet::Config config;
  config.service_url = "http://127.0.0.1:9";
  config.partner_id = kmeet::PartnerId(1234567);
  config.admin_secret = "consumer-admin-secret";
  config.transport = mock;
  const kmeet::Client client(config);
  check(client.ks_sessions().server_time().time_since_epoch().count() == 1700000000, "scripted server time");
  check(mock->request_count() == 1 && mock->last_request().url.find("/service/system/action/getTime") !=
                                          std::string::npos,
        "the request was recorded");
}

}  // namespace

int main() {
  try {
    local_kaltura();
    mock_transport();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  if (failures != 0) return 1;
  std::cout << "kmeet consumer ok\n";
  return 0;
}
