#include "cli/app.hpp"
namespace kmeet::cli {
int run(const std::vector<std::string>&, Io&) { return 0; }
int main(int, char**) { return 0; }
}
