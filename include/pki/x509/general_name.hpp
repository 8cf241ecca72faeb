#pragma once
// GeneralName (RFC 5280 4.2.1.6) as C++ values: DNS names, IP addresses and (in name
// constraints) IP networks, URIs, e-mail addresses, directory names, registered IDs and
// other names; strict DER encoding and decoding, and OpenSSL-style text
// ("DNS:example.com", "IP Address:192.0.2.1").
//
// The text alternatives are aggregates (`pki::dns_name{"gw.acme.io"}`); their `create`
// functions validate at once, and every encoder validates again, so a value that is not
// IA5 is never written.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/error.hpp"
#include "detail/der_fields.hpp"
#include "detail/dns.hpp"
#include "ip_address.hpp"
#include "name.hpp"
#include "object_identifier.hpp"

namespace pki {

/// A DNS name (dNSName): "example.com", "*.example.com", or in name constraints ".example.com".
struct dns_name {
  std::string value{};

  /// The DNS name `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<dns_name> create(std::string_view text) {
    return detail::ia5_name<dns_name>(text, "a dNSName must be IA5 (ASCII) text");
  }
  /// A host name to connect to or validate for: dot-separated labels of letters, digits and
  /// hyphens (RFC 1034 preferred name syntax), one trailing dot allowed and dropped;
  /// invalid_argument otherwise (wildcards and constraint forms such as ".example.com" too).
  [[nodiscard]] static result<dns_name> host(std::string_view text) {
    if (text.ends_with('.')) text.remove_suffix(1);
    if (!detail::dns::is_host_name(text)) {
      return fail(errc::invalid_argument,
                  "a host name is dot-separated labels of letters, digits and hyphens");
    }
    return dns_name{std::string(text)};
  }
  friend bool operator==(const dns_name&, const dns_name&) = default;
};

/// An e-mail address (rfc822Name): "user@example.com", or in name constraints a host or domain.
struct email_address {
  std::string value{};

  /// The address `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<email_address> create(std::string_view text) {
    return detail::ia5_name<email_address>(text, "an rfc822Name must be IA5 (ASCII) text");
  }
  friend bool operator==(const email_address&, const email_address&) = default;
};

/// A URI (uniformResourceIdentifier): "https://example.com/", or in name constraints a host or domain.
struct uri_name {
  std::string value{};

  /// The URI `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<uri_name> create(std::string_view text) {
    return detail::ia5_name<uri_name>(text, "a URI must be IA5 (ASCII) text");
  }
  friend bool operator==(const uri_name&, const uri_name&) = default;
};

/// A registered identifier (registeredID): an OBJECT IDENTIFIER naming something.
struct registered_id {
  object_identifier value{};
  friend bool operator==(const registered_id&, const registered_id&) = default;
};

/// An otherName: a type OID and the DER of its value (what the [0] EXPLICIT wraps), kept as is.
struct other_name {
  object_identifier type_id{};
  byte_buffer value{};  ///< exactly one DER value, e.g. a UTF8String for a Microsoft UPN
  friend bool operator==(const other_name&, const other_name&) = default;
};

/// One GeneralName. An iPAddress is an ip_address (4 or 16 bytes) in alternative names and
/// an ip_network (8 or 32 bytes) in name constraints. x400Address and ediPartyName are not
/// supported.
using general_name = std::variant<dns_name, ip_address, ip_network, email_address, uri_name,
                                  distinguished_name, registered_id, other_name>;

/// The form an iPAddress GeneralName takes where it appears.
enum class ip_form : std::uint8_t {
  address,  ///< 4 or 16 bytes, an ip_address: alternative names, distribution points, access locations
  network,  ///< 8 or 32 bytes (address || mask), an ip_network: name constraints
};

