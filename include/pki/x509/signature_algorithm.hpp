#pragma once
// signature_algorithm: the scheme named by an X.509 AlgorithmIdentifier (in
// certificates, CSRs and CRLs): ECDSA or RSA PKCS#1 v1.5 with a hash, or RSASSA-PSS
// with its parameters. Reading and writing the identifier are in detail::.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/hash.hpp"
#include "../keys/algorithm.hpp"
#include "../keys/signature.hpp"

namespace pki {

struct signature_algorithm {
  key_type type = key_type::ec;
  hash_algorithm hash = hash_algorithm::sha256;
  rsa_padding padding = rsa_padding::pkcs1_v15;
  /// RSASSA-PSS parameters (RFC 4055): salt length and MGF1 hash.
  std::size_t pss_salt_length = 0;
  hash_algorithm mgf1_hash = hash_algorithm::sha256;

  /// "ecdsa-with-SHA256", "sha256WithRSAEncryption", "rsassaPss (SHA-256, salt 32)".
  [[nodiscard]] std::string name() const {
    const std::string_view h = pki::name(hash);
    std::string hash_text(h.substr(0, 3));
    hash_text += h.substr(4);  // "SHA-256" -> "SHA256"
    if (type == key_type::ec) return "ecdsa-with-" + hash_text;
    if (padding == rsa_padding::pkcs1_v15) {
      std::string lower = "sha" + std::string(h.substr(4));
      return lower + "WithRSAEncryption";
    }
    return "rsassaPss (" + std::string(h) + ", salt " + std::to_string(pss_salt_length) + ")";
  }

  /// The options that verify a signature made with this scheme.
  [[nodiscard]] signature_options options() const noexcept {
    signature_options opts;
    opts.hash = hash;
    opts.padding = padding;
    if (padding == rsa_padding::pss) {
      opts.mgf1_hash = mgf1_hash;
      opts.pss_salt_length = pss_salt_length;
    }
    return opts;
  }

  /// The scheme a key of `alg` signs certificates with: its default hash, PKCS#1 v1.5 for RSA.
  [[nodiscard]] static signature_algorithm for_key(const key_algorithm& alg,
                                                   std::optional<hash_algorithm> h = std::nullopt) noexcept {
    signature_algorithm s;
    s.type = alg.type;
    s.hash = h.value_or(alg.default_hash());
    s.mgf1_hash = s.hash;
    s.pss_salt_length = digest_size(s.hash);
    return s;
  }

