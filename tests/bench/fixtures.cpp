#include "fixtures.hpp"

#include <pki/x509/extensions.hpp>
#include <pki/x509/general_name.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace pki_bench {

namespace {

using std::chrono::days;

/// The value of a fixture step; a fixture that cannot be made ends the program (it is a
/// bug in the benchmark or the library, not a measurement).
template <class T>
T must(pki::result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "pki-bench: cannot make the fixtures: %s: %s\n", what, r.error().message().c_str());
    std::exit(2);
  }
  return std::move(*r);
}

const std::chrono::sys_seconds now =
    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

pki::validity around_now(days before, days after) {
  return {now - before, now + after};
}

pki::private_key<> new_key() {
  return must(pki::private_key<>::generate(pki::ecdsa_p256::id), "generating a P-256 key");
}

pki::distinguished_name name(const std::string& rfc4514) {
  return must(pki::distinguished_name::parse(rfc4514), "parsing a name");
}

pki::subject_key_identifier ski_of(const pki::private_key<>& key) {
  auto spki = must(must(key.public_key(), "a public key").to_der(), "encoding a public key");
  return must(pki::subject_key_identifier::from_public_key_der(spki), "a subject key identifier");
}

pki::authority_key_identifier aki_of(const node& issuer) {
  auto ski = must(issuer.cert.subject_key_identifier(), "reading a subject key identifier");
  return pki::authority_key_identifier{.key_id = ski ? ski->key_id : ski_of(issuer.key).key_id};
}

pki::uri_name uri(std::string_view text) {
  return must(pki::uri_name::create(text), "a URI");
}

/// A CA certificate for `key` named `subject`, issued by `issuer` (self-signed when null).
pki::certificate<> ca_certificate(const pki::private_key<>& key, const pki::distinguished_name& subject,
                                  const node* issuer, const pki::validity& period) {
  pki::certificate_builder builder;
  builder.subject(subject)
      .issuer(issuer != nullptr ? issuer->cert.subject() : subject)
      .validity(period)
      .public_key(must(key.public_key(), "a public key"))
      .add(pki::basic_constraints{.ca = true})
      .add(pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::crl_sign |
                          pki::key_usage_flag::digital_signature})
      .add(ski_of(key));
  if (issuer != nullptr) builder.add(aki_of(*issuer));
  return must(builder.sign(issuer != nullptr ? issuer->key : key), "signing a CA certificate");
}

/// An embedded SCT list (1.3.6.1.4.1.11129.2.4.2) of two SCTs' size: opaque to both
/// parsers, there for the bytes a real leaf carries.
pki::extension sct_list() {
  pki::extension ext;
  ext.oid = must(pki::object_identifier::parse("1.3.6.1.4.1.11129.2.4.2"), "the SCT list OID");
  constexpr std::size_t list_size = 0xA9;
  ext.value = {0x04, 0x81, static_cast<std::uint8_t>(list_size)};
  for (std::size_t i = 0; i < list_size; ++i) ext.value.push_back(static_cast<std::uint8_t>(i * 37 + 11));
  return ext;
}

/// The typical TLS leaf for `dns` under `issuer` (see fixtures.hpp); `purposes` its EKUs.
pki::certificate<> leaf_certificate(const pki::private_key<>& key, const std::string& subject,
                                    std::vector<pki::general_name> names, const node& issuer,
                                    std::initializer_list<std::string_view> purposes, bool with_sct) {
  pki::certificate_builder builder;
  builder.subject(name(subject))
      .issuer(issuer.cert.subject())
      .validity(around_now(days(1), days(89)))
      .public_key(must(key.public_key(), "a public key"))
      .add(pki::key_usage{pki::key_usage_flag::digital_signature})
      .add(pki::extended_key_usage::of(purposes))
      .add(pki::basic_constraints{})
      .add(ski_of(key))
      .add(aki_of(issuer))
      .add(pki::authority_information_access{
          {{pki::object_identifier::from_trusted(pki::authority_information_access::ocsp),
            uri("http://e5.o.bench-encrypt.org")},
           {pki::object_identifier::from_trusted(pki::authority_information_access::ca_issuers),
            uri("http://e5.i.bench-encrypt.org/")}}})
      .add(pki::subject_alt_name{std::move(names)})
      .add(pki::certificate_policies{
          {{must(pki::object_identifier::parse("2.23.140.1.2.1"), "the DV policy OID"), {}}}})
      .add(pki::crl_distribution_points{{{.full_name = {uri("http://e5.c.bench-encrypt.org/93.crl")}}}});
  if (with_sct) builder.add_extension(sct_list());
  return must(builder.sign(issuer.key), "signing a leaf certificate");
}

