#pragma once
// The field a ValidationError names (the checks of the model and of the public validate()).

#include <gtest/gtest.h>

#include <string>

#include "kmeet/errors.hpp"

namespace kmeet::test {

/// The field of the ValidationError `f` throws (whose reason must not be empty), or
/// `<no ValidationError>`.
template <class F>
std::string field_of(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    EXPECT_FALSE(e.reason().empty());
    return e.field();
  }
  return "<no ValidationError>";
}

}  // namespace kmeet::test
