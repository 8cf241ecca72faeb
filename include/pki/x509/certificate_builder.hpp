#pragma once
// certificate_builder writes and signs a v3 certificate; make_self_signed() is the
// `openssl req -x509` flow in one call. A CA issues through certificate_authority
// (issue/authority.hpp), which uses this builder under an issuance profile.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/clock.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../core/random.hpp"
#include "../keys/key.hpp"
#include "certificate.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extension_builder.hpp"
#include "extensions.hpp"
#include "general_name.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

namespace pki {

/// Writes and signs a v3 certificate. Setters chain; the first invalid input is kept
/// and reported by sign(). A serial is drawn at random unless one is set.
class certificate_builder : public extension_builder<certificate_builder> {
 public:
  /// A positive serial of at most 20 octets (RFC 5280 4.1.2.2), big-endian magnitude.
  certificate_builder& serial(byte_view magnitude) {
    while (!magnitude.empty() && magnitude[0] == 0) magnitude = magnitude.subspan(1);
    if (magnitude.empty()) return note(errc::invalid_argument, "a certificate serial must be positive");
    const std::size_t octets = magnitude.size() + ((magnitude[0] & 0x80) != 0 ? 1 : 0);
    if (octets > 20) return note(errc::invalid_argument, "a certificate serial has at most 20 octets");
    serial_.assign(magnitude.begin(), magnitude.end());
    return *this;
  }
  certificate_builder& issuer(distinguished_name name) {
    issuer_ = std::move(name);
    return *this;
  }
  certificate_builder& subject(distinguished_name name) {
    subject_ = std::move(name);
    return *this;
  }
  certificate_builder& validity(pki::validity period) {
    if (period.not_after < period.not_before) {
      return note(errc::invalid_argument, "a certificate's notAfter is before its notBefore");
    }
    validity_ = period;
    return *this;
  }
  /// The subject's public key.
  template <algorithm_tag K>
  certificate_builder& public_key(const pki::public_key<K>& key) {
    auto der = key.to_der();
    if (!der) return note(der.error());
    spki_ = std::move(*der);
    return *this;
  }

  /// The certificate signed by `issuer_key`; invalid_argument when the subject key or
  /// validity is missing, or the first error a setter met.
  template <algorithm_tag K>
  [[nodiscard]] result<certificate<>> sign(const private_key<K>& issuer_key) const {
    return detail::out_of_memory_guard("signing a certificate", [&]() -> result<certificate<>> {
      if (error_) return std::unexpected(*error_);
      if (spki_.empty()) return fail(errc::invalid_argument, "a certificate needs the subject's public key");
      if (!validity_) return fail(errc::invalid_argument, "a certificate needs a validity period");
      byte_buffer serial = serial_;
      if (serial.empty()) {
        auto drawn = random_serial();
        if (!drawn) return std::unexpected(drawn.error());
        serial = std::move(*drawn);
      }
      const auto algorithm = signature_algorithm::for_key(issuer_key.algorithm(), hash_);
      auto tbs = write_tbs(serial, algorithm);
      if (!tbs) return std::unexpected(tbs.error());
      auto der = detail::sign_tbs(*tbs, issuer_key, algorithm);
      if (!der) return std::unexpected(der.error());
      return certificate<>::from_der(*der);
    });
  }

  /// 16 random octets, the top bit clear (positive) and the next set (always 16 octets):
  /// 126 bits of entropy, more than CA/Browser Forum's 64.
  [[nodiscard]] static result<byte_buffer> random_serial() {
    byte_buffer serial(16);
    if (auto ok = random_bytes(serial); !ok) return std::unexpected(ok.error());
    serial[0] = static_cast<std::uint8_t>((serial[0] & 0x3F) | 0x40);
    return serial;
  }