hierarchy make_hierarchy(std::size_t length) {
  const std::string tag = std::to_string(length);
  auto root_key = new_key();
  const auto root_name = "CN=Bench Root X" + tag + ",O=Bench Internet Security Research Group,C=US";
  auto root_cert =
      ca_certificate(root_key, name(root_name), nullptr, around_now(days(5 * 365), days(10 * 365)));
  node root{std::move(root_cert), std::move(root_key)};
  std::vector<node> cas;
  for (std::size_t i = 0; i + 2 < length; ++i) {
    auto key = new_key();
    // The CA that issues the leaf has Let's Encrypt's short name; the ones above it, longer.
    const bool last = i + 3 == length;
    const auto subject = last ? std::string("CN=E5,O=Bench Encrypt,C=US")
                              : "CN=Bench CA " + std::to_string(i + 1) + ",O=Bench Encrypt,C=US";
    const node& issuer = cas.empty() ? root : cas.back();
    auto cert = ca_certificate(key, name(subject), &issuer, around_now(days(2 * 365), days(3 * 365)));
    cas.push_back({std::move(cert), std::move(key)});
  }
  auto leaf_key = new_key();
  auto leaf =
      leaf_certificate(leaf_key, "CN=" + std::string(host),
                       {pki::dns_name{std::string(host)}, pki::dns_name{"www." + std::string(host)}},
                       cas.empty() ? root : cas.back(),
                       {pki::extended_key_usage::server_auth, pki::extended_key_usage::client_auth}, true);
  std::vector<pki::certificate<>> intermediates;
  for (auto it = cas.rbegin(); it != cas.rend(); ++it) intermediates.push_back(it->cert);
  return hierarchy{.root = std::move(root),
                   .cas = std::move(cas),
                   .leaf = {std::move(leaf), std::move(leaf_key)},
                   .intermediates = std::move(intermediates)};
}

}  // namespace

const hierarchy& chain_of(std::size_t length) {
  if (length < 2 || length > 9) {
    std::fprintf(stderr, "pki-bench: no chain of %zu certificates\n", length);
    std::exit(2);
  }
  static std::map<std::size_t, std::unique_ptr<hierarchy>> made;
  auto& slot = made[length];
  if (!slot) slot = std::make_unique<hierarchy>(make_hierarchy(length));
  return *slot;
}

const node& web_client() {
  static const node client = [] {
    auto key = new_key();
    auto cert = leaf_certificate(key, "CN=device-1.example.com,O=Bench Devices",
                                 {pki::dns_name{"device-1.example.com"}}, web().issuer(),
                                 {pki::extended_key_usage::client_auth}, false);
    return node{std::move(cert), std::move(key)};
  }();
  return client;
}

const std::vector<pki::certificate<>>& decoys(std::size_t count) {
  static std::map<std::size_t, std::vector<pki::certificate<>>> made;
  auto& list = made[count];
  const auto& h = web();
  const auto& subject = h.issuer().cert.subject();
  while (list.size() < count) {
    list.push_back(ca_certificate(new_key(), subject, &h.root, around_now(days(2 * 365), days(3 * 365))));
  }
  return list;
}

const std::vector<pki::certificate<>>& sibling_leaves(std::size_t count) {
  static std::map<std::size_t, std::vector<pki::certificate<>>> made;
  auto& list = made[count];
  while (list.size() < count) {
    const std::string host_name = "device-" + std::to_string(list.size() + 1) + "." + std::string(host);
    list.push_back(leaf_certificate(new_key(), "CN=" + host_name, {pki::dns_name{host_name}}, web().issuer(),
                                    {pki::extended_key_usage::server_auth}, false));
  }
  return list;
}

const std::vector<pki::certificate<>>& debian_roots() {
  static const std::vector<pki::certificate<>> roots = [] {
    auto store = must(pki::trust_store::from_file(std::string(debian_bundle)), "loading the Debian bundle");
    return std::vector<pki::certificate<>>(store.anchors().begin(), store.anchors().end());
  }();
  return roots;
}

const pki::private_key<pki::ecdsa_p256>& ec_signing_key() {
  static const auto key = must(pki::private_key<pki::ecdsa_p256>::generate(), "generating a P-256 key");
  return key;
}

const pki::private_key<pki::rsa<2048>>& rsa_signing_key() {
  static const auto key = must(pki::private_key<pki::rsa<2048>>::generate(), "generating an RSA-2048 key");
  return key;
}

}  // namespace pki_bench
