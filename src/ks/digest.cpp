#include "kmeet/digest.hpp"

#include "ks/crypto.hpp"

namespace kmeet {

std::string sha1_hex(std::string_view data) { return detail::to_hex(detail::sha1(data)); }

}  // namespace kmeet
