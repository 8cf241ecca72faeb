#pragma once
// mbedTLS pk contexts: parsing, writing, generation through PSA, and signature
// encodings. The public key types in key.hpp are thin typed layers over this.

#include <mbedtls/asn1.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include "../../core/detail/psa_util.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "../../core/bytes.hpp"
#include "../../core/detail/handle.hpp"
#include "../../core/detail/mbedtls_error.hpp"
#include "../../core/detail/psa.hpp"
#include "../../core/random.hpp"
#include "../algorithm.hpp"
#include "../signature.hpp"
#include "oid.hpp"
#include "pss.hpp"

namespace pki::detail {

using pk_handle = handle<mbedtls_pk_context, mbedtls_pk_init, mbedtls_pk_free>;

/// Room for any key mbedTLS writes (an RSA-4096 private key is about 2.4 KB of DER).
inline constexpr std::size_t max_key_der = 8192;

/// mbedTLS parses PEM only from a NUL-terminated buffer whose length counts the NUL.
template <class Buffer>
void append_nul_for_pem(byte_view input, Buffer& copy, byte_view& view) {
  if (pem::looks_like_pem(input) && input.back() != '\0') {
    copy.assign(input.begin(), input.end());
    copy.push_back('\0');
    view = {copy.data(), copy.size()};
  }
}

/// True when `der` has the shape of PKCS#8 EncryptedPrivateKeyInfo:
/// SEQUENCE { AlgorithmIdentifier, OCTET STRING } (PrivateKeyInfo starts with an INTEGER).
[[nodiscard]] inline bool is_encrypted_private_key_info(byte_view der) noexcept {
  auto* p = const_cast<unsigned char*>(der.data());  // mbedTLS's reader only reads through it
  const unsigned char* end = p + der.size();
  std::size_t length = 0;
  if (mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) {
    return false;
  }
  end = p + length;
  mbedtls_asn1_buf alg{};
  mbedtls_asn1_buf params{};
  if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0) return false;
  return mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_OCTET_STRING) == 0 && p + length == end;
}

/// The iteration count an EncryptedPrivateKeyInfo's key derivation asks for: PBES2's
/// PBKDF2-params (RFC 8018 A.2), or the {salt, iterations} of PKCS#12 and PBES1 schemes;
/// nullopt when the structure is not that (mbedTLS then refuses it). Counts beyond 64 bits
/// read as the largest.
[[nodiscard]] inline std::optional<std::uint64_t> key_derivation_iterations(byte_view der) noexcept {
  auto* p = const_cast<unsigned char*>(der.data());  // mbedTLS's reader only reads through it
  const unsigned char* end = p + der.size();
  std::size_t length = 0;
  if (mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) {
    return std::nullopt;
  }
  end = p + length;
  mbedtls_asn1_buf alg{};
  mbedtls_asn1_buf params{};
  if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0) return std::nullopt;
  constexpr int sequence = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
  if (params.tag != sequence) return std::nullopt;
  unsigned char* q = params.p;
  const unsigned char* q_end = params.p + params.len;
  const std::string_view alg_oid(reinterpret_cast<const char*>(alg.p), alg.len);
  if (alg_oid == oid::pbes2) {  // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }
    mbedtls_asn1_buf kdf{};
    mbedtls_asn1_buf kdf_params{};
    if (mbedtls_asn1_get_alg(&q, q_end, &kdf, &kdf_params) != 0 || kdf_params.tag != sequence) {
      return std::nullopt;
    }
    q = kdf_params.p;
    q_end = kdf_params.p + kdf_params.len;
  }
  // { salt OCTET STRING, iterationCount INTEGER, ... }
  if (mbedtls_asn1_get_tag(&q, q_end, &length, MBEDTLS_ASN1_OCTET_STRING) != 0) return std::nullopt;
  q += length;
  if (mbedtls_asn1_get_tag(&q, q_end, &length, MBEDTLS_ASN1_INTEGER) != 0 || length == 0) return std::nullopt;
  if ((q[0] & 0x80) != 0) return std::nullopt;  // negative
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (count > (UINT64_MAX >> 8)) return UINT64_MAX;
    count = count << 8 | q[i];
  }
  return count;
}

