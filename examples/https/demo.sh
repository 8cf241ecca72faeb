#!/usr/bin/env bash
# HTTPS with mutual TLS over loopback, from nothing: the pki tool makes a root CA, a
# server certificate for localhost and 127.0.0.1 and a client certificate; https-server
# requires client certificates from that root; https-client sends two requests on one
# connection and reconnects twice, resuming the session each time. ctest runs it as
# example.https_mtls_demo, the last step of `cmake --workflow --preset demo`:
#
#   examples/https/demo.sh PKI HTTPS_SERVER HTTPS_CLIENT WORK_DIR
#
# Fails (exit 1) when any step does, and leaves no server running either way.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: demo.sh PKI HTTPS_SERVER HTTPS_CLIENT WORK_DIR" >&2
  exit 2
fi
pki_tool=$(realpath "$1")
https_server=$(realpath "$2")
https_client=$(realpath "$3")
work_dir=$4

rm -rf "$work_dir"
mkdir -p "$work_dir"
cd "$work_dir"

server_pid=""
# The server is stopped on every way out, success or failure, so no process outlives the test.
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
# Interrupted (ctest's timeout, Ctrl-C): exit, which runs the EXIT trap.
trap 'exit 1' INT TERM

fail() {
  echo "demo failed: $*" >&2
  if [[ -f server.log ]]; then
    echo "--- server output:" >&2
    cat server.log >&2
  fi
  exit 1
}

step() { printf '\n==== %s\n' "$*"; }

# Each runs its program, echoing the command line with the program's short name.
pki() {
  echo "\$ pki $*"
  "$pki_tool" "$@"
}
client() {
  echo "\$ https-client --connect 127.0.0.1:$port --trust root.pem $*"
  timeout 30 "$https_client" --connect "127.0.0.1:$port" --trust root.pem "$@"
}

step "1. A root CA (P-256, 365 days: longer than what it issues, which must end inside it)"
pki key generate --algorithm ec-p256 --out root.key
pki ca init --key root.key --subject "CN=HTTPS Demo Root CA,O=Demo Corp" --days 365 --out root.pem

step "2. The server: a certificate for localhost and 127.0.0.1 (tls-server profile)"
pki key generate --algorithm ec-p256 --out server.key
pki csr create --key server.key --subject "CN=localhost" --dns localhost --ip 127.0.0.1 --out server.csr
pki ca issue --ca-cert root.pem --ca-key root.key --csr server.csr --profile tls-server --days 30 \
  --out server.pem

step "3. The client: a device certificate for TLS client authentication (tls-client profile)"
pki key generate --algorithm ec-p256 --out client.key
pki csr create --key client.key --subject "CN=demo-device-01,O=Demo Corp" --out client.csr
pki ca issue --ca-cert root.pem --ca-key root.key --csr client.csr --profile tls-client --days 30 \
  --out client.pem

step "4. https-server on a free port, requiring client certificates from the root"
echo "\$ https-server --listen 127.0.0.1:0 --cert server.pem --key server.key --client-ca root.pem &"
# timeout: a server that outlives a stuck test still goes away.
timeout 60 "$https_server" --listen 127.0.0.1:0 --cert server.pem --key server.key --client-ca root.pem \
  >server.log 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
  first_line=$(head -n 1 server.log)
  if [[ $first_line =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || fail "https-server exited before listening"
  sleep 0.1
done
[[ -n $port ]] || fail "https-server did not print 'listening on 127.0.0.1:PORT' within 10 seconds"
echo "$first_line"

step "5. A client without a certificate is refused"
# Over TLS 1.2, where the refusal ends the handshake. (Over TLS 1.3 it comes after the
# client's handshake, and mbedTLS 3.6 servers encrypt that alert with the handshake keys,
# Mbed-TLS/mbedtls#10877: the client then sees a bad record MAC instead.)
if client --version tls1.2 /demo >refused.out 2>&1; then
  cat refused.out
  fail "the server accepted a client without a certificate"
fi
cat refused.out

step "6. Mutual TLS: two requests on one connection, then two reconnections resuming the session"
client --cert client.pem --key client.key --requests 2 --reconnect 2 /demo | tee client.out \
  || fail "https-client failed"

grep -q '^hello from pki https-server$' client.out || fail "the response body did not arrive"
grep -q '^client: CN=demo-device-01' client.out || fail "the server did not name the client certificate"
grep -q '^path: 0 CN=localhost / 1 CN=HTTPS Demo Root CA.* (anchor)$' client.out \
  || fail "the client did not print the validated path"
grep -q '^reconnect 1: resumed$' client.out || fail "reconnection 1 did not resume the session"
grep -q '^reconnect 2: resumed$' client.out || fail "reconnection 2 did not resume the session"

step "7. The server's log, after SIGTERM"
kill "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
cat server.log
[[ $status -eq 0 ]] || fail "https-server exited with status $status after SIGTERM"
grep -q 'handshake failed: peer certificate required' server.log \
  || fail "the server did not log the refused client"
grep -q 'resumed: no; client: CN=demo-device-01' server.log \
  || fail "the server did not log the client certificate"
[[ $(grep -c 'resumed: yes' server.log) -eq 2 ]] || fail "the server did not log two resumed connections"
echo
echo "OK: mutual TLS, keep-alive and session resumption over 127.0.0.1:$port"
