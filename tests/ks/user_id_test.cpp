// validate_user_id: a KS user id cannot carry control characters or KS separators (issue 21 item 10).
#include <gtest/gtest.h>

#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"

namespace kmeet {
namespace {

TEST(UserId, ControlCharactersAndSeparatorsAreRefused) {
  for (const std::string& bad : {std::string("max\nkmeet: error: forged"), std::string("a\rb"), std::string("a\x1b[2J"),
                                std::string("a\tb"), std::string("a\x7f"), std::string("a\xc2\x9b" "b"),
                                std::string("a;b"), std::string("a|b"), std::string("\xff"), std::string(300, 'a')}) {
    try {
      validate_user_id(bad, "join.user_id");
      ADD_FAILURE() << bad;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "join.user_id");
    }
  }
  for (const char* good : {"", "max@example.com", "Max Muster", "\xc3\xa9l\xc3\xa8ve-1"}) {
    EXPECT_NO_THROW(validate_user_id(good)) << good;
  }
}

TEST(UserId, PrivilegeNamesRefuseControlCharacters) {
  EXPECT_THROW(Privileges().first_name("M\nX"), ValidationError);
  EXPECT_THROW(Privileges().last_name("M\x1b"), ValidationError);
}

}  // namespace
}  // namespace kmeet
