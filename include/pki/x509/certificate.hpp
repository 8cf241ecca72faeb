#pragma once
// certificate<Alg>: an X.509 v3 certificate as an immutable value. Copies share one
// parsed state, so passing certificates around and reading them from many threads
// is cheap and safe. Parsing is strict DER and independent of mbedTLS's X.509 parser,
// which refuses extensions it does not know (name constraints among them).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/computed_once.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/detail/threads.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../keys/key.hpp"
#include "detail/decoded_extensions.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"
#include "signed_document.hpp"

namespace pki {

/// A certificate's validity period, as the certificate states it (second precision).
struct validity {
  std::chrono::sys_seconds not_before;
  std::chrono::sys_seconds not_after;

  /// True when `t` is inside [not_before, not_after] (both ends included, RFC 5280 4.1.2.5).
  [[nodiscard]] bool contains(std::chrono::sys_seconds t) const noexcept {
    return not_before <= t && t <= not_after;
  }
};

namespace detail {

/// Everything read from a certificate; shared, never modified after parsing.
struct certificate_data {
  static constexpr std::string_view pem_label = "CERTIFICATE";
  static constexpr std::string_view legacy_pem_label = "";
  static constexpr const char* pem_context = "parsing a PEM certificate";
  /// One DER certificate: parse_failed when malformed, unsupported for an unknown signature
  /// or key algorithm.
  [[nodiscard]] static result<std::shared_ptr<certificate_data>> parse(byte_view der);

  byte_buffer der;
  signed_parts parts;  // views into der
  int version = 1;
  byte_view serial;       // into der: the INTEGER's content octets (two's complement, as encoded)
  byte_view issuer_der;   // into der
  byte_view subject_der;  // into der
  // The names, checked when parsed and built on first use (certificate::issuer(), subject()).
  computed_once<distinguished_name> issuer;
  computed_once<distinguished_name> subject;
  byte_view spki_der;     // into der: SubjectPublicKeyInfo
  pki::validity validity;
  std::optional<public_key<>> key;  // always set once parsed
  extension_views extensions;       // into der
  // The owning copy of the extensions, made on first use (certificate::extensions()).
  computed_once<extension_list> owned_extensions;
  // The extensions validation reads, decoded on first use (certificate::extension<T>()).
  decoded_extensions<subject_alt_name, issuer_alt_name, key_usage, extended_key_usage, basic_constraints,
                     subject_key_identifier, authority_key_identifier, name_constraints, crl_distribution_points,
                     certificate_policies, policy_mappings, policy_constraints, inhibit_any_policy,
                     authority_information_access>
      decoded;
  // name_match_hash of issuer and subject, computed on first use (0: not yet). Two threads
  // may both compute one: they store the same value.
  mutable relaxed_atomic<std::uint64_t> issuer_hash{0};
  mutable relaxed_atomic<std::uint64_t> subject_hash{0};

  [[nodiscard]] const distinguished_name& issuer_name() const { return name_of(issuer, issuer_der); }
  [[nodiscard]] const distinguished_name& subject_name() const { return name_of(subject, subject_der); }
  [[nodiscard]] std::uint64_t issuer_name_hash() const { return hash_of(issuer_hash, issuer_name()); }
  [[nodiscard]] std::uint64_t subject_name_hash() const { return hash_of(subject_hash, subject_name()); }

