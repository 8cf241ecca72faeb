#pragma once
// TLS and mutual TLS with the library's credentials and policies, over mbedTLS:
// tls::client_config / tls::server_config build a tls::config; a tls::session runs one
// connection over a tls::transport; tls::saved_session resumes one later.

#include "config.hpp"         // IWYU pragma: export
#include "saved_session.hpp"  // IWYU pragma: export
#include "session.hpp"        // IWYU pragma: export
#include "transport.hpp"      // IWYU pragma: export
