// A kmeet consumer: builds a join link with kmeet::Client, mints a KS from typed Privileges, makes
// its launch URL, and checks that both KSs inspect back to what went in. Exit 0 when they do.
#include <kmeet/kmeet.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  const std::string secret = "consumer-admin-secret";
  try {
    kmeet::Config config;
    config.service_url = "http://127.0.0.1:9";  // never contacted: every KS here is minted locally
    config.partner_id = kmeet::PartnerId(1234567);
    config.admin_secret = secret;
    const kmeet::Client client(config);

    // A moderator's join link through the Client.
    kmeet::JoinRequest request;
    request.event = kmeet::EventId(3371011);
    request.user_id = "speaker@example.com";
    request.role = kmeet::Role::moderator;
    request.last_name = "Speaker";
    const kmeet::JoinLink link = client.join(request);
    check(link.url.starts_with("https://1234567.kaf.kaltura.com/virtualEvent/launch?ks="), "join url");
    const kmeet::KsInfo joined = kmeet::Ks::inspect(link.ks, secret);
    check(joined.signature_valid, "join KS signature");
    check(joined.user_id == "speaker@example.com", "join KS user");
    check(joined.privileges.find("role:adminRole") != std::string::npos, "join KS role");
    check(joined.privileges.find("eventId:3371011") != std::string::npos, "join KS event");

    // An attendee's KS minted by hand from typed privileges.
    kmeet::Privileges privileges;
    privileges.resource_id(kmeet::RoomId(1100601))
        .role(kmeet::Role::attendee)
        .contextual_role(kmeet::ContextualRole::attendee)
        .first_name("Max");
    const kmeet::KsSigner signer(secret);
    kmeet::KsParams params;
    params.partner_id = config.partner_id;
    params.user_id = "max@example.com";
    params.privileges = privileges.str();
    params.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now()) + std::chrono::hours(1);
    const std::string ks = signer.mint(params);
    const std::string url = kmeet::launch_url(client.kaf_base_url(), ks);
    check(url.starts_with("https://1234567.kaf.kaltura.com/virtualEvent/launch?ks="), "launch url");

    const kmeet::KsInfo info = kmeet::Ks::inspect(ks, secret);
    check(info.readable && info.signature_valid, "KS signature");
    check(info.partner_id == config.partner_id, "KS partner");
    check(info.type == kmeet::SessionType::user, "KS type");
    check(info.user_id == "max@example.com", "KS user");
    check(info.privileges == privileges.str(), "KS privileges");
    check(info.expires_at == params.expires_at, "KS expiry");

    // Bad input is refused before anything is sent.
    try {
      kmeet::Privileges().first_name("Max,role:adminRole");
      check(false, "privilege injection refused");
    } catch (const kmeet::ValidationError& e) {
      check(e.field() == "privileges.firstName", "ValidationError names the field");
    }
  } catch (const kmeet::Error& e) {
    std::cerr << "kmeet error: " << e.what() << '\n';
    return 1;
  }
  if (failures != 0) {
    return 1;
  }
  std::cout << "kmeet consumer ok\n";
  return 0;
}
