/* Baseline steps "tls-client" and "mtls": mutual TLS 1.2 (ECDHE-ECDSA-AES-128-GCM-SHA256)
 * with mbedTLS's ssl module over an in-memory transport: one ring buffer each way, which
 * the endpoints' bio callbacks write and read as if it were a socket. */

#include <mbedtls/ssl.h>
#include <psa/crypto.h>

#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "common.h"
#include "fw_data.h"

/* Smaller than the server's first flight (about 1.4 KiB with its two certificates) on
 * purpose: the endpoints must cope with partial writes and reads, as over a real socket. */
#define BL_PIPE_SIZE 1024
/* A full handshake is a few round trips of a few steps each; this only bounds a bug. */
#define BL_MAX_ROUNDS 64

typedef struct {
  unsigned char data[BL_PIPE_SIZE];
  size_t head;  /* next byte to read */
  size_t count; /* bytes waiting */
} bl_pipe;

typedef struct {
  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  mbedtls_x509_crt root;
  mbedtls_x509_crt chain;
  mbedtls_pk_context key;
  bl_pipe* out;
  bl_pipe* in;
} bl_endpoint;

static bl_pipe to_server, to_client;

static int pipe_send(bl_pipe* p, const unsigned char* data, size_t size) {
  if (p->count == BL_PIPE_SIZE) return MBEDTLS_ERR_SSL_WANT_WRITE;
  size_t n = 0;
  for (; n < size && p->count < BL_PIPE_SIZE; ++n, ++p->count) {
    p->data[(p->head + p->count) % BL_PIPE_SIZE] = data[n];
  }
  return (int)n;
}

