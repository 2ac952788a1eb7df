# test_diagnose: `fltsim diagnose` (docs/diagnose.md), its module and the CLI command; the
# Markdown checked with Debian's cmark-gfm (scripts/install-deps.sh, group "test") and the build
# guess on the real hives (xz-compressed, read by Python's lzma), the HTML page in headless
# chromium as the other pictures (tests/pictures/).
fltsim_test_suite(test_diagnose diagnose fltsim_cli_lib fltsim::diagnose fltsim::fleet
  fltsim::inputs nlohmann_json::nlohmann_json)
find_program(FLTSIM_CMARK_GFM cmark-gfm)
find_program(FLTSIM_DIAGNOSE_PYTHON3 python3)
if(FLTSIM_CMARK_GFM AND FLTSIM_DIAGNOSE_PYTHON3)
  add_test(NAME diagnose_markdown_gfm
    COMMAND ${FLTSIM_DIAGNOSE_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/diagnose/markdown_gfm_test.py
            $<TARGET_FILE:fltsim> ${FLTSIM_CMARK_GFM} ${PROJECT_SOURCE_DIR})
  set_tests_properties(diagnose_markdown_gfm PROPERTIES TIMEOUT 120 LABELS diagnose)
endif()
if(FLTSIM_DIAGNOSE_PYTHON3)
  add_test(NAME diagnose_real_hives
    COMMAND ${FLTSIM_DIAGNOSE_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/diagnose/real_hives_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(diagnose_real_hives PROPERTIES TIMEOUT 300 LABELS diagnose)
endif()
find_program(FLTSIM_DIAGNOSE_CHROMIUM NAMES chromium chromium-browser google-chrome)
if(FLTSIM_DIAGNOSE_CHROMIUM AND FLTSIM_DIAGNOSE_PYTHON3)
  add_test(NAME diagnose_html_page
    COMMAND ${FLTSIM_DIAGNOSE_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/diagnose/html_page_test.py
            $<TARGET_FILE:fltsim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(diagnose_html_page PROPERTIES TIMEOUT 300 LABELS diagnose)
endif()
