//===- FactCoding.h - A TU's facts as bytes, outside the store --*- C++ -*-===//
//
// The byte form of what one translation unit yields (its TuRecord with its
// diagnostics, and its UnitFacts), for sending it from a worker process to
// the run (plugin/pipeline/WorkerProtocol.h). It is built from the value
// encodings GraphStore writes (entities, edges, files, coverage, test
// reasons, TU records, diagnostics), so a fact decoded here is what the
// store would have read back: a TU indexed in a worker process yields the
// same index, byte for byte, as one indexed in the run's own process.
//
// Not a storage format: nothing writes these bytes to disk, and both ends
// are the same binary, so there is no versioning beyond the value formats'.
//
// Thread-safety: pure functions. Decoding never reads past its input and
// returns false on truncated or malformed bytes.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_GRAPH_FACTCODING_H
#define CODEINDEX_GRAPH_FACTCODING_H

#include "codeindex/graph/Model.h"
#include "codeindex/storage/Coding.h"

#include <string>

namespace codeindex::facts {

/// Appends U: its key, its file (with coverage and test reasons), its
/// entities and its edges.
void putUnitFacts(std::string &Out, const UnitFacts &U);
bool getUnitFacts(coding::Decoder &D, UnitFacts &U);

/// Appends T with its key and its diagnostics.
void putTuRecord(std::string &Out, const TuRecord &T);
bool getTuRecord(coding::Decoder &D, TuRecord &T);

} // namespace codeindex::facts

#endif // CODEINDEX_GRAPH_FACTCODING_H
