// End-to-end check of one golden vector through the lvalloc binary:
//   golden_cli_check LVALLOC VECTOR.json
// writes the vector's `before` metadata to a temporary file, runs
// `lvalloc --metadata TMP [--config C] --json -- COMMAND...`, and compares
// its exit status, stderr lines and (on success) its layout JSON with the
// recorded outcome; the metadata it writes with --write must read back to
// the same layout. Exit 0 when all agree, 1 otherwise (the differences on
// stderr), 2 when the check itself cannot run.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "golden_vector.h"
#include "lvm/layout_json.h"
#include "lvm/metadata_reader.h"

extern char** environ;

namespace {

std::string TempPath(const char* stem) {
  std::string path = std::string("/tmp/") + stem + "-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return "";
  close(fd);
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    lines.emplace_back(line);
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: golden_cli_check LVALLOC VECTOR.json\n";
    return 2;
  }
  absl::StatusOr<liballoc::golden::GoldenVector> vector =
      liballoc::golden::LoadGoldenVector(argv[2]);
  if (!vector.ok()) {
    std::cerr << vector.status() << "\n";
    return 2;
  }
  const std::string metadata = TempPath("golden-metadata");
  const std::string out_path = TempPath("golden-stdout");
  const std::string err_path = TempPath("golden-stderr");
  const std::string written = TempPath("golden-written");
  if (metadata.empty() || out_path.empty() || err_path.empty() || written.empty()) {
    std::cerr << "cannot create temporary files\n";
    return 2;
  }
  std::ofstream(metadata, std::ios::binary) << vector->before;

  std::vector<std::string> args = {argv[1], "--metadata", metadata, "--json",
                                   "--write", written};
  if (!vector->config.empty()) {
    args.push_back("--config");
    args.push_back(vector->config);
  }
  args.push_back("--");
  args.insert(args.end(), vector->command.begin(), vector->command.end());
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_TRUNC, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[1], &actions, nullptr, cargs.data(), environ) != 0) {
    std::cerr << "cannot run " << argv[1] << "\n";
    return 2;
  }
  posix_spawn_file_actions_destroy(&actions);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  const int exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128;
  const std::string out = ReadAll(out_path);
  const std::string err = ReadAll(err_path);
  const std::string written_text = ReadAll(written);
  std::remove(written.c_str());
  std::remove(metadata.c_str());
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());

  bool ok = true;
  std::cerr << vector->name << ": " << absl::StrJoin(vector->command, " ") << "\n";
  if (exit_status != vector->exit_status) {
    std::cerr << "exit status " << exit_status << ", lvm's " << vector->exit_status << "\n";
    ok = false;
  }
  std::vector<std::string> expected_err;
  for (const std::string& line : vector->stderr_lines) {
    if (!liballoc::golden::IsEnvironmentWarning(line)) expected_err.push_back(line);
  }
  if (Lines(err) != expected_err) {
    std::cerr << "stderr:\n" << err << "lvm's stderr:\n"
              << absl::StrJoin(expected_err, "\n") << "\n";
    ok = false;
  }
  if (vector->after.has_value()) {
    absl::StatusOr<liballoc::lvm::VgModel> after = liballoc::lvm::ParseMetadata(*vector->after);
    if (!after.ok()) {
      std::cerr << "recorded after: " << after.status() << "\n";
      return 2;
    }
    const std::string expected = liballoc::lvm::LayoutJson(*after);
    if (out != expected) {
      std::cerr << "layout JSON:\n" << out << "\nlvm's layout JSON:\n" << expected << "\n";
      ok = false;
    }
    absl::StatusOr<liballoc::lvm::VgModel> reread =
        liballoc::lvm::ParseMetadata(written_text);
    if (!reread.ok()) {
      std::cerr << "--write output does not read back: " << reread.status() << "\n";
      ok = false;
    } else if (absl::Status same = liballoc::lvm::CompareLayouts(*after, *reread);
               !same.ok()) {
      std::cerr << "--write output differs from lvm's VG: " << same.message() << "\n";
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
