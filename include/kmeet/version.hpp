#pragma once
/// @file version.hpp
/// The version of kmeet these headers belong to. The build checks that it matches the project
/// version in CMakeLists.txt (tests/client/version_test.cpp).

#include <string_view>

/// Major version: changes that break the API.
#define KMEET_VERSION_MAJOR 0
/// Minor version: new features.
#define KMEET_VERSION_MINOR 1
/// Patch version: fixes.
#define KMEET_VERSION_PATCH 0
/// `MAJOR.MINOR.PATCH`.
#define KMEET_VERSION_STRING "0.1.0"

namespace kmeet {

/// `MAJOR.MINOR.PATCH` of the headers in use.
inline constexpr std::string_view kVersion = KMEET_VERSION_STRING;

}  // namespace kmeet
