#pragma once
// certificate<Alg>: an X.509 v3 certificate as an immutable value. Copies share one
// parsed state, so passing certificates around and reading them from many threads
// is cheap and safe. Parsing is strict DER and independent of mbedTLS's X.509 parser,
// which refuses extensions it does not know (name constraints among them).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../keys/key.hpp"
#include "detail/builder.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

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
  byte_buffer der;
  signed_parts parts;  // views into der
  int version = 1;
  byte_buffer serial;  // the INTEGER's content octets (two's complement, as encoded)
  signature_algorithm tbs_algorithm;
  distinguished_name issuer;
  distinguished_name subject;
  byte_view issuer_der;   // into der
  byte_view subject_der;  // into der
  byte_view spki_der;     // into der: SubjectPublicKeyInfo
  pki::validity validity;
  std::optional<public_key<>> key;  // always set once parsed
  extension_list extensions;
};

[[nodiscard]] inline result<void> read_tbs_certificate(certificate_data& c) {
  der_reader tbs_outer(c.parts.tbs, "certificate");
  auto tbs = tbs_outer.enter();
  if (!tbs) return std::unexpected(tbs.error());
  // version [0] EXPLICIT INTEGER DEFAULT v1: DER omits v1.
  if (auto v = tbs->optional(context_constructed(0)); !v) {
    return std::unexpected(v.error());
  } else if (v->present()) {
    der_reader r(v->content, "certificate version");
    auto number = r.small_unsigned();
    if (!number || !r.at_end()) return fail(errc::parse_failed, "certificate version is malformed");
    if (*number == 0)
      return fail(errc::parse_failed, "certificate version v1 is written explicitly (not DER)");
    if (*number > 2) return fail(errc::unsupported, "certificate version above v3");
    c.version = static_cast<int>(*number) + 1;
  }
  auto serial = tbs->integer_bytes();
  if (!serial) return std::unexpected(serial.error());
  c.serial.assign(serial->begin(), serial->end());
  byte_view alg_der;
  auto alg = read_signature_algorithm(*tbs, alg_der);
  if (!alg) return std::unexpected(alg.error());
  c.tbs_algorithm = *alg;
  if (auto same = check_same_algorithm(c.parts, alg_der,
                                       "the two signature algorithm fields of a certificate differ");
      !same) {
    return same;
  }
  auto issuer = tbs->expect(der_sequence);
  if (!issuer) return std::unexpected(issuer.error());
  c.issuer_der = issuer->whole;
  auto issuer_name = distinguished_name::from_der(issuer->whole);
  if (!issuer_name) return std::unexpected(issuer_name.error());
  c.issuer = std::move(*issuer_name);

  auto period = tbs->enter();
  if (!period) return std::unexpected(period.error());
  auto not_before = read_time(*period);
  if (!not_before) return std::unexpected(not_before.error());
  auto not_after = read_time(*period);
  if (!not_after) return std::unexpected(not_after.error());
  if (!period->at_end()) return fail(errc::parse_failed, "certificate validity has trailing data");
  c.validity = {*not_before, *not_after};

  auto subject = tbs->expect(der_sequence);
  if (!subject) return std::unexpected(subject.error());
  c.subject_der = subject->whole;
  auto subject_name = distinguished_name::from_der(subject->whole);
  if (!subject_name) return std::unexpected(subject_name.error());
  c.subject = std::move(*subject_name);

  auto spki = tbs->expect(der_sequence);
  if (!spki) return std::unexpected(spki.error());
  c.spki_der = spki->whole;
  auto key = public_key<>::from_der(spki->whole);
  if (!key) return std::unexpected(key.error());
  c.key = std::move(*key);

  // issuerUniqueID [1] and subjectUniqueID [2]: v2 and v3 only; kept out of the model.
  for (unsigned tag : {1U, 2U}) {
    auto uid = tbs->optional(context_tag(tag));
    if (!uid) return std::unexpected(uid.error());
    if (uid->present() && c.version < 2)
      return fail(errc::parse_failed, "a v1 certificate has a unique identifier");
  }
  auto exts = tbs->optional(context_constructed(3));
  if (!exts) return std::unexpected(exts.error());
  if (exts->present()) {
    if (c.version != 3) return fail(errc::parse_failed, "only v3 certificates have extensions");
    auto parsed = read_explicit_extensions(*exts, "certificate extensions are malformed");
    if (!parsed) return std::unexpected(parsed.error());
    c.extensions = std::move(*parsed);
  }
  if (!tbs->at_end()) return fail(errc::parse_failed, "trailing data in a certificate");
  return {};
}

