// kmeet::sha1_hex (kmeet/digest.hpp): the FIPS 180-4 / RFC 3174 test vectors.
#include "kmeet/digest.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kmeet {
namespace {

TEST(Sha1Hex, StandardVectors) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha1Hex, BytesAreHashedAsGiven) {
  // Embedded NULs and bytes above 0x7f are data like any other.
  EXPECT_EQ(sha1_hex(std::string("a\0b", 3)), "4a3dec2d1f8245280855c42db0ee4239f917fdb8");
  EXPECT_EQ(sha1_hex("\xff"), "85e53271e14006f0265921d02d4d736cdc580b0b");
}

}  // namespace
}  // namespace kmeet