/// Checks a general name can be encoded where IP addresses take `form`; invalid_argument
/// when a text name is not IA5, an OID is empty, an otherName's value is not exactly one DER
/// value, or an IP name is an address where a network is wanted or the reverse.
[[nodiscard]] inline result<void> validate(const general_name& name, ip_form form = ip_form::address) {
  if (const auto* dns = std::get_if<dns_name>(&name)) {
    if (!detail::is_ia5(dns->value))
      return fail(errc::invalid_argument, "a dNSName must be IA5 (ASCII) text");
  } else if (const auto* email = std::get_if<email_address>(&name)) {
    if (!detail::is_ia5(email->value)) {
      return fail(errc::invalid_argument, "an rfc822Name must be IA5 (ASCII) text");
    }
  } else if (const auto* uri = std::get_if<uri_name>(&name)) {
    if (!detail::is_ia5(uri->value)) return fail(errc::invalid_argument, "a URI must be IA5 (ASCII) text");
  } else if (std::holds_alternative<ip_address>(name)) {
    if (form != ip_form::address) {
      return fail(errc::invalid_argument, "an iPAddress name constraint is an ip_network (address and mask)");
    }
  } else if (std::holds_alternative<ip_network>(name)) {
    if (form != ip_form::network) {
      return fail(errc::invalid_argument,
                  "an iPAddress here is an ip_address; networks are for name constraints");
    }
  } else if (const auto* id = std::get_if<registered_id>(&name)) {
    if (id->value.empty()) return fail(errc::invalid_argument, "a registeredID needs an OID");
  } else if (const auto* other = std::get_if<other_name>(&name)) {
    if (other->type_id.empty()) return fail(errc::invalid_argument, "an otherName needs a type OID");
    if (!detail::is_single_der_value(other->value)) {
      return fail(errc::invalid_argument, "an otherName's value must be exactly one DER value");
    }
  }
  return {};
}

namespace detail {

inline constexpr std::uint8_t tag_other_name = context_constructed(0);
inline constexpr std::uint8_t tag_rfc822_name = context_tag(1);
inline constexpr std::uint8_t tag_dns_name = context_tag(2);
inline constexpr std::uint8_t tag_x400_address = context_constructed(3);
inline constexpr std::uint8_t tag_directory_name = context_constructed(4);
inline constexpr std::uint8_t tag_edi_party_name = context_constructed(5);
inline constexpr std::uint8_t tag_uri = context_tag(6);
inline constexpr std::uint8_t tag_ip_address = context_tag(7);
inline constexpr std::uint8_t tag_registered_id = context_tag(8);

/// Writes one GeneralName (validated first).
[[nodiscard]] inline result<void> write_general_name(der_writer& out, const general_name& name,
                                                     ip_form form = ip_form::address) {
  if (auto valid = validate(name, form); !valid) return valid;
  if (const auto* dns = std::get_if<dns_name>(&name)) {
    out.primitive(tag_dns_name, as_bytes(dns->value));
  } else if (const auto* email = std::get_if<email_address>(&name)) {
    out.primitive(tag_rfc822_name, as_bytes(email->value));
  } else if (const auto* uri = std::get_if<uri_name>(&name)) {
    out.primitive(tag_uri, as_bytes(uri->value));
  } else if (const auto* address = std::get_if<ip_address>(&name)) {
    out.primitive(tag_ip_address, address->bytes());
  } else if (const auto* network = std::get_if<ip_network>(&name)) {
    out.primitive(tag_ip_address, network->bytes());
  } else if (const auto* directory = std::get_if<distinguished_name>(&name)) {
    auto der = directory->to_der();
    if (!der) return std::unexpected(der.error());
    const std::size_t start = out.mark();
    out.raw(*der);
    out.wrap(start, tag_directory_name);  // EXPLICIT: Name is a CHOICE
  } else if (const auto* id = std::get_if<registered_id>(&name)) {
    out.primitive(tag_registered_id, id->value.der_content());
  } else if (const auto* other = std::get_if<other_name>(&name)) {
    const std::size_t start = out.mark();
    const std::size_t value_start = out.mark();
    out.raw(other->value);
    out.wrap(value_start, context_constructed(0));
    out.oid(oid_content_view(other->type_id));
    out.wrap(start, tag_other_name);
  }
  return {};
}

/// Writes GeneralNames (SEQUENCE SIZE (1..MAX) OF GeneralName), with `tag` in place of
/// SEQUENCE where it is implicitly tagged; invalid_argument when `names` is empty.
[[nodiscard]] inline result<void> write_general_names(der_writer& out, std::span<const general_name> names,
                                                      std::uint8_t tag = der_sequence) {
  if (names.empty()) return fail(errc::invalid_argument, "GeneralNames needs at least one name");
  const std::size_t start = out.mark();
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (auto written = write_general_name(out, *it); !written) return written;
  }
  out.wrap(start, tag);
  return {};
}

