#include "kmeet/privileges.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "support/ks_vectors.hpp"

namespace kmeet {
namespace {

// ---------------------------------------------------------------------------------------------
// The server side, reimplemented here from protocol.md F.2/F.3 (independently of src/):
// generateKsV2's split, http_build_query + parse_str for the v2 field string, parsePrivileges
// (split ',', first ':', values split on '/') and parseKsV1's positional ';' split.

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string trim_php(const std::string& s) {
  const std::string ws(" \t\n\r\0\x0B", 6);
  const auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::vector<std::string> explode(char sep, const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

void put(Fields& f, const std::string& k, const std::string& v) {
  for (auto& kv : f) {
    if (kv.first == k) {
      kv.second = v;
      return;
    }
  }
  f.emplace_back(k, v);
}

Fields generate_ks_v2_fields(const std::string& privileges) {
  Fields f;
  for (std::string p : explode(',', privileges)) {
    p = trim_php(p);
    if (p.empty()) continue;
    if (p == "*") p = "all:*";
    const auto colon = p.find(':');
    put(f, p.substr(0, colon), colon == std::string::npos ? "" : p.substr(colon + 1));
  }
  put(f, "_e", "1700000000");
  put(f, "_t", "0");
  put(f, "_u", "user@example.com");
  return f;
}

std::string urlencode_php(const std::string& s) {
  std::string out;
  char buf[4];
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out.push_back(c);
    } else if (c == '-' || c == '_' || c == '.') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    }
  }
  return out;
}

std::string urldecode_php(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) != 0 &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2])) != 0) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string http_build_query(const Fields& f) {
  std::string out;
  for (const auto& [k, v] : f) {
    if (!out.empty()) out += '&';
    out += urlencode_php(k) + "=" + urlencode_php(v);
  }
  return out;
}

Fields parse_str(const std::string& q) {
  Fields f;
  for (const auto& pair : explode('&', q)) {
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string k = urldecode_php(pair.substr(0, eq));
    const std::string v = eq == std::string::npos ? "" : urldecode_php(pair.substr(eq + 1));
    k = k.substr(0, k.find('\0'));
    k.erase(0, k.find_first_not_of(' '));
    for (auto& c : k) {
      if (c == '[') break;
      if (c == ' ' || c == '.') c = '_';
    }
    if (k.find('[') != std::string::npos && k.find(']', k.find('[')) != std::string::npos) k.resize(k.find('['));
    if (!k.empty()) put(f, k, v);
  }
  return f;
}

// What the server (v2) ends up with: privilege name -> value, reserved fields dropped.
std::map<std::string, std::string> server_v2_privileges(const std::string& privileges) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : parse_str(http_build_query(generate_ks_v2_fields(privileges)))) {
    if (k != "_e" && k != "_t" && k != "_u" && k != "_m" && k != "_d") out[k] = v;
  }
  return out;
}

// What the server reads from a v1 KS: the 7 positional fields, then parsePrivileges on part 6.
struct V1View {
  std::size_t parts = 0;
  std::string privileges;
  std::map<std::string, std::vector<std::string>> parsed;  // values split on '/'
};

V1View server_v1(const std::string& privileges) {
  const auto parts = explode(';', "1234567;1234567;1700000000;0;12345;user@example.com;" + privileges);
  V1View view;
  view.parts = parts.size();
  view.privileges = parts.size() > 6 ? parts[6] : "";
  for (std::string p : explode(',', view.privileges)) {
    p = trim_php(p);
    if (p.empty()) continue;
    const auto colon = p.find(':');
    const std::string k = p.substr(0, colon);
    view.parsed[k] = colon == std::string::npos ? std::vector<std::string>{""} : explode('/', p.substr(colon + 1));
  }
  return view;
}

// ---------------------------------------------------------------------------------------------

Privileges base() {
  Privileges p;
  p.event_id(EventId(3371011)).role(Role::attendee).contextual_role(ContextualRole::attendee);
  return p;
}

