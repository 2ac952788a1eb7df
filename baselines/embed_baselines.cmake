# Generates a .cpp holding every data/baselines/*.yaml file as a string (docs/baselines.md), so the
# baselines are compiled into the binary as data/allocated-altitudes.csv is (sim/embed_data.cmake).
# DIR is data/baselines; its *.yaml files are embedded in sorted order, each under its file name.
file(GLOB INPUTS ${DIR}/*.yaml)
list(SORT INPUTS)
string(CONCAT body "// Generated from data/baselines/*.yaml (see data/baselines/README.md for sources and licence).\n"
  "#include <cstddef>\n#include <string_view>\n"
  "namespace fltsim::baselines::detail {\n"
  "struct EmbeddedBaseline { std::string_view id; std::string_view text; };\n"
  "extern const EmbeddedBaseline kEmbeddedBaselines[];\n"
  "extern const std::size_t kEmbeddedBaselineCount;\n"
  "const EmbeddedBaseline kEmbeddedBaselines[] = {\n")
set(count 0)
foreach(f ${INPUTS})
  get_filename_component(id ${f} NAME_WE)
  file(READ ${f} content)
  string(FIND "${content}" ")FLTSIMYAML" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} holds the raw-string delimiter )FLTSIMYAML")
  endif()
  string(APPEND body "  {\"${id}\", R\"FLTSIMYAML(${content})FLTSIMYAML\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
string(APPEND body "};\nconst std::size_t kEmbeddedBaselineCount = ${count};\n}\n")
file(WRITE ${OUTPUT} "${body}")
