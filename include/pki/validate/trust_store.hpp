#pragma once
// trust_store: the certificates a validator trusts without further proof (trust
// anchors). Filled once — from certificates, a PEM bundle, a directory of PEM files or the
// operating system's store — then shared: reading it from many threads is safe, since
// nothing changes it after loading.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <ranges>
#include <span>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../core/detail/computed_once.hpp"
#include "../core/detail/file.hpp"
#include "../core/error.hpp"
#include "../x509/certificate.hpp"

namespace pki {

/// Where distributions keep the system's trusted roots: one PEM bundle each.
inline constexpr std::array<std::string_view, 6> system_bundle_paths = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7+
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/ssl/cert.pem",                                  // Alpine, the BSDs, macOS
    "/etc/pki/tls/cacert.pem",                            // OpenELEC
};

class trust_store {
 public:
  trust_store() = default;
  // The name index is not copied: a copy builds its own when first asked.
  trust_store(const trust_store& other) : anchors_(other.anchors_), der_index_(other.der_index_) {}
  trust_store(trust_store&& other) noexcept
      : anchors_(std::move(other.anchors_)), der_index_(std::move(other.der_index_)) {
    other.forget_all();
  }
  trust_store& operator=(const trust_store& other) {
    if (this != &other) {
      anchors_ = other.anchors_;
      der_index_ = other.der_index_;
      by_name_.reset();
    }
    return *this;
  }
  trust_store& operator=(trust_store&& other) noexcept {
    if (this != &other) {
      anchors_ = std::move(other.anchors_);
      der_index_ = std::move(other.der_index_);
      by_name_.reset();
      other.forget_all();
    }
    return *this;
  }
  ~trust_store() = default;

  /// A store holding `anchors`: any range of certificates, typed or not (a vector of a CA's
  /// certificate<Alg>, a span of certificate<>).
  template <std::ranges::input_range Certificates>
  requires std::convertible_to<std::ranges::range_reference_t<const Certificates&>, certificate<>>
  explicit trust_store(const Certificates& anchors) {
    for (const auto& anchor : anchors) add(certificate<>(anchor));
  }
  /// trust_store{root.certificate(), other_root}: anchors of any algorithms.
  trust_store(std::initializer_list<certificate<>> anchors) {
    for (const auto& anchor : anchors) add(anchor);
  }

  /// Every certificate of a PEM bundle file (or one DER certificate).
  [[nodiscard]] static result<trust_store> from_file(const std::filesystem::path& path) {
    trust_store store;
    if (auto added = store.add_file(path); !added) return std::unexpected(added.error());
    return store;
  }
  /// Every certificate in the PEM files of a directory.
  [[nodiscard]] static result<trust_store> from_directory(const std::filesystem::path& path) {
    trust_store store;
    if (auto added = store.add_directory(path); !added) return std::unexpected(added.error());
    return store;
  }
  /// The operating system's roots (see add_system()).
  [[nodiscard]] static result<trust_store> system() {
    trust_store store;
    if (auto added = store.add_system(); !added) return std::unexpected(added.error());
    return store;
  }

  /// Trusts `anchor`; a certificate already in the store is not added twice.
  void add(const certificate<>& anchor) {
    if (contains(anchor)) return;
    by_name_.reset();
    anchors_.push_back(anchor);
    // A view of the stored copy's bytes. Should the index fail to grow (bad_alloc, where
    // exceptions exist), the anchor is kept unindexed: a later add may store it twice,
    // which costs a duplicate and never a dangling view.
    der_index_.insert(der_key(anchors_.back()));
  }

  /// Every CERTIFICATE block of a PEM text; parse_failed when there is none or one is
  /// malformed (then nothing is added). Returns how many were new.
  [[nodiscard]] result<std::size_t> add_pem(std::string_view pem) {
    auto certs = certificate<>::parse_bundle(pem);
    if (!certs) return std::unexpected(certs.error());
    return add_all(*certs);
  }

  /// A PEM bundle file, or a file holding one DER certificate; io_failed when it cannot be
  /// read, parse_failed when it holds no certificate or a malformed one.
  [[nodiscard]] result<std::size_t> add_file(const std::filesystem::path& path) {
    auto data = detail::read_whole_file(path);
    if (!data) return std::unexpected(data.error());
    if (!pem::looks_like_pem(*data)) {
      auto cert = certificate<>::from_der(*data);
      if (!cert) return std::unexpected(cert.error());
      const std::size_t before = anchors_.size();
      add(*cert);
      return anchors_.size() - before;
    }
    return add_pem({reinterpret_cast<const char*>(data->data()), data->size()});
  }

