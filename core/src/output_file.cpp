#include "gp/core/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "gp/core/error.hpp"

namespace gp {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view tmp_marker = ".gridplan-tmp-";
constexpr std::string_view old_marker = ".gridplan-old-";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// ---- Clean-up on SIGINT / SIGTERM -------------------------------------------------
// A fixed table of paths the handler may read without allocating. A slot is claimed
// (state 1 file, 2 directory) while a temporary exists and released after commit or
// removal.

constexpr int max_slots = 64;
constexpr std::size_t max_path = 4096;
struct Slot {
  std::atomic<int> state{0};
  char path[max_path];
};
std::array<Slot, max_slots> slots;
std::once_flag handlers_once;
struct sigaction previous_int, previous_term;

/// Async-signal-safe: unlinks every entry of a directory (one level), then the directory.
void remove_dir_in_handler(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buf[8192];
    for (;;) {
      const long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        // struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
        unsigned short reclen = 0;
        std::memcpy(&reclen, buf + off + 16, sizeof reclen);
        const char* name = buf + off + 19;
        if (std::strcmp(name, ".") != 0 && std::strcmp(name, "..") != 0) ::unlinkat(fd, name, 0);
        off += reclen;
      }
    }
    ::close(fd);
  }
  ::rmdir(path);
}

void unlink_with_sidecars(const char* path) {
  ::unlink(path);
  // SQLite (GeoPackage) side files next to the temporary.
  static constexpr const char* suffixes[] = {"-journal", "-wal", "-shm", ".tmp"};
  char buf[max_path + 16];
  const std::size_t len = std::strlen(path);
  if (len >= max_path) return;
  for (const char* s : suffixes) {
    std::memcpy(buf, path, len);
    std::strcpy(buf + len, s);
    ::unlink(buf);
  }
}

void on_signal(int sig) {
  for (auto& slot : slots) {
    const int state = slot.state.load();
    if (state == 1) unlink_with_sidecars(slot.path);
    if (state == 2) {
      remove_dir_in_handler(slot.path);
      unlink_with_sidecars(slot.path);
    }
  }
  // Die of the same signal, as the user asked.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);
}

void install_handlers() {
  std::call_once(handlers_once, [] {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    // Only where nobody else handles the signal (a GUI or a test harness may).
    if (::sigaction(SIGINT, nullptr, &previous_int) == 0 && previous_int.sa_handler == SIG_DFL)
      ::sigaction(SIGINT, &sa, nullptr);
    if (::sigaction(SIGTERM, nullptr, &previous_term) == 0 && previous_term.sa_handler == SIG_DFL)
      ::sigaction(SIGTERM, &sa, nullptr);
  });
}

int register_temp(const std::string& path, OutputKind kind) {
  install_handlers();
  if (path.size() >= max_path) return -1;
  for (int i = 0; i < max_slots; ++i) {
    int expected = 0;
    // Claim with a state the handler ignores, fill in the path, then publish.
    if (slots[static_cast<std::size_t>(i)].state.compare_exchange_strong(expected, 3)) {
      auto& s = slots[static_cast<std::size_t>(i)];
      std::memcpy(s.path, path.c_str(), path.size() + 1);
      s.state.store(kind == OutputKind::file ? 1 : 2);
      return i;
    }
  }
  return -1; // more than 64 outputs at once: no signal clean-up for this one
}

void release_slot(int slot) {
  if (slot >= 0) slots[static_cast<std::size_t>(slot)].state.store(0);
}

void remove_temp(const std::string& path, OutputKind kind) {
  std::error_code ec;
  if (kind == OutputKind::directory) fs::remove_all(path, ec);
  // SQLite side files, and the ".tmp" a writer may put next to the name it was given.
  for (const char* s : {"", "-journal", "-wal", "-shm", ".tmp"}) fs::remove(path + s, ec);
}

// ---- Checks -------------------------------------------------------------------------

/// The path with links resolved as far as it exists (std::filesystem::weakly_canonical).
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p, ec).lexically_normal() : r;
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue; // trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

bool only_replaceable_files(const fs::path& dir, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return false;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) return false;
    const std::string ext = lower(it->path().extension().string());
    bool ok = false;
    for (const auto& e : extensions) ok = ok || ext == lower(e);
    if (!ok) return false;
  }
  return !ec;
}

