//===- Platform.h - The few OS calls storage/ needs -------------*- C++ -*-===//
//
// Files, locks, atomic replace, sync, identities and names: POSIX or Win32
// behind one interface, so IndexDir, LmdbStore and SortedRuns hold no
// #ifdef. Paths are UTF-8 std::strings on every platform; on Windows they
// are converted to UTF-16 for the W APIs (never through the ANSI code page).
//
// Where Windows differs (kept in mind by the callers):
//  - Locks. POSIX uses flock(): whole-file, advisory, held per open file
//    description, released on close or process death. Windows uses
//    LockFileEx() on one byte far beyond the end of the file (so the lock
//    never blocks reading or writing the file's content, e.g. the holder's
//    name in LOCK), held per handle, released on close or process death.
//    In both, two opens of one file in one process conflict like two
//    processes do.
//  - Deleting open files. POSIX unlinks an open file at once. On Windows a
//    file open elsewhere can only be deleted if every open used
//    FILE_SHARE_DELETE (every open here does; LMDB's own opens of data.mdb
//    and lock.mdb do not), and it then stays "delete pending", keeping its
//    directory non-empty, until the last handle closes. Callers close their
//    handles before removing a directory, or retry after closing.
//  - Replace. POSIX rename() replaces atomically even if the target is open.
//    MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) fails
//    while another process has the target open without FILE_SHARE_DELETE
//    (on-access virus scanners do, briefly); replaceFile() retries for about
//    a second on sharing and access errors.
//  - Sharing. A file another program holds open without FILE_SHARE_WRITE
//    (a backup tool, an editor, an on-access scanner) cannot be opened for
//    writing until it lets go: openFile() retries sharing violations for
//    about a second, and isSharingViolation() tells callers of other APIs
//    (LMDB) that the failure is "in use", not damage.
//  - Long paths. Win32 calls fail on paths of MAX_PATH (260) characters or
//    more unless they carry the \\?\ prefix, which in turn turns off the
//    normalisation of "/", "." and "..". Every function here normalises a
//    long path with GetFullPathNameW() and adds the prefix; short paths are
//    passed as they are. toFsPath() does not: MinGW's directory iteration
//    (_wopendir) cuts the full path at MAX_PATH and then lists the current
//    directory instead, which std::filesystem::remove_all() would empty.
//    So an index whose files' paths reach MAX_PATH still fails on Windows
//    where std::filesystem or LMDB's own opens touch them (docs/storage.md).
//  - Directory sync. fsync() of a directory makes a rename durable on POSIX.
//    Windows cannot flush a directory; NTFS journals its metadata and
//    MOVEFILE_WRITE_THROUGH returns after the rename is on disk, so
//    syncPath() of a directory is a no-op there.
//
// Thread-safety: the functions are thread-safe; a File is not (one owner).
// Errors: IOError naming the operation and the path, with the OS message.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_STORAGE_SRC_PLATFORM_H
#define CODEINDEX_STORAGE_SRC_PLATFORM_H

#include "codeindex/storage/Status.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace codeindex::storage::detail {

/// An open file; closes it on destruction. Move-only, single owner.
class File {
public:
#ifdef _WIN32
  using Native = void *; ///< HANDLE
#else
  using Native = int; ///< file descriptor
#endif

  File() = default;
  ~File() { close(); }
  File(File &&O) noexcept : H(std::exchange(O.H, invalid())) {}
  File &operator=(File &&O) noexcept {
    if (this != &O) {
      close();
      H = std::exchange(O.H, invalid());
    }
    return *this;
  }
  File(const File &) = delete;
  File &operator=(const File &) = delete;

  /// Takes ownership of an open native handle.
  static File adopt(Native N) {
    File F;
    F.H = N;
    return F;
  }

  bool isOpen() const { return H != invalid(); }
  Native native() const { return H; }
  /// Closes the file (releasing its locks); false if the OS reported an
  /// error (buffered data may be lost). A closed File stays closed.
  bool close();

private:
  static Native invalid();
  Native H = invalid();
};

enum class OpenFor {
  Read,              ///< existing file, read only
  ReadWrite,         ///< existing file, read and write
  ReadWriteOrCreate, ///< created empty if missing, read and write
  WriteTruncate,     ///< created if missing, emptied, write only
};