/// The text name (`Name{text}`) an IA5String-like `value` holds; parse_failed, saying `context`,
/// when it is not IA5.
template <class Name>
[[nodiscard]] result<Name> read_ia5(const der_value& value, const char* context) {
  if (!is_ia5(value.text())) return fail(errc::parse_failed, context);
  return Name{std::string(value.text())};
}

/// Reads one GeneralName from its DER value.
[[nodiscard]] inline result<general_name> read_general_name(const der_value& value,
                                                            ip_form form = ip_form::address) {
  switch (value.tag) {
    case tag_dns_name: return read_ia5<dns_name>(value, "a dNSName is not IA5 (ASCII) text");
    case tag_rfc822_name: return read_ia5<email_address>(value, "an rfc822Name is not IA5 (ASCII) text");
    case tag_uri: return read_ia5<uri_name>(value, "a URI is not IA5 (ASCII) text");
    case tag_ip_address:
      if (form == ip_form::network) return ip_network::from_bytes(value.content);
      return ip_address::from_bytes(value.content);
    case tag_directory_name: {
      der_reader inner(value.content, "parsing a directoryName");
      const auto name_der = inner.read(der_sequence);
      inner.require(inner.at_end(), "a directoryName holds one Name");
      auto name = inner.keep(distinguished_name::from_der(name_der.whole));
      return inner.finish_with<general_name>(std::move(name));
    }
    case tag_registered_id: {
      auto oid = object_identifier::from_der_content(value.content);
      if (!oid) return std::unexpected(oid.error());
      return registered_id{std::move(*oid)};
    }
    case tag_other_name: {
      der_reader inner(value.content, "parsing an otherName");
      const byte_view type_id = inner.read_oid();
      auto wrapped = inner.read_nested(context_constructed(0));
      const auto inner_value = wrapped.read_any();
      inner.require(wrapped.at_end() && inner.at_end(), "an otherName has extra data");
      // The type's arcs are checked after the structure, which is what fails first.
      auto oid = inner.keep(object_identifier::from_der_content(type_id));
      return inner.finish_with<general_name>(
          other_name{std::move(oid), byte_buffer(inner_value.whole.begin(), inner_value.whole.end())});
    }
    case tag_x400_address:
    case tag_edi_party_name:
      return fail(errc::unsupported, "x400Address and ediPartyName names are not supported");
    default: return fail(errc::parse_failed, "not a GeneralName (unknown tag)");
  }
}

/// The next GeneralName of `reader`, IP names in `form`, the reader keeping a failure
/// (der_reader::read_*).
[[nodiscard]] inline general_name next_general_name(der_reader& reader, ip_form form = ip_form::address) {
  const auto value = reader.read_any();
  return reader.keep(read_general_name(value, form));
}

/// Reads GeneralNames (IP names as addresses) from the contents of its SEQUENCE (or
/// implicitly tagged equivalent); parse_failed when empty.
[[nodiscard]] inline result<std::vector<general_name>> read_general_names(byte_view content) {
  der_reader reader(content, "parsing GeneralNames");
  reader.require(!reader.at_end(), "GeneralNames is empty");
  std::vector<general_name> names{};
  while (!reader.at_end()) names.push_back(next_general_name(reader));
  return reader.finish_with(std::move(names));
}

