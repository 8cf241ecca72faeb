// pki verify: the `openssl verify` flow with the library's validator. It builds a path
// from the certificate through the untrusted intermediates (any order) to a trust anchor
// under RFC 5280, name constraints, certificate policies, the TLS purpose, the host name, modern algorithms
// and the CRLs given, prints the path found, or else every candidate path with the rule that failed at which
// certificate.

#include <pki/keys/key.hpp>
#include <pki/validate/path_builder.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/x509/crl.hpp>
#include <pki/x509/general_name.hpp>
#include <pki/x509/name.hpp>
#include <pki/x509/object_identifier.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"
#include "text.hpp"

namespace pki_tool::verify_commands {
namespace {

/// The most intermediates --max-depth accepts (the library's signature budget ends longer
/// searches anyway).
constexpr std::uint32_t max_intermediates_limit = 64;
static_assert(pki::validation_budget{}.max_intermediates == 16, "--max-depth's help names the default");

constexpr option verify_options[] = {
    {.name = "--trust",
     .value_name = "FILE|DIR|system",
     .help = "trust anchors: a PEM bundle (every certificate must parse), a directory of PEM files, or "
             "`system`",
     .required = true},
    {.name = "--untrusted",
     .value_name = "FILE",
     .help = "intermediate certificates, a PEM bundle in any order (blocks that do not parse are skipped)",
     .count = arity::repeated},
    {.name = "--host",
     .value_name = "NAME|IP",
     .help = "the DNS name or IP address the certificate must name"},
    {.name = "--purpose",
     .value_name = "server|client",
     .help = "TLS server (default) or client authentication"},
    {.name = "--at",
     .value_name = "TIME",
     .help = "validation time, ISO 8601 (2026-01-01T00:00:00Z); default now"},
    {.name = "--crl",
     .value_name = "FILE",
     .help = "CRLs to check revocation with (PEM or DER)",
     .count = arity::repeated},
    {.name = "--require-crl",
     .value_name = "",
     .help = "every certificate below the anchor needs a current CRL among the --crl lists",
     .count = arity::flag},
    {.name = "--max-depth", .value_name = "N", .help = "at most N intermediate certificates (default 16)"},
    {.name = "--policy",
     .value_name = "OID",
     .help = "a certificate policy the path must be valid for (user-initial-policy-set; default any)",
     .count = arity::repeated},
    {.name = "--explicit-policy",
     .value_name = "",
     .help = "the path must be valid for at least one --policy (initial-explicit-policy)",
     .count = arity::flag},
    {.name = "--inhibit-policy-mapping",
     .value_name = "",
     .help = "policy mappings are not honoured (initial-policy-mapping-inhibit)",
     .count = arity::flag},
    {.name = "--inhibit-any-policy",
     .value_name = "",
     .help = "anyPolicy in a certificate matches no policy (initial-any-policy-inhibit)",
     .count = arity::flag},
};
constexpr command_spec verify_spec{
    .path = "verify",
    .summary = "validate a certificate's path to a trust anchor",
    .description =
        "Finds a path from CERT through the --untrusted certificates to a --trust anchor and\n"
        "checks it under RFC 5280 (validity at --at, CA flags, key usage, path lengths,\n"
        "critical extensions), name constraints, the extended key usage of --purpose along\n"
        "the path, the --host (subjectAltName only, never the common name), RSA of 2048 bits\n"
        "or more, the NIST curves and no SHA-1, and revocation by the --crl lists given\n"
        "(with --require-crl, a current CRL for every certificate below the anchor), and the\n"
        "certificate policies of RFC 5280 6.1 (certificatePolicies, policyMappings,\n"
        "policyConstraints, inhibitAnyPolicy) under --policy, --explicit-policy,\n"
        "--inhibit-policy-mapping and --inhibit-any-policy; with any of these, the policies\n"
        "the path is valid for (the user-constrained policy set) are printed after OK.\n"
        "Prints the path, leaf first, and OK; or every candidate path tried with the reason\n"
        "it failed, and exits with 1. When CERT is a PEM bundle, its first certificate is\n"
        "verified and the others are used as intermediates.\n"
        "\n"
        "An untrusted certificate that does not parse (in an --untrusted file or after CERT's\n"
        "first) is skipped with a line on stderr and the search goes on without it; a file\n"
        "that cannot be read or holds no certificate is exit 2. A --trust file is read\n"
        "strictly, as OpenSSL reads -CAfile: one anchor that does not parse is exit 2, since a\n"
        "trust store silently smaller than the one meant is an error to hear about. A CERT\n"
        "that is a certificate with a key this build does not support (Ed25519, secp256k1)\n"
        "is not valid, exit 1.",
    .options = verify_options,
    .operand = "CERT",
    .exit_statuses =
        "0 success, 1 negative verdict (no valid path, or a CERT key this build does not "
        "support), 2 bad usage or unreadable/invalid input"};

/// The rules for a purpose: the iot_mtls_* presets' without their fixed depth limit
/// (--max-depth sets the budget instead) and with the host name checked for either purpose.
template <class Purpose, class Revocation>
using rules_for = pki::policies<pki::policy::rfc5280, pki::policy::name_constraints, Purpose,
                                pki::policy::hostname, pki::policy::modern_algorithms, Revocation>;

/// Builds the path under the rules for a purpose and a revocation mode chosen at run time.
template <class Purpose>
[[nodiscard]] pki::path_search search_for(const pki::path_builder& builder, const pki::certificate<>& leaf,
                                          bool require_crl, const pki::validation_options& options) {
  if (require_crl) return builder.build(leaf, rules_for<Purpose, pki::policy::crl_required>{}, options);
  return builder.build(leaf, rules_for<Purpose, pki::policy::crl_check>{}, options);
}

/// A time of day "HH:MM" or "HH:MM:SS" at the start of `text`, as seconds; the rest of
/// `text` is left in it. False when it is not one.
[[nodiscard]] bool read_clock(std::string_view& text, std::chrono::seconds& out) {
  const auto two = [&text](std::size_t at, int limit, int& value) {
    if (text.size() < at + 2 || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9')
      return false;
    value = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return value <= limit;
  };
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  if (!two(0, 23, hours) || text.size() < 3 || text[2] != ':' || !two(3, 59, minutes)) return false;
  std::size_t used = 5;
  if (text.size() > 5 && text[5] == ':') {
    if (!two(6, 59, seconds)) return false;
    used = 8;
  }
  text.remove_prefix(used);
  out = std::chrono::hours(hours) + std::chrono::minutes(minutes) + std::chrono::seconds(seconds);
  return true;
}

/// --at: "2026-01-01" (midnight UTC), "2026-01-01T12:00:00Z" or with an offset such as
/// "+02:00" (seconds optional); usage_error otherwise, and for a time of day without a
/// zone, which would be ambiguous.
[[nodiscard]] outcome<std::chrono::sys_seconds> parse_time(std::string_view text) {
  const auto refuse = [text](std::string_view why) {
    return usage_error("--at '" + std::string(text) + "' " + std::string(why));
  };
  constexpr std::string_view expected = "is not an ISO 8601 time such as 2026-01-01T00:00:00Z";
  std::string_view rest = text;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  const auto digits = [&rest](std::size_t count, auto& value) {
    if (rest.size() < count) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (rest[i] < '0' || rest[i] > '9') return false;
      value = value * 10 + static_cast<std::remove_reference_t<decltype(value)>>(rest[i] - '0');
    }
    rest.remove_prefix(count);
    return true;
  };
  const auto dash = [&rest] {
    if (rest.empty() || rest.front() != '-') return false;
    rest.remove_prefix(1);
    return true;
  };
  if (!digits(4, year) || !dash() || !digits(2, month) || !dash() || !digits(2, day)) return refuse(expected);
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return refuse("names a day that does not exist");
  std::chrono::sys_seconds t = std::chrono::sys_days(date);
  if (rest.empty()) return t;
  if (rest.front() != 'T' && rest.front() != 't' && rest.front() != ' ') return refuse(expected);
  rest.remove_prefix(1);
  std::chrono::seconds clock{};
  if (!read_clock(rest, clock)) return refuse(expected);
  t += clock;
  if (rest == "Z" || rest == "z") return t;
  if (rest.empty()) return refuse("has no time zone (end it with Z for UTC)");
  const char sign = rest.front();
  rest.remove_prefix(1);
  std::chrono::seconds offset{};
  if ((sign != '+' && sign != '-') || !read_clock(rest, offset) || !rest.empty() ||
      offset % std::chrono::minutes(1) != std::chrono::seconds(0)) {
    return refuse(expected);
  }
  // 12:00+02:00 is 10:00 UTC.
  return sign == '+' ? t - offset : t + offset;
}

/// --host as an IP address when it is an IP literal, else as a DNS host name; usage_error
/// when it is neither.
[[nodiscard]] outcome<pki::peer_name> parse_host(std::string_view text) {
  if (auto ip = pki::ip_address::parse(text); ip) return pki::peer_name(*ip);
  auto name = pki::dns_name::host(text);
  if (!name) {
    return usage_error("--host '" + std::string(text) +
                       "' is neither an IP address nor a host name (letters, digits and hyphens in "
                       "dot-separated labels)");
  }
  return pki::peer_name(std::move(*name));
}

/// Every certificate of a PEM bundle file, or the one certificate of a DER file; the
/// library's error when one of them does not parse (--trust reads its files so).
[[nodiscard]] outcome<std::vector<pki::certificate<>>> load_certificates(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  if (!pki::pem::looks_like_pem(pki::as_bytes(*text))) {
    auto cert = pki::certificate<>::from_der(pki::as_bytes(*text));
    if (!cert) return library_error(quoted(path), cert.error());
    return std::vector<pki::certificate<>>{std::move(*cert)};
  }
  auto certs = pki::certificate<>::parse_bundle(*text);
  if (!certs) return library_error(quoted(path), certs.error());
  return std::move(*certs);
}

/// One DER value: its tag, its contents and the whole encoding.
struct der_item {
  std::uint8_t tag = 0;
  pki::byte_view content;
  pki::byte_view whole;
};

/// Takes the DER value at the front of `in` (definite length, one-octet tag); false when
/// `in` does not start with a complete one.
[[nodiscard]] bool take_der(pki::byte_view& in, der_item& out) {
  if (in.size() < 2 || (in[0] & 0x1F) == 0x1F) return false;
  std::size_t pos = 2;
  std::size_t length = in[1];
  if (length & 0x80) {
    const std::size_t octets = length & 0x7F;
    if (octets == 0 || octets > 4 || in.size() - pos < octets) return false;
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | in[pos++];
  }
  if (in.size() - pos < length) return false;
  out = {in[0], in.subspan(pos, length), in.first(pos + length)};
  in = in.subspan(pos + length);
  return true;
}

/// A name for the algorithm of a SubjectPublicKeyInfo AlgorithmIdentifier: "Ed25519",
/// "EC secp256k1", or the OIDs when the tool does not know them.
[[nodiscard]] std::string key_algorithm_name(const pki::object_identifier& algorithm,
                                                    const std::optional<pki::object_identifier>& curve) {
  static constexpr std::pair<std::string_view, std::string_view> names[] = {
      {"1.3.101.110", "X25519"},
      {"1.3.101.111", "X448"},
      {"1.3.101.112", "Ed25519"},
      {"1.3.101.113", "Ed448"},
      {"1.2.840.10040.4.1", "DSA"},
      {"1.2.840.113549.1.1.10", "RSASSA-PSS"},
      {"1.2.840.10046.2.1", "DH"},
      {"1.3.132.0.10", "secp256k1"},
      {"1.2.840.10045.3.1.1", "P-192"},
      {"1.3.132.0.33", "P-224"},
      {"1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"},
      {"1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"},
      {"1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"},
  };
  const auto name_of = [](const std::string& dotted) {
    for (const auto& [oid, name] : names) {
      if (oid == dotted) return std::string(name);
    }
    return dotted;
  };
  if (algorithm.to_string() == "1.2.840.10045.2.1") {
    return curve ? "EC " + name_of(curve->to_string()) : "EC with implicit or explicit curve parameters";
  }
  return name_of(algorithm.to_string());
}

/// A certificate the library refused for its public key: the key's algorithm and the
/// certificate's subject (empty when it does not parse either).
struct unsupported_key {
  std::string algorithm;
  std::string subject;