/// The DER of encrypted PKCS#8, given as DER or as an "ENCRYPTED PRIVATE KEY" PEM block;
/// nullopt for anything else.
[[nodiscard]] inline std::optional<secret_buffer> encrypted_private_key_der(byte_view input) {
  if (!pem::looks_like_pem(input)) {
    if (!is_encrypted_private_key_info(input)) return std::nullopt;
    return secret_buffer(input.begin(), input.end());
  }
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  auto block = pem::find_block(text);
  if (!block || block->label != "ENCRYPTED PRIVATE KEY") return std::nullopt;
  auto der = pem::decode_body<secret_buffer>(block->body);
  if (!der || !is_encrypted_private_key_info(*der)) return std::nullopt;
  return std::move(*der);
}

/// Refuses an encrypted key whose key derivation would take longer than any honest one:
/// more than PKI_MAX_PBKDF2_ITERATIONS iterations, before any is run. It looks where
/// mbedtls_pk_parse_key does when given a password: every "ENCRYPTED PRIVATE KEY" PEM
/// block, wherever it is in the text, and the input itself read as DER, whose trailing
/// bytes mbedTLS ignores.
[[nodiscard]] inline result<void> check_key_derivation_cost(byte_view input) {
  const auto too_costly = [](byte_view der) {
    const auto iterations = key_derivation_iterations(der);
    return iterations && *iterations > PKI_MAX_PBKDF2_ITERATIONS;
  };
  bool refused = too_costly(input);
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  constexpr std::string_view header = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
  for (std::size_t at = text.find(header); !refused && at != std::string_view::npos;
       at = text.find(header, at + 1)) {
    auto block = pem::find_block(text, at);
    if (!block) continue;
    auto der = pem::decode_body<secret_buffer>(block->body);
    refused = der && too_costly(*der);
  }
  if (refused) {
    return fail(errc::key_out_of_bounds,
                "the encrypted private key asks for more PBKDF2 iterations than PKI_MAX_PBKDF2_ITERATIONS");
  }
  return {};
}

