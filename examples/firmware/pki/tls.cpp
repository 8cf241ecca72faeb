// TLS inside the image, over an in-memory transport: a device (client) and a broker
// (server) each with its chain and key from fw_data.h, under the same anchor. The client
// judges the broker under policy::iot_mtls_client, the broker the device under
// policy::iot_mtls_server, both at the board's clock (set in validate.cpp). No threads:
// both handshakes are stepped in turn on the one thread there is.

#include <pki/keys/key.hpp>
#include <pki/tls/config.hpp>
#include <pki/tls/session.hpp>
#include <pki/tls/transport.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/x509/certificate.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "fw_data.h"
#include "steps.hpp"

namespace fw {
namespace {

using pki::errc;

/// Bytes one end wrote and the other has not read yet.
struct queue {
  std::vector<std::uint8_t> bytes;
  std::size_t read = 0;
};

/// An end of an in-memory duplex pipe: sends into one queue, receives from the other;
/// receive says would_block when its queue is empty (the peer has not written yet).
pki::tls::transport pipe_end(const std::shared_ptr<std::array<queue, 2>>& pipe, int self) {
  pki::tls::transport io;
  io.send = [pipe, self](pki::byte_view data) -> pki::result<std::size_t> {
    auto& out = (*pipe)[1 - self].bytes;
    out.insert(out.end(), data.begin(), data.end());
    return data.size();
  };
  io.receive = [pipe, self](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
    queue& in = (*pipe)[self];
    const std::size_t n = std::min(buffer.size(), in.bytes.size() - in.read);
    if (n == 0) return pki::fail(errc::would_block, "nothing to read yet");
    std::memcpy(buffer.data(), in.bytes.data() + in.read, n);
    in.read += n;
    if (in.read == in.bytes.size()) in = {};
    return n;
  };
  return io;
}

struct identity {
  std::vector<pki::certificate<>> chain;
  pki::private_key<pki::ecdsa_p256> key;
};

pki::result<identity> load_identity(const unsigned char* cert, std::size_t cert_size, const unsigned char* key,
                                    std::size_t key_size) {
  auto leaf = parse_certificate(cert, cert_size);
  if (!leaf) return std::unexpected(leaf.error());
  auto issuing = parse_certificate(fw_intermediate_der, fw_intermediate_der_len);
  if (!issuing) return std::unexpected(issuing.error());
  auto k = pki::private_key<pki::ecdsa_p256>::parse(pki::byte_view(key, key_size));
  if (!k) return std::unexpected(k.error());
  return identity{{std::move(*leaf), std::move(*issuing)}, std::move(*k)};
}

pki::result<pki::trust_store> anchors() {
  auto root = parse_certificate(fw_root_der, fw_root_der_len);
  if (!root) return std::unexpected(root.error());
  pki::trust_store store;
  store.add(*root);
  return store;
}

pki::result<pki::tls::config> device_config() {
  auto device = load_identity(fw_device_der, fw_device_der_len, fw_device_key_der, fw_device_key_der_len);
  if (!device) return std::unexpected(device.error());
  auto store = anchors();
  if (!store) return std::unexpected(store.error());
  return pki::tls::client_config<pki::policy::iot_mtls_client>()
      .trust(std::move(*store))
      .identity(device->chain, device->key)
      .build();
}

pki::result<pki::tls::config> broker_config() {
  auto broker = load_identity(fw_server_der, fw_server_der_len, fw_server_key_der, fw_server_key_der_len);
  if (!broker) return std::unexpected(broker.error());
  auto store = anchors();
  if (!store) return std::unexpected(store.error());
  return pki::tls::server_config<pki::policy::iot_mtls_server>()
      .trust(std::move(*store))  // anchors on a server: client certificates required
      .identity(broker->chain, broker->key)
      .build();
}

pki::result<pki::tls::session> device_session(const pki::tls::config& cfg, pki::tls::transport io) {
  return pki::tls::session::client(cfg, std::move(io), pki::dns_name{FW_SERVER_HOST});
}

bool waiting(const pki::result<void>& r) { return !r && r.error() == errc::would_block; }

// Both handshakes in turn until neither waits, or a round moves no byte.
pki::result<void> handshake_both(pki::tls::session& client, pki::tls::session& server) {
  pki::result<void> c = pki::fail(errc::would_block, "not started");
  pki::result<void> s = c;
  for (int round = 0; round < 64 && (waiting(c) || waiting(s)); ++round) {
    if (waiting(c)) c = client.handshake();
    if (waiting(s)) s = server.handshake();
  }
  if (!c) return c;
  return s;
}

pki::result<void> exchange(pki::tls::session& from, pki::tls::session& to, std::string_view text) {
  if (auto ok = from.write_all(pki::as_bytes(text)); !ok) return ok;
  std::array<std::uint8_t, 128> buffer{};
  std::size_t got = 0;
  while (got < text.size()) {
    auto n = to.read(std::span(buffer).subspan(got));
    if (!n) return std::unexpected(n.error());
    got += *n;
  }
  if (std::string_view(reinterpret_cast<const char*>(buffer.data()), got) != text) {
    return pki::fail(errc::protocol_error, "the message arrived changed");
  }
  std::printf("  %.*s\n", static_cast<int>(text.size()), text.data());
  return {};
}

}  // namespace

bool tls_client_steps() {
  auto cfg = device_config();
  if (!report("tls_client_config", ok_of(cfg))) return false;
  // No broker in this image: the handshake sends its ClientHello and waits for an answer.
  auto pipe = std::make_shared<std::array<queue, 2>>();
  auto client = device_session(*cfg, pipe_end(pipe, 0));
  if (!report("tls_client_session", ok_of(client))) return false;
  const auto first = client->handshake();
  if (!waiting(first)) return report("tls_client_hello", first);
  std::printf("  ClientHello of %u bytes sent, waiting for the broker\n",
              static_cast<unsigned>((*pipe)[1].bytes.size()));
  return report("tls_client_hello", (*pipe)[1].bytes.empty() ? pki::fail(errc::protocol_error, "nothing sent")
                                                               : pki::result<void>());
}

bool mtls_steps() {
  auto client_cfg = device_config();
  if (!report("tls_client_config", ok_of(client_cfg))) return false;
  auto server_cfg = broker_config();
  if (!report("tls_server_config", ok_of(server_cfg))) return false;
  auto pipe = std::make_shared<std::array<queue, 2>>();
  auto client = device_session(*client_cfg, pipe_end(pipe, 0));
  auto server = pki::tls::session::server(*server_cfg, pipe_end(pipe, 1));
  if (!report("tls_sessions", client ? ok_of(server) : ok_of(client))) return false;
  if (!report("mtls_handshake", handshake_both(*client, *server))) return false;
  std::printf("  %.*s, %.*s; the broker's client is %s\n", static_cast<int>(client->version().size()),
              client->version().data(), static_cast<int>(client->cipher_suite().size()),
              client->cipher_suite().data(),
              server->peer_certificate() ? server->peer_certificate()->subject().to_string().c_str() : "unknown");
  if (!report("mtls_device_to_broker", exchange(*client, *server, "telemetry: temperature=21.5C"))) return false;
  return report("mtls_broker_to_device", exchange(*server, *client, "ack: telemetry received"));
}

}  // namespace fw
