// TLS 1.3 handshakes between a client and a server in one thread over an in-memory pipe:
// pki::tls (client_config<> with policy::web_server, server_config<> with
// policy::iot_mtls_server, tls::session) against mbedTLS's own mbedtls_ssl_* API configured
// the same way (TLS 1.3 only, mbedTLS's default groups and suites, session tickets on
// with an AES-256-GCM ticket key, the server chain checked for "example.com" under the
// same algorithm profile as the validation cases), and OpenSSL over a BIO pair.
//
// Each iteration makes both sessions, runs both handshakes to the end and frees them.
// "full" presents the typical leaf and its issuing CA; "mtls" adds a client certificate
// under the same CA; "resumed" offers the ticket of a first connection (each column
// checks that its handshake really resumed). The signature_checks counter is what both
// ends verified in one handshake, certificate chains and CertificateVerify alike.

// mbedtls/psa_util.h (3.6) lacks the extern "C" guard of the other headers.
extern "C" {
#include <mbedtls/psa_util.h>
}
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pki/tls/config.hpp>
#include <pki/tls/session.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

/// Two byte queues, one per direction, shared by the pki and mbedTLS columns so that
/// moving the bytes costs both the same.
class duplex {
 public:
  static constexpr int client = 0;
  static constexpr int server = 1;

  std::size_t send(int from, const std::uint8_t* data, std::size_t size) {
    auto& queue = inbox_[1 - from];
    queue.insert(queue.end(), data, data + size);
    return size;
  }
  /// 0 when nothing is waiting.
  std::size_t receive(int self, std::uint8_t* out, std::size_t size) {
    auto& queue = inbox_[self];
    auto& read = read_[self];
    const std::size_t n = std::min(size, queue.size() - read);
    if (n == 0) return 0;
    std::memcpy(out, queue.data() + read, n);
    read += n;
    if (read == queue.size()) {
      queue.clear();
      read = 0;
    }
    return n;
  }

 private:
  std::array<std::vector<std::uint8_t>, 2> inbox_{};
  std::array<std::size_t, 2> read_{};
};

enum class step : std::uint8_t { done, waiting, failed };

/// Steps both handshakes in turn until both are done or one failed (a TLS 1.3 handshake
/// takes three rounds; the bound only stops a stuck pair).
template <class Client, class Server>
bool handshake_both(Client&& client_step, Server&& server_step) {
  step c = step::waiting;
  step s = step::waiting;
  for (int round = 0; round < 32 && (c == step::waiting || s == step::waiting); ++round) {
    if (c == step::waiting) c = client_step();
    if (s == step::waiting) s = server_step();
    if (c == step::failed || s == step::failed) return false;
  }
  return c == step::done && s == step::done;
}

struct scenario {
  bool mutual = false;
  bool resumed = false;

  [[nodiscard]] std::string name() const {
    return std::string("tls13_") + (mutual ? "mtls_" : "") + (resumed ? "resumed" : "full");
  }
};

// --- pki -------------------------------------------------------------------------------

namespace tls = pki::tls;

tls::transport transport_of(duplex& pipe, int side) {
  return {.send = [&pipe, side](pki::byte_view data) -> pki::result<std::size_t> {
            return pipe.send(side, data.data(), data.size());
          },
          .receive = [&pipe, side](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
            const std::size_t n = pipe.receive(side, buffer.data(), buffer.size());
            if (n == 0) return pki::fail(pki::errc::would_block, "nothing to receive yet");
            return n;
          }};
}

struct pki_endpoints {
  tls::config client;
  tls::config server;
};

pki::result<pki_endpoints> pki_configs(bool mutual) {
  const auto& h = web();
  pki::trust_store anchors;
  anchors.add(h.root.cert);
  std::vector<pki::certificate<>> server_chain{h.leaf.cert};
  server_chain.insert(server_chain.end(), h.intermediates.begin(), h.intermediates.end());
  tls::server_config<> server;
  server.identity(server_chain, h.leaf.key)
      .versions(tls::protocol_version::tls1_3, tls::protocol_version::tls1_3);
  tls::client_config<> client;
  client.trust(anchors).versions(tls::protocol_version::tls1_3, tls::protocol_version::tls1_3);
  if (mutual) {
    server.trust(anchors);
    std::vector<pki::certificate<>> client_chain{web_client().cert};
    client_chain.insert(client_chain.end(), h.intermediates.begin(), h.intermediates.end());
    client.identity(client_chain, web_client().key);
  }
  auto c = client.build();
  if (!c) return std::unexpected(c.error());
  auto s = server.build();
  if (!s) return std::unexpected(s.error());
  return pki_endpoints{std::move(*c), std::move(*s)};
}