/// RFC 5480 2.1.1: the parameters of id-ecPublicKey (and id-ecDH) MUST be present and,
/// in PKIX, be a namedCurve; implicitCurve (NULL) and specifiedCurve (explicit domain
/// parameters) MUST NOT be used. mbedTLS would try to match explicit parameters to a
/// curve; refusing them here also gives the reason. `der` is a SubjectPublicKeyInfo or a
/// PKCS#8 PrivateKeyInfo (whose AlgorithmIdentifier follows a version INTEGER); any other
/// input passes through for mbedTLS to judge.
[[nodiscard]] inline result<void> check_ec_parameters_named(byte_view der) noexcept {
  auto* p = const_cast<unsigned char*>(der.data());  // mbedTLS's reader only reads through it
  const unsigned char* end = p + der.size();
  std::size_t length = 0;
  if (mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return {};
  end = p + length;
  if (p != end && *p == MBEDTLS_ASN1_INTEGER) {
    int version = 0;
    if (mbedtls_asn1_get_int(&p, end, &version) != 0) return {};
  }
  mbedtls_asn1_buf algorithm{};
  mbedtls_asn1_buf params{};
  if (mbedtls_asn1_get_alg(&p, end, &algorithm, &params) != 0) return {};
  const std::string_view id(reinterpret_cast<const char*>(algorithm.p), algorithm.len);
  if (id != oid::ec_public_key && id != oid::ec_dh) return {};
  if (params.tag == 0) {
    return fail(errc::parse_failed, "an EC key without parameters: RFC 5480 requires its named curve");
  }
  if (params.tag == MBEDTLS_ASN1_NULL) {
    return fail(errc::unsupported, "an EC key with implicitCurve parameters: RFC 5480 requires a named curve");
  }
  if (params.tag != MBEDTLS_ASN1_OID) {
    return fail(errc::unsupported,
                "an EC key with explicit domain parameters (specifiedCurve): RFC 5480 requires a named curve");
  }
  return {};
}

/// check_ec_parameters_named on what mbedTLS will read from `input`: the input itself as
/// DER, or the first PEM block labelled `label` ("PUBLIC KEY", "PRIVATE KEY": where the
/// SubjectPublicKeyInfo or PrivateKeyInfo is). A PEM key is decoded here and again by
/// mbedTLS; keys in certificates arrive as DER and pay nothing.
template <class Buffer>
[[nodiscard]] result<void> check_ec_parameters_named_in(byte_view input, std::string_view label) {
  if (!pem::looks_like_pem(input)) return check_ec_parameters_named(input);
  auto der = pem::decode<Buffer>({reinterpret_cast<const char*>(input.data()), input.size()}, label);
  if (!der) return {};  // another label, or text mbedTLS will refuse with its own reason
  return check_ec_parameters_named(*der);
}

/// True for encrypted PKCS#8, as DER or as an "ENCRYPTED PRIVATE KEY" PEM block.
[[nodiscard]] inline bool is_encrypted_private_key(byte_view input) {
  return encrypted_private_key_der(input).has_value();
}

[[nodiscard]] inline result<pk_handle> parse_private(byte_view input, std::string_view password) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  if (input.empty()) return fail(errc::parse_failed, "private key input is empty");
  auto pk = pk_handle::create();
  if (!pk) return pk;
  secret_buffer copy;
  append_nul_for_pem(input, copy, input);
  const auto* pwd = password.empty() ? nullptr : reinterpret_cast<const unsigned char*>(password.data());
  // Without a password mbedTLS derives no key, whatever the count.
  if (!password.empty()) {
    if (auto ok = check_key_derivation_cost(input); !ok) return std::unexpected(ok.error());
  }
  if (auto named = check_ec_parameters_named_in<secret_buffer>(input, "PRIVATE KEY"); !named) {
    return std::unexpected(named.error());
  }
  const int ret =
      mbedtls_pk_parse_key(pk->get(), input.data(), input.size(), pwd, password.size(), rng, rng_state());
  if (ret != 0) {
    const bool encrypted = is_encrypted_private_key(input);
    // mbedTLS tries encrypted DER only when given a password, and otherwise reports a
    // format error; name the real cause.
    if (encrypted && password.empty()) {
      return std::unexpected(error(errc::password_required, "the private key is encrypted", ret));
    }
    // A wrong password passes the CBC padding check about once in 256 tries; then the
    // "plaintext" is noise that fails to parse. On a well-formed encrypted key that is a
    // wrong password (or a corrupt ciphertext), not a malformed input.
    if (encrypted && errc_from_mbedtls(ret) == errc::parse_failed) {
      return std::unexpected(error(errc::bad_password, "the password is wrong or the key is corrupt", ret));
    }
    return mbedtls_failure(ret, "parsing a private key");
  }
  // mbedTLS keeps the public half a file states (a SEC1 point, RSA's N and E beside D, P
  // and Q) without checking it against the private half; a key whose halves disagree
  // would sign what its own public key refuses. One scalar multiplication for EC.
  if (const int pair = mbedtls_pk_check_pair(pk->get(), pk->get(), rng, rng_state()); pair != 0) {
    if (errc_from_mbedtls(pair) == errc::out_of_memory) return mbedtls_failure(pair, "checking a private key");
    return std::unexpected(
        error(errc::key_mismatch, "the private key's stated public half is not its own: the key is corrupt", pair));
  }
  return pk;
}