void check_target(const std::string& out, bool overwrite, OutputKind kind,
                  const std::vector<std::string>& replaceable) {
  if (out.empty()) throw UsageError("an output path is empty");
  const fs::path p = fs::absolute(out);
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (kind == OutputKind::file)
        throw OutputError(out + ": is a directory; refusing to replace it");
      if (!only_replaceable_files(p, replaceable))
        throw OutputError(out +
                          ": is a directory holding files gridplan did not write; refusing to "
                          "replace it (give a new directory)");
    } else if (!S_ISREG(st.st_mode)) {
      throw OutputError(out + ": is not a regular file (a device, FIFO or socket); refusing to "
                              "write to it");
    } else if (kind == OutputKind::directory) {
      throw OutputError(out + ": is a file; this output is a directory (give a new name)");
    }
    if (!overwrite) throw OutputError(out + ": exists (use --overwrite to replace it)");
  } else if (errno != ENOENT) {
    throw OutputError(out + ": cannot check: " + std::strerror(errno));
  } else {
    std::error_code ec;
    if (fs::is_symlink(p, ec))
      throw OutputError(out + ": is a dangling symbolic link; refusing to write through it");
  }
  std::error_code ec;
  const fs::path parent = p.parent_path();
  if (!fs::is_directory(parent, ec))
    throw OutputError(out + ": folder " + parent.string() + " does not exist");
}

long long process_start_time() {
  struct stat st {};
  const std::string self = "/proc/" + std::to_string(::getpid());
  if (::stat(self.c_str(), &st) == 0) return static_cast<long long>(st.st_mtime);
  return static_cast<long long>(std::time(nullptr));
}

/// The process id in a temporary's name, or 0 when the name is not one of ours:
/// ".NAME.gridplan-tmp-PID-N[EXT][-journal]" (this version) and ".NAME.gridplan-old-PID-N"
/// or ".NAME.tmp-PID-N[EXT]" (earlier versions of write_layers).
long parse_pid(const std::string& name) {
  if (name.empty() || name[0] != '.') return 0;
  std::size_t at = std::string::npos;
  for (std::string_view m : {tmp_marker, old_marker, std::string_view(".tmp-")}) {
    const auto pos = name.rfind(m);
    if (pos != std::string::npos && pos > 0) {
      at = pos + m.size();
      break;
    }
  }
  if (at == std::string::npos) return 0;
  long pid = 0;
  std::size_t i = at;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && i - at < 9; ++i)
    pid = pid * 10 + (name[i] - '0');
  if (i == at || i >= name.size() || name[i] != '-') return 0;
  if (i + 1 >= name.size() || name[i + 1] < '0' || name[i + 1] > '9') return 0;
  return pid;
}

void fsync_path(const std::string& path, const std::string& shown, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw OutputError(shown + ": cannot open for sync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot sync a directory (EINVAL); the data is still safe.
  if (rc != 0 && !(directory && (err == EINVAL || err == EROFS)))
    throw OutputError(shown + ": cannot write to disk: " + std::strerror(err));
}

} // namespace

bool is_connection_string(std::string_view path) {
  const auto starts = [&](std::string_view p) {
    return path.size() >= p.size() && lower(path.substr(0, p.size())) == lower(p);
  };
  return starts("PG:") || starts("/vsi") || starts("MySQL:") || starts("OCI:") ||
         path.find("://") != std::string_view::npos;
}

void check_output_path(const std::string& out, const std::vector<std::string>& inputs,
                       bool overwrite, OutputKind kind,
                       const std::vector<std::string>& replaceable_extensions) {
  if (is_connection_string(out)) return;
  if (out.empty()) throw UsageError("an output path is empty");
  const fs::path target = resolved(out);
  for (const auto& input : inputs) {
    if (input.empty() || is_connection_string(input)) continue;
    std::error_code ec;
    const fs::path in = resolved(input);
    const bool same = in == target || fs::equivalent(in, target, ec);
    if (same) throw OutputError(out + ": is an input (" + input + "); refusing to overwrite it");
    if (is_within(in, target))
      throw OutputError(out + ": contains an input (" + input + "); refusing to replace it");
  }
  check_target(out, overwrite, kind, replaceable_extensions);
}