TEST(Privileges, MeetingsAttendeeAndModerator) {
  Privileges attendee = base();
  attendee.first_name("Max");
  // The guide's order (and the first KS vector's): structural privileges as set, then the name.
  EXPECT_EQ(attendee.str(), "eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max");
  EXPECT_EQ(attendee.str(), test::ks_vectors()["v2"][0]["privileges"].get<std::string>());
  Privileges moderator;
  moderator.resource_id(RoomId(1100601)).role(Role::moderator).contextual_role(ContextualRole::moderator);
  EXPECT_EQ(moderator.str(), "resourceId:1100601,role:adminRole,userContextualRole:0");
  EXPECT_EQ(moderator.str(), test::ks_vectors()["v2"][2]["privileges"].get<std::string>());
}

TEST(Privileges, BuilderMatchesVectorOneAsTheServerParsesIt) {
  Privileges p = base();
  p.first_name("Max");
  const auto vec = test::ks_vectors()["v2"][0]["privileges"].get<std::string>();
  EXPECT_EQ(server_v2_privileges(p.str()), server_v2_privileges(vec));
}

TEST(Privileges, ApiJsonIsUrlEncodedLikeVectorFour) {
  Privileges p;
  p.resource_id(RoomId(1100601)).role(Role::attendee).api(
      R"({"method":"GET","action":"analytics/sessions","params":{"from_date":"1522153700","to_date":"1522156000"}})");
  EXPECT_EQ(p.str(), test::ks_vectors()["v2"][3]["privileges"].get<std::string>());
}

TEST(Privileges, InsertionOrderAndResettingKeepsPosition) {
  Privileges p;
  p.role(Role::attendee).first_name("A").set("custom", "1").role(Role::moderator).last_name("B").first_name("C");
  EXPECT_EQ(p.str(), "role:adminRole,firstName:C,custom:1,lastName:B");
  ASSERT_EQ(p.entries().size(), 4U);
  EXPECT_EQ(p.entries()[0], (std::pair<std::string, std::string>{"role", "adminRole"}));
}

TEST(Privileges, ServerPrivilegesAndAll) {
  Privileges p;
  p.server(ServerPrivilege::sview, "0_abc/0_def").server(ServerPrivilege::setrole, "12345").server(
      ServerPrivilege::enableentitlement).all();
  EXPECT_EQ(p.str(), "sview:0_abc/0_def,setrole:12345,enableentitlement,*");
  const auto parsed = server_v2_privileges(p.str());
  EXPECT_EQ(parsed.at("all"), "*");
  EXPECT_EQ(server_v1(p.str()).parsed.at("sview"), (std::vector<std::string>{"0_abc", "0_def"}));
  EXPECT_EQ(to_string(ServerPrivilege::disablesessiontypecheck), "disablesessiontypecheck");
  EXPECT_EQ(to_string(ServerPrivilege::edit), "edit");
}

TEST(Privileges, AcceptsOrdinaryNames) {
  for (const std::string name : {"Zoë Ann", "O'Brien", "José-María", "李小龍", "Anne & Bob", "50% off", "a=b+c",
                                  "x|y", "Dr. Who", "<b>bold", "Meredith", "Max *"}) {
    SCOPED_TRACE(name);
    Privileges p = base();
    EXPECT_NO_THROW(p.first_name(name).last_name(name));
    EXPECT_EQ(server_v2_privileges(p.str()).at("firstName"), name);
  }
  Privileges p;
  EXPECT_NO_THROW(p.email("zoë+tag@example.com"));
}

struct HostileCase {
  const char* name;
  std::function<void(Privileges&)> apply;
  const char* field;
};