step pki_step(tls::session& session, std::optional<pki::error>& failure) {
  auto r = session.handshake();
  if (r) return step::done;
  if (r.error() == pki::errc::would_block) return step::waiting;
  failure = r.error();
  return step::failed;
}

/// One connection; with `save`, the client also reads the ticket the server sent and
/// keeps the session to resume.
pki::result<void> pki_connect(const pki_endpoints& e, const tls::saved_session* resume,
                              std::optional<tls::saved_session>* save = nullptr) {
  duplex pipe;
  auto client = tls::session::client(e.client, transport_of(pipe, duplex::client),
                                     pki::peer_name{pki::dns_name{std::string(host)}}, resume);
  if (!client) return std::unexpected(client.error());
  auto server = tls::session::server(e.server, transport_of(pipe, duplex::server));
  if (!server) return std::unexpected(server.error());
  std::optional<pki::error> failure;
  if (!handshake_both([&] { return pki_step(*client, failure); },
                      [&] { return pki_step(*server, failure); })) {
    if (failure) return std::unexpected(*failure);
    return pki::fail(pki::errc::protocol_error, "the handshakes did not finish");
  }
  if (resume != nullptr && !(client->resumed() && server->resumed())) {
    return pki::fail(pki::errc::protocol_error, "the handshake did not resume");
  }
  if (save != nullptr) {
    std::array<std::uint8_t, 16> buffer{};
    (void)client->read(buffer);  // would_block, once the ticket is in
    auto saved = client->save();
    if (!saved) return std::unexpected(saved.error());
    save->emplace(std::move(*saved));
  }
  return {};
}

void pki_handshake(benchmark::State& state, const scenario& sc) {
  auto endpoints = pki_configs(sc.mutual);
  if (!endpoints) return fail(state, "configuring", endpoints.error());
  std::optional<tls::saved_session> saved;
  if (sc.resumed) {
    if (auto ok = pki_connect(*endpoints, nullptr, &saved); !ok)
      return fail(state, "the first connection", ok.error());
  }
  const tls::saved_session* resume = saved ? &*saved : nullptr;
  if (auto ok = pki_connect(*endpoints, resume); !ok) return fail(state, "connecting", ok.error());
  report(state, count([&] { (void)pki_connect(*endpoints, resume); }));
  for (auto _ : state) {
    if (auto ok = pki_connect(*endpoints, resume); !ok) return fail(state, "connecting", ok.error());
  }
}

// --- mbedTLS ---------------------------------------------------------------------------

using ssl_config = raw<mbedtls_ssl_config, mbedtls_ssl_config_init, mbedtls_ssl_config_free>;
using ssl_context = raw<mbedtls_ssl_context, mbedtls_ssl_init, mbedtls_ssl_free>;
using ssl_session = raw<mbedtls_ssl_session, mbedtls_ssl_session_init, mbedtls_ssl_session_free>;
using ticket_context = raw<mbedtls_ssl_ticket_context, mbedtls_ssl_ticket_init, mbedtls_ssl_ticket_free>;
using x509_crt = raw<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;
using pk_context = raw<mbedtls_pk_context, mbedtls_pk_init, mbedtls_pk_free>;

/// policy::web_server's algorithm rules, as in the validation cases.
const mbedtls_x509_crt_profile web_profile = {
    .allowed_mds = MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    .allowed_pks = MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY),
    .allowed_curves = MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) |
                      MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1) |
                      MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP521R1),
    .rsa_min_bitlen = 2048,
};

/// One mbedTLS endpoint's configuration and what it points to.
struct mbedtls_endpoint {
  ssl_config conf;
  x509_crt own_chain;
  pk_context own_key;
  x509_crt trusted;
  ticket_context tickets;
};

