#pragma once
// crl_builder writes and signs a v2 CRL (mbedTLS has no CRL writer); a CA issues its CRLs
// through certificate_authority::issue_crl (issue/authority.hpp), which uses this builder.

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/clock.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "certificate.hpp"
#include "crl.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extension_builder.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

namespace pki {

/// Writes and signs a v2 CRL with a cRLNumber and an authorityKeyIdentifier (both non-critical,
/// as RFC 5280 5.2 requires). There is no default cRLNumber or nextUpdate: sign() refuses a
/// CRL without them, which policy::crl_check could not use (the caller keeps the numbers
/// increasing). Setters chain; the first invalid input is kept and reported by sign().
class crl_builder : public signed_document_builder<crl_builder> {
 public:
  /// The issuing CA's certificate: its subject, byte for byte, is the CRL's issuer; its
  /// subjectKeyIdentifier (or, without one, the method-1 identifier of its key) is the AKI;
  /// sign() checks the key against it.
  template <algorithm_tag C>
  crl_builder& issuer(const certificate<C>& ca) {
    issuer_der_.assign(ca.subject_der().begin(), ca.subject_der().end());
    issuer_key_ = pki::public_key<>(ca.public_key());
    auto ski = ca.subject_key_identifier();
    if (!ski) return note(ski.error());
    if (*ski) {
      key_id_ = (*ski)->key_id;
      return *this;
    }
    auto spki = ca.public_key().to_der();
    if (!spki) return note(spki.error());
    auto computed = subject_key_identifier::from_public_key_der(*spki);
    if (!computed) return note(computed.error());
    key_id_ = std::move(computed->key_id);
    return *this;
  }
  /// The issuer by name alone; the AKI is then computed from the signing key.
  crl_builder& issuer(const distinguished_name& name) {
    auto der = name.to_der();
    if (!der) return note(der.error());
    issuer_der_ = std::move(*der);
    issuer_key_.reset();
    key_id_.reset();
    return *this;
  }
  /// When the CRL is issued; when unset, pki::now() at sign() (core/clock.hpp), and
  /// errc::time_unknown from sign() without a clock.
  crl_builder& this_update(std::chrono::sys_seconds t) {
    this_update_ = t;
    return *this;
  }
  /// When the next CRL will be issued (required: RFC 5280 5.1.2.5).
  crl_builder& next_update(std::chrono::sys_seconds t) {
    next_update_ = t;
    return *this;
  }
  /// Both update times.
  crl_builder& period(const crl_period& p) { return this_update(p.this_update).next_update(p.next_update); }
  /// The cRLNumber (required: RFC 5280 5.2.3).
  crl_builder& crl_number(std::uint64_t number) {
    const auto bytes = detail::big_endian(number);
    return crl_number(byte_view(bytes));
  }
  /// The cRLNumber from its big-endian magnitude (INTEGER content octets read the same);
  /// invalid_argument when empty or longer than 20 octets encoded.
  crl_builder& crl_number(byte_view magnitude) {
    if (magnitude.empty()) return note(errc::invalid_argument, "a cRLNumber needs at least one octet");
    while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
    const std::size_t octets = magnitude.size() + ((magnitude[0] & 0x80) != 0 ? 1 : 0);
    if (octets > detail::max_crl_number_octets) {
      return note(errc::invalid_argument, "a cRLNumber has at most 20 octets (RFC 5280 5.2.3)");
    }
    crl_number_.assign(magnitude.begin(), magnitude.end());
    return *this;
  }
  /// Lists the certificate with this serial (INTEGER content octets, as certificate::serial()
  /// gives them). unspecified is written as no reasonCode (RFC 5280 5.3.1 says to leave it
  /// out). invalid_argument when the serial is not a DER INTEGER, is already listed, or the
  /// reason is remove_from_crl (delta CRLs only).
  crl_builder& revoke(byte_view serial, std::chrono::sys_seconds date,
                      std::optional<crl_reason> reason = std::nullopt) {
    return revoke(revoked_certificate{byte_buffer(serial.begin(), serial.end()), date, reason, {}});
  }
  /// Lists this certificate; as revoke(cert.serial(), ...).
  template <algorithm_tag C>
  crl_builder& revoke(const certificate<C>& cert, std::chrono::sys_seconds date,
                      std::optional<crl_reason> reason = std::nullopt) {
    return revoke(cert.serial(), date, reason);
  }
  /// Lists an entry (from another CRL, say) with its other entry extensions; invalid_argument
  /// as revoke() above, or when its extensions hold a reasonCode other than its `reason`.
  crl_builder& revoke(revoked_certificate entry) {
    if (!detail::is_der_integer(entry.serial)) {
      return note(errc::invalid_argument, "a revoked serial is not an INTEGER's content octets");
    }
    if (entry.reason && (static_cast<std::uint8_t>(*entry.reason) > 10 || *entry.reason == crl_reason{7})) {
      return note(errc::invalid_argument, "a revocation reason is not a CRLReason value");
    }
    if (entry.reason == crl_reason::remove_from_crl) {
      return note(errc::invalid_argument, "removeFromCRL is for delta CRLs only (RFC 5280 5.3.1)");
    }
    if (const extension* listed = entry.extensions.find(detail::crl_oid::reason_code)) {
      auto code = detail::read_reason_code(listed->value);
      if (!code) return note(errc::invalid_argument, "an entry's reasonCode extension is malformed");
      if (entry.reason != *code) {
        return note(errc::invalid_argument, "an entry's reasonCode extension differs from its reason");
      }
    }
    for (const auto& other : revoked_) {
      if (other.serial == entry.serial) return note(errc::invalid_argument, "a serial is revoked twice");
    }
    revoked_.push_back(std::move(entry));
    return *this;
  }
  /// Another crlExtension, written after the AKI and cRLNumber; a duplicate OID is invalid_argument.
  crl_builder& add_extension(extension ext) {
    if (ext.oid == detail::crl_oid::crl_number || ext.oid == pki::authority_key_identifier::oid_content) {
      return note(errc::invalid_argument, "the builder writes cRLNumber and authorityKeyIdentifier itself");
    }
    if (auto ok = extra_.add(std::move(ext)); !ok) return note(ok.error());
    return *this;
  }

