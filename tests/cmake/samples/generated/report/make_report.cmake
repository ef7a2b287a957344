file(READ "${GRAPH}" graph)
string(JSON entities GET "${graph}" stats entities)
file(WRITE "${OUT}" "#define INDEXED_ENTITIES ${entities}\n")
