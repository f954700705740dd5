// IdMap: a small open-addressing hash map from ids to 32-bit values, for per-patient memos
// and the visited sets of the DAG walks (src/util/dag.hpp). Linear probing, power-of-two
// capacity, grows at half load; a fresh map allocates nothing. Sized to what one patient (or
// one walk) touches rather than to the rule set, so creating one per patient costs O(1) at 100
// or 100,000 criteria (a flat array per node would cost a zeroed allocation the size of the
// rule set). BasicIdMap<std::uint64_t> keys pairs of ids (a node and its context).
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

namespace actionable::util {

template <class Key>
class BasicIdMap {
  static_assert(std::is_same_v<Key, std::uint32_t> || std::is_same_v<Key, std::uint64_t>);

 public:
  static constexpr Key kNoKey = static_cast<Key>(~Key{0});  ///< the one key that cannot be stored

  /// The value stored for `key`, or null.
  std::uint32_t const* find(Key key) const noexcept {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      auto const& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kNoKey) return nullptr;
    }
  }
  /// Store `value` for `key` (replacing any value). `key` must not be kNoKey.
  void put(Key key, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      auto& s = slots_[i];
      if (s.key == key) {
        s.value = value;
        return;
      }
      if (s.key == kNoKey) {
        s = {key, value};
        ++size_;
        return;
      }
    }
  }
  /// Store `key` if absent; whether it was absent (the visited-set use).
  bool insert(Key key) {
    if (find(key)) return false;
    put(key, 0);
    return true;
  }
  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    Key key = kNoKey;
    std::uint32_t value = 0;
  };
  std::size_t slot(Key key) const noexcept {  // Fibonacci hashing
    if constexpr (sizeof(Key) == 4)
      return static_cast<std::size_t>((key * 0x9E3779B1u) >> 7) & mask_;
    else
      return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (auto const& s : old)
      if (s.key != kNoKey) put(s.key, s.value);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

using IdMap = BasicIdMap<std::uint32_t>;

}  // namespace actionable::util