 private:
  [[nodiscard]] result<byte_buffer> write_tbs(byte_view serial, const signature_algorithm& algorithm) const {
    auto issuer = issuer_.to_der();
    if (!issuer) return std::unexpected(issuer.error());
    auto subject = subject_.to_der();
    if (!subject) return std::unexpected(subject.error());
    detail::der_writer w(1024);
    if (!extensions_.empty()) {
      auto exts = extensions_.to_der();
      if (!exts) return std::unexpected(exts.error());
      const std::size_t tagged = w.mark();
      w.raw(*exts);
      w.wrap(tagged, detail::context_constructed(3));
    }
    w.raw(spki_);
    w.raw(*subject);
    const std::size_t period = w.mark();
    if (auto ok = detail::write_time(w, validity_->not_after); !ok) return std::unexpected(ok.error());
    if (auto ok = detail::write_time(w, validity_->not_before); !ok) return std::unexpected(ok.error());
    w.sequence(period);
    w.raw(*issuer);
    detail::write_signature_algorithm(w, algorithm);
    w.unsigned_integer(serial);
    const std::size_t version = w.mark();
    w.integer(2);  // v3
    w.wrap(version, detail::context_constructed(0));
    w.sequence(0);
    return w.finish<byte_buffer>();
  }

  byte_buffer serial_;
  distinguished_name issuer_;
  distinguished_name subject_;
  std::optional<pki::validity> validity_;
  byte_buffer spki_;
};

/// What a self-signed certificate says besides its subject.
struct self_signed_options {
  /// Start of validity; when unset, pki::now() (core/clock.hpp), and errc::time_unknown
  /// from make_self_signed() without a clock.
  std::optional<std::chrono::sys_seconds> not_before{};
  std::chrono::days days{365};
  std::vector<general_name> subject_alt_names{};
  /// A CA certificate (basicConstraints cA, keyCertSign and cRLSign), or an end entity.
  bool ca = false;
  std::optional<hash_algorithm> hash{};
};

/// The `openssl req -x509` flow in one call: a certificate for `key`'s public key,
/// signed by `key`, with SKI, AKI, basicConstraints, keyUsage and any SANs given.
template <algorithm_tag K>
[[nodiscard]] result<certificate<K>> make_self_signed(const private_key<K>& key,
                                                      const distinguished_name& subject,
                                                      const self_signed_options& opts = {}) {
  auto pub = key.public_key();
  if (!pub) return std::unexpected(pub.error());
  auto spki = pub->to_der();
  if (!spki) return std::unexpected(spki.error());
  auto ski = subject_key_identifier::from_public_key_der(*spki);
  if (!ski) return std::unexpected(ski.error());
  authority_key_identifier aki;
  aki.key_id = ski->key_id;

  const auto start = detail::given_or_now(opts.not_before);
  if (!start) return std::unexpected(start.error());
  certificate_builder builder;
  builder.issuer(subject).subject(subject).validity({*start, *start + opts.days}).public_key(*pub);
  if (opts.hash) builder.signature_hash(*opts.hash);
  builder.add(basic_constraints{.ca = opts.ca, .path_len = std::nullopt});
  key_usage usage;
  if (opts.ca) {
    usage.flags =
        key_usage_flag::key_cert_sign | key_usage_flag::crl_sign | key_usage_flag::digital_signature;
  } else if (key.algorithm().type == key_type::rsa) {
    usage.flags = key_usage_flag::digital_signature | key_usage_flag::key_encipherment;
  } else {
    usage.flags = key_usage_flag::digital_signature;
  }
  builder.add(usage).add(*ski).add(aki);
  // RFC 5280 4.2.1.6: the SAN is critical when the subject is empty.
  if (!opts.subject_alt_names.empty()) builder.add(subject_alt_name{opts.subject_alt_names}, subject.empty());
  auto cert = builder.sign(key);
  if (!cert) return std::unexpected(cert.error());
  if constexpr (std::same_as<K, any_algorithm>) {
    return *cert;
  } else {
    return cert->template narrow<K>();
  }
}

}  // namespace pki
