#pragma once
// chain<Capacity>: a validated certificate path, leaf first and trust anchor last.
// chain<> keeps its certificates on the heap; chain<N> keeps up to N in place (a longer
// path does not fit and is refused). What chain<N> bounds is the result, not the work:
// certificates are shared heap objects, and finding the path allocates (the path builder
// keeps its candidates, the links it verified and the attempts it explains on the heap),
// so validation is not heap-free with either.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../x509/certificate.hpp"

namespace pki {

/// The capacity of a chain whose storage grows on the heap.
inline constexpr std::size_t growing = 0;

template <std::size_t Capacity = growing>
class chain {
 public:
  chain() = default;

  /// A chain of `certs` (leaf first); buffer_too_small when a fixed capacity is exceeded.
  [[nodiscard]] static result<chain> from(std::span<const certificate<>> certs) {
    chain out;
    for (const auto& cert : certs) {
      if (auto ok = out.push_back(cert); !ok) return std::unexpected(ok.error());
    }
    return out;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // The accessors below need a non-empty chain, which a validated one always is.
  /// The certificate at `depth` (0 = the leaf), depth < size().
  [[nodiscard]] const certificate<>& operator[](std::size_t depth) const noexcept { return *slot(depth); }
  [[nodiscard]] const certificate<>& leaf() const noexcept { return *slot(0); }
  /// The trust anchor the path ends at.
  [[nodiscard]] const certificate<>& anchor() const noexcept { return *slot(size_ - 1); }
  /// The certificates between the leaf and the anchor, leaf side first.
  [[nodiscard]] std::size_t intermediate_count() const noexcept { return size_ < 2 ? 0 : size_ - 2; }

  class iterator {
   public:
    using value_type = certificate<>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const chain* owner, std::size_t i) : owner_(owner), i_(i) {}
    const certificate<>& operator*() const { return (*owner_)[i_]; }
    const certificate<>* operator->() const { return &(*owner_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      auto old = *this;
      ++i_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.i_ == b.i_; }

   private:
    const chain* owner_ = nullptr;
    std::size_t i_ = 0;
  };
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, size_}; }

  /// Appends the next certificate up the path.
  [[nodiscard]] result<void> push_back(const certificate<>& cert) {
    if constexpr (Capacity == growing) {
      certs_.push_back(cert);
    } else {
      if (size_ == Capacity)
        return fail(errc::buffer_too_small, "the path is longer than the chain's capacity");
      certs_[size_].emplace(cert);
    }
    ++size_;
    return {};
  }

  /// The certificates as PEM, leaf first (what a TLS server sends, anchor included).
  [[nodiscard]] result<std::string> to_pem() const {
    std::string out;
    for (const auto& cert : *this) {
      auto pem = cert.to_pem();
      if (!pem) return std::unexpected(pem.error());
      out += *pem;
    }
    return out;
  }

 private:
  [[nodiscard]] const certificate<>* slot(std::size_t i) const noexcept {
    if constexpr (Capacity == growing) {
      return &certs_[i];
    } else {
      return &*certs_[i];
    }
  }

  using storage = std::conditional_t<Capacity == growing, std::vector<certificate<>>,
                                     std::array<std::optional<certificate<>>, Capacity>>;
  storage certs_{};
  std::size_t size_ = 0;
};

}  // namespace pki
