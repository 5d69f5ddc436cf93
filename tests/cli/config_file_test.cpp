#include "cli/config_file.hpp"

#include <gtest/gtest.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

using Env = std::map<std::string, std::string>;

Getenv env_of(const Env& env) {
  return [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

auto files_of(const std::map<std::string, std::string>& files) {
  return [files](const std::string& path) -> std::optional<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ConfigText, StringsNumbersBoolsCommentsSections) {
  auto m = parse_config_text(
      "# kmeet\nservice_url = \"https://example.com\" # trailing\npartner_id = 1_234_567\n"
      "admin_secret = 'lit\\eral'\ninsecure = false\n\n[profile.test]\nkaf_url = \"a\\\"b\"\n",
      "cfg");
  EXPECT_EQ(m.at("service_url"), "https://example.com");
  EXPECT_EQ(m.at("partner_id"), "1234567");
  EXPECT_EQ(m.at("admin_secret"), "lit\\eral");
  EXPECT_EQ(m.at("insecure"), "false");
  EXPECT_EQ(m.at("profile.test.kaf_url"), "a\"b");
}

TEST(ConfigText, ErrorsNameFileAndLine) {
  for (const char* bad : {"x = unquoted text", "x = \"open", "= 1", "x = 1\nx = 2", "[sec", "x = \"a\" junk", "x"}) {
    try {
      (void)parse_config_text(bad, "my.toml");
      ADD_FAILURE() << bad;
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.reason().rfind("my.toml:", 0), 0U) << e.reason();
    }
  }
}

TEST(ConfigLayers, FlagsBeatEnvBeatFileBeatDefaults) {
  FlagValues flags;
  flags.partner_id = "111";
  Env env = {{"HOME", "/home/u"}, {"KALTURA_PARTNER_ID", "222"}, {"KALTURA_KAF_URL", "http://kaf"}};
  auto files = files_of({{"/home/u/.config/kmeet/config.toml",
                          "partner_id = 333\nkaf_url = \"http://file\"\nadmin_secret = \"s3\"\n"}});
  auto s = resolve_settings(flags, env_of(env), files);
  EXPECT_EQ(s.partner_id, "111");
  EXPECT_EQ(s.kaf_url, "http://kaf");
  EXPECT_EQ(s.admin_secret, "s3");
  EXPECT_EQ(s.service_url, "https://www.kaltura.com");
  EXPECT_EQ(s.source.at("partner_id"), "flag");
  EXPECT_EQ(s.source.at("kaf_url"), "env KALTURA_KAF_URL");
  EXPECT_EQ(s.source.at("admin_secret"), "/home/u/.config/kmeet/config.toml");
}

TEST(ConfigLayers, KmeetConfigAndXdgAndMissingFiles) {
  Env env = {{"HOME", "/h"}, {"XDG_CONFIG_HOME", "/x"}};
  EXPECT_EQ(default_config_path(env_of(env)), "/x/kmeet/config.toml");
  env["KMEET_CONFIG"] = "/etc/k.toml";
  EXPECT_EQ(default_config_path(env_of(env)), "/etc/k.toml");
  // An explicitly named file must exist; the default one may be absent.
  EXPECT_THROW((void)resolve_settings({}, env_of(env), files_of({})), ValidationError);
  env.erase("KMEET_CONFIG");
  EXPECT_NO_THROW((void)resolve_settings({}, env_of(env), files_of({})));
}

TEST(ConfigLayers, UnknownKeyIsRefused) {
  FlagValues flags;
  flags.config_file = "c.toml";
  EXPECT_THROW((void)resolve_settings(flags, env_of({}), files_of({{"c.toml", "partnr_id = 1\n"}})), ValidationError);
}

}  // namespace
}  // namespace kmeet::cli
