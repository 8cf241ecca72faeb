#pragma once
// certificate_authority: holds a CA certificate and its private key and issues
// certificates from CSRs under an issuance profile. Every issued certificate has a
// random serial, the issuer's key identifier as AKI, its own SKI, and a validity inside
// the issuer's. Creating a root, and an intermediate under it, is two calls. It also
// issues CRLs for what it revoked.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <span>
#include <utility>

#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "../x509/certificate.hpp"
#include "../x509/certificate_builder.hpp"
#include "../x509/crl.hpp"
#include "../x509/crl_builder.hpp"
#include "../x509/csr.hpp"
#include "../x509/csr_builder.hpp"
#include "../x509/extensions.hpp"
#include "../x509/name.hpp"
#include "profile.hpp"

namespace pki {

/// Alg is the CA's own key algorithm, and it types both halves of the CA: certificate()
/// is a certificate<Alg> and key() a private_key<Alg>, so a CA whose certificate and key
/// are of different algorithms does not compile (create() takes a certificate<Alg>, or a
/// certificate<> checked at run time). That agreement is what the parameter buys; what
/// the CA issues is typed by the subject's key, not by Alg.
template <algorithm_tag Alg = any_algorithm>
class certificate_authority {
 public:
  /// A CA from its certificate and key: issuer_not_ca when the certificate is not a CA or
  /// lacks keyCertSign; key_mismatch when the key is not the certificate's.
  template <algorithm_tag C>
  requires(std::same_as<C, Alg> || std::same_as<C, any_algorithm> || std::same_as<Alg, any_algorithm>)
  [[nodiscard]] static result<certificate_authority> create(const pki::certificate<C>& cert,
                                                            private_key<Alg> key) {
    if (!cert.is_ca())
      return fail(errc::issuer_not_ca, "the issuer certificate is not a CA (basicConstraints)");
    auto usage = cert.key_usage();
    if (!usage) return std::unexpected(usage.error());
    // RFC 5280 4.2.1.3: without keyUsage every use is allowed.
    if (*usage && !(*usage)->has(key_usage_flag::key_cert_sign)) {
      return fail(errc::issuer_not_ca, "the issuer certificate lacks keyCertSign");
    }
    if (auto ok = key.matches(cert.public_key()); !ok) {
      return fail(errc::key_mismatch, "the issuer key does not match the issuer certificate");
    }
    if constexpr (std::same_as<C, Alg> || std::same_as<Alg, any_algorithm>) {
      return certificate_authority(pki::certificate<Alg>(cert), std::move(key));
    } else {
      // The key matched, so the certificate's key is of Alg: this narrowing cannot fail.
      auto typed = cert.template narrow<Alg>();
      if (!typed) return std::unexpected(typed.error());
      return certificate_authority(std::move(*typed), std::move(key));
    }
  }

  /// A new self-signed root CA for `key`.
  [[nodiscard]] static result<certificate_authority> create_root(private_key<Alg> key,
                                                                 const distinguished_name& subject,
                                                                 const pki::validity& period,
                                                                 const profile::root_ca& root = {}) {
    return detail::out_of_memory_guard("creating a root CA", [&]() -> result<certificate_authority> {
      auto pub = key.public_key();
      if (!pub) return std::unexpected(pub.error());
      if (auto ok = check_validity(period, root.max_validity()); !ok) return std::unexpected(ok.error());
      const extension_list none;
      auto exts = root.extensions({subject, key.algorithm(), none});
      if (!exts) return std::unexpected(exts.error());
      auto cert = sign_certificate(key, *pub, subject, subject, period, std::move(*exts), *pub, std::nullopt);
      if (!cert) return std::unexpected(cert.error());
      return create(*cert, std::move(key));
    });
  }

  /// Issues a certificate for a CSR (whose signature verified when it was parsed) under
  /// `profile`, valid for `period`. Refuses with profile_violation, validity_too_long or
  /// outside_issuer_validity.
  template <algorithm_tag R, issuance_profile P>
  [[nodiscard]] result<pki::certificate<>> issue(const csr<R>& request, const P& profile,
                                                 const pki::validity& period) const {
    return detail::out_of_memory_guard("issuing a certificate", [&]() -> result<pki::certificate<>> {
      // No signature check here: a csr<> exists only once its signature verified (the
      // overload taking bytes is where a forged request is refused).
      if (auto ok = check_validity(period, profile.max_validity()); !ok) return std::unexpected(ok.error());
      if (!cert_.validity().contains(period.not_before) || !cert_.validity().contains(period.not_after)) {
        return fail(errc::outside_issuer_validity, "the validity is not inside the issuer's");
      }
      auto exts =
          profile.extensions({request.subject(), request.public_key().algorithm(), request.extensions()});
      if (!exts) return std::unexpected(exts.error());
      auto issuer_ski = cert_.subject_key_identifier();
      if (!issuer_ski) return std::unexpected(issuer_ski.error());
      std::optional<byte_buffer> issuer_key_id;
      if (*issuer_ski) issuer_key_id = (*issuer_ski)->key_id;
      return sign_certificate(key_, request.public_key(), cert_.subject(), request.subject(), period,
                              std::move(*exts), cert_.public_key(), issuer_key_id);
    });
  }