static int pipe_recv(bl_pipe* p, unsigned char* data, size_t size) {
  if (p->count == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  size_t n = 0;
  for (; n < size && p->count > 0; ++n, --p->count, p->head = (p->head + 1) % BL_PIPE_SIZE) {
    data[n] = p->data[p->head];
  }
  return (int)n;
}

/* The bio callbacks: each endpoint writes its outbound pipe and reads its inbound one. */
static int endpoint_send(void* context, const unsigned char* data, size_t size) {
  return pipe_send(((bl_endpoint*)context)->out, data, size);
}

static int endpoint_recv(void* context, unsigned char* data, size_t size) {
  return pipe_recv(((bl_endpoint*)context)->in, data, size);
}

/* No clock in mbedTLS here: each certificate of the peer's chain is checked against the
 * fixed validation time, as pki does with the time it is given. */
static int check_validity(void* unused, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
  (void)unused;
  (void)depth;
  *flags |= bl_validity_flags(crt, FW_VALIDATION_TIME);
  return 0;
}

static void endpoint_init(bl_endpoint* e, bl_pipe* out, bl_pipe* in) {
  mbedtls_ssl_config_init(&e->conf);
  mbedtls_ssl_init(&e->ssl);
  mbedtls_x509_crt_init(&e->root);
  mbedtls_x509_crt_init(&e->chain);
  mbedtls_pk_init(&e->key);
  e->out = out;
  e->in = in;
  out->head = out->count = 0;
}

static void endpoint_free(bl_endpoint* e) {
  mbedtls_ssl_free(&e->ssl);
  mbedtls_ssl_config_free(&e->conf);
  mbedtls_pk_free(&e->key);
  mbedtls_x509_crt_free(&e->chain);
  mbedtls_x509_crt_free(&e->root);
}

/* Both ends present a chain (leaf + intermediate) and require one from the peer that leads
 * to the root; mbedTLS also checks the peer leaf's extended key usage for its role. */
static int configure(bl_endpoint* e, int endpoint) {
  int ret = mbedtls_ssl_config_defaults(&e->conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return ret;
  mbedtls_ssl_conf_rng(&e->conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
  mbedtls_ssl_conf_authmode(&e->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&e->conf, &e->root, NULL);
  mbedtls_ssl_conf_verify(&e->conf, check_validity, NULL);
  return mbedtls_ssl_conf_own_cert(&e->conf, &e->chain, &e->key);
}

static int endpoint_setup(bl_endpoint* e, int endpoint, const unsigned char* leaf, size_t leaf_len,
                          const unsigned char* key, size_t key_len, const char* peer_host) {
  int ret = bl_parse_root(&e->root);
  if (ret == 0) ret = bl_parse_chain(&e->chain, leaf, leaf_len);
  if (ret == 0) ret = bl_parse_key(&e->key, key, key_len);
  if (ret == 0) ret = configure(e, endpoint);
  if (ret == 0) ret = mbedtls_ssl_setup(&e->ssl, &e->conf);
  /* The name the server's certificate must carry. */
  if (ret == 0 && peer_host != NULL) ret = mbedtls_ssl_set_hostname(&e->ssl, peer_host);
  if (ret == 0) mbedtls_ssl_set_bio(&e->ssl, e, endpoint_send, endpoint_recv, NULL);
  return ret;
}

static int client_setup(bl_endpoint* client) {
  return endpoint_setup(client, MBEDTLS_SSL_IS_CLIENT, fw_device_der, fw_device_der_len, fw_device_key_der,
                        fw_device_key_der_len, FW_SERVER_HOST);
}

static int server_setup(bl_endpoint* server) {
  return endpoint_setup(server, MBEDTLS_SSL_IS_SERVER, fw_server_der, fw_server_der_len, fw_server_key_der,
                        fw_server_key_der_len, NULL);
}

/* One handshake step as far as the transport allows; 0 while blocked or done. */
static int advance(mbedtls_ssl_context* ssl) {
  if (mbedtls_ssl_is_handshake_over(ssl)) return 0;
  const int ret = mbedtls_ssl_handshake(ssl);
  if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
  return ret;
}

static int handshake(bl_endpoint* client, bl_endpoint* server) {
  for (int round = 0; round < BL_MAX_ROUNDS; ++round) {
    int ret = advance(&client->ssl);
    if (ret == 0) ret = advance(&server->ssl);
    if (ret != 0) return ret;
    if (mbedtls_ssl_is_handshake_over(&client->ssl) && mbedtls_ssl_is_handshake_over(&server->ssl)) {
      return 0;
    }
  }
  return MBEDTLS_ERR_SSL_TIMEOUT;
}

static int exchange(bl_endpoint* client, bl_endpoint* server) {
  static const char message[] = "telemetry from " FW_DEVICE_HOST;
  unsigned char received[sizeof message];
  int ret = mbedtls_ssl_write(&client->ssl, (const unsigned char*)message, sizeof message);
  if (ret != (int)sizeof message) return ret < 0 ? ret : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  ret = mbedtls_ssl_read(&server->ssl, received, sizeof received);
  if (ret != (int)sizeof message) return ret < 0 ? ret : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
  return memcmp(received, message, sizeof message) == 0 ? 0 : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

/* The client says close_notify; the server must read it as the peer's orderly close. */
static int close_connection(bl_endpoint* client, bl_endpoint* server) {
  unsigned char byte;
  const int ret = mbedtls_ssl_close_notify(&client->ssl);
  if (ret != 0) return ret;
  const int read = mbedtls_ssl_read(&server->ssl, &byte, 1);
  return read == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ? 0 : (read < 0 ? read : MBEDTLS_ERR_SSL_INTERNAL_ERROR);
}

static int run_mtls(bl_endpoint* client, bl_endpoint* server) {
  BL_CHECK("tls_client_setup", client_setup(client));
  BL_CHECK("tls_server_setup", server_setup(server));
  bl_step_ok("tls_setup");
  BL_CHECK("tls_handshake", handshake(client, server));
  printf("STEP tls_handshake ok (%s %s, client certificate verified: %s)\n",
         mbedtls_ssl_get_version(&client->ssl), mbedtls_ssl_get_ciphersuite(&client->ssl),
         mbedtls_ssl_get_verify_result(&server->ssl) == 0 ? "yes" : "no");
  BL_CHECK("tls_application_data", exchange(client, server));
  bl_step_ok("tls_application_data");
  BL_CHECK("tls_close_notify", close_connection(client, server));
  bl_step_ok("tls_close_notify");
  return 0;
}

int bl_mtls(void) {
  bl_endpoint client, server;
  endpoint_init(&client, &to_server, &to_client);
  endpoint_init(&server, &to_client, &to_server);
  const int failed = run_mtls(&client, &server);
  endpoint_free(&server);
  endpoint_free(&client);
  return failed;
}

/* Without a server the client sends its ClientHello and then waits for an answer. */
static int run_client(bl_endpoint* client) {
  BL_CHECK("tls_client_setup", client_setup(client));
  bl_step_ok("tls_client_setup");
  const int ret = mbedtls_ssl_handshake(&client->ssl);
  if (ret != MBEDTLS_ERR_SSL_WANT_READ || to_server.count == 0) {
    return bl_fail("tls_client_hello", ret != 0 ? ret : MBEDTLS_ERR_SSL_INTERNAL_ERROR);
  }
  printf(
      "STEP tls_client_hello ok (%u bytes sent; no server in this footprint image, so the "
      "handshake stops at WANT_READ as expected)\n",
      (unsigned)to_server.count);
  return 0;
}

int bl_tls_client(void) {
  bl_endpoint client;
  endpoint_init(&client, &to_server, &to_client);
  const int failed = run_client(&client);
  endpoint_free(&client);
  return failed;
}