 private:
  [[nodiscard]] static const distinguished_name& name_of(const computed_once<distinguished_name>& cell,
                                                         byte_view der) {
    // check_der() passed when the certificate was parsed: this decoding cannot fail.
    return cell.get([der] { return distinguished_name::from_der(der).value_or(distinguished_name{}); });
  }
  [[nodiscard]] static std::uint64_t hash_of(relaxed_atomic<std::uint64_t>& slot,
                                             const distinguished_name& name) {
    std::uint64_t h = slot.load(std::memory_order_relaxed);
    if (h == 0) {
      h = name_match_hash(name);
      slot.store(h, std::memory_order_relaxed);
    }
    return h;
  }
};

/// version [0] EXPLICIT INTEGER DEFAULT v1 (DER omits v1): the version number, 1 to 3;
/// `tbs` keeps a failure.
[[nodiscard]] inline int read_certificate_version(der_reader& tbs) {
  const auto tagged = tbs.read_optional(context_constructed(0));
  if (!tagged.present()) return 1;
  der_reader r(tagged.content, "certificate version");
  const std::uint64_t number = r.read_small_unsigned();  // 0 when malformed
  tbs.require(!r.failed() && r.rest().empty(), "certificate version is malformed");
  tbs.require(number != 0, "certificate version v1 is written explicitly (not DER)");
  if (number > 2) tbs.reject(errc::unsupported, "certificate version above v3");
  return tbs.failed() ? 1 : static_cast<int>(number) + 1;
}

[[nodiscard]] inline result<void> read_tbs_certificate(certificate_data& c) {
  der_reader tbs_outer(c.parts.tbs, "certificate");
  auto tbs = tbs_outer.read_nested();
  c.version = read_certificate_version(tbs);
  c.serial = tbs.keep(tbs.integer_bytes());
  // Only compared with the outer one: certificate_data keeps parts.algorithm.
  static_cast<void>(
      read_inner_algorithm(tbs, c.parts, "the two signature algorithm fields of a certificate differ"));
  read_name_field(tbs, c.issuer_der);

  auto period = tbs.read_nested();
  const auto not_before = period.keep(read_time(period));
  const auto not_after = period.keep(read_time(period));
  period.require(period.at_end(), "certificate validity has trailing data");
  c.validity = {not_before, not_after};

  read_name_field(tbs, c.subject_der);

  c.spki_der = tbs.read(der_sequence).whole;
  // The key is mbedTLS's to parse, and only once the fields before it have been read.
  if (tbs.failed()) return tbs.finish();
  auto key = public_key<>::from_der(c.spki_der);
  if (!key) return std::unexpected(key.error());
  c.key = std::move(*key);

  // issuerUniqueID [1] and subjectUniqueID [2]: v2 and v3 only; kept out of the model.
  for (unsigned tag : {1U, 2U}) {
    const auto uid = tbs.read_optional(context_tag(tag));
    tbs.require(!uid.present() || c.version >= 2, "a v1 certificate has a unique identifier");
  }
  read_explicit_extensions(tbs, 3, c.version == 3, "only v3 certificates have extensions",
                           "certificate extensions are malformed", c.extensions);
  return tbs.finish("trailing data in a certificate");
}

inline result<std::shared_ptr<certificate_data>> certificate_data::parse(byte_view der) {
  return parse_signed<certificate_data>(der, "certificate", "certificate input is empty",
                                        read_tbs_certificate);
}

}  // namespace detail

/// An X.509 certificate; Alg is its subject key's algorithm (exact curve, RSA size), or
/// any_algorithm. Parsing (from_der(): parse_failed when malformed, unsupported for an
/// unknown signature or key algorithm, algorithm_mismatch when its key is not Alg), the
/// DER, PEM, TBS, signature and equality come from signed_document.
template <algorithm_tag Alg = any_algorithm>
class certificate : public keyed_document<certificate<Alg>, detail::certificate_data, Alg> {
  using base = keyed_document<certificate<Alg>, detail::certificate_data, Alg>;

 public:
  /// Every "CERTIFICATE" block of a PEM bundle, in order (other blocks are skipped);
  /// parse_failed when there is none or one is malformed.
  [[nodiscard]] static result<std::vector<certificate>> parse_bundle(std::string_view pem) {
    return detail::out_of_memory_guard("parsing a PEM bundle", [&]() -> result<std::vector<certificate>> {
      std::vector<certificate> out;
      for (auto& cert : base::parse_each(pem)) {
        if (!cert) return std::unexpected(cert.error());
        out.push_back(std::move(*cert));
      }
      if (out.empty()) return fail(errc::parse_failed, "no CERTIFICATE block in the bundle");
      return out;
    });
  }

  /// Widens a typed certificate.
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> certificate(const certificate<Other>& other)
      : base(other.data_, other.key_) {}

  /// This certificate typed by its key's algorithm; algorithm_mismatch if it is another (the
  /// curve, or the RSA size class, included). Only certificate<> narrows to another tag: a
  /// typed certificate could never pass, so asking does not compile.
  template <fixed_algorithm To>
  requires(std::same_as<Alg, any_algorithm> || std::same_as<Alg, To>)
  [[nodiscard]] result<certificate<To>> narrow() const {
    return certificate<To>::adopt(data_);
  }

  /// 1, 2 or 3.
  [[nodiscard]] int version() const noexcept { return data_->version; }
  /// The serial number's INTEGER content octets (big-endian two's complement).
  [[nodiscard]] byte_view serial() const noexcept { return data_->serial; }
  /// "01:9a:..." as OpenSSL prints it.
  [[nodiscard]] std::string serial_hex(std::string_view separator = ":") const {
    return to_hex(data_->serial, separator);
  }
  /// The names, decoded when first read and kept with the certificate's shared data.
  [[nodiscard]] const distinguished_name& issuer() const { return data_->issuer_name(); }
  [[nodiscard]] const distinguished_name& subject() const { return data_->subject_name(); }
  /// The issuer and subject Name exactly as encoded.
  [[nodiscard]] byte_view issuer_der() const noexcept { return data_->issuer_der; }
  [[nodiscard]] byte_view subject_der() const noexcept { return data_->subject_der; }
  [[nodiscard]] const pki::validity& validity() const noexcept { return data_->validity; }
  [[nodiscard]] std::chrono::sys_seconds not_before() const noexcept { return data_->validity.not_before; }
  [[nodiscard]] std::chrono::sys_seconds not_after() const noexcept { return data_->validity.not_after; }
  /// The SubjectPublicKeyInfo exactly as encoded (what key pins hash).
  [[nodiscard]] byte_view public_key_der() const noexcept { return data_->spki_der; }
  /// The extensions as owning values (an extension_list, made on the first call and kept
  /// with the certificate's shared data).
  [[nodiscard]] const extension_list& extensions() const {
    return data_->owned_extensions.get([this] { return extension_list::from_views(data_->extensions); });
  }
  /// The extensions as views into the certificate's DER, read when it was parsed: what
  /// validation reads, without copying anything.
  [[nodiscard]] const pki::extension_views& extension_views() const noexcept { return data_->extensions; }

