# test_cli extras: the `check --format junit` tests parse the XML with tinyxml2 (Debian
# libtinyxml2-dev, scripts/install-deps.sh group "test").
find_package(PkgConfig REQUIRED)
pkg_check_modules(FLTSIM_TINYXML2 REQUIRED IMPORTED_TARGET tinyxml2)
target_link_libraries(test_cli PRIVATE PkgConfig::FLTSIM_TINYXML2)