  /// Issues from a CSR in PEM or DER; bad_signature when its signature does not verify.
  template <issuance_profile P>
  [[nodiscard]] result<pki::certificate<>> issue(byte_view csr_pem_or_der, const P& profile,
                                                 const pki::validity& period) const {
    auto request = csr<>::parse(csr_pem_or_der);
    if (!request) return std::unexpected(request.error());
    return issue(*request, profile, period);
  }

  /// A new intermediate CA for `key`, issued by this one.
  template <algorithm_tag K>
  [[nodiscard]] result<certificate_authority<K>> create_intermediate(
      private_key<K> key, const distinguished_name& subject, const pki::validity& period,
      const profile::intermediate_ca& p = {}) const {
    return detail::out_of_memory_guard("creating an intermediate CA",
                                       [&]() -> result<certificate_authority<K>> {
                                         auto request = csr_builder().subject(subject).sign(key);
                                         if (!request) return std::unexpected(request.error());
                                         auto cert = issue(*request, p, period);
                                         if (!cert) return std::unexpected(cert.error());
                                         return certificate_authority<K>::create(*cert, std::move(key));
                                       });
  }

  /// A CRL listing `revoked`, signed by this CA, with its AKI and cRLNumber `number`.
  /// Refuses with issuer_not_ca when the CA certificate has a keyUsage without cRLSign;
  /// invalid_argument as crl_builder does (nextUpdate before thisUpdate, a serial twice...).
  [[nodiscard]] result<crl> issue_crl(std::span<const revoked_certificate> revoked,
                                      const crl_period& period, std::uint64_t number) const {
    return detail::out_of_memory_guard("issuing a CRL", [&]() -> result<crl> {
      auto usage = cert_.key_usage();
      if (!usage) return std::unexpected(usage.error());
      // RFC 5280 4.2.1.3: without keyUsage every use is allowed.
      if (*usage && !(*usage)->has(key_usage_flag::crl_sign)) {
        return fail(errc::issuer_not_ca, "the issuer certificate lacks cRLSign");
      }
      crl_builder builder;
      builder.issuer(cert_).period(period).crl_number(number);
      for (const auto& entry : revoked) builder.revoke(entry);
      return builder.sign(key_);
    });
  }

  /// The CA's certificate, typed by its key's algorithm.
  [[nodiscard]] const pki::certificate<Alg>& certificate() const noexcept { return cert_; }
  [[nodiscard]] const private_key<Alg>& key() const noexcept { return key_; }

 private:
  certificate_authority(pki::certificate<Alg> cert, private_key<Alg> key) noexcept
      : cert_(std::move(cert)), key_(std::move(key)) {}

  [[nodiscard]] static result<void> check_validity(const pki::validity& period, std::chrono::seconds limit) {
    if (period.not_after < period.not_before) {
      return fail(errc::invalid_argument, "a certificate's notAfter is before its notBefore");
    }
    if (period.not_after - period.not_before > limit) {
      return fail(errc::validity_too_long, "the validity is longer than the profile allows");
    }
    return {};
  }

  /// Signs a certificate with SKI (subject key) and AKI (issuer key) added to `exts`.
  template <algorithm_tag S, algorithm_tag I>
  [[nodiscard]] static result<pki::certificate<>> sign_certificate(
      const private_key<Alg>& signer, const public_key<S>& subject_key, const distinguished_name& issuer,
      const distinguished_name& subject, const pki::validity& period, extension_list exts,
      const public_key<I>& issuer_key, const std::optional<byte_buffer>& issuer_key_id) {
    auto subject_spki = subject_key.to_der();
    if (!subject_spki) return std::unexpected(subject_spki.error());
    auto issuer_spki = issuer_key.to_der();
    if (!issuer_spki) return std::unexpected(issuer_spki.error());
    auto ski = subject_key_identifier::from_public_key_der(*subject_spki);
    if (!ski) return std::unexpected(ski.error());
    auto aki = authority_key_identifier::from_public_key_der(*issuer_spki);
    if (!aki) return std::unexpected(aki.error());
    // RFC 5280 4.2.1.1: the AKI is the issuer's own SKI when it has one (which need not be
    // the SHA-1 method's value); otherwise the key identifier computed from its key.
    if (issuer_key_id) aki->key_id = *issuer_key_id;
    certificate_builder builder;
    builder.issuer(issuer).subject(subject).validity(period).public_key(subject_key);
    for (const auto& ext : exts) builder.add_extension(ext);
    builder.add(*ski).add(*aki);
    return builder.sign(signer);
  }

  pki::certificate<Alg> cert_;
  private_key<Alg> key_;
};

}  // namespace pki