  /// The CRL signed by `issuer_key`: invalid_argument when the issuer, nextUpdate or
  /// cRLNumber is missing or nextUpdate is before thisUpdate; key_mismatch when the key is not
  /// the issuer certificate's; or the first error a setter met.
  template <algorithm_tag K>
  [[nodiscard]] result<crl> sign(const private_key<K>& issuer_key) const {
    return detail::out_of_memory_guard("signing a CRL", [&]() -> result<crl> {
      if (error_) return std::unexpected(*error_);
      if (issuer_der_.empty()) return fail(errc::invalid_argument, "a CRL needs an issuer");
      if (!next_update_) return fail(errc::invalid_argument, "a CRL needs a nextUpdate (RFC 5280 5.1.2.5)");
      if (crl_number_.empty())
        return fail(errc::invalid_argument, "a CRL needs a cRLNumber (RFC 5280 5.2.3)");
      const auto now = detail::given_or_now(this_update_);
      if (!now) return std::unexpected(now.error());
      const std::chrono::sys_seconds this_update = *now;
      if (*next_update_ < this_update) {
        return fail(errc::invalid_argument, "a CRL's nextUpdate is before its thisUpdate");
      }
      if (issuer_key_) {
        if (auto ok = issuer_key.matches(*issuer_key_); !ok) {
          return fail(errc::key_mismatch, "the signing key does not match the issuer certificate");
        }
      }
      pki::authority_key_identifier aki;
      if (key_id_) {
        aki.key_id = *key_id_;
      } else {
        auto pub = issuer_key.public_key();
        if (!pub) return std::unexpected(pub.error());
        auto spki = pub->to_der();
        if (!spki) return std::unexpected(spki.error());
        auto computed = pki::authority_key_identifier::from_public_key_der(*spki);
        if (!computed) return std::unexpected(computed.error());
        aki = std::move(*computed);
      }
      extension_list exts;
      if (auto ok = exts.add(aki); !ok) return std::unexpected(ok.error());
      detail::der_writer number(32);
      number.unsigned_integer(crl_number_);
      auto number_der = number.finish<byte_buffer>();
      if (!number_der) return std::unexpected(number_der.error());
      if (auto ok = exts.add(extension{object_identifier::from_trusted(detail::crl_oid::crl_number), false,
                                       std::move(*number_der)});
          !ok) {
        return std::unexpected(ok.error());
      }
      for (const auto& ext : extra_) {
        if (auto ok = exts.add(ext); !ok) return std::unexpected(ok.error());
      }

      const auto algorithm = signature_algorithm::for_key(issuer_key.algorithm(), hash_);
      auto tbs = write_tbs(algorithm, this_update, exts);
      if (!tbs) return std::unexpected(tbs.error());
      auto der = detail::sign_tbs(*tbs, issuer_key, algorithm);
      if (!der) return std::unexpected(der.error());
      return crl::from_der(*der);
    });
  }

