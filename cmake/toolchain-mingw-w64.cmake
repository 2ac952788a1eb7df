# Cross-compiles fltsim for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64-posix:
# the -posix variant, because the -win32 one has no std::mutex/std::thread).
# scripts/build-windows.sh uses it; by hand:
#   cmake -S . -B build/mingw -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake \
#     -DFLTSIM_WIN_DEPS=$PWD/build/windows-deps/prefix
# FLTSIM_WIN_DEPS is the prefix scripts/build-windows.sh fills: yaml-cpp cross-built from Debian's
# source package, and include/ holding links to Debian's header-only libraries (Boost.Graph,
# nlohmann-json, CLI11, doctest) so that /usr/include itself (glibc's headers) is never searched.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(FLTSIM_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${FLTSIM_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${FLTSIM_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${FLTSIM_MINGW_TRIPLE}-windres)

if(NOT FLTSIM_WIN_DEPS AND DEFINED ENV{FLTSIM_WIN_DEPS})
  set(FLTSIM_WIN_DEPS "$ENV{FLTSIM_WIN_DEPS}")
endif()
if(NOT FLTSIM_WIN_DEPS)
  get_filename_component(FLTSIM_WIN_DEPS "${CMAKE_CURRENT_LIST_DIR}/../build/windows-deps/prefix" ABSOLUTE)
endif()
set(FLTSIM_WIN_DEPS "${FLTSIM_WIN_DEPS}" CACHE PATH "Prefix of the cross-built dependencies")
# try_compile projects inherit the toolchain file, not the cache: pass the prefix on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FLTSIM_WIN_DEPS)

set(CMAKE_FIND_ROOT_PATH /usr/${FLTSIM_MINGW_TRIPLE} "${FLTSIM_WIN_DEPS}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Configs written by scripts/build-windows.sh (header-only packages) or installed by yaml-cpp.
foreach(pkg Boost nlohmann_json CLI11 doctest)
  set(${pkg}_DIR "${FLTSIM_WIN_DEPS}/lib/cmake/${pkg}" CACHE PATH "")
endforeach()
set(yaml-cpp_DIR "${FLTSIM_WIN_DEPS}/lib/cmake/yaml-cpp" CACHE PATH "")

# One self-contained fltsim.exe: no libstdc++/libgcc/winpthread DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# Tests and discovery run the .exe under wine (scripts/test-windows.sh keeps a wineserver up).
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
# pkg-config (tests/cli's tinyxml2) reads the prefix's .pc files only, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "${FLTSIM_WIN_DEPS}/lib/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