[[nodiscard]] inline result<std::shared_ptr<certificate_data>> parse_certificate(byte_view der) {
  return parse_signed<certificate_data>(der, "certificate", "certificate input is empty",
                                        read_tbs_certificate);
}

}  // namespace detail

template <algorithm_tag Alg = any_algorithm>
class certificate {
 public:
  /// Parses one DER certificate; parse_failed when malformed, unsupported for an
  /// unknown signature or key algorithm, algorithm_mismatch when its key is not Alg.
  [[nodiscard]] static result<certificate> from_der(byte_view der) {
    auto data = detail::parse_certificate(der);
    if (!data) return std::unexpected(data.error());
    return adopt(std::move(*data));
  }
  /// Parses the first "CERTIFICATE" PEM block of a text.
  [[nodiscard]] static result<certificate> from_pem(std::string_view pem) {
    return detail::out_of_memory_guard("parsing a PEM certificate", [&]() -> result<certificate> {
      auto der = pem::decode(pem, "CERTIFICATE");
      if (!der) return std::unexpected(der.error());
      return from_der(*der);
    });
  }
  /// PEM or DER.
  [[nodiscard]] static result<certificate> parse(byte_view pem_or_der) {
    return detail::parse_pem_or_der<certificate>(pem_or_der);
  }
  /// Every "CERTIFICATE" block of a PEM bundle, in order (other blocks are skipped);
  /// parse_failed when there is none or one is malformed.
  [[nodiscard]] static result<std::vector<certificate>> parse_bundle(std::string_view pem) {
    return detail::out_of_memory_guard("parsing a PEM bundle", [&]() -> result<std::vector<certificate>> {
      std::vector<certificate> out;
      for (auto& cert : parse_each(pem)) {
        if (!cert) return std::unexpected(cert.error());
        out.push_back(std::move(*cert));
      }
      if (out.empty()) return fail(errc::parse_failed, "no CERTIFICATE block in the bundle");
      return out;
    });
  }
  /// Every "CERTIFICATE" block of a PEM text, in order, each parsed or with the reason it
  /// is not, for callers that keep what parses (a system bundle). Other blocks are skipped;
  /// a block without its END line ends the list with that error.
  [[nodiscard]] static std::vector<result<certificate>> parse_each(std::string_view pem) {
    std::vector<result<certificate>> out;
    std::size_t from = 0;
    while (pem.find("-----BEGIN ", from) != std::string_view::npos) {
      auto block = pem::find_block(pem, from);
      if (!block) {
        out.emplace_back(std::unexpected(block.error()));
        break;
      }
      from = block->end;
      if (block->label != "CERTIFICATE") continue;
      auto der = pem::decode_body(block->body);
      if (!der) {
        out.emplace_back(std::unexpected(der.error()));
      } else {
        out.push_back(from_der(*der));
      }
    }
    return out;
  }

  /// Widens a typed certificate.
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> certificate(const certificate<Other>& other)
      : data_(other.data_), key_(other.key_) {}

  /// This certificate typed by its key's algorithm; algorithm_mismatch if it is another.
  template <fixed_algorithm To>
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
  [[nodiscard]] const distinguished_name& issuer() const noexcept { return data_->issuer; }
  [[nodiscard]] const distinguished_name& subject() const noexcept { return data_->subject; }
  /// The issuer and subject Name exactly as encoded.
  [[nodiscard]] byte_view issuer_der() const noexcept { return data_->issuer_der; }
  [[nodiscard]] byte_view subject_der() const noexcept { return data_->subject_der; }
  [[nodiscard]] const pki::validity& validity() const noexcept { return data_->validity; }
  [[nodiscard]] std::chrono::sys_seconds not_before() const noexcept { return data_->validity.not_before; }
  [[nodiscard]] std::chrono::sys_seconds not_after() const noexcept { return data_->validity.not_after; }
  [[nodiscard]] const pki::public_key<Alg>& public_key() const noexcept { return key_; }
  /// The SubjectPublicKeyInfo exactly as encoded (what key pins hash).
  [[nodiscard]] byte_view public_key_der() const noexcept { return data_->spki_der; }
  [[nodiscard]] const pki::signature_algorithm& signature_algorithm() const noexcept {
    return data_->parts.algorithm;
  }
  [[nodiscard]] byte_view signature() const noexcept { return data_->parts.signature; }
  /// The DER of tbsCertificate, the bytes the signature covers.
  [[nodiscard]] byte_view tbs_der() const noexcept { return data_->parts.tbs; }
  [[nodiscard]] const extension_list& extensions() const noexcept { return data_->extensions; }