int parse_all(x509_crt& list, const pki::certificate<>& first, const std::vector<pki::certificate<>>& rest) {
  int ret = mbedtls_x509_crt_parse_der(list.get(), first.der().data(), first.der().size());
  for (const auto& cert : rest) {
    if (ret == 0) ret = mbedtls_x509_crt_parse_der(list.get(), cert.der().data(), cert.der().size());
  }
  return ret;
}

template <class Key>
int set_identity(mbedtls_endpoint& e, const pki::certificate<>& leaf, const Key& key) {
  int ret = parse_all(e.own_chain, leaf, web().intermediates);
  if (ret != 0) return ret;
  const auto der = pkcs8_of(key);
  ret = mbedtls_pk_parse_key(e.own_key.get(), der.data(), der.size(), nullptr, 0, mbedtls_psa_get_random,
                             MBEDTLS_PSA_RANDOM_STATE);
  if (ret != 0) return ret;
  return mbedtls_ssl_conf_own_cert(e.conf.get(), e.own_chain.get(), e.own_key.get());
}

int set_trust(mbedtls_endpoint& e) {
  const int ret = parse_all(e.trusted, web().root.cert, {});
  if (ret != 0) return ret;
  mbedtls_ssl_conf_ca_chain(e.conf.get(), e.trusted.get(), nullptr);
  mbedtls_ssl_conf_cert_profile(e.conf.get(), &web_profile);
  mbedtls_ssl_conf_authmode(e.conf.get(), MBEDTLS_SSL_VERIFY_REQUIRED);
  return 0;
}