  /// A typed extension: nullopt when absent; parse_failed when present but malformed. The
  /// library's extension types (those with a getter below, authorityInfoAccess and
  /// issuerAltName) are decoded once, on first use, and kept with the certificate's shared
  /// data: the reference lives as long as any copy of the certificate. A type of the user's
  /// own is decoded on each call and returned by value.
  template <class Extension>
  [[nodiscard]] decltype(auto) extension() const {
    if constexpr (decltype(data_->decoded)::template keeps<Extension>) {
      return data_->decoded.template get<Extension>(data_->extensions);
    } else {
      return data_->extensions.template get<Extension>();
    }
  }
  [[nodiscard]] const result<std::optional<pki::subject_alt_name>>& subject_alt_name() const {
    return extension<pki::subject_alt_name>();
  }
  [[nodiscard]] const result<std::optional<pki::key_usage>>& key_usage() const {
    return extension<pki::key_usage>();
  }
  [[nodiscard]] const result<std::optional<pki::extended_key_usage>>& extended_key_usage() const {
    return extension<pki::extended_key_usage>();
  }
  [[nodiscard]] const result<std::optional<pki::basic_constraints>>& basic_constraints() const {
    return extension<pki::basic_constraints>();
  }
  [[nodiscard]] const result<std::optional<pki::subject_key_identifier>>& subject_key_identifier() const {
    return extension<pki::subject_key_identifier>();
  }
  [[nodiscard]] const result<std::optional<pki::authority_key_identifier>>& authority_key_identifier() const {
    return extension<pki::authority_key_identifier>();
  }
  [[nodiscard]] const result<std::optional<pki::name_constraints>>& name_constraints() const {
    return extension<pki::name_constraints>();
  }
  [[nodiscard]] const result<std::optional<pki::crl_distribution_points>>& crl_distribution_points() const {
    return extension<pki::crl_distribution_points>();
  }
  [[nodiscard]] const result<std::optional<pki::certificate_policies>>& certificate_policies() const {
    return extension<pki::certificate_policies>();
  }
  [[nodiscard]] const result<std::optional<pki::policy_mappings>>& policy_mappings() const {
    return extension<pki::policy_mappings>();
  }
  [[nodiscard]] const result<std::optional<pki::policy_constraints>>& policy_constraints() const {
    return extension<pki::policy_constraints>();
  }
  [[nodiscard]] const result<std::optional<pki::inhibit_any_policy>>& inhibit_any_policy() const {
    return extension<pki::inhibit_any_policy>();
  }

  /// True when basicConstraints says cA (a malformed extension counts as not a CA).
  [[nodiscard]] bool is_ca() const {
    auto bc = basic_constraints();
    return bc && *bc && (*bc)->ca;
  }
  /// True when `candidate`'s subject is this certificate's issuer name (RFC 5280 7.1
  /// matching): what makes it a candidate issuer, before any key or signature is looked at.
  /// Each name's match hash is kept with the certificate, so candidates of other names are
  /// turned away without comparing attributes.
  template <algorithm_tag B>
  [[nodiscard]] bool issuer_name_matches(const certificate<B>& candidate) const {
    const auto& c = *candidate.data_;
    if (std::ranges::equal(data_->issuer_der, c.subject_der)) return true;
    if (data_->issuer_name_hash() != c.subject_name_hash()) return false;
    return data_->issuer_name() == c.subject_name();
  }
  /// A hash of the issuer name, and of the subject name, that agrees with RFC 5280 7.1
  /// matching: names that match have the same hash. Kept with the certificate; what indexes
  /// of candidate issuers are keyed by.
  [[nodiscard]] std::uint64_t issuer_name_hash() const { return data_->issuer_name_hash(); }
  [[nodiscard]] std::uint64_t subject_name_hash() const { return data_->subject_name_hash(); }
  /// True when issuer and subject are the same name (RFC 5280 matching): a CA's
  /// certificate for itself, a root or a key rollover certificate.
  [[nodiscard]] bool is_self_issued() const { return issuer_name_matches(*this); }
  /// True when self-issued and the certificate's own key verifies its signature.
  [[nodiscard]] bool is_self_signed() const {
    return is_self_issued() && this->verify_signature(key_).has_value();
  }

  /// SHA-256 over the DER certificate.
  [[nodiscard]] result<digest> fingerprint(hash_algorithm h = hash_algorithm::sha256) const {
    return hash(h, data_->der);
  }

 private:
  template <algorithm_tag>
  friend class certificate;
  friend base;
  friend class signed_document<certificate, detail::certificate_data>;  // from_der() adopts
  using base::adopt;
  using base::base;
  using base::data_;
  using base::key_;
};

}  // namespace pki
