#pragma once
// TLS and mutual TLS with the library's credentials and policies, over mbedTLS:
// tls::client_config / tls::server_config build a tls::config; a tls::session runs one
// connection over a tls::transport; tls::saved_session resumes one later.

#include "tls/config.hpp"         // IWYU pragma: export
#include "tls/saved_session.hpp"  // IWYU pragma: export
#include "tls/session.hpp"        // IWYU pragma: export
#include "tls/transport.hpp"      // IWYU pragma: export