  friend bool operator==(const signature_algorithm&, const signature_algorithm&) = default;
};

namespace detail {

namespace sigalg_oid {
using namespace std::string_view_literals;
inline constexpr std::string_view ecdsa_sha1 = "\x2A\x86\x48\xCE\x3D\x04\x01"sv;
inline constexpr std::string_view ecdsa_sha224 = "\x2A\x86\x48\xCE\x3D\x04\x03\x01"sv;
inline constexpr std::string_view ecdsa_sha256 = "\x2A\x86\x48\xCE\x3D\x04\x03\x02"sv;
inline constexpr std::string_view ecdsa_sha384 = "\x2A\x86\x48\xCE\x3D\x04\x03\x03"sv;
inline constexpr std::string_view ecdsa_sha512 = "\x2A\x86\x48\xCE\x3D\x04\x03\x04"sv;
inline constexpr std::string_view rsa_sha1 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x05"sv;
inline constexpr std::string_view rsa_sha256 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0B"sv;
inline constexpr std::string_view rsa_sha384 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0C"sv;
inline constexpr std::string_view rsa_sha512 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0D"sv;
inline constexpr std::string_view rsa_sha224 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0E"sv;
inline constexpr std::string_view rsassa_pss = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0A"sv;
inline constexpr std::string_view mgf1 = "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x08"sv;
inline constexpr std::string_view sha1 = "\x2B\x0E\x03\x02\x1A"sv;
inline constexpr std::string_view sha224 = "\x60\x86\x48\x01\x65\x03\x04\x02\x04"sv;
inline constexpr std::string_view sha256 = "\x60\x86\x48\x01\x65\x03\x04\x02\x01"sv;
inline constexpr std::string_view sha384 = "\x60\x86\x48\x01\x65\x03\x04\x02\x02"sv;
inline constexpr std::string_view sha512 = "\x60\x86\x48\x01\x65\x03\x04\x02\x03"sv;
}  // namespace sigalg_oid

[[nodiscard]] inline bool oid_is(byte_view oid, std::string_view expected) noexcept {
  return std::string_view(reinterpret_cast<const char*>(oid.data()), oid.size()) == expected;
}

struct oid_hash {
  std::string_view oid;
  hash_algorithm hash;
};
inline constexpr oid_hash ecdsa_oids[] = {{sigalg_oid::ecdsa_sha1, hash_algorithm::sha1},
                                          {sigalg_oid::ecdsa_sha224, hash_algorithm::sha224},
                                          {sigalg_oid::ecdsa_sha256, hash_algorithm::sha256},
                                          {sigalg_oid::ecdsa_sha384, hash_algorithm::sha384},
                                          {sigalg_oid::ecdsa_sha512, hash_algorithm::sha512}};
inline constexpr oid_hash rsa_oids[] = {{sigalg_oid::rsa_sha1, hash_algorithm::sha1},
                                        {sigalg_oid::rsa_sha224, hash_algorithm::sha224},
                                        {sigalg_oid::rsa_sha256, hash_algorithm::sha256},
                                        {sigalg_oid::rsa_sha384, hash_algorithm::sha384},
                                        {sigalg_oid::rsa_sha512, hash_algorithm::sha512}};
inline constexpr oid_hash hash_oids[] = {{sigalg_oid::sha1, hash_algorithm::sha1},
                                         {sigalg_oid::sha224, hash_algorithm::sha224},
                                         {sigalg_oid::sha256, hash_algorithm::sha256},
                                         {sigalg_oid::sha384, hash_algorithm::sha384},
                                         {sigalg_oid::sha512, hash_algorithm::sha512}};

[[nodiscard]] inline std::string_view oid_for(std::span<const oid_hash> table, hash_algorithm h) noexcept {
  for (const auto& entry : table) {
    if (entry.hash == h) return entry.oid;
  }
  return {};
}

// The readers below use der_reader's read_* members: the reader they are given keeps their
// first failure, and what they return is then a placeholder nobody reads.

/// A hash AlgorithmIdentifier (parameters absent or NULL, both seen in the wild).
[[nodiscard]] inline hash_algorithm next_hash_identifier(der_reader& outer) {
  auto alg = outer.read_nested();
  const byte_view oid = alg.read_oid();
  if (!alg.at_end()) {
    auto null = alg.expect(MBEDTLS_ASN1_NULL);
    alg.require(null && null->content.empty() && alg.at_end(),
                "a hash AlgorithmIdentifier has NULL or no parameters");
  }
  for (const auto& entry : hash_oids) {
    if (oid_is(oid, entry.oid)) return entry.hash;
  }
  alg.reject(errc::unsupported, "unknown hash algorithm");
  return hash_algorithm::sha256;
}

inline constexpr const char* pss_trailing_data = "RSASSA-PSS parameters have trailing data";

/// One field of RSASSA-PSS-params, when present: the value inside its EXPLICIT [n], read by
/// `read_field(reader)` in a reader of its own (whose errors say "reading DER", as they
/// always have); `params` keeps its failure.
template <class ReadField>
inline void read_pss_field(der_reader& params, unsigned n, ReadField&& read_field) {
  const auto field = params.read_optional(context_constructed(n));
  if (!field.present()) return;
  der_reader reader(field.content);
  read_field(reader);
  // Exactly one value: anything after it would let one signed object have several
  // accepted encodings.
  if (auto done = reader.finish(pss_trailing_data); !done) params.reject(done.error());
}

/// RSASSA-PSS-params (RFC 4055 3.1); absent fields take the (SHA-1) defaults.
[[nodiscard]] inline signature_algorithm read_pss_params(der_reader& alg) {
  signature_algorithm s;
  s.type = key_type::rsa;
  s.padding = rsa_padding::pss;
  s.hash = hash_algorithm::sha1;
  s.mgf1_hash = hash_algorithm::sha1;
  s.pss_salt_length = 20;
  const auto sequence = alg.expect(der_sequence);
  alg.require(sequence.has_value(), "RSASSA-PSS needs its parameters");
  auto params = alg.nested_in(sequence.value_or(der_value{}));
  read_pss_field(params, 0, [&s](der_reader& r) { s.hash = next_hash_identifier(r); });
  read_pss_field(params, 1, [&s](der_reader& r) {
    auto mgf = r.read_nested();
    r.require(r.at_end(), pss_trailing_data);
    const byte_view oid = mgf.read_oid();
    if (!oid_is(oid, sigalg_oid::mgf1)) mgf.reject(errc::unsupported, "RSASSA-PSS mask other than MGF1");
    s.mgf1_hash = next_hash_identifier(mgf);
    mgf.require(mgf.at_end(), pss_trailing_data);
  });
  read_pss_field(params, 2, [&s](der_reader& r) {
    s.pss_salt_length = static_cast<std::size_t>(r.read_small_unsigned());
  });
  read_pss_field(params, 3, [](der_reader& r) {
    const auto trailer = r.small_unsigned();
    if (!trailer || *trailer != 1) r.reject(errc::unsupported, "RSASSA-PSS trailer field other than 1");
  });
  params.require(params.at_end() && alg.at_end(), pss_trailing_data);
  return s;
}

/// The scheme an AlgorithmIdentifier names: parse_failed when malformed, unsupported for
/// schemes the library lacks; `outer` keeps the failure.
[[nodiscard]] inline signature_algorithm next_signature_algorithm(der_reader& outer) {
  auto alg = outer.read_nested();
  const byte_view oid = alg.read_oid();
  for (const auto& entry : ecdsa_oids) {
    if (!oid_is(oid, entry.oid)) continue;
    // RFC 5758: the parameters field MUST be absent for ECDSA.
    alg.require(alg.at_end(), "ECDSA AlgorithmIdentifier has parameters");
    return signature_algorithm::for_key({key_type::ec, 0, curve::none}, entry.hash);
  }
  for (const auto& entry : rsa_oids) {
    if (!oid_is(oid, entry.oid)) continue;
    // RFC 4055: NULL parameters (some writers omit them; both are accepted).
    if (!alg.at_end()) {
      auto null = alg.expect(MBEDTLS_ASN1_NULL);
      alg.require(null && null->content.empty() && alg.at_end(),
                  "RSA AlgorithmIdentifier parameters are not NULL");
    }
    return signature_algorithm::for_key({key_type::rsa, 0, curve::none}, entry.hash);
  }
  if (oid_is(oid, sigalg_oid::rsassa_pss)) return read_pss_params(alg);
  alg.reject(errc::unsupported, "unknown signature algorithm");
  return {};
}

/// The same, and the AlgorithmIdentifier's DER in `der` (RFC 5280 4.1.1.2 compares the two
/// copies in a certificate byte for byte).
[[nodiscard]] inline signature_algorithm next_signature_algorithm(der_reader& outer, byte_view& der) {
  const byte_view before = outer.rest();
  auto alg = next_signature_algorithm(outer);
  der = before.first(before.size() - outer.rest().size());
  return alg;
}

/// next_signature_algorithm as a result (`outer` still keeps a failure).
[[nodiscard]] inline result<signature_algorithm> read_signature_algorithm(der_reader& outer) {
  auto alg = next_signature_algorithm(outer);
  return outer.finish_with(alg);
}
[[nodiscard]] inline result<signature_algorithm> read_signature_algorithm(der_reader& outer, byte_view& der) {
  auto alg = next_signature_algorithm(outer, der);
  return outer.finish_with(alg);
}

inline void write_hash_identifier(der_writer& w, hash_algorithm h) {
  const std::size_t start = w.mark();
  w.null();
  w.oid(oid_for(hash_oids, h));
  w.sequence(start);
}

/// Writes the AlgorithmIdentifier of a scheme.
inline void write_signature_algorithm(der_writer& w, const signature_algorithm& s) {
  const std::size_t start = w.mark();
  if (s.type == key_type::ec) {
    w.oid(oid_for(ecdsa_oids, s.hash));
  } else if (s.padding == rsa_padding::pkcs1_v15) {
    w.null();
    w.oid(oid_for(rsa_oids, s.hash));
  } else {
    const std::size_t params = w.mark();
    const std::size_t salt = w.mark();
    w.integer(static_cast<int>(s.pss_salt_length));
    w.wrap(salt, context_constructed(2));
    const std::size_t mask = w.mark();
    const std::size_t mgf = w.mark();
    write_hash_identifier(w, s.mgf1_hash);
    w.oid(sigalg_oid::mgf1);
    w.sequence(mgf);
    w.wrap(mask, context_constructed(1));
    const std::size_t hash = w.mark();
    write_hash_identifier(w, s.hash);
    w.wrap(hash, context_constructed(0));
    w.sequence(params);
    w.oid(sigalg_oid::rsassa_pss);
  }
  w.sequence(start);
}

}  // namespace detail
}  // namespace pki