std::vector<HostileCase> hostile_cases() {
  const std::string long_name(257, 'a');
  const std::string long_key(65, 'k');
  return {
      {"F.6 injection: first name 'Max,role:adminRole,userContextualRole:0'",
       [](Privileges& p) { p.first_name("Max,role:adminRole,userContextualRole:0"); }, "privileges.firstName"},
      {"comma in last name", [](Privileges& p) { p.last_name("Smith,Jr"); }, "privileges.lastName"},
      {"semicolon in last name (shifts KS v1 fields)", [](Privileges& p) { p.last_name("Ng;999"); }, "privileges.lastName"},
      {"colon in first name", [](Privileges& p) { p.first_name("role:adminRole"); }, "privileges.firstName"},
      {"slash in first name (server splits values on '/')", [](Privileges& p) { p.first_name("AC/DC"); }, "privileges.firstName"},
      {"NUL in first name", [](Privileges& p) { p.first_name(std::string("Max\0x", 5)); }, "privileges.firstName"},
      {"newline in first name", [](Privileges& p) { p.first_name("Max\nrole"); }, "privileges.firstName"},
      {"tab in last name", [](Privileges& p) { p.last_name("a\tb"); }, "privileges.lastName"},
      {"vertical tab (PHP trim char) at the end", [](Privileges& p) { p.first_name("Max\x0B"); }, "privileges.firstName"},
      {"DEL in first name", [](Privileges& p) { p.first_name("Max\x7F"); }, "privileges.firstName"},
      {"C1 control NEL (U+0085) in first name", [](Privileges& p) { p.first_name("Max\xC2\x85"); }, "privileges.firstName"},
      {"invalid UTF-8 byte 0xFF", [](Privileges& p) { p.first_name("Max\xFF"); }, "privileges.firstName"},
      {"truncated UTF-8 sequence", [](Privileges& p) { p.first_name("Zo\xC3"); }, "privileges.firstName"},
      {"overlong UTF-8 for '/' (C0 AF)", [](Privileges& p) { p.first_name("a\xC0\xAF"); }, "privileges.firstName"},
      {"UTF-16 surrogate encoded in UTF-8", [](Privileges& p) { p.first_name("a\xED\xA0\x80"); }, "privileges.firstName"},
      {"leading space (server trims)", [](Privileges& p) { p.first_name(" Max"); }, "privileges.firstName"},
      {"trailing space (server trims)", [](Privileges& p) { p.last_name("Ng "); }, "privileges.lastName"},
      {"empty first name", [](Privileges& p) { p.first_name(""); }, "privileges.firstName"},
      {"257-byte first name", [long_name](Privileges& p) { p.first_name(long_name); }, "privileges.firstName"},
      {"'downloadasset' in a name", [](Privileges& p) { p.first_name("xdownloadassetx"); }, "privileges.firstName"},
      {"email without '@'", [](Privileges& p) { p.email("max.example.com"); }, "privileges.email"},
      {"email with two '@'", [](Privileges& p) { p.email("a@b@c"); }, "privileges.email"},
      {"email starting with '@'", [](Privileges& p) { p.email("@example.com"); }, "privileges.email"},
      {"email with a space", [](Privileges& p) { p.email("max @example.com"); }, "privileges.email"},
      {"email with comma injection", [](Privileges& p) { p.email("a@b.c,role:adminRole"); }, "privileges.email"},
      {"email with slash", [](Privileges& p) { p.email("a/b@c.d"); }, "privileges.email"},
      {"eventId 0", [](Privileges& p) { p.event_id(EventId(0)); }, "privileges.eventId"},
      {"resourceId -1", [](Privileges& p) { p.resource_id(RoomId(-1)); }, "privileges.resourceId"},
      {"contextual role 1 (undocumented)", [](Privileges& p) { p.contextual_role(static_cast<ContextualRole>(1)); },
       "privileges.userContextualRole"},
      {"api that is not JSON", [](Privileges& p) { p.api("method=GET"); }, "privileges.api"},
      {"api empty", [](Privileges& p) { p.api(""); }, "privileges.api"},
      {"api truncated JSON", [](Privileges& p) { p.api(R"({"method":"GET")"); }, "privileges.api"},
      {"server sview with comma", [](Privileges& p) { p.server(ServerPrivilege::sview, "0_a,role:adminRole"); },
       "privileges.sview"},
      {"server setrole with colon", [](Privileges& p) { p.server(ServerPrivilege::setrole, "1:2"); }, "privileges.setrole"},
      {"server privacycontext with space", [](Privileges& p) { p.server(ServerPrivilege::privacycontext, "a b"); },
       "privileges.privacycontext"},
      {"set: empty key", [](Privileges& p) { p.set("", "x"); }, "privileges."},
      {"set: key '_e' (reserved expiry)", [](Privileges& p) { p.set("_e", "9999999999"); }, "privileges._e"},
      {"set: key '_u' (reserved user)", [](Privileges& p) { p.set("_u", "admin"); }, "privileges._u"},
      {"set: key '_m' (master partner)", [](Privileges& p) { p.set("_m", "-2"); }, "privileges._m"},
      {"set: key '_d' (additional data)", [](Privileges& p) { p.set("_d", "x"); }, "privileges._d"},
      {"set: key with comma", [](Privileges& p) { p.set("a,role", "adminRole"); }, "privileges.a,role"},
      {"set: key with semicolon", [](Privileges& p) { p.set("a;b", "1"); }, "privileges.a;b"},
      {"set: key with pipe", [](Privileges& p) { p.set("a|b", "1"); }, "privileges.a|b"},
      {"set: key with colon", [](Privileges& p) { p.set("role:adminRole", ""); }, "privileges.role:adminRole"},
      {"set: key with brackets (parse_str array)", [](Privileges& p) { p.set("a[b]", "1"); }, "privileges.a[b]"},
      {"set: key with dot (parse_str renames)", [](Privileges& p) { p.set("a.b", "1"); }, "privileges.a.b"},
      {"set: key with space (parse_str renames)", [](Privileges& p) { p.set("a b", "1"); }, "privileges.a b"},
      {"set: key with '='", [](Privileges& p) { p.set("a=b", "1"); }, "privileges.a=b"},
      {"set: key with '&'", [](Privileges& p) { p.set("a&_e=1", "1"); }, "privileges.a&_e=1"},
      {"set: key '*'", [](Privileges& p) { p.set("*"); }, "privileges.*"},
      {"set: key 'all' (means '*')", [](Privileges& p) { p.set("all", "*"); }, "privileges.all"},
      {"set: key 'role' (typed setter)", [](Privileges& p) { p.set("role", "adminRole"); }, "privileges.role"},
      {"set: key 'Role' (case variant)", [](Privileges& p) { p.set("Role", "adminRole"); }, "privileges.Role"},
      {"set: key 'userContextualRole'", [](Privileges& p) { p.set("userContextualRole", "0"); },
       "privileges.userContextualRole"},
      {"set: key 'eventId'", [](Privileges& p) { p.set("eventId", "1"); }, "privileges.eventId"},
      {"set: key 'firstName'", [](Privileges& p) { p.set("firstName", "x,role:adminRole"); }, "privileges.firstName"},
      {"set: key 'setrole' (server privilege)", [](Privileges& p) { p.set("setrole", "1"); }, "privileges.setrole"},
      {"set: key 'SETROLE' (case variant)", [](Privileges& p) { p.set("SETROLE", "1"); }, "privileges.SETROLE"},
      {"set: key 'actionslimit'", [](Privileges& p) { p.set("actionslimit", "1000"); }, "privileges.actionslimit"},
      {"set: key 'iprestrict'", [](Privileges& p) { p.set("iprestrict", "1.2.3.4"); }, "privileges.iprestrict"},
      {"set: key 'disableentitlement'", [](Privileges& p) { p.set("disableentitlement"); },
       "privileges.disableentitlement"},
      {"set: key 'widget' (widget session marker)", [](Privileges& p) { p.set("widget", "1"); }, "privileges.widget"},
      {"set: non-ASCII key", [](Privileges& p) { p.set("na\xC3\xAFve", "1"); }, "privileges.na??ve"},
      {"set: 65-character key", [long_key](Privileges& p) { p.set(long_key, "1"); },
       "privileges.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"},
      {"set: value with comma", [](Privileges& p) { p.set("custom", "1,role:adminRole"); }, "privileges.custom"},
      {"set: value with semicolon", [](Privileges& p) { p.set("custom", "1;2"); }, "privileges.custom"},
      {"set: value with colon", [](Privileges& p) { p.set("custom", "a:b"); }, "privileges.custom"},
      {"set: value with carriage return", [](Privileges& p) { p.set("custom", "a\rb"); }, "privileges.custom"},
  };
}

