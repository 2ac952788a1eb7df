# Viewer tests (included by tests/CMakeLists.txt).

# test_viewer_model is declared in tests/CMakeLists.txt; its layout-JSON test parses JSON.
target_link_libraries(test_viewer_model PRIVATE nlohmann_json::nlohmann_json)

# Headless ImGui smoke test: the real panels, no renderer, one CTest test per bundled scenario
# (an ImGui assert aborts the process, so each scenario fails on its own).
if(TARGET fltsim_viewer_ui)
  add_executable(viewer_smoke ${CMAKE_CURRENT_LIST_DIR}/smoke_main.cpp)
  target_link_libraries(viewer_smoke PRIVATE fltsim_viewer_ui fltsim_warnings)
  target_compile_definitions(viewer_smoke PRIVATE
    FLTSIM_SCENARIO_DIR="${PROJECT_SOURCE_DIR}/scenarios")
  file(GLOB_RECURSE _viewer_scenarios CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
  foreach(_s ${_viewer_scenarios})
    file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR}/scenarios ${_s})
    add_test(NAME "viewer_smoke: ${_rel}" COMMAND viewer_smoke ${_s})
    set_tests_properties("viewer_smoke: ${_rel}" PROPERTIES LABELS "viewer")
  endforeach()
endif()
# A machine's evidence (docs/diagnose.md): a capture, a SYSTEM hive, a .reg export and a LogScout
# bundle folder open with the diagnosis beside the stack.
if(TARGET fltsim_viewer_ui)
  foreach(_in tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt
              tests/corpus/machine/system_small.hiv tests/corpus/machine/system_small.reg
              tests/diagnose/bundles/logscout)
    add_test(NAME "viewer_smoke: ${_in}" COMMAND viewer_smoke ${PROJECT_SOURCE_DIR}/${_in})
    set_tests_properties("viewer_smoke: ${_in}" PROPERTIES LABELS "viewer;diagnose")
  endforeach()
endif()
