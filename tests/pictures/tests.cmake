# The pictures (README "Pictures", docs/ci.md): SVG and the HTML replay rendered in Debian's
# headless chromium, Markdown read back through Python-Markdown, and the README's images compared
# with what the tool draws now. Packages: scripts/install-deps.sh group "test" (chromium,
# libxml2-utils, python3-markdown). The unit tests of the SVG writer are in
# tests/viewer_model/svg_test.cpp (tinyxml2 parses the SVG there).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
if(NOT TARGET PkgConfig::FLTSIM_TINYXML2)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(FLTSIM_TINYXML2 REQUIRED IMPORTED_TARGET tinyxml2)
endif()
target_link_libraries(test_viewer_model PRIVATE PkgConfig::FLTSIM_TINYXML2)

add_test(NAME pictures_svg_html
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/pictures/test_pictures.py
          $<TARGET_FILE:fltsim>)
add_test(NAME pictures_markdown
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/pictures/test_markdown.py
          $<TARGET_FILE:fltsim>)
add_test(NAME pictures_readme_images
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/render-readme-images.sh --check $<TARGET_FILE:fltsim>)
set_tests_properties(pictures_svg_html pictures_markdown pictures_readme_images
  PROPERTIES LABELS pictures TIMEOUT 300)
add_test(NAME pictures_ci_example
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/pictures/test_ci_example.py
          $<TARGET_FILE:fltsim>)
set_tests_properties(pictures_ci_example PROPERTIES LABELS pictures TIMEOUT 120)