int configure_mbedtls(mbedtls_endpoint& e, bool server, bool mutual) {
  if (psa_crypto_init() != PSA_SUCCESS) return MBEDTLS_ERR_SSL_HW_ACCEL_FAILED;
  mbedtls_ssl_config* c = e.conf.get();
  int ret = mbedtls_ssl_config_defaults(c, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                        MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return ret;
  mbedtls_ssl_conf_rng(c, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
  mbedtls_ssl_conf_min_tls_version(c, MBEDTLS_SSL_VERSION_TLS1_3);
  mbedtls_ssl_conf_max_tls_version(c, MBEDTLS_SSL_VERSION_TLS1_3);
  if (server) {
    if ((ret = set_identity(e, web().leaf.cert, web().leaf.key)) != 0) return ret;
    if (mutual) {
      if ((ret = set_trust(e)) != 0) return ret;
    } else {
      mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE);
    }
    ret = mbedtls_ssl_ticket_setup(e.tickets.get(), mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE,
                                   MBEDTLS_CIPHER_AES_256_GCM, 86400);
    if (ret != 0) return ret;
    mbedtls_ssl_conf_session_tickets_cb(c, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        e.tickets.get());
    return 0;
  }
  if ((ret = set_trust(e)) != 0) return ret;
  if (mutual && (ret = set_identity(e, web_client().cert, web_client().key)) != 0) return ret;
  mbedtls_ssl_conf_session_tickets(c, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
  mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
      c, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
  return 0;
}

struct bio_end {
  duplex* pipe;
  int side;
};

int bio_send(void* p, const unsigned char* data, std::size_t size) {
  auto* end = static_cast<bio_end*>(p);
  return static_cast<int>(end->pipe->send(end->side, data, size));
}

int bio_receive(void* p, unsigned char* buffer, std::size_t size) {
  auto* end = static_cast<bio_end*>(p);
  const std::size_t n = end->pipe->receive(end->side, buffer, size);
  return n == 0 ? MBEDTLS_ERR_SSL_WANT_READ : static_cast<int>(n);
}

step mbedtls_step(ssl_context& ssl, int& failure) {
  const int ret = mbedtls_ssl_handshake(ssl.get());
  if (ret == 0) return step::done;
  if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return step::waiting;
  failure = ret;
  return step::failed;
}

/// One connection (0, or the first mbedTLS error); with `save`, the client reads the ticket
/// and keeps its session.
int mbedtls_connect(mbedtls_endpoint& client_end, mbedtls_endpoint& server_end, const ssl_session* resume,
                    ssl_session* save = nullptr) {
  duplex pipe;
  bio_end client_io{&pipe, duplex::client};
  bio_end server_io{&pipe, duplex::server};
  ssl_context client;
  ssl_context server;
  int ret = mbedtls_ssl_setup(client.get(), client_end.conf.get());
  if (ret == 0) ret = mbedtls_ssl_set_hostname(client.get(), std::string(host).c_str());
  if (ret == 0 && resume != nullptr) ret = mbedtls_ssl_set_session(client.get(), resume->get());
  if (ret == 0) ret = mbedtls_ssl_setup(server.get(), server_end.conf.get());
  if (ret != 0) return ret;
  mbedtls_ssl_set_bio(client.get(), &client_io, bio_send, bio_receive, nullptr);
  mbedtls_ssl_set_bio(server.get(), &server_io, bio_send, bio_receive, nullptr);
  int failure = MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  const auto checks_before = signature_checks();
  if (!handshake_both([&] { return mbedtls_step(client, failure); },
                      [&] { return mbedtls_step(server, failure); })) {
    return failure;
  }
  // A resumed TLS 1.3 handshake verifies no signature; a full one at least three.
  if (resume != nullptr && signature_checks() != checks_before) return MBEDTLS_ERR_SSL_SESSION_TICKET_EXPIRED;
  if (save != nullptr) {
    // mbedTLS answers WANT_READ for a record that brought no data (the server's
    // ChangeCipherSpec, say) before it reaches the ticket.
    std::array<unsigned char, 16> buffer{};
    for (int record = 0; record < 8; ++record) {
      ret = mbedtls_ssl_read(client.get(), buffer.data(), buffer.size());
      if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
        return mbedtls_ssl_get_session(client.get(), save->get());
      if (ret != MBEDTLS_ERR_SSL_WANT_READ) break;
    }
    return ret < 0 ? ret : MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE;
  }
  return 0;
}

void mbedtls_handshake(benchmark::State& state, const scenario& sc) {
  mbedtls_endpoint client_end;
  mbedtls_endpoint server_end;
  if (int ret = configure_mbedtls(client_end, false, sc.mutual); ret != 0) {
    return fail_mbedtls(state, "configuring the client", ret);
  }
  if (int ret = configure_mbedtls(server_end, true, sc.mutual); ret != 0) {
    return fail_mbedtls(state, "configuring the server", ret);
  }
  ssl_session saved;
  const ssl_session* resume = nullptr;
  if (sc.resumed) {
    if (int ret = mbedtls_connect(client_end, server_end, nullptr, &saved); ret != 0) {
      return fail_mbedtls(state, "the first connection", ret);
    }
    resume = &saved;
  }
  if (int ret = mbedtls_connect(client_end, server_end, resume); ret != 0)
    return fail_mbedtls(state, "connecting", ret);
  report(state, count([&] { (void)mbedtls_connect(client_end, server_end, resume); }));
  for (auto _ : state) {
    if (int ret = mbedtls_connect(client_end, server_end, resume); ret != 0) {
      return fail_mbedtls(state, "connecting", ret);
    }
  }
}

// --- OpenSSL ---------------------------------------------------------------------------

using ssl_ctx = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using ossl_session = std::unique_ptr<SSL_SESSION, decltype(&SSL_SESSION_free)>;

X509* openssl_cert(const pki::certificate<>& cert) {
  const unsigned char* p = cert.der().data();
  return d2i_X509(nullptr, &p, static_cast<long>(cert.der().size()));
}

template <class Key>
bool openssl_identity(SSL_CTX* ctx, const pki::certificate<>& leaf, const Key& key) {
  X509* cert = openssl_cert(leaf);
  bool ok = cert != nullptr && SSL_CTX_use_certificate(ctx, cert) == 1;
  X509_free(cert);
  for (const auto& inter : web().intermediates) {
    X509* extra = openssl_cert(inter);
    ok = ok && extra != nullptr && SSL_CTX_add0_chain_cert(ctx, extra) == 1;  // the context takes it
  }
  const auto der = pkcs8_of(key);
  const unsigned char* p = der.data();
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
  ok = ok && pkey != nullptr && SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
  EVP_PKEY_free(pkey);
  return ok;
}

bool openssl_trust(SSL_CTX* ctx, int mode) {
  X509* root = openssl_cert(web().root.cert);
  const bool ok = root != nullptr && X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), root) == 1;
  X509_free(root);
  SSL_CTX_set_verify(ctx, mode, nullptr);
  return ok;
}

