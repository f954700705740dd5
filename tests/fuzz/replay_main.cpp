// Replays fuzz inputs without libFuzzer (ctest: fuzz_replay_<target>): every file named on the
// command line, or found (recursively, sorted) under a directory named there, is fed to the
// target's LLVMFuzzerTestOneInput. A broken invariant aborts, so ctest reports the failure;
// the last "replay:" line names the input. Files whose name ends in ".known-failing" are listed
// and skipped (a crash that is understood but not fixed yet; docs/reliability.md).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto const& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  std::size_t ran = 0, skipped = 0;
  for (auto const& f : files) {
    if (f.filename().string().size() > 14 && f.filename().string().ends_with(".known-failing")) {
      std::printf("replay: skipped (known failing): %s\n", f.c_str());
      ++skipped;
      continue;
    }
    std::ifstream in(f, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s\n", f.c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(data.data()), data.size());
    ++ran;
  }
  std::printf("replay: %zu inputs, 0 failed, %zu known failing\n", ran, skipped);
  return 0;
}
