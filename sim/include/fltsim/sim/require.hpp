#pragma once
// FLTSIM_REQUIRE: API-misuse contract. Only for programmer bugs; user input
// problems are Diagnostics or Findings, never a REQUIRE.
#include <cstdio>
#include <cstdlib>

#define FLTSIM_REQUIRE(cond, msg)                                                                  \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "fltsim: internal contract violated in %s: %s (%s)\n", __func__, (msg), \
                   #cond);                                                                         \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)
