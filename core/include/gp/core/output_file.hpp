#pragma once
// The one way gridplan writes a file or a directory of files: a unique temporary in the
// target's folder, fsync, rename over the target, temporaries removed on failure and on
// SIGINT/SIGTERM, stale temporaries of killed runs removed at the next write to the folder.
// Every command and every writer (geo::write_layers, graph, render, CSV, HTML) goes
// through here, so the rules hold everywhere:
//   - an output is never one of the command's inputs (compared after resolving links);
//   - a directory is never replaced or deleted unless it holds only files gridplan writes;
//   - an existing file is replaced only with `overwrite`;
//   - the old file stays intact until the new one is complete and on disk.

#include <string>
#include <string_view>
#include <vector>

namespace gp {

/// What an output path names.
enum class OutputKind {
  file,      ///< one file (GeoPackage, CSV, PNG, ...)
  directory, ///< a folder of files written together (one Shapefile per layer)
};

/// True for `PG:...` (and other GDAL connection strings written without a file).
bool is_connection_string(std::string_view path);

/// Throws gp::OutputError, before any work, when `out` cannot be written as `kind`:
/// it is (or, for a directory, contains) one of `inputs` after resolving links; it is an
/// existing directory (kind file) or a directory holding anything but the files listed in
/// `replaceable_extensions` (kind directory); it is not a regular file (FIFO, device);
/// it exists and `overwrite` is false; its folder does not exist. Connection strings
/// pass (the writer checks them). Input paths that do not exist are ignored.
void check_output_path(const std::string& out, const std::vector<std::string>& inputs,
                       bool overwrite, OutputKind kind = OutputKind::file,
                       const std::vector<std::string>& replaceable_extensions = {});

/// A file or directory being written. The constructor checks `target` (as
/// check_output_path without inputs), removes stale temporaries of killed gridplan runs
/// from its folder and picks a unique temporary name there, ending in the target's
/// extension (so drivers that go by the extension pick the right format). Write to
/// temp_path(); commit() makes it the target. Not committed (an exception, a signal):
/// the temporary and its SQLite side files are removed.
class AtomicOutput {
public:
  explicit AtomicOutput(std::string target, bool overwrite, OutputKind kind = OutputKind::file,
                        std::vector<std::string> replaceable_extensions = {});
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  /// The temporary to write (a file path, or a directory that already exists).
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }

  /// fsyncs the temporary (every file in it for a directory), renames it over the
  /// target and fsyncs the folder. Throws gp::OutputError (the target untouched).
  void commit();

private:
  std::string target_;
  std::string temp_;
  OutputKind kind_;
  bool overwrite_;
  std::vector<std::string> replaceable_;
  int slot_ = -1; ///< signal clean-up registration
  bool committed_ = false;
};

/// Writes `bytes` to `target` through AtomicOutput: checks every write and the flush,
/// fsyncs, renames. A full disk is an OutputError and leaves the old file intact.
void write_file_atomically(const std::string& target, std::string_view bytes, bool overwrite);

/// Removes from `folder` the temporaries of gridplan runs that are no longer running
/// (name pattern of AtomicOutput and of earlier versions, owned by this user, not newer
/// than this process). Returns the names removed. Never throws.
std::vector<std::string> remove_stale_temporaries(const std::string& folder);

} // namespace gp
