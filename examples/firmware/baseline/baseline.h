/* The baseline images' steps. Each prints `STEP <name> ok` per step and returns 0, or
 * prints the failing step with its mbedTLS/PSA error code and returns 1. */
#ifndef BASELINE_H
#define BASELINE_H

/* Device and server chains valid for their names; the server's refused for another name. */
int bl_validate(void);

/* A fresh P-256 key (PSA) and a CSR for it, printed as PEM. */
int bl_csr(void);

/* A TLS 1.2 client set up for mutual TLS, its handshake started with no server present. */
int bl_tls_client(void);

/* A full mutual TLS 1.2 handshake between a client and a server in this image, then one
 * application message from client to server and the client's close_notify. */
int bl_mtls(void);

#endif
