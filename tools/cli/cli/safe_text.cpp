#include "cli/safe_text.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

// Length of the UTF-8 sequence at `s[i]` and its code point, or 0 when it is not valid UTF-8.
std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool hidden(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) ||       // C1 controls (0x9B is CSI on some terminals)
         (cp >= 0x202A && cp <= 0x202E) ||   // bidi embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069) ||   // bidi isolates
         cp == 0x2028 || cp == 0x2029;       // line and paragraph separators
}

std::string c0_escape(unsigned char c) {
  switch (c) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return fmt::format("\\x{:02x}", c);
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = utf8_at(text, i, cp);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
    } else if (cp < 0x20 || cp == 0x7F) {
      out += c0_escape(static_cast<unsigned char>(cp));
      ++i;
    } else if (hidden(cp)) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
      i += len;
    } else {
      out.append(text, i, len);
      i += len;
    }
  }
  return out;
}

std::string size_text(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string read_capped(std::istream& in, std::size_t cap, std::string_view what) {
  std::string out;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (out.size() + n > cap) {
      throw ValidationError(std::string(what), fmt::format("the input is larger than {} (the limit)", size_text(cap)));
    }
    out.append(buf, n);
  }
  return out;
}

bool read_capped_file_if_exists(const std::string& path, std::size_t cap, std::string_view what, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    throw ValidationError(std::string(what), fmt::format("cannot read {}: {}", printable(path), std::strerror(errno)));
  }
  out.clear();
  char buf[65536];
  while (true) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw ValidationError(std::string(what), fmt::format("cannot read {}: {}", printable(path), why));
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > cap) {
      ::close(fd);
      throw ValidationError(std::string(what),
                            fmt::format("{} is larger than {} (the limit)", printable(path), size_text(cap)));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

std::string read_capped_file(const std::string& path, std::size_t cap, std::string_view what) {
  std::string out;
  if (!read_capped_file_if_exists(path, cap, what, out)) {
    throw ValidationError(std::string(what), fmt::format("cannot read {}: {}", printable(path), std::strerror(ENOENT)));
  }
  return out;
}

}  // namespace kmeet::cli
