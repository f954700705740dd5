// The file a command reads or writes, or standard input / output for "-": opened in one place,
// with the one message a file that cannot be opened gets ("PATH: cannot open file", "PATH:
// cannot write file") and exit code 1 (match, explain, report, convert).
#pragma once

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <string>

namespace actionable::cli {

/// Standard input for "-", else `path` opened (binary) into `file`.
inline std::istream& open_input(std::string const& path, std::ifstream& file) {
  if (path == "-") return std::cin;
  file.open(path, std::ios::binary);
  if (!file) {
    std::cerr << path << ": cannot open file\n";
    throw CLI::RuntimeError(1);
  }
  return file;
}

/// Standard output for "" or "-", else `path` created or truncated (binary) into `file`.
inline std::ostream& open_output(std::string const& path, std::ofstream& file) {
  if (path.empty() || path == "-") return std::cout;
  file.open(path, std::ios::binary);
  if (!file) {
    std::cerr << path << ": cannot write file\n";
    throw CLI::RuntimeError(1);
  }
  return file;
}

/// An input's name in messages and results: "<stdin>" for "-".
inline std::string input_name(std::string const& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace actionable::cli
