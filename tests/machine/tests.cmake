# Real SYSTEM hives against their independent expectations, and the import-then-simulate
# invariant over every registry input of the repository (docs/machine-import.md#invariant).
# Both need Debian's python3 with python3-hivex and python3-yaml (scripts/install-deps.sh test).
find_program(FLTSIM_DEBIAN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(FLTSIM_DEBIAN_PYTHON3)
  add_test(NAME machine_real_hives
    COMMAND ${FLTSIM_DEBIAN_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/machine/real_hives_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  add_test(NAME machine_import_simulates
    COMMAND ${FLTSIM_DEBIAN_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/machine/import_simulates_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(machine_real_hives machine_import_simulates PROPERTIES TIMEOUT 600
    LABELS machine)
endif()
