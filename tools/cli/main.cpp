// The `kmeet` command.
#if defined(__GLIBC__) || __has_include(<malloc.h>)
#include <malloc.h>
#endif

#include "cli/app.hpp"

int main(int argc, char** argv) {
#ifdef M_ARENA_MAX
  // `kmeet import --concurrency N` runs N threads; glibc would give each its own malloc arena and keep
  // their free memory: two arenas hold peak RSS of a 10,000-meeting import about 2 MiB lower.
  mallopt(M_ARENA_MAX, 2);
#endif
  return kmeet::cli::main(argc, argv);
}
