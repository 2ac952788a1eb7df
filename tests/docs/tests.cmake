# Documentation tests (included by tests/CMakeLists.txt). docs_citations: every rule citation in
# the tree ("(R5)", "(L3, Q4)", "§3.2", "docs/model.md#groups", ...) has an anchor in
# docs/model.md. docs_citations_self_test: the checker reports a dangling citation in a small
# generated tree and exits 1, and passes a clean one.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME docs_citations
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-citations.py
          ${PROJECT_SOURCE_DIR})
add_test(NAME docs_citations_self_test
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-citations.py --self-test)
set_tests_properties(docs_citations docs_citations_self_test PROPERTIES LABELS docs)
# where_things_go: every repository path docs/where-things-go.md names exists (placeholders such as
# <rule-id> need only their directory). where_things_go_self_test: the checker reports each kind of
# missing path in a small generated tree and passes it once the paths exist.
add_test(NAME where_things_go
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-where-things-go.py
          ${PROJECT_SOURCE_DIR})
add_test(NAME where_things_go_self_test
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/check-where-things-go.py --self-test)
set_tests_properties(where_things_go where_things_go_self_test PROPERTIES LABELS docs)
# walkthrough: the console sessions of docs/machine-import.md#walkthrough (a real Windows 7 hive,
# import, simulate, check, plan) still print what the doc shows (tests/docs/walkthrough_test.py).
add_test(NAME docs_walkthrough
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/walkthrough_test.py ${PROJECT_SOURCE_DIR}
          $<TARGET_FILE:fltsim> docs/machine-import.md)
set_tests_properties(docs_walkthrough PROPERTIES LABELS docs)
