# Optional suite: the original real-world files that tests/corpus was made from, read from
# $FLTSIM_REFERENCE_ROOT when that is set in the environment at configure time (for example
# FLTSIM_REFERENCE_ROOT=$PWD/../shared/reference, the shared reference folder next to the checkout).
# Without it nothing here is built or run, and every other suite is unaffected.
if(DEFINED ENV{FLTSIM_REFERENCE_ROOT} AND TARGET fltsim_cli_lib)
  set(_fltsim_reference "$ENV{FLTSIM_REFERENCE_ROOT}")
  if(IS_DIRECTORY "${_fltsim_reference}/inf" AND IS_DIRECTORY "${_fltsim_reference}/registry"
     AND IS_DIRECTORY "${_fltsim_reference}/fltmc")
    fltsim_test_suite(test_reference reference fltsim_cli_lib fltsim::inputs fltsim::sim)
    target_compile_definitions(test_reference PRIVATE
      FLTSIM_REFERENCE_ROOT="${_fltsim_reference}")
  else()
    message(WARNING "FLTSIM_REFERENCE_ROOT=${_fltsim_reference} has no inf/, registry/ and "
      "fltmc/: the optional test_reference suite is skipped")
  endif()
endif()