/// Opens Path; every open shares read, write and delete access with other
/// opens. Handles are not inherited by child processes. With Missing given,
/// a file that does not exist (or, on Windows, is being deleted) sets
/// *Missing and returns ok with *Out closed. What starts the error message
/// ("cannot open" or "cannot create" by default).
Status openFile(const std::string &Path, OpenFor How, File *Out,
                bool *Missing = nullptr, const char *What = nullptr);

/// Reads up to Size bytes; *Got is 0 at end of file.
Status readSome(File &F, char *Buf, size_t Size, size_t *Got,
                const std::string &Path);
/// Writes all of Data at the current position.
Status writeAll(File &F, std::string_view Data, const std::string &Path);
/// Replaces the whole content of F by Data (truncate, write at offset 0).
Status rewriteFile(File &F, std::string_view Data, const std::string &Path);
/// Cuts F to zero bytes; failures are ignored (best effort).
void truncateQuietly(File &F);
/// fsync() / FlushFileBuffers().
Status syncFile(File &F, const std::string &Path);
/// Syncs a file or directory by path (directories: no-op on Windows).
Status syncPath(const std::string &Path);

enum class LockKind { Shared, Exclusive };
/// Locks F (see the header comment). With Wait false, a lock held elsewhere
/// sets *WouldBlock and returns ok; with Wait true it blocks until granted.
Status lockFile(File &F, LockKind Kind, bool Wait, bool *WouldBlock,
                const std::string &Path);

/// Atomically replaces To by From (rename / MoveFileExW, see above).
Status replaceFile(const std::string &From, const std::string &To);
/// Deletes a file; a missing one is not an error.
Status removeFile(const std::string &Path);
/// Creates one directory (its parent must exist).
Status makeDirectory(const std::string &Path);
/// Deletes an empty directory; a missing one is not an error.
Status removeDirectory(const std::string &Path);
/// True if the current user may open Path for writing (false if missing).
bool isWritable(const std::string &Path);

/// Identifies a file or directory across names: (st_dev, st_ino) on POSIX,
/// (volume serial number, file index) on Windows.
using FileId = std::pair<uint64_t, uint64_t>;
Status fileId(const std::string &Path, FileId *Out);

/// The OS's text for the error number of a failed system call (errno on
/// POSIX, GetLastError() on Windows) on one line: FormatMessage()'s
/// trailing CRLF and period are removed. Never empty.
std::string systemErrorText(int Code);
/// True if Code (as above) says that another program holds the file open
/// and excludes this access (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION).
/// Always false on POSIX, where opens do not exclude each other.
bool isSharingViolation(int Code);
/// True if Code (as above) is a permission failure: ERROR_ACCESS_DENIED on
/// Windows, EACCES or EPERM on POSIX.
bool isAccessDenied(int Code);

uint64_t processId();
/// The host name, or "unknown-host".
std::string hostName();
/// The virtual memory page size.
uint64_t pageSize();
/// Lets the OS drop this process's resident pages of a read-only, shared
/// file mapping [Addr, Addr + Bytes): they stay in the page cache and are
/// mapped in again, with the same contents, on the next access. Lowers the
/// resident set of a long sequential read; the mapping stays valid. POSIX
/// madvise(MADV_DONTNEED); a no-op on Windows.
void dropResidentPages(void *Addr, size_t Bytes);

/// UTF-8 string <-> std::filesystem::path. On Windows, path(std::string)
/// would decode with the ANSI code page; these decode UTF-8. They never add
/// the \\?\ prefix (see above).
std::filesystem::path toFsPath(const std::string &Utf8);
std::string fromFsPath(const std::filesystem::path &P);

#ifdef _WIN32
/// UTF-8 -> UTF-16 (MultiByteToWideChar); invalid input is replaced with
/// U+FFFD rather than rejected.
std::wstring toWide(std::string_view Utf8);
/// UTF-16 -> UTF-8 (WideCharToMultiByte).
std::string fromWide(std::wstring_view Wide);
/// toWide(), and for a path of 248 characters or more (CreateDirectoryW's
/// limit) the full path with the \\?\ (or \\?\UNC\) prefix.
std::wstring toWidePath(const std::string &Utf8);
#endif

} // namespace codeindex::storage::detail

#endif // CODEINDEX_STORAGE_SRC_PLATFORM_H
