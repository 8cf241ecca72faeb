# The pki tool from start to finish: a root CA, an intermediate CA under it, a TLS server
# key and CSR, the server certificate the intermediate issues, each certificate shown,
# the chain they form, and `pki verify` validating it. ctest runs it as example.pki_tool_demo:
#
#   cmake -DPKI=build/default/examples/pki/pki -DWORK_DIR=/tmp/pki-demo -P examples/pki/demo.cmake
#
# The root key is encrypted; its password comes from an environment variable, the way
# the tool takes passwords (never on the command line).
cmake_minimum_required(VERSION 3.25)

foreach(required PKI WORK_DIR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "demo.cmake needs -D${required}=...")
  endif()
endforeach()
get_filename_component(PKI "${PKI}" ABSOLUTE)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(ENV{PKI_DEMO_ROOT_PASSWORD} "demo only: correct horse battery staple")

# Prints a heading for the next step.
function(step text)
  message("\n==== ${text}")
endfunction()

# Runs `pki ARGS...` in WORK_DIR, echoing the command line and its output; stops the
# demo when it fails. The output is left in `pki_output`.
function(pki)
  set(line "")
  foreach(arg IN LISTS ARGN)
    if(arg MATCHES " ")
      set(arg "\"${arg}\"")
    endif()
    string(APPEND line " ${arg}")
  endforeach()
  message("$ pki${line}")
  execute_process(COMMAND "${PKI}" ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pki${line} failed (exit ${status}):\n${err}")
  endif()
  string(STRIP "${out}" shown)
  if(shown)
    message("${shown}")
  endif()
  set(pki_output "${out}" PARENT_SCOPE)
endfunction()

# Shows a certificate and sets <prefix>_subject and <prefix>_issuer from what it printed.
function(show_certificate file prefix)
  pki(cert show ${file})
  string(REGEX MATCH "Subject: +([^\n]*)" _ "${pki_output}")
  set(${prefix}_subject "${CMAKE_MATCH_1}" PARENT_SCOPE)
  string(REGEX MATCH "Issuer: +([^\n]*)" _ "${pki_output}")
  set(${prefix}_issuer "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

step("1. A root CA: an encrypted P-384 key and a self-signed certificate for ten years")
pki(key generate --algorithm ec-p384 --out root.key --password-env PKI_DEMO_ROOT_PASSWORD)
pki(ca init --key root.key --password-env PKI_DEMO_ROOT_PASSWORD
  --subject "CN=Demo Root CA,O=Demo Corp,C=DE" --days 3650 --out root.pem)

step("2. An intermediate CA: its key and CSR, issued by the root for five years")
pki(key generate --algorithm ec-p256 --out issuing-ca.key)
pki(csr create --key issuing-ca.key --subject "CN=Demo Issuing CA,O=Demo Corp,C=DE" --out issuing-ca.csr)
pki(ca issue --ca-cert root.pem --ca-key root.key --password-env PKI_DEMO_ROOT_PASSWORD
  --csr issuing-ca.csr --profile intermediate-ca --days 1825 --out issuing-ca.pem)

step("3. A TLS server: its key and a CSR naming its DNS names")
pki(key generate --algorithm ec-p256 --out server.key)
pki(csr create --key server.key --subject "CN=www.demo.example"
  --dns www.demo.example --dns demo.example --out server.csr)
pki(csr show server.csr)

step("4. The intermediate issues the server certificate for 90 days (tls-server profile)")
pki(ca issue --ca-cert issuing-ca.pem --ca-key issuing-ca.key --csr server.csr
  --profile tls-server --days 90 --out server.pem)

step("5. The three certificates")
show_certificate(root.pem root)
show_certificate(issuing-ca.pem issuing)
show_certificate(server.pem server)

if(NOT server_issuer STREQUAL issuing_subject OR NOT issuing_issuer STREQUAL root_subject
   OR NOT root_issuer STREQUAL root_subject)
  message(FATAL_ERROR "the certificates do not chain by name")
endif()
step("6. The chain, leaf first")
message("  [0] ${server_subject}\n        issued by ${server_issuer}")
message("  [1] ${issuing_subject}\n        issued by ${issuing_issuer}")
message("  [2] ${root_subject}\n        self-signed: the trust anchor")

step("7. pki verify: the path from the server certificate to the root, for its host name")
pki(verify --trust root.pem --untrusted issuing-ca.pem --host www.demo.example server.pem)
if(NOT pki_output MATCHES "depth 2: [^\n]*\\(trust anchor\\)\nOK: ")
  message(FATAL_ERROR "pki verify did not print the path to the root")
endif()

find_program(OPENSSL openssl)
if(OPENSSL)
  message("\n$ openssl verify -CAfile root.pem -untrusted issuing-ca.pem server.pem")
  execute_process(COMMAND "${OPENSSL}" verify -CAfile root.pem -untrusted issuing-ca.pem server.pem
    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(STRIP "${out}" out)
  message("${out}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "openssl does not accept the chain")
  endif()
endif()
message("\nThe files are in ${WORK_DIR}.")
