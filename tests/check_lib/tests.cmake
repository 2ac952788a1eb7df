# new_check_rule: scripts/new-check-rule.py on a scratch copy of check/, sim/include/,
# docs/rules.md and tests/check/ (tests/check_lib/new_check_rule_test.py): refusals, the files it
# writes, and the new rules compiled with the project's warnings and linked into the catalogue.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
# The sanitizer build's libraries link only into objects compiled with the same -fsanitize flags.
set(new_check_rule_flags)
if(FLTSIM_SANITIZE)
  set(new_check_rule_flags --cxx-flag=-fsanitize=address,undefined --cxx-flag=-fno-sanitize-recover=all)
endif()
add_test(NAME new_check_rule
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/new_check_rule_test.py
          ${PROJECT_SOURCE_DIR} --cxx ${CMAKE_CXX_COMPILER} ${new_check_rule_flags}
          --check-lib $<TARGET_FILE:fltsim_check> --sim-lib $<TARGET_FILE:fltsim_sim>)
set_tests_properties(new_check_rule PROPERTIES LABELS check TIMEOUT 300)
