# Warnings as an INTERFACE target linked PRIVATE to every fltsim target (after CLI11Warnings.cmake).
add_library(fltsim_warnings INTERFACE)
target_compile_options(fltsim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wpedantic>)
if(FLTSIM_WARNINGS_AS_ERRORS)
  target_compile_options(fltsim_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()
if(FLTSIM_SANITIZE)
  # GCC's flow analysis sees through ASan's instrumentation poorly: at -O1 it reports
  # -Wmaybe-uninitialized inside libstdc++'s <regex> (it failed CI's sanitizer build). The
  # warning stays an error in the normal build, which compiles the same code.
  target_compile_options(fltsim_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()
