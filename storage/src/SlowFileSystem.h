//===- SlowFileSystem.h - A RocksDB file system with slow .sst creation -*- C++
//-*-===//
//
// For tests and benchmarks only (header-only, not part of the library):
// wraps a rocksdb::FileSystem so that creating every new .sst file sleeps,
// the way an on-access antivirus scanner delays each new file it sees. Used
// with rocksdb::NewCompositeEnv(Fs) and RocksDbHooks::Env.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_SLOWFILESYSTEM_H
#define CODEINDEX_STORAGE_SRC_SLOWFILESYSTEM_H

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace codeindex::storage {

class SlowSstFileSystem : public rocksdb::FileSystemWrapper {
public:
  SlowSstFileSystem(const std::shared_ptr<rocksdb::FileSystem> &Base,
                    std::chrono::milliseconds Delay)
      : rocksdb::FileSystemWrapper(Base), Delay(Delay) {}

  static const char *kClassName() { return "CodeIndexSlowSstFileSystem"; }
  const char *Name() const override { return kClassName(); }

  rocksdb::IOStatus
  NewWritableFile(const std::string &File, const rocksdb::FileOptions &Options,
                  std::unique_ptr<rocksdb::FSWritableFile> *Result,
                  rocksdb::IODebugContext *Dbg) override {
    if (File.size() >= 4 && File.compare(File.size() - 4, 4, ".sst") == 0) {
      ++Created;
      std::this_thread::sleep_for(Delay);
    }
    return target()->NewWritableFile(File, Options, Result, Dbg);
  }

  int sstFilesCreated() const { return Created.load(); }

private:
  std::chrono::milliseconds Delay;
  std::atomic<int> Created{0};
};

} // namespace codeindex::storage

#endif // CODEINDEX_STORAGE_SRC_SLOWFILESYSTEM_H
