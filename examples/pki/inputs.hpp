#pragma once
// What commands read: option values (algorithm names, day counts, names, subject
// alternative names) and the PEM files they name (keys, certificates, CSRs). Every
// failure says which option or file it concerns.

#include <pki/issue/authority.hpp>
#include <pki/keys/key.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/x509/csr.hpp>
#include <pki/x509/general_name.hpp>
#include <pki/x509/name.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../common/io.hpp"
#include "io.hpp"
#include "options.hpp"

namespace pki_tool {

/// An --algorithm name and the key algorithm it stands for.
struct named_algorithm {
  std::string_view name;
  pki::key_algorithm id;
};

inline constexpr named_algorithm key_algorithms[] = {
    {"ec-p256", {pki::key_type::ec, 256, pki::curve::p256}},
    {"ec-p384", {pki::key_type::ec, 384, pki::curve::p384}},
    {"ec-p521", {pki::key_type::ec, 521, pki::curve::p521}},
    {"rsa-2048", {pki::key_type::rsa, 2048, pki::curve::none}},
    {"rsa-3072", {pki::key_type::rsa, 3072, pki::curve::none}},
    {"rsa-4096", {pki::key_type::rsa, 4096, pki::curve::none}},
    {"x25519", {pki::key_type::x25519, 255, pki::curve::x25519}},
};

/// The longest --days accepted: beyond it the calendar arithmetic, not the library, would fail.
inline constexpr std::uint32_t max_days = 10'000'000;

/// The algorithm an --algorithm value names; usage_error for another name.
[[nodiscard]] inline outcome<pki::key_algorithm> parse_algorithm(std::string_view text) {
  std::string known;
  for (const auto& entry : key_algorithms) {
    if (entry.name == text) return entry.id;
    known += known.empty() ? "" : ", ";
    known += entry.name;
  }
  return usage_error("unknown --algorithm '" + std::string(text) + "' (one of " + known + ")");
}

/// --days as a positive number of days.
[[nodiscard]] inline outcome<std::chrono::days> parse_days(const arguments& args) {
  auto days = parse_number("--days", args.value("--days"), 1, max_days);
  if (!days) return std::unexpected(days.error());
  return std::chrono::days(*days);
}

/// From now (floored to the second) for `days`.
[[nodiscard]] inline pki::validity validity_from_now(std::chrono::days days) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return {now, now + days};
}

/// --subject as a distinguished name (RFC 4514 text); usage_error when it does not parse.
[[nodiscard]] inline outcome<pki::distinguished_name> parse_subject(const arguments& args) {
  const auto text = args.value("--subject");
  auto name = pki::distinguished_name::parse(text);
  if (!name) return library_error("--subject '" + std::string(text) + "'", name.error());
  return std::move(*name);
}

/// Appends the names given with `option_name`, each made by `make` from its text.
template <class Make>
[[nodiscard]] outcome<> append_alt_names(const arguments& args, std::string_view option_name, Make make,
                                         std::vector<pki::general_name>& names) {
  for (const auto text : args.values(option_name)) {
    auto name = make(text);
    if (!name) return library_error(std::string(option_name) + " '" + std::string(text) + "'", name.error());
    names.emplace_back(std::move(*name));
  }
  return {};
}

/// The subject alternative names of --dns, --ip, --uri and --email, in that order.
[[nodiscard]] inline outcome<std::vector<pki::general_name>> parse_alt_names(const arguments& args) {
  std::vector<pki::general_name> names;
  if (auto ok = append_alt_names(args, "--dns", pki::dns_name::create, names); !ok)
    return std::unexpected(ok.error());
  if (auto ok = append_alt_names(args, "--ip", pki::ip_address::parse, names); !ok)
    return std::unexpected(ok.error());
  if (auto ok = append_alt_names(args, "--uri", pki::uri_name::create, names); !ok)
    return std::unexpected(ok.error());
  if (auto ok = append_alt_names(args, "--email", pki::email_address::create, names); !ok) {
    return std::unexpected(ok.error());
  }
  return names;
}

/// The private key in `text`, read from `path`, decrypted with the password options when given.
[[nodiscard]] inline outcome<pki::private_key<>> decode_private_key(std::string_view path,
                                                                    std::string_view text,
                                                                    const arguments& args) {
  auto password = read_password(args);
  if (!password) return std::unexpected(password.error());
  const std::string_view pass = *password ? std::string_view(**password) : std::string_view{};
  auto key = pki::private_key<>::parse(pki::as_bytes(text), pass);
  if (!key) {
    auto refused = library_error(quoted(path), key.error());
    if (key.error().code() == pki::errc::password_required) {
      refused.error().message += " (give --password-file FILE or --password-env NAME)";
    }
    return refused;
  }
  return std::move(*key);
}

/// The private key in `path`, decrypted with the password options when they are given.
[[nodiscard]] inline outcome<pki::private_key<>> load_private_key(std::string_view path,
                                                                  const arguments& args) {
  auto text = read_file<pki::secret_string>(path);
  if (!text) return std::unexpected(text.error());
  return decode_private_key(path, *text, args);
}

/// The certificate in `path` (PEM; DER is accepted too).
[[nodiscard]] inline outcome<pki::certificate<>> load_certificate(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto cert = pki::certificate<>::parse(pki::as_bytes(*text));
  if (!cert) return library_error(quoted(path), cert.error());
  return std::move(*cert);
}

/// The CSR in `path`, its signature checked (PEM; DER is accepted too).
[[nodiscard]] inline outcome<pki::csr<>> load_csr(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto request = pki::csr<>::parse(pki::as_bytes(*text));
  if (!request) return library_error(quoted(path), request.error());
  return std::move(*request);
}

/// The CA of --ca-cert and --ca-key (the key decrypted with the password options).
[[nodiscard]] inline outcome<pki::certificate_authority<>> load_authority(const arguments& args) {
  auto cert = load_certificate(args.value("--ca-cert"));
  if (!cert) return std::unexpected(cert.error());
  auto key = load_private_key(args.value("--ca-key"), args);
  if (!key) return std::unexpected(key.error());
  auto authority = pki::certificate_authority<>::create(*cert, std::move(*key));
  if (!authority) return library_error("--ca-cert and --ca-key", authority.error());
  return std::move(*authority);
}

}  // namespace pki_tool
