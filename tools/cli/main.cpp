// The `kmeet` command.
#include "cli/app.hpp"

int main(int argc, char** argv) { return kmeet::cli::main(argc, argv); }
