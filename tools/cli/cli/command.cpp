#include "cli/command.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "cli/usage.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {

CLI::App* Commands::group(const char* name, const char* description, std::initializer_list<const char*> lines) {
  CLI::App* sub = app_.add_subcommand(name, description);
  sub->require_subcommand(1);
  sub->footer(examples(lines));
  return sub;
}

CLI::App* Commands::leaf(CLI::App* parent, const char* name, const char* description, std::string footer,
                         Handler handler) {
  CLI::App* sub = parent->add_subcommand(name, description);
  sub->footer(std::move(footer));
  leaves_.emplace_back(sub, std::move(handler));
  return sub;
}

Handler Commands::chosen() const {
  Handler handler;
  for (const auto& [sub, fn] : leaves_) {
    if (sub->parsed()) handler = fn;
  }
  return handler;
}

namespace {

// Steps over an option (and its value, when it takes one) found at `node` or above; false when
// `word` is not an option. `--x=v` and `-ojson` carry their value.
bool skip_option(const CLI::App* node, const std::vector<std::string>& args, std::size_t& i) {
  const std::string& word = args[i];
  if (word.size() < 2 || word[0] != '-') return false;
  if (word.find('=') != std::string::npos || (word[1] != '-' && word.size() > 2)) return true;
  for (const CLI::App* at = node; at != nullptr; at = at->get_parent()) {
    if (const CLI::Option* opt = at->get_option_no_throw(word)) {
      // Its value (a flag such as --insecure takes none: the next word is a command).
      if (opt->get_expected_max() > 0 && opt->get_type_size_max() > 0) ++i;
      break;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> Commands::unknown_command(const std::vector<std::string>& args) const {
  const CLI::App* node = &app_;
  std::string path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;
    if (skip_option(node, args, i)) continue;
    auto subs = node->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return std::nullopt;  // a leaf: the rest are its arguments
    auto it = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* sub) { return sub->check_name(a); });
    if (it != subs.end()) {
      node = *it;
      path += (path.empty() ? "" : " ") + a;
      continue;
    }
    std::string names;
    for (const CLI::App* sub : subs) names += (names.empty() ? "" : ", ") + sub->get_name();
    return fmt::format("unknown command '{}' ({}commands: {})", path.empty() ? a : path + " " + a,
                       path.empty() ? "" : path + " ", names);
  }
  return std::nullopt;
}

std::string examples(std::initializer_list<const char*> lines) {
  std::string out = "\nExamples:\n";
  for (const char* l : lines) out += fmt::format("  {}\n", l);
  return out;
}

std::string setting_help(SettingScope scope) {
  std::string out = scope == SettingScope::room ? "\nRoom settings (--set KEY=VALUE, CSV room.KEY):\n"
                                                : "\nEvent settings (--set KEY=VALUE, CSV event.KEY):\n";
  for (const auto& s : known_settings(scope)) out += fmt::format("  {:<34} {}\n", s.name, s.values);
  return out;
}

const CLI::Validator& id_value() {
  static const CLI::Validator check(
      [](std::string& text) { return parse_positive_id(text) ? std::string() : bad_id_reason(text); }, "", "id");
  return check;
}

const CLI::Validator& page_number() {
  static const CLI::Validator check(
      [](std::string& text) {
        auto v = parse_positive_id(text);
        if (!v) return bad_id_reason(text);
        return *v <= std::numeric_limits<int>::max()
                   ? std::string()
                   : fmt::format("{} is too large (at most {})", *v, std::numeric_limits<int>::max());
      },
      "", "page");
  return check;
}

void require_change(bool changed, const char* what) {
  if (!changed) throw ValidationError(what, "nothing to change (give at least one option; see --help)");
}

}  // namespace kmeet::cli