std::vector<std::string> remove_stale_temporaries(const std::string& folder) {
  std::vector<std::string> removed;
  try {
    const long long started = process_start_time();
    const uid_t me = ::geteuid();
    std::error_code ec;
    std::vector<fs::path> victims;
    for (fs::directory_iterator it(folder.empty() ? "." : folder, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const long pid = parse_pid(name);
      if (pid <= 0 || pid == ::getpid()) continue;
      struct stat st {};
      if (::lstat(it->path().c_str(), &st) != 0) continue;
      if (st.st_uid != me || static_cast<long long>(st.st_mtime) > started) continue;
      // Alive (or not ours to signal): leave it alone.
      if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
      victims.push_back(it->path());
    }
    for (const auto& v : victims) {
      std::error_code rm;
      fs::remove_all(v, rm);
      if (!rm) removed.push_back(v.filename().string());
    }
  } catch (...) {
    // Clean-up is best effort; a write must not fail because of it.
  }
  return removed;
}

AtomicOutput::AtomicOutput(std::string target, bool overwrite, OutputKind kind,
                           std::vector<std::string> replaceable_extensions)
    : target_(std::move(target)), kind_(kind), overwrite_(overwrite),
      replaceable_(std::move(replaceable_extensions)) {
  check_target(target_, overwrite_, kind_, replaceable_);
  const fs::path abs = fs::absolute(target_);
  remove_stale_temporaries(abs.parent_path().string());
  static std::atomic<unsigned> counter{0};
  const std::string ext = kind_ == OutputKind::file ? abs.extension().string() : "";
  for (int attempt = 0;; ++attempt) {
    const fs::path candidate =
        abs.parent_path() / ("." + abs.filename().string() + std::string(tmp_marker) +
                             std::to_string(::getpid()) + "-" + std::to_string(counter++) + ext);
    temp_ = candidate.string();
    // Claim the name so that no other writer can take it.
    if (kind_ == OutputKind::directory) {
      if (::mkdir(temp_.c_str(), 0777) == 0) break;
    } else {
      const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd >= 0) {
        ::close(fd);
        // Writers create the file themselves (GDAL refuses an existing GeoPackage); the
        // name stays ours because it carries our process id and counter.
        ::unlink(temp_.c_str());
        break;
      }
    }
    if (errno != EEXIST || attempt > 100)
      throw OutputError(target_ + ": cannot create a temporary file in " +
                        abs.parent_path().string() + ": " + std::strerror(errno));
  }
  slot_ = register_temp(temp_, kind_);
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) remove_temp(temp_, kind_);
  release_slot(slot_);
}

void AtomicOutput::commit() {
  if (committed_) return;
  std::error_code ec;
  if (kind_ == OutputKind::directory) {
    for (fs::directory_iterator it(temp_, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec)) fsync_path(it->path().string(), target_, false);
    fsync_path(temp_, target_, true);
  } else {
    if (!fs::is_regular_file(temp_, ec))
      throw OutputError(target_ + ": the writer produced no file");
    fsync_path(temp_, target_, false);
  }
  // A directory is replaced only when it holds nothing but files gridplan writes (checked
  // again now, in case it changed while we worked): move it aside, move ours in, remove it.
  check_target(target_, overwrite_, kind_, replaceable_);
  const fs::path abs = fs::absolute(target_);
  if (kind_ == OutputKind::directory && fs::exists(abs, ec)) {
    const fs::path old =
        abs.parent_path() / ("." + abs.filename().string() + std::string(old_marker) +
                             std::to_string(::getpid()) + "-0");
    fs::rename(abs, old, ec);
    if (ec) throw OutputError(target_ + ": cannot replace: " + ec.message());
    fs::rename(temp_, abs, ec);
    if (ec) {
      std::error_code back;
      fs::rename(old, abs, back);
      throw OutputError(target_ + ": cannot move into place: " + ec.message());
    }
    committed_ = true;
    fs::remove_all(old, ec);
  } else {
    if (::rename(temp_.c_str(), abs.c_str()) != 0)
      throw OutputError(target_ + ": cannot move into place: " + std::strerror(errno));
    committed_ = true;
  }
  release_slot(slot_);
  slot_ = -1;
  try {
    fsync_path(abs.parent_path().string(), target_, true);
  } catch (const OutputError&) {
    // The file is in place; a folder that cannot be synced is not worth failing for.
  }
}

void write_file_atomically(const std::string& target, std::string_view bytes, bool overwrite) {
  AtomicOutput out(target, overwrite);
  const int fd = ::open(out.temp_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw OutputError(target + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      throw OutputError(target + ": cannot write: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    throw OutputError(target + ": cannot write to disk: " + std::strerror(err));
  }
  if (::close(fd) != 0) throw OutputError(target + ": cannot write: " + std::strerror(errno));
  out.commit();
}

} // namespace gp
