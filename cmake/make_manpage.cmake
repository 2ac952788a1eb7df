# Writes a man page (roff) generated from a program's --help, and each subcommand's --help,
# so the page never drifts from the options the program really has.
#   cmake -DEXE=path/to/fltsim -DNAME=fltsim -DSECTION=1 -DVERSION=0.1.0 -DSEEALSO="fltsim-view"
#         -DOUTPUT=fltsim.1 -P make_manpage.cmake
foreach(v EXE NAME SECTION VERSION OUTPUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "make_manpage.cmake: -D${v}=... is required")
  endif()
endforeach()

function(run_help out)
  execute_process(COMMAND ${EXE} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc
    ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} ${ARGN} --help exited ${rc}: ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# roff escapes: backslashes first, then a leading '.' or '\'' would start a request.
function(roff_escape out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

run_help(main_help)
string(REGEX MATCH "^[^\n]*" first_line "${main_help}")
string(REGEX REPLACE "^${NAME}: *" "" summary "${first_line}")
roff_escape(main_esc "${main_help}")

# string(TIMESTAMP) takes SOURCE_DATE_EPOCH when it is set (reproducible builds).
string(TIMESTAMP today "%Y-%m-%d" UTC)
string(TOUPPER "${NAME}" upper)
set(page ".TH ${upper} ${SECTION} \"${today}\" \"${NAME} ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${summary}\n")
string(APPEND page ".SH SYNOPSIS\n.nf\n")
string(REGEX MATCH "Usage: [^\n]*" usage "${main_help}")
string(REPLACE "Usage: " "" usage "${usage}")
string(APPEND page "${usage}\n.fi\n.SH DESCRIPTION\n.nf\n${main_esc}.fi\n")

# Subcommands: the lines under "Subcommands:" that start with two spaces and a name.
string(FIND "${main_help}" "Subcommands:" at)
if(at GREATER -1)
  string(SUBSTRING "${main_help}" ${at} -1 tail)
  string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "${tail}")
  string(APPEND page ".SH COMMANDS\n")
  foreach(n ${names})
    string(STRIP "${n}" n)
    run_help(sub_help ${n})
    roff_escape(sub_esc "${sub_help}")
    string(APPEND page ".SS ${NAME} ${n}\n.nf\n${sub_esc}.fi\n")
  endforeach()
endif()
string(APPEND page ".SH EXIT STATUS\n.TP\n0\nran and is clean\n.TP\n1\nfindings of severity error, "
  "an infeasible plan, differences\n.TP\n2\ninput or usage error (file:line:col: error[code])\n"
  ".TP\n3\ninternal error\n")
string(APPEND page ".SH FILES\n.TP\n.I ../share/fltsim/scenarios\nthe bundled scenarios, "
  "relative to the directory of the executable\n.TP\n.I ../share/doc/fltsim\nthe documentation: "
  "model.md (the rules every message cites), rules.md, check.md, planner.md\n")
if(DEFINED SEEALSO)
  string(APPEND page ".SH SEE ALSO\n.BR ${SEEALSO} (1)\n")
endif()
file(WRITE "${OUTPUT}" "${page}")
