// The one translation unit of fltsim_test_pch, which precompiles the header every test suite
// reuses (tests/CMakeLists.txt); it has no code of its own.
#include <doctest/doctest.h>
