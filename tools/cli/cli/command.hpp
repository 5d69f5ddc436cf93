#pragma once
// How a command group puts its subcommands into the `kmeet` command tree (CLI11), and the help
// text and value checks they share. Each group lives in its own cli/cmd_<group>.cpp and adds
// itself through one registration function (cli/commands.hpp).

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/settings.hpp"

namespace kmeet::cli {

/// Runs one command with its parsed options: returns the exit status and throws kmeet errors,
/// which `run` turns into one line on stderr (cli/error_report.hpp).
using Handler = std::function<int(Ctx&)>;

/// The command tree being built: groups (`kmeet room ...`) and the leaves that run.
class Commands {
 public:
  explicit Commands(CLI::App& app) : app_(app) {}
  Commands(const Commands&) = delete;
  Commands& operator=(const Commands&) = delete;
  Commands(Commands&&) = delete;
  Commands& operator=(Commands&&) = delete;
  ~Commands() = default;

  /// The `kmeet` app itself: the parent of top-level commands such as `join` and `import`.
  [[nodiscard]] CLI::App* top() const { return &app_; }
  /// `kmeet NAME SUBCOMMAND ...`: a group whose help ends with `examples`; one subcommand is required.
  CLI::App* group(const char* name, const char* description, std::initializer_list<const char*> examples);
  /// A command that runs `handler` when the command line names it; its help ends with `footer`.
  CLI::App* leaf(CLI::App* parent, const char* name, const char* description, std::string footer,
                 Handler handler);
  /// A group's option values, owned by the tree (CLI11 writes them while parsing).
  template <class Options>
  Options& options() {
    auto stored = std::make_shared<Options>();
    Options& ref = *stored;
    options_.push_back(std::move(stored));
    return ref;
  }

  /// Registers a command built by other code on this tree (`leaf` must be a subcommand of it).
  void adopt(CLI::App* leaf, Handler handler) { leaves_.emplace_back(leaf, std::move(handler)); }
  /// The handler of the leaf the parsed command line chose; empty when it chose none.
  [[nodiscard]] Handler chosen() const;
  /// The first word of `args` that names no command, as `unknown command 'room lst' (room
  /// commands: create, list, ...)`, checked before parsing (CLI11 would only say that a
  /// subcommand is required). Values of options are skipped; the words after a leaf are its own.
  [[nodiscard]] std::optional<std::string> unknown_command(const std::vector<std::string>& args) const;

 private:
  CLI::App& app_;
  std::vector<std::pair<CLI::App*, Handler>> leaves_;
  std::vector<std::shared_ptr<void>> options_;
};

/// `\nExamples:\n  LINE\n...` for a help footer.
std::string examples(std::initializer_list<const char*> lines);
/// The settings of `scope` with the values they take, for a help footer.
std::string setting_help(SettingScope scope);

/// Every ID / --room / --event / --session value: digits only, no overflow, > 0 (nothing is sent
/// otherwise; CLI11's PositiveNumber clamped 99999999999999999999 to INT64_MAX and sent it).
const CLI::Validator& id_value();
/// A --page value: an id that also fits an int.
const CLI::Validator& page_number();

/// An update command given nothing to change: ValidationError(what, "nothing to change ...").
void require_change(bool changed, const char* what);

}  // namespace kmeet::cli
