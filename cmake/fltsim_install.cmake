# `cmake --install` and CPack (.deb). The installed layout is the one ui/common's
# install_paths.hpp looks for at run time, relative to the executables:
#   bin/fltsim, bin/fltsim-view
#   share/fltsim/scenarios/...        the bundled scenarios (the viewer's Scenarios menu)
#   share/doc/fltsim/*.md, img/       the documentation the findings and SARIF help links cite
#   share/man/man1/fltsim.1.gz, fltsim-view.1.gz   generated from --help, gzip -9n
#   share/doc/fltsim/copyright, changelog.gz   cmake/package/ (Debian's layout: lintian checks
#                                     them, scripts/test-package.sh)
# The tables fltsim needs (data/) are compiled into the binaries.
include(GNUInstallDirs)

install(TARGETS fltsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET fltsim-view)
  install(TARGETS fltsim-view RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/fltsim/scenarios FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/data/ATTRIBUTION.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian wants man pages and the changelog compressed, without name or time stamp (gzip -9n,
# cmake/gzip_file.cmake).
find_program(FLTSIM_GZIP gzip REQUIRED)
set(_gzip ${CMAKE_COMMAND} -DGZIP=${FLTSIM_GZIP})

# Man pages from --help (cmake/make_manpage.cmake), rebuilt when the executable changes; the
# build keeps the plain page beside the installed .gz.
function(fltsim_manpage target see_also)
  set(page ${PROJECT_BINARY_DIR}/man/${target}.1)
  add_custom_command(OUTPUT ${page} ${page}.gz
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${target}> -DNAME=${target} -DSECTION=1
      -DVERSION=${PROJECT_VERSION} -DSEEALSO=${see_also} -DOUTPUT=${page}
      -P ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake
    COMMAND ${_gzip} -DINPUT=${page} -DOUTPUT=${page}.gz
      -P ${PROJECT_SOURCE_DIR}/cmake/gzip_file.cmake
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake
      ${PROJECT_SOURCE_DIR}/cmake/gzip_file.cmake
    COMMENT "Generating ${target}.1 from ${target} --help" VERBATIM)
  add_custom_target(${target}-manpage ALL DEPENDS ${page}.gz)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()
if(CMAKE_CROSSCOMPILING)
  # A Windows build (cmake/toolchain-mingw-w64.cmake) has no man pages, and its --help cannot run
  # on the build machine without wine.
elseif(TARGET fltsim-view)
  fltsim_manpage(fltsim fltsim-view)
  fltsim_manpage(fltsim-view fltsim)
else()
  fltsim_manpage(fltsim "")
endif()

# The package's copyright file (DEP-5: fltsim's MIT licence and the third-party code in the
# binaries) and its changelog. The changelog's newest entry must be this version.
install(FILES ${PROJECT_SOURCE_DIR}/cmake/package/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/package/changelog _changelog_top LIMIT_COUNT 1)
if(NOT _changelog_top MATCHES "^fltsim \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "cmake/package/changelog: the newest entry is '${_changelog_top}', not "
    "version ${PROJECT_VERSION}: add an entry for it (Debian changelog format)")
endif()
if(NOT WIN32) # the Debian package's changelog; the Windows zip has LICENSE.txt and the notices
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/package-doc)
set(_changelog ${PROJECT_BINARY_DIR}/package-doc/changelog.gz)
add_custom_command(OUTPUT ${_changelog}
  COMMAND ${_gzip} -DINPUT=${PROJECT_SOURCE_DIR}/cmake/package/changelog -DOUTPUT=${_changelog}
    -P ${PROJECT_SOURCE_DIR}/cmake/gzip_file.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/cmake/package/changelog ${PROJECT_SOURCE_DIR}/cmake/gzip_file.cmake
  COMMENT "Compressing the package changelog" VERBATIM)
add_custom_target(fltsim-changelog ALL DEPENDS ${_changelog})
install(FILES ${_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

# CPack: one .deb whose dependencies dpkg-shlibdeps computes from the binaries' shared
# libraries, so they are Debian's runtime packages (libyaml-cpp0.7, libglfw3, libstdc++6, ...).
set(CPACK_PACKAGE_NAME fltsim)
set(CPACK_PACKAGE_VENDOR "fltsim")
set(CPACK_PACKAGE_CONTACT "fltsim maintainers <fltsim@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "predicts the Windows file-system filter stack")
# The extended description (CPack indents it and turns the empty line into " .").
set(CPACK_PACKAGE_DESCRIPTION [=[
fltsim replays the rules of Windows' Filter Manager (fltmgr) to predict which
frame each minifilter lands in, where legacy filters sit and whether a
driver ends up out of altitude order, before anyone deploys it. It reads
INF files, .reg exports, offline registry hives, fltmc and !fltkd captures
and YAML scenarios.

The package holds the fltsim command (simulate, check with SARIF output for
CI, plan the dummy-minifilter fix, import and compare captures, fleet runs)
and fltsim-view, an interactive viewer of the stack.]=])
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON) # no debug info (and so no build paths) in the installed binaries
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The viewer draws its text with DejaVu Sans (ui/viewer/app.cpp), a file no library names.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
set(CPACK_SET_DESTDIR OFF)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
