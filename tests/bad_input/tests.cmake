# Bad-input corpus (docs/reliability.md): every file in tests/bad_input/ must give its exact
# diagnostics (code, line, column) and the CLI exit code 2; generated cases (100k drivers, limits,
# 64 MiB) are built at test time. Crash reproducers found by fuzzing live in fuzz_regressions/.
fltsim_test_suite(test_bad_input bad_input fltsim::inputs fltsim::sim fltsim_cli_lib
  nlohmann_json::nlohmann_json)
# The hostile-input cases (cases/, cases_test.cpp) run the fltsim executable itself: pipes,
# FIFOs, standard input, crashes and time-outs need a process of their own.
add_dependencies(test_bad_input fltsim)
# scripts/mutate.py is run on demand (docs/reliability.md, "Mutation score"); its self-test is
# cheap: every mutant well formed, the score table right.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME mutate_self_test
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/mutate.py --self-test)
