# Real TLS clients nobody on the team wrote, against the HTTPS example server
# (examples/https/server.cpp): curl, gnutls-cli, Python's ssl module and headless Chromium
# (interop.tls_clients), and a bounded mutual-TLS soak of the server from four client
# threads on pki::tls (interop.tls_soak). .ci/install-tls-clients.sh installs the clients.
# Included from tests/CMakeLists.txt when the examples are built.

# A missing client fails its tests when they run, with the path it was looked for at,
# rather than the configuration of everything else.
foreach(program IN ITEMS curl gnutls-cli chromium certutil timeout)
  string(MAKE_C_IDENTIFIER "${program}" id)
  string(TOUPPER "PKI_${id}_EXECUTABLE" variable)
  find_program(${variable} ${program})
  if(NOT ${variable})
    message(WARNING "pki: '${program}' was not found; interop.tls_clients will fail. "
      "Run .ci/install-tls-clients.sh (as root) to install the TLS clients.")
    set(${variable} "/usr/bin/${program}")
  endif()
endforeach()

pki_add_test(interop.tls_clients interop/tls_clients_test.cpp)
target_compile_definitions(interop.tls_clients PRIVATE
  PKI_TOOL_EXECUTABLE="$<TARGET_FILE:pki-tool>"
  PKI_HTTPS_SERVER_EXECUTABLE="$<TARGET_FILE:https-server>"
  PKI_CURL_EXECUTABLE="${PKI_CURL_EXECUTABLE}"
  PKI_GNUTLS_CLI_EXECUTABLE="${PKI_GNUTLS_CLI_EXECUTABLE}"
  PKI_CHROMIUM_EXECUTABLE="${PKI_CHROMIUM_EXECUTABLE}"
  PKI_CERTUTIL_EXECUTABLE="${PKI_CERTUTIL_EXECUTABLE}"
  PKI_TIMEOUT_EXECUTABLE="${PKI_TIMEOUT_EXECUTABLE}"
  PKI_PYTHON_TLS_CLIENT="${CMAKE_CURRENT_LIST_DIR}/python_tls_client.py")
add_dependencies(interop.tls_clients pki-tool https-server)
# 28 cases, about 10 s in all here; this only stops a hung run.
set_tests_properties(interop.tls_clients PROPERTIES TIMEOUT 300)

# The soak's clients are pki::tls sessions speaking the HTTPS examples' HTTP (examples/https/common).
pki_add_test(interop.tls_soak interop/tls_soak_test.cpp)
target_include_directories(interop.tls_soak PRIVATE "${PROJECT_SOURCE_DIR}/examples")
target_link_libraries(interop.tls_soak PRIVATE Threads::Threads)
target_compile_definitions(interop.tls_soak PRIVATE
  PKI_TOOL_EXECUTABLE="$<TARGET_FILE:pki-tool>"
  PKI_HTTPS_SERVER_EXECUTABLE="$<TARGET_FILE:https-server>")
# Under sanitizers the server's resident set says nothing about its own memory (ASan keeps
# freed blocks in quarantine), and connections cost ten times as much: fewer connections,
# the growth printed, and LeakSanitizer judges the server when it exits.
if(PKI_SANITIZED)
  target_compile_definitions(interop.tls_soak PRIVATE PKI_SOAK_SANITIZED=1)
endif()
add_dependencies(interop.tls_soak pki-tool https-server)
# About 35 s here (2 cores, Debug, a busy machine); this only stops a hung run.
set_tests_properties(interop.tls_soak PROPERTIES TIMEOUT 300)
