//===- Status.cpp - Error values of the storage layer ---------------------===//

#include "codeindex/storage/Status.h"

namespace codeindex::storage {

std::string Status::toString() const {
  const char *Prefix = "";
  switch (C) {
  case Code::Ok:
    return "OK";
  case Code::NotFound:
    Prefix = "Not found: ";
    break;
  case Code::Corruption:
    Prefix = "Corruption: ";
    break;
  case Code::IOError:
    Prefix = "IO error: ";
    break;
  case Code::InvalidArgument:
    Prefix = "Invalid argument: ";
    break;
  case Code::NotSupported:
    Prefix = "Not supported: ";
    break;
  case Code::Incompatible:
    Prefix = "Incompatible: ";
    break;
  case Code::Busy:
    Prefix = "Busy: ";
    break;
  case Code::Aborted:
    Prefix = "Aborted: ";
    break;
  }
  return Prefix + Msg;
}

} // namespace codeindex::storage
