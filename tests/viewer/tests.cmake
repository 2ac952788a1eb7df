# Viewer tests (included by tests/CMakeLists.txt).

# test_viewer_model is declared in tests/CMakeLists.txt; its layout-JSON test parses JSON.
if(TARGET test_viewer_model)
  target_link_libraries(test_viewer_model PRIVATE nlohmann_json::nlohmann_json)
endif()
