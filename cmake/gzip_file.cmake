# Compresses one file the way Debian wants it in a package: gzip -9 without the file's name and
# time stamp (-n), so the same input gives the same bytes (reproducible builds).
#   cmake -DGZIP=/bin/gzip -DINPUT=fltsim.1 -DOUTPUT=fltsim.1.gz -P gzip_file.cmake
foreach(v GZIP INPUT OUTPUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "gzip_file.cmake: -D${v}=... is required")
  endif()
endforeach()
execute_process(COMMAND ${GZIP} -9nc INPUT_FILE ${INPUT} OUTPUT_FILE ${OUTPUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "gzip -9n ${INPUT} failed: ${rc}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
