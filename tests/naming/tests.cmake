# CTest splits a test's name at ';', so a doctest TEST_CASE whose name holds one is discovered
# as a name that matches nothing, and ctest reports it passed without running it. Refuse such a
# name at configure time, naming the file and line.
file(GLOB_RECURSE _test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
set(_bad_names "")
foreach(_src ${_test_sources})
  # (The matching lines are not quoted back: CMake would split them at the same ';'.)
  file(STRINGS ${_src} _lines REGEX "TEST_CASE\\(\"[^\"]*;")
  if(_lines)
    file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR} ${_src})
    string(APPEND _bad_names "\n  ${_rel}")
  endif()
endforeach()
if(_bad_names)
  message(FATAL_ERROR "A TEST_CASE name in these files holds ';', which CTest splits (the test would "
    "never run), use ',' instead:${_bad_names}")
endif()
