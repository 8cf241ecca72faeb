#pragma once
// Message digests (SHA-1 for legacy verification only, SHA-2 family) and fingerprints.

#include <mbedtls/md.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bytes.hpp"
#include "detail/handle.hpp"
#include "detail/mbedtls_error.hpp"
#include "error.hpp"

namespace pki {

/// Hash functions. SHA-1 and SHA-224 exist to verify legacy data; nothing signs with them by default.
enum class hash_algorithm : std::uint8_t { sha1, sha224, sha256, sha384, sha512 };

/// The digest size in bytes.
[[nodiscard]] constexpr std::size_t digest_size(hash_algorithm alg) noexcept {
  switch (alg) {
    case hash_algorithm::sha1: return 20;
    case hash_algorithm::sha224: return 28;
    case hash_algorithm::sha256: return 32;
    case hash_algorithm::sha384: return 48;
    case hash_algorithm::sha512: return 64;
  }
  return 0;
}

/// "SHA-256" and so on.
[[nodiscard]] constexpr std::string_view name(hash_algorithm alg) noexcept {
  switch (alg) {
    case hash_algorithm::sha1: return "SHA-1";
    case hash_algorithm::sha224: return "SHA-224";
    case hash_algorithm::sha256: return "SHA-256";
    case hash_algorithm::sha384: return "SHA-384";
    case hash_algorithm::sha512: return "SHA-512";
  }
  return "unknown";
}

namespace detail {

[[nodiscard]] constexpr mbedtls_md_type_t md_type(hash_algorithm alg) noexcept {
  switch (alg) {
    case hash_algorithm::sha1: return MBEDTLS_MD_SHA1;
    case hash_algorithm::sha224: return MBEDTLS_MD_SHA224;
    case hash_algorithm::sha256: return MBEDTLS_MD_SHA256;
    case hash_algorithm::sha384: return MBEDTLS_MD_SHA384;
    case hash_algorithm::sha512: return MBEDTLS_MD_SHA512;
  }
  return MBEDTLS_MD_NONE;
}

[[nodiscard]] inline result<const mbedtls_md_info_t*> md_info(hash_algorithm alg) noexcept {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md_type(alg));
  if (info == nullptr) return fail(errc::unsupported, "hash algorithm not in this mbedTLS build");
  return info;
}

using md_handle = handle<mbedtls_md_context_t, mbedtls_md_init, mbedtls_md_free>;

}  // namespace detail

/// A computed digest: up to 64 bytes, tagged with its algorithm.
class digest {
 public:
  /// A digest from bytes computed elsewhere; invalid_argument if the size does not fit the algorithm.
  [[nodiscard]] static result<digest> from_bytes(hash_algorithm alg, byte_view bytes) noexcept {
    if (bytes.size() != digest_size(alg)) {
      return fail(errc::invalid_argument, "digest length does not match its hash algorithm");
    }
    digest d(alg);
    std::copy(bytes.begin(), bytes.end(), d.bytes_.begin());
    return d;
  }

  [[nodiscard]] hash_algorithm algorithm() const noexcept { return alg_; }
  [[nodiscard]] byte_view bytes() const noexcept { return {bytes_.data(), digest_size(alg_)}; }
  [[nodiscard]] std::size_t size() const noexcept { return digest_size(alg_); }
  /// Lower-case hex, optionally with a separator ("ab:cd:...").
  [[nodiscard]] std::string hex(std::string_view separator = {}) const { return to_hex(bytes(), separator); }

  friend bool operator==(const digest& a, const digest& b) noexcept {
    return a.alg_ == b.alg_ && std::equal(a.bytes().begin(), a.bytes().end(), b.bytes().begin());
  }

 private:
  friend class hasher;
  explicit digest(hash_algorithm alg) noexcept : alg_(alg) {}
  std::array<std::uint8_t, 64> bytes_{};
  hash_algorithm alg_;
};

/// Incremental hashing for data that arrives in pieces.
class hasher {
 public:
  /// A hasher for `alg`; unsupported if the mbedTLS build lacks it.
  [[nodiscard]] static result<hasher> create(hash_algorithm alg) noexcept {
    auto info = detail::md_info(alg);
    if (!info) return std::unexpected(info.error());
    auto ctx = detail::md_handle::create();
    if (!ctx) return std::unexpected(ctx.error());
    if (int ret = mbedtls_md_setup(ctx->get(), *info, 0); ret != 0) {
      return detail::mbedtls_failure(ret, "setting up a hash");
    }
    if (int ret = mbedtls_md_starts(ctx->get()); ret != 0) {
      return detail::mbedtls_failure(ret, "starting a hash");
    }
    return hasher(alg, std::move(*ctx));
  }

  /// Feeds more data.
  [[nodiscard]] result<void> update(byte_view data) noexcept {
    if (int ret = mbedtls_md_update(ctx_.get(), data.data(), data.size()); ret != 0) {
      return detail::mbedtls_failure(ret, "hashing data");
    }
    return {};
  }

  /// The digest of everything fed so far; the hasher can then not be fed again.
  [[nodiscard]] result<digest> finish() noexcept {
    digest out(alg_);
    if (int ret = mbedtls_md_finish(ctx_.get(), out.bytes_.data()); ret != 0) {
      return detail::mbedtls_failure(ret, "finishing a hash");
    }
    return out;
  }

 private:
  hasher(hash_algorithm alg, detail::md_handle ctx) noexcept : alg_(alg), ctx_(std::move(ctx)) {}
  hash_algorithm alg_;
  detail::md_handle ctx_;
};

/// The digest of `data` under `alg`.
[[nodiscard]] inline result<digest> hash(hash_algorithm alg, byte_view data) noexcept {
  auto info = detail::md_info(alg);
  if (!info) return std::unexpected(info.error());
  std::array<std::uint8_t, 64> out{};
  if (int ret = mbedtls_md(*info, data.data(), data.size(), out.data()); ret != 0) {
    return detail::mbedtls_failure(ret, "hashing data");
  }
  return digest::from_bytes(alg, {out.data(), digest_size(alg)});
}

/// SHA-256 of `data`: the usual fingerprint of a certificate or a SubjectPublicKeyInfo.
[[nodiscard]] inline result<digest> sha256(byte_view data) noexcept {
  return hash(hash_algorithm::sha256, data);
}

}  // namespace pki