/// GeneralNames (IP names as addresses) from the whole DER of a SEQUENCE OF GeneralName;
/// parse_failed, with `context`, when it is not one SEQUENCE.
[[nodiscard]] inline result<std::vector<general_name>> read_general_names_der(byte_view der,
                                                                              const char* context) {
  auto sequence = read_only_value(der, der_sequence, context);
  if (!sequence) return std::unexpected(sequence.error());
  return read_general_names(sequence->content);
}

}  // namespace detail

/// The DER of one GeneralName; invalid_argument when validate(name, form) refuses it.
[[nodiscard]] inline result<byte_buffer> general_name_to_der(const general_name& name,
                                                             ip_form form = ip_form::address) {
  detail::der_writer out;
  if (auto written = detail::write_general_name(out, name, form); !written) {
    return std::unexpected(written.error());
  }
  return out.finish<byte_buffer>();
}

/// One GeneralName from DER, IP names in `form`; parse_failed when malformed (an iPAddress
/// of the wrong length included) or followed by other data, unsupported for x400Address and
/// ediPartyName.
[[nodiscard]] inline result<general_name> general_name_from_der(byte_view der,
                                                                ip_form form = ip_form::address) {
  detail::der_reader reader(der, "parsing a GeneralName");
  const auto value = reader.read_any();
  reader.require(reader.at_end(), "trailing data after a GeneralName");
  auto name = reader.keep(detail::read_general_name(value, form));
  return reader.finish_with(std::move(name));
}

/// The DER of GeneralNames (SEQUENCE OF GeneralName, IP names as addresses); invalid_argument
/// when `names` is empty or a name is refused by validate().
[[nodiscard]] inline result<byte_buffer> general_names_to_der(std::span<const general_name> names) {
  detail::der_writer out;
  if (auto written = detail::write_general_names(out, names); !written)
    return std::unexpected(written.error());
  return out.finish<byte_buffer>();
}

/// GeneralNames (IP names as addresses) from DER; parse_failed when malformed, empty or
/// followed by other data.
[[nodiscard]] inline result<std::vector<general_name>> general_names_from_der(byte_view der) {
  detail::der_reader reader(der, "parsing GeneralNames");
  const auto sequence = reader.read(detail::der_sequence);
  reader.require(reader.at_end(), "trailing data after GeneralNames");
  auto names = reader.keep(detail::read_general_names(sequence.content));
  return reader.finish_with(std::move(names));
}

/// OpenSSL-style text: "DNS:example.com", "IP Address:192.0.2.1", "IP Address:10.0.0.0/8",
/// "email:a@example.com", "URI:https://example.com/", "DirName:CN=example",
/// "Registered ID:1.2.3.4", "othername:1.3.6.1.4.1.311.20.2.3:<hex DER>".
[[nodiscard]] inline std::string to_string(const general_name& name) {
  if (const auto* dns = std::get_if<dns_name>(&name)) return "DNS:" + dns->value;
  if (const auto* email = std::get_if<email_address>(&name)) return "email:" + email->value;
  if (const auto* uri = std::get_if<uri_name>(&name)) return "URI:" + uri->value;
  if (const auto* address = std::get_if<ip_address>(&name)) return "IP Address:" + address->to_string();
  if (const auto* network = std::get_if<ip_network>(&name)) return "IP Address:" + network->to_string();
  if (const auto* directory = std::get_if<distinguished_name>(&name))
    return "DirName:" + directory->to_string();
  if (const auto* id = std::get_if<registered_id>(&name)) return "Registered ID:" + id->value.to_string();
  const auto* other = std::get_if<other_name>(&name);
  return "othername:" + other->type_id.to_string() + ':' + to_hex(other->value);
}

/// The names' text joined with ", ", as OpenSSL prints a subjectAltName.
[[nodiscard]] inline std::string to_string(std::span<const general_name> names) {
  std::string text{};
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += to_string(name);
  }
  return text;
}

}  // namespace pki
