// Prints what a KS says: version and partner, and with the admin secret (from the environment
// variable KALTURA_ADMIN_SECRET, never from the command line) its type, user, expiry, privileges
// and whether the signature is valid. The secret itself is never printed.
//
//   KALTURA_ADMIN_SECRET=... kmeet_example_inspect_ks djJ8MTIzNDU2N3yb...
#include <kmeet/errors.hpp>
#include <kmeet/ks.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " KS   (admin secret, optional, in KALTURA_ADMIN_SECRET)\n";
    return 2;
  }
  std::optional<std::string_view> secret;
  if (const char* env = std::getenv("KALTURA_ADMIN_SECRET"); env != nullptr && *env != '\0') secret = env;

  try {
    const kmeet::KsInfo info = kmeet::Ks::inspect(argv[1], secret);
    std::cout << "version:     " << (info.version == kmeet::KsVersion::v2 ? "2" : "1") << '\n'
              << "partner_id:  " << info.partner_id.value() << '\n';
    if (!info.readable) {
      std::cout << (secret ? "fields:      unreadable (wrong admin secret or tampered token)\n"
                           : "fields:      encrypted (set KALTURA_ADMIN_SECRET to read them)\n");
      return secret ? 1 : 0;
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto left = info.expires_at - now;
    std::cout << "signature:   "
              << (info.signature_valid ? "valid" : (secret ? "INVALID for this secret" : "not checked (no secret)"))
              << '\n'
              << "type:        " << info.raw_type << (info.type == kmeet::SessionType::admin ? " (ADMIN)" : " (USER)")
              << '\n'
              << "user:        " << info.user_id << '\n'
              << "valid_until: " << info.expires_at.time_since_epoch().count()
              << (left.count() > 0 ? " (expires in " : " (expired ") << std::abs(left.count())
              << (left.count() > 0 ? " s)" : " s ago)") << '\n'
              << "privileges:  " << info.privileges << '\n';
    for (const auto& [key, value] : info.privilege_list) std::cout << "  " << key << " = " << value << '\n';
    if (info.master_partner_id) std::cout << "master_partner_id: " << *info.master_partner_id << '\n';
    if (info.additional_data) std::cout << "additional_data:   " << *info.additional_data << '\n';
    return info.signature_valid || !secret ? 0 : 1;
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "error: " << e.what() << '\n';  // never contains the token or the secret
    return 1;
  }
}
