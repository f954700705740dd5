// util::parallel_for: the one worker pool of the house. Engine::match_many, the CLI's
// `match --threads` batches and the Python module's match_many / match_many_json (with the GIL
// released) all run their records through it, so tests/threads/parallel_match_test.cpp, which
// drives it the same ways, runs the threaded code of all three under ThreadSanitizer (the tsan
// preset; docs/reliability.md).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace actionable::util {

/// Call `work(i)` once for every i in [0, n), on up to `threads` threads (0: one per core), the
/// calling thread among them; indices are taken in increasing order by whichever thread is
/// free, so results go to slot i of a vector sized n beforehand. When threads cannot be
/// started, the ones that could (at least the caller) do all the work. An exception thrown by
/// `work` stops the taking of further indices and is rethrown here once every thread has
/// joined (the first one, when several throw): a worker never ends the process.
template <class Work>
void parallel_for(std::size_t n, unsigned threads, Work&& work) {
  if (n == 0) return;
  std::size_t want = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  want = std::min(want, n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first;
  std::mutex first_mutex;
  auto run = [&] {
    for (std::size_t i; !failed.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < n;) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(first_mutex);
        if (!first) first = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(want - 1);
  for (std::size_t t = 1; t < want; ++t) {
    try {
      pool.emplace_back(run);
    } catch (std::system_error const&) {  // no more threads to be had: go on with these
      break;
    }
  }
  run();
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace actionable::util