 private:
  /// The entry's extensions: reasonCode first (from `reason`), then the others as given.
  [[nodiscard]] static result<extension_list> entry_extensions(const revoked_certificate& entry) {
    extension_list exts;
    if (entry.reason && *entry.reason != crl_reason::unspecified) {
      auto ok = exts.add(extension{object_identifier::from_trusted(detail::crl_oid::reason_code), false,
                                   detail::reason_code_der(*entry.reason)});
      if (!ok) return std::unexpected(ok.error());
    }
    for (const auto& ext : entry.extensions) {
      if (ext.oid == detail::crl_oid::reason_code) continue;
      if (auto ok = exts.add(ext); !ok) return std::unexpected(ok.error());
    }
    return exts;
  }

  [[nodiscard]] result<byte_buffer> write_tbs(const signature_algorithm& algorithm,
                                              std::chrono::sys_seconds this_update,
                                              const extension_list& exts) const {
    detail::der_writer w(1024 + 48 * revoked_.size());
    auto crl_exts = exts.to_der();
    if (!crl_exts) return std::unexpected(crl_exts.error());
    const std::size_t tagged = w.mark();
    w.raw(*crl_exts);
    w.wrap(tagged, detail::context_constructed(0));
    // RFC 5280 5.1.2.6: with no revoked certificates the list is absent, not empty.
    if (!revoked_.empty()) {
      const std::size_t list = w.mark();
      for (auto entry = revoked_.rbegin(); entry != revoked_.rend(); ++entry) {
        const std::size_t start = w.mark();
        auto entry_exts = entry_extensions(*entry);
        if (!entry_exts) return std::unexpected(entry_exts.error());
        if (!entry_exts->empty()) {
          auto der = entry_exts->to_der();
          if (!der) return std::unexpected(der.error());
          w.raw(*der);
        }
        if (auto ok = detail::write_time(w, entry->revocation_date); !ok) return std::unexpected(ok.error());
        w.primitive(MBEDTLS_ASN1_INTEGER, entry->serial);
        w.sequence(start);
      }
      w.sequence(list);
    }
    if (auto ok = detail::write_time(w, *next_update_); !ok) return std::unexpected(ok.error());
    if (auto ok = detail::write_time(w, this_update); !ok) return std::unexpected(ok.error());
    w.raw(issuer_der_);
    detail::write_signature_algorithm(w, algorithm);
    w.integer(1);  // v2
    w.sequence(0);
    return w.finish<byte_buffer>();
  }

  byte_buffer issuer_der_;
  std::optional<pki::public_key<>> issuer_key_;
  std::optional<byte_buffer> key_id_;
  std::optional<std::chrono::sys_seconds> this_update_;
  std::optional<std::chrono::sys_seconds> next_update_;
  byte_buffer crl_number_;
  std::vector<revoked_certificate> revoked_;
  extension_list extra_;
};

}  // namespace pki
