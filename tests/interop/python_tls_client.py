#!/usr/bin/env python3
"""One HTTPS GET with Python's ssl module (OpenSSL underneath), for interop.tls_clients.

  python_tls_client.py --connect 127.0.0.1:PORT --cafile root.pem [--server-name localhost]
                       [--cert client.pem --key client.key] [--version tls1.2|tls1.3] PATH

The context is ssl.create_default_context(): the server's chain must lead to --cafile and
carry --server-name (default: the --connect host), as any Python program would check it.
Prints, one per line, "version: TLSv1.3", "status: 200" and "body: ..." for each body
line; exit status 0 when the exchange completed (whatever the status), 1 with
"error: TYPE: MESSAGE" when TLS or the connection failed, 2 for bad usage.
"""

import argparse
import socket
import ssl
import sys

TIMEOUT_SECONDS = 20


def fetch(args):
    host, _, port = args.connect.rpartition(":")
    context = ssl.create_default_context(cafile=args.cafile)
    if args.cert:
        context.load_cert_chain(args.cert, args.key)
    if args.version:
        pinned = {"tls1.2": ssl.TLSVersion.TLSv1_2, "tls1.3": ssl.TLSVersion.TLSv1_3}[args.version]
        context.minimum_version = pinned
        context.maximum_version = pinned
    server_name = args.server_name or host
    with socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS) as tcp:
        with context.wrap_socket(tcp, server_hostname=server_name) as tls:
            print("version:", tls.version(), flush=True)
            request = f"GET {args.path} HTTP/1.1\r\nHost: {server_name}\r\nConnection: close\r\n\r\n"
            tls.sendall(request.encode("ascii"))
            response = b""
            while chunk := tls.recv(16384):
                response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("ascii", "replace")
    print("status:", status_line.split(" ")[1] if " " in status_line else "none")
    for line in body.decode("utf-8", "replace").splitlines():
        print("body:", line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", required=True, metavar="HOST:PORT")
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--server-name")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--version", choices=["tls1.2", "tls1.3"])
    parser.add_argument("path")
    args = parser.parse_args()
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    try:
        fetch(args)
    except (OSError, ssl.SSLError) as e:  # ssl.SSLError and socket timeouts are OSErrors
        print(f"error: {type(e).__name__}: {e}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