  /// A typed extension: nullopt when absent; parse_failed when present but malformed.
  template <class Extension>
  [[nodiscard]] result<std::optional<Extension>> extension() const {
    return data_->extensions.template get<Extension>();
  }
  [[nodiscard]] result<std::optional<pki::subject_alt_name>> subject_alt_name() const {
    return extension<pki::subject_alt_name>();
  }
  [[nodiscard]] result<std::optional<pki::key_usage>> key_usage() const {
    return extension<pki::key_usage>();
  }
  [[nodiscard]] result<std::optional<pki::extended_key_usage>> extended_key_usage() const {
    return extension<pki::extended_key_usage>();
  }
  [[nodiscard]] result<std::optional<pki::basic_constraints>> basic_constraints() const {
    return extension<pki::basic_constraints>();
  }
  [[nodiscard]] result<std::optional<pki::subject_key_identifier>> subject_key_identifier() const {
    return extension<pki::subject_key_identifier>();
  }
  [[nodiscard]] result<std::optional<pki::authority_key_identifier>> authority_key_identifier() const {
    return extension<pki::authority_key_identifier>();
  }
  [[nodiscard]] result<std::optional<pki::name_constraints>> name_constraints() const {
    return extension<pki::name_constraints>();
  }
  [[nodiscard]] result<std::optional<pki::crl_distribution_points>> crl_distribution_points() const {
    return extension<pki::crl_distribution_points>();
  }
  [[nodiscard]] result<std::optional<pki::certificate_policies>> certificate_policies() const {
    return extension<pki::certificate_policies>();
  }
  [[nodiscard]] result<std::optional<pki::policy_mappings>> policy_mappings() const {
    return extension<pki::policy_mappings>();
  }
  [[nodiscard]] result<std::optional<pki::policy_constraints>> policy_constraints() const {
    return extension<pki::policy_constraints>();
  }
  [[nodiscard]] result<std::optional<pki::inhibit_any_policy>> inhibit_any_policy() const {
    return extension<pki::inhibit_any_policy>();
  }

  /// True when basicConstraints says cA (a malformed extension counts as not a CA).
  [[nodiscard]] bool is_ca() const {
    auto bc = basic_constraints();
    return bc && *bc && (*bc)->ca;
  }
  /// True when issuer and subject are the same name (RFC 5280 matching): a CA's
  /// certificate for itself, a root or a key rollover certificate.
  [[nodiscard]] bool is_self_issued() const {
    return detail::same_name(data_->issuer_der, data_->issuer, data_->subject_der, data_->subject);
  }
  /// True when self-issued and the certificate's own key verifies its signature.
  [[nodiscard]] bool is_self_signed() const { return is_self_issued() && verify_signature(key_).has_value(); }
  /// Checks that `issuer_key` signed this certificate; bad_signature if not.
  template <algorithm_tag K>
  [[nodiscard]] result<void> verify_signature(const pki::public_key<K>& issuer_key) const {
    return detail::verify_signed(data_->parts, pki::public_key<>(issuer_key));
  }

  /// SHA-256 over the DER certificate.
  [[nodiscard]] result<digest> fingerprint(hash_algorithm h = hash_algorithm::sha256) const {
    return hash(h, data_->der);
  }
  [[nodiscard]] byte_view der() const noexcept { return data_->der; }
  [[nodiscard]] result<std::string> to_pem() const { return pem::encode("CERTIFICATE", data_->der); }

  /// Same DER encoding.
  template <algorithm_tag Other>
  friend bool operator==(const certificate& a, const certificate<Other>& b) noexcept {
    return std::ranges::equal(a.der(), b.der());
  }

 private:
  template <algorithm_tag>
  friend class certificate;

  certificate(std::shared_ptr<const detail::certificate_data> data, pki::public_key<Alg> key)
      : data_(std::move(data)), key_(std::move(key)) {}

  [[nodiscard]] static result<certificate> adopt(std::shared_ptr<const detail::certificate_data> data) {
    auto key = detail::as_typed<Alg>(*data->key);
    if (!key) return std::unexpected(key.error());
    return certificate(std::move(data), std::move(*key));
  }

  std::shared_ptr<const detail::certificate_data> data_;
  pki::public_key<Alg> key_;
};

}  // namespace pki

namespace pki {

/// Writes and signs a v3 certificate. Setters chain; the first invalid input is kept
/// and reported by sign(). A serial is drawn at random unless one is set.
class certificate_builder : public detail::extension_builder<certificate_builder> {
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
  /// Start of validity; defaults to now.
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

  const auto start =
      opts.not_before.value_or(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  certificate_builder builder;
  builder.issuer(subject).subject(subject).validity({start, start + opts.days}).public_key(*pub);
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
