#pragma once
// The command groups of `kmeet`, one file each (cli/cmd_<group>.cpp). Each adds its subcommands,
// their options and their handlers to the command tree; `run` (cli/app.cpp) calls them in the
// order `kmeet --help` lists them.

#include "cli/command.hpp"

namespace kmeet::cli {

void register_room(Commands& commands);       ///< room create|list|get|update|delete
void register_event(Commands& commands);      ///< event create|list|get|update|cancel|delete
void register_link(Commands& commands);       ///< link list|add|delete
void register_join(Commands& commands);       ///< join
void register_ks(Commands& commands);         ///< ks mint|inspect
void register_session(Commands& commands);    ///< session start|end|get|time
void register_analytics(Commands& commands);  ///< analytics sessions|attendees
void register_import(Commands& commands);     ///< import
void register_doctor(Commands& commands);     ///< doctor
void register_apptoken(Commands& commands);   ///< apptoken create|list|get|delete|rotate
void register_recording(Commands& commands);  ///< recording list|get|url|wait
void register_sync(Commands& commands);       ///< sync FILE (--plan | --apply) (cli/cmd_sync.cpp)

}  // namespace kmeet::cli