  /// The certificates of every regular file (or link to one) in a directory, as OpenSSL's
  /// c_rehash layout has them. Files that are not PEM certificates, or that fail to parse,
  /// are skipped: one odd file must not take down a whole store. io_failed when the
  /// directory cannot be read, parse_failed when it yields no certificate at all.
  [[nodiscard]] result<std::size_t> add_directory(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::directory_iterator it(path, ec);
    if (ec) return fail(errc::io_failed, "reading a trust store directory");
    std::size_t added = 0;
    bool any = false;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      if (ec) return fail(errc::io_failed, "reading a trust store directory");
      if (!it->is_regular_file(ec)) continue;
      auto data = detail::read_whole_file(it->path());
      if (!data || !pem::looks_like_pem(*data)) continue;
      const auto result = add_tolerant({reinterpret_cast<const char*>(data->data()), data->size()});
      added += result.added;
      any = any || result.parsed > 0;
    }
    if (!any) return fail(errc::parse_failed, "no certificate in the trust store directory");
    return added;
  }

  /// The system's roots: the PEM bundle named by $SSL_CERT_FILE, or else the first of
  /// system_bundle_paths that exists, plus the directory named by $SSL_CERT_DIR when set.
  /// Certificates of the bundle that do not parse are skipped. io_failed, naming every
  /// path tried, when there is no bundle; an $SSL_CERT_FILE that cannot be read is an
  /// error of its own (io_failed or parse_failed), not a reason to look elsewhere.
  [[nodiscard]] result<std::size_t> add_system() {
    std::size_t added = 0;
    bool found = false;
    if (const char* file = std::getenv("SSL_CERT_FILE"); file != nullptr && *file != '\0') {
      auto n = add_bundle_tolerant(file);
      if (!n && n.error() == errc::io_failed)
        return fail(errc::io_failed, "reading the bundle $SSL_CERT_FILE names");
      if (!n) return fail(n.error().code(), "no certificate in the bundle $SSL_CERT_FILE names");
      added += *n;
      found = true;
    } else {
      for (const std::string_view candidate : system_bundle_paths) {
        auto n = add_bundle_tolerant(std::filesystem::path(candidate));
        if (!n) continue;
        added += *n;
        found = true;
        break;
      }
    }
    if (const char* dir = std::getenv("SSL_CERT_DIR"); dir != nullptr && *dir != '\0') {
      if (auto n = add_directory(dir); n) {
        added += *n;
        found = true;
      }
    }
    if (!found) {
      return fail(errc::io_failed,
                  "no system trust store: tried $SSL_CERT_FILE, $SSL_CERT_DIR, "
                  "/etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, "
                  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem, /etc/ssl/ca-bundle.pem, "
                  "/etc/ssl/cert.pem, /etc/pki/tls/cacert.pem");
    }
    return added;
  }

  [[nodiscard]] std::span<const certificate<>> anchors() const noexcept { return anchors_; }
  [[nodiscard]] std::size_t size() const noexcept { return anchors_.size(); }
  [[nodiscard]] bool empty() const noexcept { return anchors_.empty(); }

  /// True when the store holds a certificate with the same DER encoding.
  template <algorithm_tag Alg>
  [[nodiscard]] bool contains(const certificate<Alg>& cert) const noexcept {
    return der_index_.contains(der_key(cert));
  }

  /// Calls `f(anchor)` for every anchor whose subject is `child`'s issuer name (RFC 5280 7.1
  /// matching), in the store's order: a probe of an index by name hash, built on the first
  /// call (thread-safe), not a scan of the store.
  template <algorithm_tag Alg, class F>
  void for_each_issuer_named(const certificate<Alg>& child, F&& f) const {
    const auto& index = by_name_.get([this] { return name_index(); });
    const std::uint64_t hash = child.issuer_name_hash();
    auto it = std::lower_bound(index.begin(), index.end(), std::pair<std::uint64_t, std::size_t>{hash, 0});
    for (; it != index.end() && it->first == hash; ++it) {
      const certificate<>& anchor = anchors_[it->second];
      if (child.issuer_name_matches(anchor)) f(anchor);
    }
  }

 private:
  struct tolerant_result {
    std::size_t parsed = 0;
    std::size_t added = 0;
  };

  [[nodiscard]] std::size_t add_all(std::span<const certificate<>> certs) {
    const std::size_t before = anchors_.size();
    for (const auto& cert : certs) add(cert);
    return anchors_.size() - before;
  }

  /// Every CERTIFICATE block that parses; the others are skipped.
  tolerant_result add_tolerant(std::string_view pem) {
    tolerant_result out;
    const std::size_t before = anchors_.size();
    for (const auto& cert : certificate<>::parse_each(pem)) {
      if (!cert) continue;
      ++out.parsed;
      add(*cert);
    }
    out.added = anchors_.size() - before;
    return out;
  }

  [[nodiscard]] result<std::size_t> add_bundle_tolerant(const std::filesystem::path& path) {
    auto data = detail::read_whole_file(path);
    if (!data) return std::unexpected(data.error());
    const auto result = add_tolerant({reinterpret_cast<const char*>(data->data()), data->size()});
    if (result.parsed == 0) return fail(errc::parse_failed, "no certificate in the system bundle");
    return result.added;
  }

  /// A certificate's DER as a hash key. The bytes live in the certificate's shared, immutable
  /// data, which the copy in anchors_ keeps alive, so the view stays valid as the vector grows.
  template <algorithm_tag Alg>
  [[nodiscard]] static std::string_view der_key(const certificate<Alg>& cert) noexcept {
    const byte_view der = cert.der();
    return {reinterpret_cast<const char*>(der.data()), der.size()};
  }

  /// (subject name hash, position) of every anchor, sorted: equal names together, in the
  /// store's order.
  [[nodiscard]] std::vector<std::pair<std::uint64_t, std::size_t>> name_index() const {
    std::vector<std::pair<std::uint64_t, std::size_t>> index;
    index.reserve(anchors_.size());
    for (std::size_t i = 0; i < anchors_.size(); ++i) index.emplace_back(anchors_[i].subject_name_hash(), i);
    std::sort(index.begin(), index.end());
    return index;
  }

  void forget_all() noexcept {
    anchors_.clear();
    der_index_.clear();
    by_name_.reset();
  }

  std::vector<certificate<>> anchors_;
  std::unordered_set<std::string_view> der_index_;  // the DER of every anchor: O(1) duplicates
  detail::computed_once<std::vector<std::pair<std::uint64_t, std::size_t>>> by_name_;  // name_index()
};

}  // namespace pki
