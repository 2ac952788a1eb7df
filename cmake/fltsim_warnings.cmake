# Warnings as an INTERFACE target linked PRIVATE to every fltsim target (after CLI11Warnings.cmake).
add_library(fltsim_warnings INTERFACE)
target_compile_options(fltsim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wpedantic>)
# GCC 12 at -O3 (Release) reports -Wrestrict inside libstdc++'s operator+(const char*, string&&)
# ("accessing 9223372036854775810 or more bytes ... may overlap"): a documented compiler false
# positive, GCC bug 105651, fixed in GCC 13. Every report points into <bits/char_traits.h>, not
# at fltsim code, so the warning is off for GCC 12 only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(fltsim_warnings INTERFACE -Wno-restrict)
endif()
if(FLTSIM_WARNINGS_AS_ERRORS)
  target_compile_options(fltsim_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()
if(FLTSIM_SANITIZE)
  # GCC's flow analysis sees through ASan's instrumentation poorly: at -O1 it reports
  # -Wmaybe-uninitialized inside libstdc++'s <regex> (it failed CI's sanitizer build). The
  # warning stays an error in the normal build, which compiles the same code.
  target_compile_options(fltsim_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()
