// The version in kmeet/version.hpp is the project version of CMakeLists.txt, and it is the
// default clientTag (shown in the partner's logs).
#include "kmeet/version.hpp"

#include <gtest/gtest.h>

#include <string>

#include "kmeet/config.hpp"

namespace kmeet {
namespace {

TEST(Version, HeaderMatchesTheProjectVersion) {
  EXPECT_EQ(std::string(KMEET_VERSION_STRING), KMEET_TEST_VERSION);
  EXPECT_EQ(std::to_string(KMEET_VERSION_MAJOR) + "." + std::to_string(KMEET_VERSION_MINOR) + "." +
                std::to_string(KMEET_VERSION_PATCH),
            KMEET_TEST_VERSION);
  EXPECT_EQ(kVersion, KMEET_VERSION_STRING);
  EXPECT_EQ(Config{}.client_tag, std::string("kmeet:") + KMEET_TEST_VERSION);
}

}  // namespace
}  // namespace kmeet
