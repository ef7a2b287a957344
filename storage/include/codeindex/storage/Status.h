//===- Status.h - Error values of the storage layer -------------*- C++ -*-===//
//
// A small LevelDB-style status: the storage layer reports every failure as a
// value, never as an exception. A default-constructed Status is OK.
//
// Thread-safety: a Status is a plain value; copies are independent.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_STATUS_H
#define CODEINDEX_STORAGE_STATUS_H

#include <string>
#include <string_view>
#include <utility>

namespace codeindex::storage {

class Status {
public:
  enum class Code : unsigned char {
    Ok = 0,
    NotFound,        ///< The key or index does not exist.
    Corruption,      ///< Stored bytes do not decode; rebuild the index.
    IOError,         ///< The operating system or engine failed to read/write.
    InvalidArgument, ///< The caller passed something malformed (e.g. a spec).
    NotSupported,    ///< Valid request, but this build cannot do it.
    Incompatible,    ///< Index written by an incompatible schema version.
    Busy,            ///< Another process holds the index lock.
    Aborted,         ///< The operation was cancelled (e.g. SIGINT).
  };

  Status() = default;

  static Status ok() { return Status(); }
  static Status notFound(std::string Msg) {
    return Status(Code::NotFound, std::move(Msg));
  }
  static Status corruption(std::string Msg) {
    return Status(Code::Corruption, std::move(Msg));
  }
  static Status ioError(std::string Msg) {
    return Status(Code::IOError, std::move(Msg));
  }
  static Status invalidArgument(std::string Msg) {
    return Status(Code::InvalidArgument, std::move(Msg));
  }
  static Status notSupported(std::string Msg) {
    return Status(Code::NotSupported, std::move(Msg));
  }
  static Status incompatible(std::string Msg) {
    return Status(Code::Incompatible, std::move(Msg));
  }
  static Status busy(std::string Msg) {
    return Status(Code::Busy, std::move(Msg));
  }
  static Status aborted(std::string Msg) {
    return Status(Code::Aborted, std::move(Msg));
  }

  bool isOk() const { return C == Code::Ok; }
  explicit operator bool() const { return isOk(); }
  bool isNotFound() const { return C == Code::NotFound; }
  bool isCorruption() const { return C == Code::Corruption; }
  bool isIncompatible() const { return C == Code::Incompatible; }
  bool isBusy() const { return C == Code::Busy; }
  Code code() const { return C; }
  const std::string &message() const { return Msg; }

  /// "IO error: <message>", suitable for a one-line user-facing error.
  std::string toString() const;

private:
  Status(Code C, std::string Msg) : C(C), Msg(std::move(Msg)) {}
  Code C = Code::Ok;
  std::string Msg;
};

} // namespace codeindex::storage

#endif // CODEINDEX_STORAGE_STATUS_H