ssl_ctx configure_openssl(bool server, bool mutual) {
  ssl_ctx ctx(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()), &SSL_CTX_free);
  if (!ctx) return ctx;
  bool ok = SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION) == 1 &&
            SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION) == 1;
  if (server) {
    ok = ok && openssl_identity(ctx.get(), web().leaf.cert, web().leaf.key);
    ok = ok && SSL_CTX_set_num_tickets(ctx.get(), 1) == 1;  // as mbedTLS sends
    static constexpr unsigned char id[] = "pki-bench";
    ok = ok && SSL_CTX_set_session_id_context(ctx.get(), id, sizeof(id) - 1) == 1;
    if (mutual) ok = ok && openssl_trust(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  } else {
    ok = ok && openssl_trust(ctx.get(), SSL_VERIFY_PEER);
    if (mutual) ok = ok && openssl_identity(ctx.get(), web_client().cert, web_client().key);
  }
  if (!ok) ctx.reset();
  return ctx;
}

step openssl_step(SSL* ssl) {
  const int ret = SSL_do_handshake(ssl);
  if (ret == 1) return step::done;
  const int error = SSL_get_error(ssl, ret);
  return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? step::waiting : step::failed;
}

bool openssl_connect(SSL_CTX* client_ctx, SSL_CTX* server_ctx, SSL_SESSION* resume,
                     ossl_session* save = nullptr) {
  std::unique_ptr<SSL, decltype(&SSL_free)> client(SSL_new(client_ctx), &SSL_free);
  std::unique_ptr<SSL, decltype(&SSL_free)> server(SSL_new(server_ctx), &SSL_free);
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  if (!client || !server || BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) != 1) return false;
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_bio(server.get(), server_bio, server_bio);
  const std::string name(host);
  if (SSL_set_tlsext_host_name(client.get(), name.c_str()) != 1 ||
      SSL_set1_host(client.get(), name.c_str()) != 1) {
    return false;
  }
  if (resume != nullptr && SSL_set_session(client.get(), resume) != 1) return false;
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());
  if (!handshake_both([&] { return openssl_step(client.get()); },
                      [&] { return openssl_step(server.get()); })) {
    return false;
  }
  if (resume != nullptr && SSL_session_reused(client.get()) != 1) return false;
  bool ok = true;
  if (save != nullptr) {
    std::array<unsigned char, 16> buffer{};
    (void)SSL_read(client.get(), buffer.data(), static_cast<int>(buffer.size()));  // takes in the ticket
    save->reset(SSL_get1_session(client.get()));
    ok = *save && SSL_SESSION_is_resumable(save->get()) == 1;
  }
  // Freed without close_notify, as in the other columns: OpenSSL would otherwise mark the
  // session it keeps as not resumable.
  SSL_set_shutdown(client.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_set_shutdown(server.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  return ok;
}

void openssl_handshake(benchmark::State& state, const scenario& sc) {
  auto client_ctx = configure_openssl(false, sc.mutual);
  auto server_ctx = configure_openssl(true, sc.mutual);
  if (!client_ctx || !server_ctx) return fail_openssl(state, "configuring");
  ossl_session saved(nullptr, &SSL_SESSION_free);
  if (sc.resumed && !openssl_connect(client_ctx.get(), server_ctx.get(), nullptr, &saved)) {
    return fail_openssl(state, "the first connection");
  }
  if (!openssl_connect(client_ctx.get(), server_ctx.get(), saved.get()))
    return fail_openssl(state, "connecting");
  auto t = count([&] { (void)openssl_connect(client_ctx.get(), server_ctx.get(), saved.get()); });
  report(state, t, false);
  for (auto _ : state) {
    if (!openssl_connect(client_ctx.get(), server_ctx.get(), saved.get()))
      return fail_openssl(state, "connecting");
  }
}

const bool registered = [] {
  for (bool mutual : {false, true}) {
    for (bool resumed : {false, true}) {
      const scenario sc{.mutual = mutual, .resumed = resumed};
      add_case(sc.name(), "pki", [sc](benchmark::State& s) { pki_handshake(s, sc); });
      add_case(sc.name(), "mbedtls", [sc](benchmark::State& s) { mbedtls_handshake(s, sc); });
      add_case(sc.name(), "openssl", [sc](benchmark::State& s) { openssl_handshake(s, sc); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace pki_bench
