# Bad-input corpus (docs/reliability.md): every file in tests/bad_input/ must give its exact
# diagnostics (code, line, column) and the CLI exit code 2; generated cases (100k drivers, limits,
# 64 MiB) are built at test time. Crash reproducers found by fuzzing live in fuzz_regressions/.
fltsim_test_suite(test_bad_input bad_input fltsim::inputs fltsim::sim fltsim_cli_lib
  nlohmann_json::nlohmann_json)
