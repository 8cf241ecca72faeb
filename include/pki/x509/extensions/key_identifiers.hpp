#pragma once
// subjectKeyIdentifier and authorityKeyIdentifier (RFC 5280 4.2.1.2, 4.2.1.1): the key
// identifiers that link a certificate to its issuer's.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../../core/hash.hpp"
#include "../detail/der_fields.hpp"
#include "../detail/extension_text.hpp"
#include "../general_name.hpp"
#include "../object_identifier.hpp"

namespace pki {

/// subjectKeyIdentifier (2.5.29.14): an identifier of the subject's public key. Never critical.
struct subject_key_identifier {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x0E");
  static constexpr bool default_critical = false;

  byte_buffer key_id{};

  /// 2.5.29.14.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// RFC 5280 method 1: the SHA-1 of the subjectPublicKey BIT STRING's bytes of a
  /// SubjectPublicKeyInfo; where mbedTLS has no SHA-1 (a trimmed build), RFC 7093 method 1:
  /// the leftmost 160 bits of their SHA-256. parse_failed when `spki_der` is not one.
  [[nodiscard]] static result<subject_key_identifier> from_public_key_der(byte_view spki_der) {
    auto reader = detail::only_sequence_reader(spki_der, "parsing a SubjectPublicKeyInfo");
    reader.skip(detail::der_sequence);  // the algorithm: the identifier covers the key alone
    const auto key = reader.read_bit_string();
    if (auto read = reader.finish("trailing data in a SubjectPublicKeyInfo"); !read) {
      return std::unexpected(read.error());
    }
    constexpr std::size_t length = 20;  // 160 bits either way
    auto digest = hash(hash_algorithm::sha1, key.bytes);
    if (!digest && digest.error() == errc::unsupported) digest = hash(hash_algorithm::sha256, key.bytes);
    if (!digest) return std::unexpected(digest.error());
    return subject_key_identifier{byte_buffer(digest->bytes().begin(), digest->bytes().begin() + length)};
  }
  /// The extnValue DER (an OCTET STRING).
  [[nodiscard]] result<byte_buffer> to_der() const {
    detail::der_writer out;
    out.octet_string(key_id);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when it is not one OCTET STRING.
  [[nodiscard]] static result<subject_key_identifier> from_der(byte_view der) {
    auto value = detail::read_only_value(der, MBEDTLS_ASN1_OCTET_STRING, "parsing subjectKeyIdentifier");
    if (!value) return std::unexpected(value.error());
    return subject_key_identifier{byte_buffer(value->content.begin(), value->content.end())};
  }
  /// "AB:CD:...".
  [[nodiscard]] std::string to_string() const { return detail::colon_hex(key_id); }
  friend bool operator==(const subject_key_identifier&, const subject_key_identifier&) = default;
};

/// authorityKeyIdentifier (2.5.29.35): identifies the key that signed the certificate, by
/// key identifier and/or by the issuer's issuer name and serial. Never critical.
struct authority_key_identifier {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x23");
  static constexpr bool default_critical = false;

  std::optional<byte_buffer> key_id{};  ///< keyIdentifier
  std::vector<general_name> issuer{};   ///< authorityCertIssuer; empty when absent
  std::optional<byte_buffer> serial{};  ///< authorityCertSerialNumber: the INTEGER's content octets

  /// 2.5.29.35.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// An identifier by the issuer key's subjectKeyIdentifier method 1 (see subject_key_identifier).
  [[nodiscard]] static result<authority_key_identifier> from_public_key_der(byte_view issuer_spki_der) {
    auto ski = subject_key_identifier::from_public_key_der(issuer_spki_der);
    if (!ski) return std::unexpected(ski.error());
    return authority_key_identifier{std::move(ski->key_id), {}, std::nullopt};
  }
  /// The extnValue DER; invalid_argument when issuer and serial are not both present or
  /// both absent (RFC 5280), the serial is not a minimal INTEGER, or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (issuer.empty() != !serial) {
      return fail(errc::invalid_argument, "authorityCertIssuer and authorityCertSerialNumber go together");
    }
    if (serial && !detail::is_der_integer(*serial)) {
      return fail(errc::invalid_argument, "authorityCertSerialNumber is not a minimal INTEGER");
    }
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (serial) out.primitive(detail::context_tag(2), *serial);
    if (!issuer.empty()) {
      if (auto written = detail::write_general_names(out, issuer, detail::context_constructed(1)); !written) {
        return std::unexpected(written.error());
      }
    }
    if (key_id) out.primitive(detail::context_tag(0), *key_id);
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed.
  [[nodiscard]] static result<authority_key_identifier> from_der(byte_view der) {
    auto reader = detail::only_sequence_reader(der, "parsing authorityKeyIdentifier");
    authority_key_identifier identifier;
    const auto key_id = reader.read_optional(detail::context_tag(0));
    if (key_id.present()) identifier.key_id = byte_buffer(key_id.content.begin(), key_id.content.end());
    const auto issuer = reader.read_optional(detail::context_constructed(1));
    if (issuer.present()) identifier.issuer = reader.keep(detail::read_general_names(issuer.content));
    const auto serial = reader.read_optional(detail::context_tag(2));
    if (serial.present()) {
      reader.require(detail::is_der_integer(serial.content), "authorityCertSerialNumber is not a DER INTEGER");
      identifier.serial = byte_buffer(serial.content.begin(), serial.content.end());
    }
    return reader.finish_with(std::move(identifier), "trailing data in authorityKeyIdentifier");
  }
  /// "keyid:AB:CD:...", then the issuer names and "serial:01:02" on lines of their own.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    if (key_id) detail::append_line(text, "keyid:" + detail::colon_hex(*key_id));
    for (const auto& name : issuer) detail::append_line(text, pki::to_string(name));
    if (serial) detail::append_line(text, "serial:" + detail::colon_hex(*serial));
    return text;
  }
  friend bool operator==(const authority_key_identifier&, const authority_key_identifier&) = default;
};

}  // namespace pki