TEST(Privileges, RejectsEveryHostileInputNamingThePrivilege) {
  for (const auto& c : hostile_cases()) {
    SCOPED_TRACE(c.name);
    Privileges p = base();
    const std::string before = p.str();
    try {
      c.apply(p);
      ADD_FAILURE() << "accepted: " << c.name << " -> " << p.str();
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), c.field);
      EXPECT_FALSE(e.reason().empty());
    }
    EXPECT_EQ(p.str(), before) << "a rejected value must leave the builder unchanged";
  }
}

// Deterministic random strings made of the fragments that matter to the grammar.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> fragments = {
      "Max", "Zoë", "李", "a", "Z", "0", "9", "-", "_", ".", " ", ",", ";", ":", "|", "/", "*", "=", "&",
      "+", "%", "%2C", "%3A", "[", "]", "\t", "\n", "\r", std::string("\0", 1), "\x0B", "\x7F", "\xC2\x85",
      "\xFF", "\xC3", "role", "adminRole", "_e", "_u", "all", "downloadasset", "@", "@example.com", "'",
      "\"", "<", "~", "é", "\xF0\x9F\x98\x80"};
  std::string s;
  const int n = 1 + static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) s += fragments[rng() % fragments.size()];
  return s;
}

struct Setter {
  const char* key;  // the privilege the value lands in; nullptr: the random text is the key
  std::function<void(Privileges&, const std::string&)> apply;
};

