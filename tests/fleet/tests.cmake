# test_fleet: the fleet module, its readers (manifest/) and `fltsim fleet` (ui/cli); the Dask
# script on a LocalCluster (scripts/fleet_dask.py, needs Debian's python3-distributed, group
# "test" of scripts/install-deps.sh).
fltsim_test_suite(test_fleet fleet fltsim_cli_lib fltsim::fleet fltsim::manifest
  nlohmann_json::nlohmann_json)
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME fleet_dask
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/fleet/dask_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(fleet_dask PROPERTIES TIMEOUT 120 LABELS fleet)
endif()
