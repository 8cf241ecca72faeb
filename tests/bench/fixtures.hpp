#pragma once
// The certificates and keys every case works on, issued once in-process with the library's
// certificate_builder (no files) around the current time, since TLS sessions and mbedTLS's
// verifier both validate at "now". The leaf is modelled on a Let's Encrypt certificate of
// 2024: a P-256 key under an ECDSA issuing CA, two DNS names, keyUsage, extendedKeyUsage,
// basicConstraints, both key identifiers, AIA (OCSP and caIssuers), certificatePolicies,
// a CRL distribution point and an embedded SCT list (kept as opaque bytes, as mbedTLS and
// pki do).

#include <pki/issue/authority.hpp>
#include <pki/keys/key.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/x509/certificate.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pki_bench {

/// The host name the typical leaf is for (and its "www." alias).
inline constexpr std::string_view host = "example.com";

/// Where Debian keeps its CA bundle (the 144 roots of ca-certificates).
inline constexpr std::string_view debian_bundle = "/etc/ssl/certs/ca-certificates.crt";

/// A certificate and its subject's key.
struct node {
  pki::certificate<> cert;
  pki::private_key<> key;
};

/// root -> CA ... -> leaf, every key P-256.
struct hierarchy {
  node root;
  std::vector<node> cas;  ///< the first under the root; the last issued the leaf
  node leaf;              ///< a typical TLS server leaf for `host`
  /// What a server sends after its leaf: the leaf's issuer first, up to the root's child.
  std::vector<pki::certificate<>> intermediates;

  /// The CA that issued the leaf.
  [[nodiscard]] const node& issuer() const { return cas.empty() ? root : cas.back(); }
};

/// A hierarchy of `length` certificates, root and leaf included (2 to 9); made once each.
const hierarchy& chain_of(std::size_t length);

/// The typical 3-certificate hierarchy (chain_of(3)), as a TLS server presents it.
inline const hierarchy& web() {
  return chain_of(3);
}

/// A TLS client (device) certificate under web()'s issuing CA, with its key: clientAuth.
const node& web_client();

/// `count` CA certificates with web()'s issuing CA's subject name but other keys, issued by
/// web()'s root: issuer candidates for web()'s leaf that did not sign it. Made once each.
const std::vector<pki::certificate<>>& decoys(std::size_t count);

/// `count` distinct TLS server leaves (device-N.example.com) under web()'s issuing CA, for
/// the verified-link cache cases. Made once each.
const std::vector<pki::certificate<>>& sibling_leaves(std::size_t count);

/// Every certificate of the Debian bundle the library parses (for the 145-anchor cases).
const std::vector<pki::certificate<>>& debian_roots();

/// A P-256 and an RSA-2048 key for the sign and verify cases.
const pki::private_key<pki::ecdsa_p256>& ec_signing_key();
const pki::private_key<pki::rsa<2048>>& rsa_signing_key();

/// A private key as unencrypted PKCS#8 DER, for mbedTLS's and OpenSSL's own parsers.
template <pki::algorithm_tag Alg>
std::vector<unsigned char> pkcs8_of(const pki::private_key<Alg>& key) {
  auto der = key.to_der();
  return der ? std::vector<unsigned char>(der->begin(), der->end()) : std::vector<unsigned char>{};
}

}  // namespace pki_bench