/// A public key's context as the copies of a public_key share it: inline in the block
/// std::make_shared allocates, so that parsing a key and sharing it cost one allocation.
struct shared_pk {
  mbedtls_pk_context context;
  shared_pk() noexcept { mbedtls_pk_init(&context); }
  shared_pk(const shared_pk&) = delete;
  shared_pk& operator=(const shared_pk&) = delete;
  ~shared_pk() { mbedtls_pk_free(&context); }
};

/// Parses SubjectPublicKeyInfo or RSAPublicKey, PEM or DER, into `pk` (initialised, empty).
[[nodiscard]] inline result<void> parse_public_into(mbedtls_pk_context& pk, byte_view input) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  if (input.empty()) return fail(errc::parse_failed, "public key input is empty");
  byte_buffer copy;
  append_nul_for_pem(input, copy, input);
  if (auto named = check_ec_parameters_named_in<byte_buffer>(input, "PUBLIC KEY"); !named) {
    return std::unexpected(named.error());
  }
  const int ret = mbedtls_pk_parse_public_key(&pk, input.data(), input.size());
  if (ret != 0) return mbedtls_failure(ret, "parsing a public key");
  return {};
}

[[nodiscard]] inline result<pk_handle> parse_public(byte_view input) {
  auto pk = pk_handle::create();
  if (!pk) return pk;
  if (auto parsed = parse_public_into(**pk, input); !parsed) return std::unexpected(parsed.error());
  return pk;
}

/// Refuses public keys whose use would cost more than any honest key: an RSA public
/// exponent outside [3, 2^32) (verification time grows with the exponent's length: one
/// near an 8192-bit modulus costs seconds per signature; CAs use 65537, and Go's
/// crypto/rsa and Windows' CryptoAPI take no exponent wider than 32 bits either) or a
/// modulus above PKI_MAX_RSA_BITS. EC keys are bounded by their curve.
[[nodiscard]] inline result<void> check_public_key_bounds(const mbedtls_pk_context& pk,
                                                          const key_algorithm& alg) noexcept {
  if (alg.type != key_type::rsa) return {};
  if (alg.bits > PKI_MAX_RSA_BITS) {
    return fail(errc::key_out_of_bounds, "an RSA modulus is longer than PKI_MAX_RSA_BITS");
  }
#if PKI_HAS_RSA
  // mbedtls_rsa_export_raw fails when the exponent does not fit the 4 bytes given.
  std::array<unsigned char, 4> exponent{};
  const int ret = mbedtls_rsa_export_raw(mbedtls_pk_rsa(pk), nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0,
                                         exponent.data(), exponent.size());
  if (ret != 0) return fail(errc::key_out_of_bounds, "an RSA public exponent of 2^32 or more", ret);
  const std::uint32_t e =
      static_cast<std::uint32_t>(exponent[0]) << 24 | exponent[1] << 16 | exponent[2] << 8 | exponent[3];
  if (e < 3 || e % 2 == 0) return fail(errc::key_out_of_bounds, "an RSA public exponent below 3 or even");
  return {};
#else
  (void)pk;
  return fail(errc::unsupported, "RSA keys need an mbedTLS built with MBEDTLS_RSA_C");
#endif
}

/// Runs an mbedTLS writer that fills a buffer from its end and returns the length.
template <class Buffer, class Write>
[[nodiscard]] result<Buffer> write_from_end(Write write, const char* context) {
  Buffer buf(max_key_der);
  const int ret = write(buf.data(), buf.size());
  if (ret < 0) return mbedtls_failure(ret, context);
  return Buffer(buf.end() - ret, buf.end());
}

[[nodiscard]] inline result<secret_buffer> write_traditional(const mbedtls_pk_context& pk) {
  return write_from_end<secret_buffer>(
      [&](unsigned char* buf, std::size_t size) { return mbedtls_pk_write_key_der(&pk, buf, size); },
      "writing a private key");
}

