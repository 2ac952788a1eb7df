# golden_outputs: the JSON, SARIF and JUnit outputs of every bundled scenario and check fixture
# are byte-identical to the files in this folder (scripts/check-outputs.py; regenerate with
# `scripts/check-outputs.py BUILD/ui/cli/fltsim --update` only for an intended change).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME golden_outputs
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-outputs.py $<TARGET_FILE:fltsim>)
set_tests_properties(golden_outputs PROPERTIES LABELS golden)
