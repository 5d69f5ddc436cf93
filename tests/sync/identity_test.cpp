// The referenceIds of sync's events: shape, scopes, generations, and what is never taken for one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "kmeet/sync.hpp"

namespace kmeet {
namespace {

TEST(SyncReferenceId, ShapeIsFixedAndDeterministic) {
  const std::string ref = sync_reference_id("default", "algebra-2035@uni.example/20350312");
  EXPECT_TRUE(std::regex_match(ref, std::regex("kmeet-sync:[0-9a-f]{8}:[0-9a-f]{32}:1:[0-9a-f]{8}"))) << ref;
  EXPECT_EQ(ref, sync_reference_id("default", "algebra-2035@uni.example/20350312"));
  EXPECT_NE(ref, sync_reference_id("default", "algebra-2035@uni.example/20350319"));
  EXPECT_NE(ref, sync_reference_id("default", "algebra-2035@uni.example/20350312", 2));
  EXPECT_LE(ref.size(), 64U);
}

TEST(SyncReferenceId, BelongsToItsScopeOnly) {
  const std::string ref = sync_reference_id("physics", "k", 7);
  EXPECT_TRUE(is_sync_reference_id(ref, "physics"));
  EXPECT_FALSE(is_sync_reference_id(ref, "chemistry"));
  EXPECT_NE(sync_reference_id("a", "b:c"), sync_reference_id("a:b", "c")) << "no boundary ambiguity";
}

TEST(SyncReferenceId, OtherWritersIdsAndLookAlikesAreNotOurs) {
  const std::string ref = sync_reference_id("default", "k");
  for (std::string other : {std::string("kmeet:3f786850e387550fdab836ed7e6dc881de23001b"),  // kmeet import
                            std::string("kmeet-0123456789abcdef0123456789abcdef"),           // the SDK
                            std::string("CS101-2035-03-12"), std::string(""), std::string("kmeet-sync:"),
                            ref.substr(0, ref.size() - 1), ref + "0", ref.substr(0, ref.rfind(':')) + ":00000000"}) {
    EXPECT_FALSE(is_sync_reference_id(other, "default")) << other;
  }
  std::string tampered = ref;
  tampered[20] = tampered[20] == 'a' ? 'b' : 'a';  // a key digit: the check no longer matches
  EXPECT_FALSE(is_sync_reference_id(tampered, "default"));
  EXPECT_THROW((void)sync_reference_id("default", "k", 0), ValidationError);
}

TEST(SyncRoomName, MatchesTheImportDerivation) {
  EXPECT_EQ(default_room_system_name("Room 101").rfind("kmeet-room-101-", 0), 0U);
  EXPECT_EQ(default_room_system_name("Hörsaal 1").rfind("kmeet-h-rsaal-1-", 0), 0U);
  EXPECT_EQ(default_room_system_name("  ").rfind("kmeet-room-", 0), 0U);
}

}  // namespace
}  // namespace kmeet