[[nodiscard]] inline result<byte_buffer> write_spki(const mbedtls_pk_context& pk) {
  return write_from_end<byte_buffer>(
      [&](unsigned char* buf, std::size_t size) { return mbedtls_pk_write_pubkey_der(&pk, buf, size); },
      "writing a public key");
}

/// RSAPublicKey (PKCS#1) of an RSA key.
[[nodiscard]] inline result<byte_buffer> write_rsa_public(const mbedtls_pk_context& pk) {
  return write_from_end<byte_buffer>(
      [&](unsigned char* buf, std::size_t size) {
        unsigned char* p = buf + size;
        return mbedtls_pk_write_pubkey(&p, buf, &pk);
      },
      "writing an RSA public key");
}

/// A fresh key pair generated by PSA Crypto and copied into a pk context.
[[nodiscard]] inline result<pk_handle> generate(const key_algorithm& alg) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  std::size_t bits = alg.bits;
  if (alg.type == key_type::rsa) {
    if (alg.bits < 2048 || alg.bits > 8192 || alg.bits % 8 != 0) {
      return fail(errc::invalid_argument, "RSA keys are generated with 2048 to 8192 bits");
    }
    psa_set_key_type(&attributes, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_algorithm(&attributes, PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_ANY_HASH));
  } else if (alg.type == key_type::x25519) {
#if PKI_HAS_X25519
    if (bits == 0) bits = 255;
    if (bits != 255) return fail(errc::invalid_argument, "an X25519 key has 255 bits");
    psa_set_key_type(&attributes, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_MONTGOMERY));
    psa_set_key_algorithm(&attributes, PSA_ALG_ECDH);
#else
    return fail(errc::unsupported, "X25519 needs MBEDTLS_ECP_DP_CURVE25519_ENABLED and MBEDTLS_ECDH_C");
