#pragma once
// The reference kernels' data buffers, aligned to a 64-byte cache line. A 64-byte (AVX-512) load from an
// address that is not a multiple of 64 touches two lines; glibc returns large blocks 16-byte aligned, so
// every such load of a std::vector<float> did: in cache, our attention kernels ran 18-28 % and our
// skinny GEMV 46 % slower than on aligned buffers (measured on the development VM). Engines align their
// weights and KV caches the same way (e.g. PyTorch's CPU allocator to 64 bytes).
#include <cstddef>
#include <new>
#include <vector>

namespace infersim::ref {

inline constexpr std::size_t kCacheLineBytes = 64;

template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  explicit CacheLineAllocator(const CacheLineAllocator<U>& /*other*/) {}
  [[nodiscard]] T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kCacheLineBytes}));
  }
  void deallocate(T* p, std::size_t /*n*/) noexcept {
    ::operator delete (p, std::align_val_t{kCacheLineBytes});
  }
  template <class U>
  bool operator==(const CacheLineAllocator<U>& /*other*/) const {
    return true;
  }
};

// fp32 buffer whose first element starts a cache line.
using Floats = std::vector<float, CacheLineAllocator<float>>;

}  // namespace infersim::ref