TEST(Privileges, PropertyServerParseOfBuiltStringEqualsWhatWasSet) {
  const std::vector<Setter> setters = {
      {"firstName", [](Privileges& p, const std::string& s) { p.first_name(s); }},
      {"lastName", [](Privileges& p, const std::string& s) { p.last_name(s); }},
      {"email", [](Privileges& p, const std::string& s) { p.email(s); }},
      {"custom", [](Privileges& p, const std::string& s) { p.set("custom", s); }},
      {nullptr, [](Privileges& p, const std::string& s) { p.set(s, "v"); }},
  };
  std::mt19937 rng(20240611);
  KsSigner signer("property-secret");
  int accepted = 0;
  int rejected = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string text = random_text(rng);
    const Setter& setter = setters[static_cast<std::size_t>(i) % setters.size()];
    const std::string key = setter.key != nullptr ? setter.key : text;
    const std::string value = setter.key != nullptr ? text : "v";
    Privileges p = base();
    try {
      setter.apply(p, text);
    } catch (const ValidationError& e) {
      ++rejected;
      std::string expected_field = "privileges.";
      for (const char c : key.substr(0, 64)) expected_field += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
      EXPECT_EQ(e.field(), expected_field) << "case " << i;
      continue;
    }
    ++accepted;
    const std::map<std::string, std::string> expected{
        {"eventId", "3371011"}, {"role", "viewerRole"}, {"userContextualRole", "3"}, {key, value}};
    const std::string built = p.str();
    EXPECT_EQ(server_v2_privileges(built), expected) << "case " << i << ": " << built;
    const V1View v1 = server_v1(built);
    EXPECT_EQ(v1.parts, 7U) << "case " << i;
    EXPECT_EQ(v1.privileges, built) << "case " << i;
    EXPECT_EQ(v1.parsed.size(), 4U) << "case " << i;
    if (setter.key != nullptr && std::string(setter.key) != "custom") {
      EXPECT_EQ(v1.parsed.at(key), std::vector<std::string>{value}) << "case " << i << " ('/' split)";
    }
    if (i % 8 == 0) {  // and through the real minting + decoding code
      const auto ks = signer.mint_v2({.partner_id = PartnerId(1), .user_id = "u", .privileges = built,
                                      .expires_at = Timestamp(std::chrono::seconds(1700000000))});
      const KsInfo info = Ks::inspect(ks, std::string_view("property-secret"));
      EXPECT_EQ(info.privileges, built) << "case " << i;
      const std::map<std::string, std::string> decoded(info.privilege_list.begin(), info.privilege_list.end());
      EXPECT_EQ(decoded, expected) << "case " << i;
    }
  }
  EXPECT_GT(accepted, 500);
  EXPECT_GT(rejected, 500);
}

TEST(Privileges, TheServerModelSeesTheInjectionTheBuilderPrevents) {
  // Sanity check of the model above: the raw F.6 string really does turn a viewer into a moderator.
  const auto parsed = server_v2_privileges(
      "eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max,role:adminRole,userContextualRole:0");
  EXPECT_EQ(parsed.at("role"), "adminRole");
  EXPECT_EQ(parsed.at("userContextualRole"), "0");
  EXPECT_EQ(parsed.at("firstName"), "Max");
}

}  // namespace
}  // namespace kmeet