  /// "the certificate's key (Ed25519) is not supported by this build".
  [[nodiscard]] std::string reason() const {
    return "the certificate's key (" + algorithm + ") is not supported by this build";
  }
};

/// Whether the library refused the certificate `der` because of its public key: the
/// algorithm when it did, nullopt when it refused it for another reason or `der` is not a
/// certificate as far as the key.
//
// Why the tool reads DER itself: the library's certificate parser stops at the first field
// it refuses and says errc::unsupported alike for a key algorithm, a signature algorithm or
// a version it does not know, without naming the algorithm (include/pki/x509/certificate.hpp).
// So the tool walks the certificate as far as its SubjectPublicKeyInfo and hands that to
// the library alone: the verdict "unsupported key" is still the library's (public_key
// refuses the SPKI with errc::unsupported), the walk only finds the SPKI and reads its OIDs
// to name the algorithm. Fields after the key (extensions) are not checked, since the
// library never got to them.
[[nodiscard]] std::optional<unsupported_key> find_unsupported_key(pki::byte_view der,
                                                                         const pki::error& refusal) {
  if (refusal.code() != pki::errc::unsupported) return std::nullopt;
  constexpr std::uint8_t sequence = 0x30;
  der_item cert;
  der_item tbs;
  if (!take_der(der, cert) || cert.tag != sequence || !der.empty()) return std::nullopt;
  pki::byte_view in = cert.content;
  if (!take_der(in, tbs) || tbs.tag != sequence) return std::nullopt;
  in = tbs.content;
  der_item field;
  if (!take_der(in, field)) return std::nullopt;
  if (field.tag == 0xA0 && !take_der(in, field)) return std::nullopt;  // version [0]
  if (field.tag != 0x02) return std::nullopt;                          // serialNumber
  const auto take_sequence = [&in](der_item& item) { return take_der(in, item) && item.tag == sequence; };
  der_item subject;
  der_item spki;
  // signature, issuer, validity, subject, subjectPublicKeyInfo
  if (!take_sequence(field) || !take_sequence(field) || !take_sequence(field) || !take_sequence(subject) ||
      !take_sequence(spki)) {
    return std::nullopt;
  }
  if (auto key = pki::public_key<>::from_der(spki.whole);
      key || key.error().code() != pki::errc::unsupported) {
    return std::nullopt;
  }
  pki::byte_view spki_fields = spki.content;
  der_item algorithm_id;
  der_item oid;
  if (!take_der(spki_fields, algorithm_id) || algorithm_id.tag != sequence) return std::nullopt;
  pki::byte_view algorithm_fields = algorithm_id.content;
  if (!take_der(algorithm_fields, oid) || oid.tag != 0x06) return std::nullopt;
  auto algorithm = pki::object_identifier::from_der_content(oid.content);
  if (!algorithm) return std::nullopt;
  std::optional<pki::object_identifier> curve;
  if (der_item parameters; take_der(algorithm_fields, parameters) && parameters.tag == 0x06) {
    if (auto named = pki::object_identifier::from_der_content(parameters.content)) curve = std::move(*named);
  }
  unsupported_key found{key_algorithm_name(*algorithm, curve), {}};
  if (auto name = pki::distinguished_name::from_der(subject.whole)) found.subject = name->to_string();
  return found;
}

/// One certificate of a file, parsed or with the library's reason, and its DER.
struct certificate_entry {
  pki::result<pki::certificate<>> parsed;
  pki::byte_buffer der;

