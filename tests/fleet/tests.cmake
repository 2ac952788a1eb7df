# test_fleet: the fleet module, its readers (manifest/) and `fltsim fleet` (ui/cli); the Dask
# script on a LocalCluster (scripts/fleet_dask.py, needs Debian's python3-distributed, group
# "test" of scripts/install-deps.sh).
fltsim_test_suite(test_fleet fleet fltsim_cli_lib fltsim::fleet fltsim::inputs
  nlohmann_json::nlohmann_json)
# Debian's python3 (where python3-distributed installs), not another python3 earlier on PATH.
find_program(FLTSIM_DEBIAN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(FLTSIM_DEBIAN_PYTHON3)
  add_test(NAME fleet_dask
    COMMAND ${FLTSIM_DEBIAN_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/fleet/dask_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_dask PROPERTIES TIMEOUT 120 LABELS fleet)
endif()
