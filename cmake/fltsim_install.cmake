# `cmake --install` and CPack (.deb). The installed layout is the one ui/common's
# install_paths.hpp looks for at run time, relative to the executables:
#   bin/fltsim, bin/fltsim-view
#   share/fltsim/scenarios/...        the bundled scenarios (the viewer's Scenarios menu)
#   share/doc/fltsim/*.md, img/       the documentation the findings and SARIF help links cite
#   share/man/man1/fltsim.1, fltsim-view.1   generated from --help
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

# Man pages from --help (cmake/make_manpage.cmake), rebuilt when the executable changes.
function(fltsim_manpage target see_also)
  set(page ${PROJECT_BINARY_DIR}/man/${target}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${target}> -DNAME=${target} -DSECTION=1
      -DVERSION=${PROJECT_VERSION} -DSEEALSO=${see_also} -DOUTPUT=${page}
      -P ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/make_manpage.cmake
    COMMENT "Generating ${target}.1 from ${target} --help" VERBATIM)
  add_custom_target(${target}-manpage ALL DEPENDS ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
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

# CPack: one .deb whose dependencies dpkg-shlibdeps computes from the binaries' shared
# libraries, so they are Debian's runtime packages (libyaml-cpp0.7, libglfw3, libstdc++6, ...).
set(CPACK_PACKAGE_NAME fltsim)
set(CPACK_PACKAGE_VENDOR "fltsim")
set(CPACK_PACKAGE_CONTACT "fltsim maintainers <fltsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Predicts the Windows file-system filter stack (fltmgr frames, legacy filters, load order)")
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