  /// Why it did not parse: the unsupported key when that is the reason, else the library's message.
  [[nodiscard]] std::string refusal() const {
    if (const auto key = find_unsupported_key(der, parsed.error())) return key->reason();
    return parsed.error().message();
  }
};

/// Every CERTIFICATE block of a PEM file, in order, or the one certificate of a DER file,
/// each parsed or not (a PEM block without its END line ends the list, refused). Fails
/// with input_error when the file cannot be read or holds no CERTIFICATE block, and with
/// the library's error when it is DER that is not a certificate.
[[nodiscard]] outcome<std::vector<certificate_entry>> read_certificate_entries(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  const auto bytes = pki::as_bytes(*text);
  std::vector<certificate_entry> entries;
  if (!pki::pem::looks_like_pem(bytes)) {
    auto cert = pki::certificate<>::from_der(bytes);
    // A DER file the library cannot even frame as a certificate is not a certificate file;
    // one it reads as far as a part it does not support is one it cannot use.
    if (!cert && cert.error().code() == pki::errc::parse_failed)
      return library_error(quoted(path), cert.error());
    entries.push_back({std::move(cert), pki::byte_buffer(bytes.begin(), bytes.end())});
    return entries;
  }
  std::size_t from = 0;
  while (text->find("-----BEGIN ", from) != std::string::npos) {
    auto block = pki::pem::find_block(*text, from);
    if (!block) {
      entries.push_back({std::unexpected(block.error()), {}});
      break;
    }
    from = block->end;
    if (block->label != "CERTIFICATE") continue;
    auto der = pki::pem::decode_body(block->body);
    if (!der) {
      entries.push_back({std::unexpected(der.error()), {}});
      continue;
    }
    auto cert = pki::certificate<>::from_der(*der);
    entries.push_back({std::move(cert), std::move(*der)});
  }
  if (entries.empty()) return input_error(quoted(path) + " holds no CERTIFICATE block");
  return entries;
}

/// Appends the entries from index `first` on that parsed to `out`, and says on stderr which
/// ones did not and why: a relying party skips untrusted certificates it cannot read, as
/// another path may not need them.
void keep_readable(std::string_view path, std::vector<certificate_entry>& entries, std::size_t first,
                          std::vector<pki::certificate<>>& out) {
  for (std::size_t i = first; i < entries.size(); ++i) {
    if (entries[i].parsed) {
      out.push_back(std::move(*entries[i].parsed));
      continue;
    }
    const std::string line = "pki: verify: skipping certificate " + std::to_string(i + 1) + " of " +
                             quoted(path) + ": " + entries[i].refusal() + "\n";
    std::fputs(line.c_str(), stderr);
  }
}

/// Every "X509 CRL" block of a PEM file, or the one CRL of a DER file.
[[nodiscard]] outcome<> load_crls(std::string_view path, std::vector<pki::crl>& out) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  const auto bytes = pki::as_bytes(*text);
  if (!pki::pem::looks_like_pem(bytes)) {
    auto list = pki::crl::from_der(bytes);
    if (!list) return library_error(quoted(path), list.error());
    out.push_back(std::move(*list));
    return {};
  }
  std::size_t from = 0;
  bool any = false;
  while (text->find("-----BEGIN ", from) != std::string::npos) {
    auto block = pki::pem::find_block(*text, from);
    if (!block) return library_error(quoted(path), block.error());
    from = block->end;
    if (block->label != "X509 CRL") continue;
    auto der = pki::pem::decode_body(block->body);
    if (!der) return library_error(quoted(path), der.error());
    auto list = pki::crl::from_der(*der);
    if (!list) return library_error(quoted(path), list.error());
    out.push_back(std::move(*list));
    any = true;
  }
  if (!any) return input_error(quoted(path) + " holds no X509 CRL block");
  return {};
}

/// --trust: the system's store, a directory's PEM files, or a bundle file.
[[nodiscard]] outcome<pki::trust_store> load_trust(std::string_view source) {
  if (source == "system") {
    auto store = pki::trust_store::system();
    if (!store) return library_error("--trust system", store.error());
    return std::move(*store);
  }
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::path(source), ec)) {
    auto store = pki::trust_store::from_directory(std::filesystem::path(source));
    if (!store) return library_error("--trust " + quoted(source), store.error());
    return std::move(*store);
  }
  auto certs = load_certificates(source);
  if (!certs) return std::unexpected(certs.error());
  return pki::trust_store(*certs);
}