#endif
  } else {
    if (alg.ec_curve == curve::none || alg.ec_curve == curve::x25519) {
      return fail(errc::invalid_argument, "an EC key needs a curve P-256, P-384 or P-521");
    }
    // PSA picks a SECP R1 curve by its size: bits that are not the named curve's would
    // silently give a key on another curve than the one asked for.
    const std::size_t curve_bits = alg.ec_curve == curve::p256 ? 256 : alg.ec_curve == curve::p384 ? 384 : 521;
    if (bits == 0) bits = curve_bits;
    if (bits != curve_bits) return fail(errc::invalid_argument, "an EC key's bits are its curve's size (256, 384, 521)");
    psa_set_key_type(&attributes, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_algorithm(&attributes, PSA_ALG_ECDSA(PSA_ALG_ANY_HASH));
  }
  psa_set_key_bits(&attributes, bits);
  psa_set_key_usage_flags(&attributes,
                          alg.type == key_type::x25519
                              ? PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_DERIVE
                              : PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  const psa_status_t status = psa_generate_key(&attributes, &id);
  psa_reset_key_attributes(&attributes);
  if (status != PSA_SUCCESS) return mbedtls_failure(status, "generating a key pair");
  const psa_key owner(id);  // destroyed once copied out
  auto pk = pk_handle::create();
  if (!pk) return pk;
  if (int ret = mbedtls_pk_copy_from_psa(owner.id(), pk->get()); ret != 0) {
    return mbedtls_failure(ret, "copying a generated key out of PSA");
  }
  return pk;
}

/// True when `der` is an ECDSA-Sig-Value in strict DER: SEQUENCE of two minimal,
/// positive INTEGERs and nothing after. mbedTLS's reader is more lenient (BER lengths).
[[nodiscard]] constexpr bool is_strict_der_ecdsa(byte_view der) noexcept {
  std::size_t pos = 0;
  auto read_length = [&](std::size_t& length) {
    if (pos >= der.size()) return false;
    const std::uint8_t first = der[pos++];
    if (first < 0x80) {
      length = first;
      return true;
    }
    if (first != 0x81 || pos >= der.size() || der[pos] < 0x80) return false;  // minimal long form only
    length = der[pos++];
    return true;
  };
  auto read_integer = [&]() {
    std::size_t length = 0;
    if (pos >= der.size() || der[pos++] != 0x02 || !read_length(length)) return false;
    if (length == 0 || length > der.size() - pos) return false;
    const std::uint8_t first = der[pos];
    if (first & 0x80) return false;                                               // negative
    if (length > 1 && first == 0x00 && (der[pos + 1] & 0x80) == 0) return false;  // not minimal
    pos += length;
    return true;
  };
  std::size_t seq_length = 0;
  if (der.empty() || der[pos++] != 0x30 || !read_length(seq_length)) return false;
  if (seq_length != der.size() - pos) return false;
  return read_integer() && read_integer() && pos == der.size();
}

[[nodiscard]] constexpr std::size_t ec_scalar_size(const key_algorithm& alg) noexcept {
  return (alg.bits + 7) / 8;
}

/// Signs a digest; writes the signature into out (capacity out_size) and returns its length.
[[nodiscard]] inline result<std::size_t> sign_digest(mbedtls_pk_context& pk, const key_algorithm& alg,
                                                     const digest& d, const signature_options& opts,
                                                     std::uint8_t* out, std::size_t out_size) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  if (alg.type == key_type::x25519) return fail(errc::algorithm_mismatch, "an X25519 key does not sign");
  const mbedtls_md_type_t md = md_type(d.algorithm());
  std::size_t length = 0;
  if (alg.type == key_type::ec) {
    std::array<std::uint8_t, MBEDTLS_ECDSA_MAX_LEN> der{};
    int ret = mbedtls_pk_sign(&pk, md, d.bytes().data(), d.size(), der.data(), der.size(), &length, rng,
                              rng_state());
    if (ret != 0) return mbedtls_failure(ret, "signing with an EC key");
    if (opts.encoding == ecdsa_encoding::der) {
      if (length > out_size) return fail(errc::buffer_too_small, "ECDSA signature does not fit");
      std::copy_n(der.data(), length, out);
      return length;
    }
#if PKI_HAS_ECDSA
    ret = mbedtls_ecdsa_der_to_raw(alg.bits, der.data(), length, out, out_size, &length);
    if (ret != 0) return mbedtls_failure(ret, "converting an ECDSA signature to r||s");
    return length;
#else
    return fail(errc::unsupported, "ECDSA needs an mbedTLS built with MBEDTLS_ECDSA_C");
#endif
  }
  if (mbedtls_pk_get_len(&pk) > out_size) return fail(errc::buffer_too_small, "RSA signature does not fit");
  if (opts.padding == rsa_padding::pkcs1_v15) {
    const int ret = mbedtls_pk_sign_ext(MBEDTLS_PK_RSA, &pk, md, d.bytes().data(), d.size(), out, out_size,
                                        &length, rng, rng_state());
    if (ret != 0) return mbedtls_failure(ret, "signing with RSA PKCS#1 v1.5");
    return length;
  }
#if PKI_HAS_RSA_PSS
  if (opts.mgf1_hash && *opts.mgf1_hash != d.algorithm()) {
    return fail(errc::unsupported, "RSA-PSS with an MGF1 hash other than the message hash");
  }
  if (opts.pss_salt_length && *opts.pss_salt_length > mbedtls_pk_get_len(&pk)) {
    return fail(errc::invalid_argument, "RSA-PSS salt is longer than the modulus");
  }
  const int salt =
      opts.pss_salt_length ? static_cast<int>(*opts.pss_salt_length) : static_cast<int>(d.size());
  // mbedTLS signs PSS only with the context in PKCS#1 v2.1 mode, whose hash is also MGF1's.
  // The key keeps PKCS#1 v1.5 as its mode otherwise, so switch for this call and back.
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
  const int saved_padding = mbedtls_rsa_get_padding_mode(rsa);
  const auto saved_md = static_cast<mbedtls_md_type_t>(mbedtls_rsa_get_md_alg(rsa));
  int ret = mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
  if (ret == 0) {
    ret = mbedtls_rsa_rsassa_pss_sign_ext(rsa, rng, rng_state(), md, static_cast<unsigned>(d.size()),
                                          d.bytes().data(), salt, out);
  }
  const int restored = mbedtls_rsa_set_padding(rsa, saved_padding, saved_md);
  if (ret == 0) ret = restored;
  if (ret != 0) return mbedtls_failure(ret, "signing with RSA-PSS");
  return mbedtls_pk_get_len(&pk);
#else
  return fail(errc::unsupported, "RSA-PSS needs MBEDTLS_PKCS1_V21");
#endif
}

