# layering: no module includes a header of a module above it (sim < manifest, planner < check <
# ui; scripts/check-layering.py, docs/where-things-go.md). layering_self_test: the checker reports
# a bad include in a small generated tree and passes a clean one.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME layering
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-layering.py ${PROJECT_SOURCE_DIR})
add_test(NAME layering_self_test
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-layering.py --self-test)
set_tests_properties(layering layering_self_test PROPERTIES LABELS layering)
