# Generates a .cpp holding data/allocated-altitudes.csv as a string (the engine does no file IO).
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "// Generated from data/allocated-altitudes.csv (CC BY 4.0, see data/ATTRIBUTION.md).\n"
  "namespace fltsim::sim {\nextern const char *const kAllocatedAltitudesCsv;\n"
  "const char *const kAllocatedAltitudesCsv = R\"FLTSIMCSV(${content})FLTSIMCSV\";\n}\n")
