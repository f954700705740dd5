// IdMap: a small open-addressing hash map from 32-bit ids to 32-bit values, for per-patient
// memos. Linear probing, power-of-two capacity, grows at half load; a fresh map allocates
// nothing. Sized to what one patient touches rather than to the rule set, so creating one
// per patient costs O(1) at 100 or 100,000 criteria (a flat array per node would cost a
// zeroed allocation the size of the rule set).
#pragma once

#include <cstdint>
#include <vector>

namespace actionable::eval {

class IdMap {
 public:
  static constexpr std::uint32_t kNoKey = 0xFFFFFFFFu;  ///< the one key that cannot be stored

  /// The value stored for `key`, or null.
  std::uint32_t const* find(std::uint32_t key) const noexcept {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      auto const& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kNoKey) return nullptr;
    }
  }
  /// Store `value` for `key` (replacing any value). `key` must not be kNoKey.
  void put(std::uint32_t key, std::uint32_t value) {
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
  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    std::uint32_t key = kNoKey;
    std::uint32_t value = 0;
  };
  std::size_t slot(std::uint32_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B1u) >> 7) & mask_;  // Fibonacci hashing
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

}  // namespace actionable::eval
