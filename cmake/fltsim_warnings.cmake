# Warnings as an INTERFACE target linked PRIVATE to every fltsim target (after CLI11Warnings.cmake).
add_library(fltsim_warnings INTERFACE)
target_compile_options(fltsim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wpedantic>)
if(FLTSIM_WARNINGS_AS_ERRORS)
  target_compile_options(fltsim_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()