/// The sentence of the candidate path whose failure decides the verdict: the first of the
/// longest recorded ones that failed for the reason the search reports.
[[nodiscard]] std::string deciding_reason(const pki::path_search& found) {
  const pki::path_attempt* chosen = nullptr;
  for (const auto& attempt : found.attempts) {
    const auto& r = attempt.reason;
    if (r.code() != found.failure.code() || r.depth() != found.failure.depth() ||
        std::string_view(r.context()) != found.failure.context()) {
      continue;
    }
    if (chosen == nullptr || attempt.path.size() > chosen->path.size()) chosen = &attempt;
  }
  return chosen != nullptr ? chosen->describe() : found.failure.message();
}

/// "depth 0: CN=..." per certificate, the anchor marked.
[[nodiscard]] std::string path_text(const std::vector<pki::certificate<>>& path) {
  std::string text;
  for (std::size_t depth = 0; depth < path.size(); ++depth) {
    const std::string subject = path[depth].subject().to_string();
    text += "depth " + std::to_string(depth) + ": " + (subject.empty() ? "(empty subject)" : subject);
    if (depth + 1 == path.size()) text += " (trust anchor)";
    text += '\n';
  }
  return text;
}

/// What was checked, for the OK line: "server authentication, host www.example.com, at ...".
[[nodiscard]] std::string checked_text(bool client, std::string_view host,
                                              std::chrono::sys_seconds at) {
  std::string text = client ? "TLS client authentication" : "TLS server authentication";
  if (host.empty()) {
    text += ", no host name checked";
  } else {
    text.append(", host ").append(host);
  }
  text += ", at " + utc_time(at);
  return text;
}