/// A verification failure: bad_signature, unless mbedTLS ran out of memory.
[[nodiscard]] inline std::unexpected<error> verify_failure(int ret, const char* context) noexcept {
  const errc code = errc_from_mbedtls(ret);
  if (code == errc::out_of_memory || code == errc::unsupported) return mbedtls_failure(ret, context);
  return std::unexpected(error(errc::bad_signature, context, ret));
}

[[nodiscard]] inline result<void> verify_digest(mbedtls_pk_context& pk, const key_algorithm& alg,
                                                const digest& d, byte_view sig,
                                                const signature_options& opts) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  if (alg.type == key_type::x25519)
    return fail(errc::algorithm_mismatch, "an X25519 key verifies no signature");
  if (sig.empty()) return fail(errc::bad_signature, "signature is empty");
  const mbedtls_md_type_t md = md_type(d.algorithm());
  if (alg.type == key_type::ec) {
    std::array<std::uint8_t, MBEDTLS_ECDSA_MAX_LEN> der{};
    std::size_t der_length = 0;
    if (opts.encoding == ecdsa_encoding::raw) {
      if (sig.size() != 2 * ec_scalar_size(alg))
        return fail(errc::bad_signature, "r||s signature has the wrong length");
#if PKI_HAS_ECDSA
      const int ret =
          mbedtls_ecdsa_raw_to_der(alg.bits, sig.data(), sig.size(), der.data(), der.size(), &der_length);
      if (ret != 0) return verify_failure(ret, "reading an r||s ECDSA signature");
#else
      return fail(errc::unsupported, "ECDSA needs an mbedTLS built with MBEDTLS_ECDSA_C");
#endif
      sig = {der.data(), der_length};
    } else if (!is_strict_der_ecdsa(sig)) {
      return fail(errc::bad_signature, "ECDSA signature is not strict DER");
    }
    const int ret = mbedtls_pk_verify(&pk, md, d.bytes().data(), d.size(), sig.data(), sig.size());
    if (ret != 0) return verify_failure(ret, "verifying an ECDSA signature");
    return {};
  }
  if (opts.padding == rsa_padding::pkcs1_v15) {
    const int ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSA, nullptr, &pk, md, d.bytes().data(), d.size(),
                                          sig.data(), sig.size());
    if (ret != 0) return verify_failure(ret, "verifying an RSA PKCS#1 v1.5 signature");
    return {};
  }
#if PKI_HAS_RSA_PSS
  // The library's own EMSA-PSS-VERIFY: mbedTLS 3.6 cannot verify with an MGF1 hash other
  // than the message hash (see pss.hpp).
  const auto verdict =
      verify_pss(*mbedtls_pk_rsa(pk), d, opts.mgf1_hash.value_or(d.algorithm()), opts.pss_salt_length, sig);
  if (!verdict && verdict.error().code() == errc::bad_signature) {
    return std::unexpected(error(errc::bad_signature, "verifying an RSA-PSS signature"));
  }
  return verdict;
#else
  return fail(errc::unsupported, "RSA-PSS needs MBEDTLS_PKCS1_V21");
#endif
}

}  // namespace pki::detail