/// "policies: 1.2.3, 1.2.4" (the user-constrained policy set of a valid path), or
/// "policies: none" when the path is valid for none (no explicit policy was required).
[[nodiscard]] std::string policies_text(const std::vector<pki::certificate<>>& path,
                                               const pki::validation_options& options) {
  auto sets = pki::policy::certificate_policies::evaluate(path, options);
  if (!sets) return "policies: " + sets.error().message() + "\n";  // the search already accepted the path
  std::string text = "policies:";
  for (std::size_t i = 0; i < sets->user_constrained.size(); ++i) {
    const auto& oid = sets->user_constrained[i];
    text += (i == 0 ? " " : ", ") + oid.to_string();
    if (oid == pki::certificate_policies::any_policy) text += " (anyPolicy)";
  }
  if (sets->user_constrained.empty()) text += " none";
  return text + "\n";
}

/// `pki verify`: exit 0 and the path when CERT is valid, 1 and the candidate paths when it
/// is not, 2 for bad usage or input.
[[nodiscard]] outcome<> verify(const arguments& args) {
  const std::string_view purpose = args.has("--purpose") ? args.value("--purpose") : "server";
  if (purpose != "server" && purpose != "client") {
    return usage_error("unknown --purpose '" + std::string(purpose) + "' (server or client)");
  }
  pki::validation_options options;
  if (args.has("--host")) {
    auto peer = parse_host(args.value("--host"));
    if (!peer) return std::unexpected(peer.error());
    options.peer = std::move(*peer);
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  options.time = now;
  if (args.has("--at")) {
    auto at = parse_time(args.value("--at"));
    if (!at) return std::unexpected(at.error());
    options.time = *at;
  }
  if (args.has("--max-depth")) {
    auto depth = parse_number("--max-depth", args.value("--max-depth"), 0, max_intermediates_limit);
    if (!depth) return std::unexpected(depth.error());
    options.budget.max_intermediates = *depth;
  }

  std::vector<pki::object_identifier> user_policies;
  for (const auto text : args.values("--policy")) {
    auto oid = pki::object_identifier::parse(text);
    if (!oid)
      return usage_error("--policy '" + std::string(text) + "' is not an OID (dotted decimal, 1.2.3)");
    user_policies.push_back(std::move(*oid));
  }
  options.user_initial_policy_set = user_policies;
  options.initial_explicit_policy = args.has("--explicit-policy");
  options.initial_policy_mapping_inhibit = args.has("--inhibit-policy-mapping");
  options.initial_any_policy_inhibit = args.has("--inhibit-any-policy");
  const bool policy_asked = !user_policies.empty() || options.initial_explicit_policy ||
                            options.initial_policy_mapping_inhibit || options.initial_any_policy_inhibit;

  auto anchors = load_trust(args.value("--trust"));
  if (!anchors) return std::unexpected(anchors.error());
  auto given = read_certificate_entries(args.operand());
  if (!given) return std::unexpected(given.error());
  // A CERT that is a certificate with a key this build cannot use is a verdict (exit 1),
  // given once every other input has been read; anything else CERT fails on is bad input.
  std::optional<unsupported_key> leaf_key;
  if (const auto& first = given->front(); !first.parsed) {
    leaf_key = find_unsupported_key(first.der, first.parsed.error());
    if (!leaf_key) return library_error(quoted(args.operand()), first.parsed.error());
  }
  std::vector<pki::certificate<>> intermediates;
  keep_readable(args.operand(), *given, 1, intermediates);
  for (const auto path : args.values("--untrusted")) {
    auto entries = read_certificate_entries(path);
    if (!entries) return std::unexpected(entries.error());
    keep_readable(path, *entries, 0, intermediates);
  }
  std::vector<pki::crl> crls;
  for (const auto path : args.values("--crl")) {
    if (auto ok = load_crls(path, crls); !ok) return std::unexpected(ok.error());
  }
  options.crls = crls;
  if (leaf_key) {
    const std::string subject = leaf_key->subject.empty() ? "(unreadable subject)" : leaf_key->subject;
    const std::string text = "certificate at depth 0 (" + subject + "): " + leaf_key->reason() + "\n";
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    return std::unexpected(
        failure{exit_negative, quoted(args.operand()) + " is not valid: " + leaf_key->reason(), false});
  }
  const pki::certificate<> leaf = *given->front().parsed;

  const bool client = purpose == "client";
  const bool require_crl = args.has("--require-crl");
  const pki::path_builder builder(*anchors, intermediates);
  const auto search = [&](const pki::validation_options& o) {
    return client ? search_for<pki::policy::client_auth>(builder, leaf, require_crl, o)
                  : search_for<pki::policy::server_auth>(builder, leaf, require_crl, o);
  };
  const auto found = search(options);
  if (found) {
    std::string text =
        path_text(*found.path) + "OK: " + checked_text(client, args.value("--host"), *options.time) + "\n";
    if (policy_asked) text += policies_text(*found.path, options);
    std::fputs(text.c_str(), stdout);
    return {};
  }
  std::string text = found.explain();
  std::string reason = deciding_reason(found);
  const bool cut_short = found.attempts_total > found.attempts.size() ||
                         std::ranges::any_of(found.attempts, [](const pki::path_attempt& a) {
                           return a.reason.code() == pki::errc::budget_exhausted;
                         });
  if (cut_short && options.budget.max_intermediates < max_intermediates_limit) {
    // The length budget cut branches short: say whether a longer path would be valid, and
    // how long it is, so that the user knows what --max-depth to give.
    auto unlimited = options;
    unlimited.budget.max_intermediates = max_intermediates_limit;
    if (const auto longer = search(unlimited); longer && longer.path->size() >= 2) {
      const std::size_t count = longer.path->size() - 2;
      reason = "a valid path exists, but through " + std::to_string(count) + " intermediate certificate" +
               (count == 1 ? "" : "s") + ", more than " +
               (args.has("--max-depth")
                    ? "--max-depth " + std::string(args.value("--max-depth")) + " allows"
                    : "the default limit of " + std::to_string(options.budget.max_intermediates));
      text += "path beyond the length limit: ";
      for (std::size_t depth = 0; depth < longer.path->size(); ++depth) {
        text += (depth == 0 ? "" : " <- ") + (*longer.path)[depth].subject().to_string();
      }
      text += "\n  " + reason + "\n";
    }
  }
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  return std::unexpected(failure{exit_negative, quoted(args.operand()) + " is not valid: " + reason, false});
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&verify_spec, verify},
  };
  return table;
}

}  // namespace pki_tool::verify_commands
