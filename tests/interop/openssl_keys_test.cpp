// Keys and signatures cross the boundary with the OpenSSL command-line tool in both
// directions: what `openssl` writes the library reads, and what the library writes
// `openssl` reads, for RSA-2048 and P-256, in every key format and signature scheme.

#include <boost/test/unit_test.hpp>
#include <pki/pki.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "support/openssl_cli.hpp"

// The algorithms under test, named for the test-case names Boost derives from them.
struct rsa_2048 {
  using tag = pki::rsa<2048>;
  using other_tag = pki::ecdsa_p256;
  static constexpr bool is_rsa = true;
  static constexpr std::string_view name = "RSA-2048";
  static constexpr std::string_view traditional_label = "RSA PRIVATE KEY";
};
struct p256 {
  using tag = pki::ecdsa_p256;
  using other_tag = pki::rsa<2048>;
  static constexpr bool is_rsa = false;
  static constexpr std::string_view name = "P-256";
  static constexpr std::string_view traditional_label = "EC PRIVATE KEY";
};
using algorithms = std::tuple<rsa_2048, p256>;

namespace {

using pki_test::read_file;
using pki_test::read_text_file;
using pki_test::run_openssl;
using pki_test::write_file;
using bytes = std::vector<std::uint8_t>;

constexpr std::string_view password = "correct horse battery staple";
constexpr std::string_view wrong_password = "Tr0ub4dor&3";
constexpr std::string_view message = "Attack at dawn, from the OpenSSL interop test.";
constexpr std::string_view tampered_message = "Attack at dusk, from the OpenSSL interop test.";

// ---- Small helpers ---------------------------------------------------------------------------

/// "ok", or the library's words for why `r` failed: comparable, and printed on a mismatch.
template <class T>
std::string_view outcome(const pki::result<T>& r) {
  return r ? std::string_view("ok") : pki::describe(r.error().code());
}
constexpr std::string_view expect(pki::errc code) {
  return pki::describe(code);
}

/// The full error sentence, for the message of a failed check.
template <class T>
std::string failure(const pki::result<T>& r) {
  return r ? std::string("ok") : r.error().message();
}

/// Hex of any byte sequence, so mismatched bytes print readably.
template <class Bytes>
std::string hex(const Bytes& b) {
  return pki::to_hex({reinterpret_cast<const std::uint8_t*>(std::data(b)), std::size(b)});
}

std::string_view as_text(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// Runs openssl to prepare test material; throws, with its output, when it fails.
void openssl_or_throw(const std::vector<std::string>& args) {
  const auto r = run_openssl(args);
  if (!r.ok()) {
    std::string command = "openssl";
    for (const auto& a : args) command += " " + a;
    throw std::runtime_error(command + " failed: " + r.transcript());
  }
}

std::string openssl_hash_flag(pki::hash_algorithm h) {
  switch (h) {
    case pki::hash_algorithm::sha256: return "-sha256";
    case pki::hash_algorithm::sha384: return "-sha384";
    case pki::hash_algorithm::sha512: return "-sha512";
    default: break;
  }
  throw std::logic_error("no openssl flag for this hash");
}

constexpr std::array signing_hashes{pki::hash_algorithm::sha256, pki::hash_algorithm::sha384,
                                    pki::hash_algorithm::sha512};

// ---- Key formats -----------------------------------------------------------------------------

enum class encoding { pem, der };
enum class private_form { pkcs8, traditional, encrypted_pkcs8 };

struct private_key_case {
  private_form form;
  encoding enc;
};
constexpr std::array private_key_cases{
    private_key_case{private_form::pkcs8, encoding::pem},
    private_key_case{private_form::pkcs8, encoding::der},
    private_key_case{private_form::traditional, encoding::pem},
    private_key_case{private_form::traditional, encoding::der},
    private_key_case{private_form::encrypted_pkcs8, encoding::pem},
    private_key_case{private_form::encrypted_pkcs8, encoding::der},
};

std::string_view form_name(private_form f) {
  switch (f) {
    case private_form::pkcs8: return "PKCS#8";
    case private_form::traditional: return "traditional (PKCS#1/SEC1)";
    case private_form::encrypted_pkcs8: return "encrypted PKCS#8";
  }
  return "?";
}
std::string_view encoding_name(encoding e) {
  return e == encoding::pem ? "PEM" : "DER";
}
std::string_view extension(encoding e) {
  return e == encoding::pem ? ".pem" : ".der";
}

std::string private_file_name(private_key_case c) {
  std::string stem = c.form == private_form::pkcs8         ? "pkcs8"
                     : c.form == private_form::traditional ? "traditional"
                                                           : "encrypted";
  return stem.append(extension(c.enc));
}

template <class Algorithm>
std::string_view pem_label(private_form f) {
  switch (f) {
    case private_form::pkcs8: return "PRIVATE KEY";
    case private_form::traditional: return Algorithm::traditional_label;
    case private_form::encrypted_pkcs8: return "ENCRYPTED PRIVATE KEY";
  }
  return "?";
}

/// `openssl <command> -in FILE [-inform DER]`.
std::vector<std::string> openssl_input(std::string command, const std::string& file, encoding enc) {
  std::vector<std::string> args{std::move(command), "-in", file};
  if (enc == encoding::der) args.insert(args.end(), {"-inform", "DER"});
  return args;
}

/// Parses a private key the way a caller holding that encoding would.
template <class Key>
pki::result<Key> import_private(std::span<const std::uint8_t> b, encoding enc, std::string_view pwd) {
  if (enc == encoding::pem) return Key::from_pem(as_text(b), pwd);
  return Key::from_der(b, pwd);
}
template <class Key>
pki::result<Key> import_public(std::span<const std::uint8_t> b, encoding enc) {
  if (enc == encoding::pem) return Key::from_pem(as_text(b));
  return Key::from_der(b);
}

// ---- Material made once per test run ---------------------------------------------------------

/// Keys OpenSSL generated and wrote in every format, in a private directory.
template <class Algorithm>
class openssl_keys {
 public:
  openssl_keys() {
    write_file(file("password.txt"), password);
    write_file(file("wrong-password.txt"), wrong_password);
    if constexpr (Algorithm::is_rsa) {
      openssl(
          {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("pkcs8.pem")});
      openssl({"genrsa", "-traditional", "-out", file("traditional.pem"), "2048"});
      // OpenSSL 3 writes PKCS#8 from `openssl rsa` unless told otherwise.
      openssl({"rsa", "-in", file("traditional.pem"), "-traditional", "-outform", "DER", "-out",
               file("traditional.der")});
      openssl({"rsa", "-in", file("pkcs8.pem"), "-RSAPublicKey_out", "-out", file("rsa-public.pem")});
      openssl({"rsa", "-in", file("pkcs8.pem"), "-RSAPublicKey_out", "-outform", "DER", "-out",
               file("rsa-public.der")});
    } else {
      openssl(
          {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file("pkcs8.pem")});
      openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("traditional.pem")});
      openssl({"ec", "-in", file("traditional.pem"), "-outform", "DER", "-out", file("traditional.der")});
    }
    // `openssl pkey -outform DER` would write the traditional form: OpenSSL 3.0 writes
    // PrivateKeyInfo as DER only from `openssl pkcs8 -topk8`.
    openssl({"pkey", "-in", file("pkcs8.pem"), "-outform", "DER", "-out", file("pkey.der")});
    openssl({"pkcs8", "-topk8", "-nocrypt", "-in", file("pkcs8.pem"), "-outform", "DER", "-out",
             file("pkcs8.der")});
    for (const auto enc : {encoding::pem, encoding::der}) {
      openssl({"pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", file("pkcs8.pem"), "-passout",
               "file:" + file("password.txt"), "-outform", std::string(encoding_name(enc)), "-out",
               file(std::string("encrypted").append(extension(enc)))});
    }
    openssl({"pkey", "-in", file("pkcs8.pem"), "-pubout", "-out", file("spki.pem")});
    openssl({"pkey", "-in", file("pkcs8.pem"), "-pubout", "-outform", "DER", "-out", file("spki.der")});
    openssl({"pkey", "-in", file("traditional.pem"), "-pubout", "-outform", "DER", "-out",
             file("traditional-spki.der")});
  }

  [[nodiscard]] std::string file(std::string_view name) const { return dir_.file(name); }

 private:
  static void openssl(const std::vector<std::string>& args) { openssl_or_throw(args); }
  pki_test::temp_dir dir_;
};

template <class Algorithm>
const openssl_keys<Algorithm>& openssl_made() {
  static const openssl_keys<Algorithm> keys;
  return keys;
}

/// A key pair the library generated, once per run.
template <class Algorithm>
const pki::private_key<typename Algorithm::tag>& library_key() {
  static const auto key = [] {
    auto generated = pki::private_key<typename Algorithm::tag>::generate();
    if (!generated) throw std::runtime_error("generating a key: " + generated.error().message());
    return std::move(*generated);
  }();
  return key;
}

template <class Algorithm>
bytes library_spki() {
  auto pub = library_key<Algorithm>().public_key();
  if (!pub) throw std::runtime_error("deriving the public key: " + pub.error().message());
  auto der = pub->to_der();
  if (!der) throw std::runtime_error("writing the public key: " + der.error().message());
  return *der;
}

/// The library's encoding of its key in one of the private-key formats.
template <class Key>
pki::result<bytes> library_encoding(const Key& key, private_key_case c) {
  const auto format = c.form == private_form::traditional ? pki::private_key_format::traditional
                                                          : pki::private_key_format::pkcs8;
  auto to_bytes = [](const auto& r) -> pki::result<bytes> {
    if (!r) return std::unexpected(r.error());
    return bytes(r->begin(), r->end());
  };
  if (c.form == private_form::encrypted_pkcs8) {
    if (c.enc == encoding::pem) return to_bytes(key.to_encrypted_pem(password));
    return to_bytes(key.to_encrypted_der(password));
  }
  if (c.enc == encoding::pem) return to_bytes(key.to_pem(format));
  return to_bytes(key.to_der(format));
}

/// Imports a private key as private_key<Alg> and as private_key<>, checks its algorithm and
/// that its public half is `expected_spki`, and that the other algorithm's type refuses it.
template <class Algorithm>
void check_private_key_import(std::span<const std::uint8_t> input, encoding enc, std::string_view pwd,
                              std::span<const std::uint8_t> expected_spki) {
  using tag = typename Algorithm::tag;
  auto typed = import_private<pki::private_key<tag>>(input, enc, pwd);
  BOOST_TEST(typed.has_value(), failure(typed));
  if (typed) {
    BOOST_TEST((typed->algorithm() == tag::id), typed->algorithm().name());
    const auto pub = typed->public_key();
    BOOST_TEST(pub.has_value(), failure(pub));
    if (pub) BOOST_TEST(hex(pub->to_der().value()) == hex(expected_spki));
  }

  auto any = pki::private_key<>::parse(input, pwd);
  BOOST_TEST(any.has_value(), failure(any));
  if (any) {
    BOOST_TEST((any->algorithm() == tag::id), any->algorithm().name());
    const auto pub = any->public_key();
    BOOST_TEST(pub.has_value(), failure(pub));
    if (pub) BOOST_TEST(hex(pub->to_der().value()) == hex(expected_spki));
    BOOST_TEST(outcome(std::move(*any).template narrow<tag>()) == "ok");
  }

  BOOST_TEST(outcome(pki::private_key<typename Algorithm::other_tag>::parse(input, pwd)) ==
             expect(pki::errc::algorithm_mismatch));
}

}  // namespace

// ===============================================================================================

BOOST_AUTO_TEST_SUITE(openssl_to_library)

BOOST_AUTO_TEST_CASE_TEMPLATE(imports_private_keys_in_every_format, Algorithm, algorithms) {
  const auto& made = openssl_made<Algorithm>();
  for (const auto c : private_key_cases) {
    BOOST_TEST_CONTEXT(Algorithm::name << " key written by OpenSSL as " << form_name(c.form) << " "
                                       << encoding_name(c.enc)) {
      const bytes input = read_file(made.file(private_file_name(c)));
      const bytes openssl_spki =
          read_file(made.file(c.form == private_form::traditional ? "traditional-spki.der" : "spki.der"));
      const std::string_view pwd = c.form == private_form::encrypted_pkcs8 ? password : std::string_view();
      const auto label = pem_label<Algorithm>(c.form);

      // The file is the structure it claims to be.
      if (c.enc == encoding::pem) {
        BOOST_TEST(as_text(input).starts_with("-----BEGIN " + std::string(label) + "-----\n"));
      } else if (c.form != private_form::encrypted_pkcs8) {
        const auto pem = read_text_file(made.file(private_file_name({c.form, encoding::pem})));
        BOOST_TEST(hex(input) == hex(pki::pem::decode(pem, label).value()), "DER is the PEM file's content");
      }

      check_private_key_import<Algorithm>(input, c.enc, pwd, openssl_spki);
    }
  }
  BOOST_TEST_CONTEXT(
      Algorithm::name << " key written by openssl pkey -outform DER (traditional in OpenSSL 3.0)") {
    check_private_key_import<Algorithm>(read_file(made.file("pkey.der")), encoding::der, {},
                                        read_file(made.file("spki.der")));
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(encrypted_private_keys_need_the_right_password, Algorithm, algorithms) {
  using typed_key = pki::private_key<typename Algorithm::tag>;
  const auto& made = openssl_made<Algorithm>();
  for (const auto enc : {encoding::pem, encoding::der}) {
    BOOST_TEST_CONTEXT(Algorithm::name << " key as encrypted PKCS#8 " << encoding_name(enc)
                                       << " from openssl pkcs8 -topk8 -v2 aes-256-cbc") {
      const bytes input = read_file(made.file(private_file_name({private_form::encrypted_pkcs8, enc})));
      BOOST_TEST(outcome(import_private<typed_key>(input, enc, password)) == "ok");
      BOOST_TEST(outcome(import_private<typed_key>(input, enc, wrong_password)) ==
                 expect(pki::errc::bad_password));
      BOOST_TEST(outcome(import_private<typed_key>(input, enc, "")) == expect(pki::errc::password_required));
      BOOST_TEST(outcome(pki::private_key<>::parse(input, password)) == "ok");
      BOOST_TEST(outcome(pki::private_key<>::parse(input, wrong_password)) ==
                 expect(pki::errc::bad_password));
      BOOST_TEST(outcome(pki::private_key<>::parse(input)) == expect(pki::errc::password_required));
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(imports_public_keys_in_every_format, Algorithm, algorithms) {
  using tag = typename Algorithm::tag;
  const auto& made = openssl_made<Algorithm>();
  const bytes openssl_spki = read_file(made.file("spki.der"));
  const auto owner = pki::private_key<tag>::from_pem(read_text_file(made.file("pkcs8.pem")));
  BOOST_TEST_REQUIRE(owner.has_value(), failure(owner));
  const auto derived = owner->public_key();
  BOOST_TEST_REQUIRE(derived.has_value(), failure(derived));

  struct public_case {
    pki::public_key_format format;
    encoding enc;
    std::string file;
  };
  std::vector<public_case> cases{{pki::public_key_format::spki, encoding::pem, "spki.pem"},
                                 {pki::public_key_format::spki, encoding::der, "spki.der"}};
  if constexpr (Algorithm::is_rsa) {
    cases.push_back({pki::public_key_format::pkcs1, encoding::pem, "rsa-public.pem"});
    cases.push_back({pki::public_key_format::pkcs1, encoding::der, "rsa-public.der"});
  }
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(Algorithm::name << " public key written by OpenSSL as "
                                       << (c.format == pki::public_key_format::spki ? "SPKI " : "PKCS#1 ")
                                       << encoding_name(c.enc)) {
      const bytes input = read_file(made.file(c.file));
      const auto pub = import_public<pki::public_key<tag>>(input, c.enc);
      BOOST_TEST(pub.has_value(), failure(pub));
      if (pub) {
        BOOST_TEST((pub->algorithm() == tag::id), pub->algorithm().name());
        BOOST_TEST((*pub == *derived));
        BOOST_TEST(hex(pub->to_der().value()) == hex(openssl_spki));
        BOOST_TEST(outcome(owner->matches(*pub)) == "ok");
        // Re-encoded in the same format, the library writes exactly what OpenSSL wrote.
        if (c.enc == encoding::pem) {
          BOOST_TEST(pub->to_pem(c.format).value() == as_text(input));
        } else {
          BOOST_TEST(hex(pub->to_der(c.format).value()) == hex(input));
        }
      }
      const auto any = pki::public_key<>::parse(input);
      BOOST_TEST(any.has_value(), failure(any));
      if (any) {
        BOOST_TEST((any->algorithm() == tag::id), any->algorithm().name());
        BOOST_TEST(hex(any->to_der().value()) == hex(openssl_spki));
      }
      BOOST_TEST(outcome(pki::public_key<typename Algorithm::other_tag>::parse(input)) ==
                 expect(pki::errc::algorithm_mismatch));
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(verifies_openssl_signatures, Algorithm, algorithms) {
  using tag = typename Algorithm::tag;
  const auto& made = openssl_made<Algorithm>();
  const auto pub = pki::public_key<tag>::from_der(read_file(made.file("spki.der")));
  BOOST_TEST_REQUIRE(pub.has_value(), failure(pub));
  const pki::public_key<> any_pub = *pub;
  pki_test::temp_dir scratch;
  const std::string message_file = scratch.file("message.txt");
  const std::string signature_file = scratch.file("signature.bin");
  write_file(message_file, message);

  struct scheme {
    std::string name;
    std::vector<std::string> sigopts;
    pki::rsa_padding padding;
    std::optional<std::size_t> salt;  // the salt length OpenSSL is documented to use
  };
  for (const auto h : signing_hashes) {
    const std::size_t max_salt = 2048 / 8 - pki::digest_size(h) - 2;
    auto pss = [](std::string saltlen) {
      return std::vector<std::string>{"-sigopt", "rsa_padding_mode:pss", "-sigopt",
                                      "rsa_pss_saltlen:" + saltlen};
    };
    std::vector<scheme> schemes;
    if constexpr (Algorithm::is_rsa) {
      schemes = {{"RSA PKCS#1 v1.5", {}, pki::rsa_padding::pkcs1_v15, std::nullopt},
                 {"RSA-PSS saltlen:digest", pss("digest"), pki::rsa_padding::pss, pki::digest_size(h)},
                 {"RSA-PSS saltlen:max", pss("max"), pki::rsa_padding::pss, max_salt},
                 // For signing, OpenSSL 3.0's "auto" means the maximum salt.
                 {"RSA-PSS saltlen:auto", pss("auto"), pki::rsa_padding::pss, max_salt}};
    } else {
      schemes = {{"ECDSA (DER)", {}, pki::rsa_padding::pkcs1_v15, std::nullopt}};
    }
    for (const auto& s : schemes) {
      BOOST_TEST_CONTEXT(Algorithm::name << " " << s.name << " " << pki::name(h)
                                         << " signature made by openssl dgst -sign") {
        const auto signed_by_openssl =
            run_openssl(concat({"dgst", openssl_hash_flag(h), "-sign", made.file("pkcs8.pem")},
                               concat(s.sigopts, {"-out", signature_file, message_file})));
        BOOST_TEST_REQUIRE(signed_by_openssl.ok(), signed_by_openssl.transcript());
        const bytes raw_sig = read_file(signature_file);
        const auto sig = pki::signature<tag>::from_bytes(raw_sig);
        BOOST_TEST_REQUIRE(sig.has_value(), failure(sig));

        pki::signature_options opts{.hash = h, .padding = s.padding};
        BOOST_TEST(failure(pub->verify(pki::as_bytes(message), *sig, opts)) == "ok");
        BOOST_TEST(failure(any_pub.verify(pki::as_bytes(message), pki::byte_view(raw_sig), opts)) == "ok");
        BOOST_TEST(outcome(pub->verify(pki::as_bytes(tampered_message), *sig, opts)) ==
                   expect(pki::errc::bad_signature));
        BOOST_TEST(outcome(any_pub.verify(pki::as_bytes(tampered_message), pki::byte_view(raw_sig), opts)) ==
                   expect(pki::errc::bad_signature));
        if (s.salt) {
          opts.pss_salt_length = *s.salt;
          BOOST_TEST(failure(pub->verify(pki::as_bytes(message), *sig, opts)) == "ok",
                     "with the exact salt length " << *s.salt);
          opts.pss_salt_length = *s.salt == 0 ? 1 : 0;
          BOOST_TEST(
              outcome(pub->verify(pki::as_bytes(message), *sig, opts)) == expect(pki::errc::bad_signature),
              "with a salt length OpenSSL did not use");
        }
        const auto d = pki::hash(h, pki::as_bytes(message));
        BOOST_TEST(failure(pub->verify_digest(d.value(), *sig, {.padding = s.padding})) == "ok");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ===============================================================================================

BOOST_AUTO_TEST_SUITE(library_to_openssl)

BOOST_AUTO_TEST_CASE_TEMPLATE(openssl_reads_private_keys_in_every_format, Algorithm, algorithms) {
  const auto& key = library_key<Algorithm>();
  const bytes spki = library_spki<Algorithm>();
  const std::string spki_pem = key.public_key().value().to_pem().value();
  const bytes traditional_der = library_encoding(key, {private_form::traditional, encoding::der}).value();
  pki_test::temp_dir dir;
  const std::string password_file = dir.file("password.txt");
  const std::string wrong_password_file = dir.file("wrong-password.txt");
  write_file(password_file, password);
  write_file(wrong_password_file, wrong_password);

  for (const auto c : private_key_cases) {
    BOOST_TEST_CONTEXT(Algorithm::name << " key written by the library as " << form_name(c.form) << " "
                                       << encoding_name(c.enc)) {
      const auto encoded = library_encoding(key, c);
      BOOST_TEST_REQUIRE(encoded.has_value(), failure(encoded));
      const std::string path = dir.file(private_file_name(c));
      write_file(path, *encoded);
      if (c.enc == encoding::pem) {
        BOOST_TEST(as_text(*encoded).starts_with("-----BEGIN " + std::string(pem_label<Algorithm>(c.form)) +
                                                 "-----\n"));
      }

      auto pkey = openssl_input("pkey", path, c.enc);
      if (c.form == private_form::encrypted_pkcs8) pkey = concat(pkey, {"-passin", "file:" + password_file});
      const auto read = run_openssl(concat(pkey, {"-noout"}));
      BOOST_TEST(read.ok(), read.transcript());
      const auto pubout = run_openssl(concat(pkey, {"-pubout", "-outform", "DER"}));
      BOOST_TEST(pubout.ok(), pubout.transcript());
      BOOST_TEST(hex(pubout.out) == hex(spki), "openssl pkey -pubout -outform DER gives the library's SPKI");
      const auto pubout_pem = run_openssl(concat(pkey, {"-pubout"}));
      BOOST_TEST(pubout_pem.ok(), pubout_pem.transcript());
      BOOST_TEST(pubout_pem.out == spki_pem, "openssl pkey -pubout gives the library's PEM public key");

      if (c.form == private_form::traditional) {
        // OpenSSL reads it as a PKCS#1 RSAPrivateKey / SEC1 ECPrivateKey, finds it consistent,
        // and writes the very same DER back.
        const std::string tool = Algorithm::is_rsa ? "rsa" : "ec";
        const auto check = run_openssl(concat(openssl_input(tool, path, c.enc), {"-check", "-noout"}));
        BOOST_TEST(check.ok(), check.transcript());
        if constexpr (Algorithm::is_rsa) {
          BOOST_TEST(check.out.find("RSA key ok") != std::string::npos, check.transcript());
        } else {
          BOOST_TEST(check.err.find("EC Key valid.") != std::string::npos, check.transcript());
        }
        auto rewrite = concat(openssl_input(tool, path, c.enc), {"-outform", "DER"});
        if constexpr (Algorithm::is_rsa) rewrite.push_back("-traditional");
        const auto rewritten = run_openssl(rewrite);
        BOOST_TEST(rewritten.ok(), rewritten.transcript());
        BOOST_TEST(hex(rewritten.out) == hex(traditional_der), "openssl " << tool << " -outform DER");
      }

      if (c.form == private_form::encrypted_pkcs8) {
        // OpenSSL decrypts it (and writes the key out in the traditional form) to the same key.
        const auto decrypted = run_openssl(concat(openssl_input("pkcs8", path, c.enc),
                                                  {"-passin", "file:" + password_file, "-outform", "DER"}));
        BOOST_TEST(decrypted.ok(), decrypted.transcript());
        BOOST_TEST(hex(decrypted.out) == hex(traditional_der), "openssl pkcs8 (decrypt)");
        const auto wrong = run_openssl(
            concat(openssl_input("pkey", path, c.enc), {"-passin", "file:" + wrong_password_file, "-noout"}));
        BOOST_TEST(wrong.exit_status == 1, "openssl with the wrong password: " << wrong.transcript());
        if (c.enc == encoding::der) {
          const auto parsed = run_openssl({"asn1parse", "-inform", "DER", "-in", path});
          BOOST_TEST(parsed.ok(), parsed.transcript());
          for (const std::string_view scheme : {"PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"}) {
            BOOST_TEST(parsed.out.find(scheme) != std::string::npos, scheme << " in " << parsed.out);
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(openssl_reads_public_keys_in_every_format, Algorithm, algorithms) {
  const auto pub = library_key<Algorithm>().public_key();
  BOOST_TEST_REQUIRE(pub.has_value(), failure(pub));
  const bytes spki = pub->to_der().value();
  pki_test::temp_dir dir;

  for (const auto enc : {encoding::pem, encoding::der}) {
    BOOST_TEST_CONTEXT(Algorithm::name << " public key written by the library as SPKI "
                                       << encoding_name(enc)) {
      const std::string path = dir.file(std::string("spki").append(extension(enc)));
      if (enc == encoding::pem) {
        write_file(path, pub->to_pem().value());
      } else {
        write_file(path, spki);
      }
      const auto read = run_openssl(concat(openssl_input("pkey", path, enc), {"-pubin", "-outform", "DER"}));
      BOOST_TEST(read.ok(), read.transcript());
      BOOST_TEST(hex(read.out) == hex(spki));
    }
    BOOST_TEST_CONTEXT(Algorithm::name << " public key written by the library as PKCS#1 "
                                       << encoding_name(enc)) {
      if constexpr (Algorithm::is_rsa) {
        const std::string path = dir.file(std::string("rsa-public").append(extension(enc)));
        const bytes pkcs1 = pub->to_der(pki::public_key_format::pkcs1).value();
        if (enc == encoding::pem) {
          const auto pem = pub->to_pem(pki::public_key_format::pkcs1).value();
          BOOST_TEST(pem.starts_with("-----BEGIN RSA PUBLIC KEY-----\n"));
          write_file(path, pem);
        } else {
          write_file(path, pkcs1);
        }
        const auto as_spki = run_openssl(
            concat(openssl_input("rsa", path, enc), {"-RSAPublicKey_in", "-pubout", "-outform", "DER"}));
        BOOST_TEST(as_spki.ok(), as_spki.transcript());
        BOOST_TEST(hex(as_spki.out) == hex(spki));
        const auto as_pkcs1 = run_openssl(concat(
            openssl_input("rsa", path, enc), {"-RSAPublicKey_in", "-RSAPublicKey_out", "-outform", "DER"}));
        BOOST_TEST(as_pkcs1.ok(), as_pkcs1.transcript());
        BOOST_TEST(hex(as_pkcs1.out) == hex(pkcs1));
      } else {
        BOOST_TEST(outcome(pub->to_der(pki::public_key_format::pkcs1)) == expect(pki::errc::unsupported));
        BOOST_TEST(outcome(pub->to_pem(pki::public_key_format::pkcs1)) == expect(pki::errc::unsupported));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(openssl_verifies_library_signatures, Algorithm, algorithms) {
  const auto& key = library_key<Algorithm>();
  pki_test::temp_dir dir;
  const std::string public_file = dir.file("public.pem");
  const std::string message_file = dir.file("message.txt");
  const std::string tampered_file = dir.file("tampered.txt");
  const std::string signature_file = dir.file("signature.bin");
  write_file(public_file, key.public_key().value().to_pem().value());
  write_file(message_file, message);
  write_file(tampered_file, tampered_message);

  struct scheme {
    std::string name;
    pki::hash_algorithm hash;
    pki::rsa_padding padding;
    std::optional<std::size_t> salt;           // the library's salt length; none: its default
    std::vector<std::string> verify_saltlens;  // rsa_pss_saltlen values openssl verifies with
  };
  std::vector<scheme> schemes;
  for (const auto h : signing_hashes) {
    if constexpr (Algorithm::is_rsa) {
      schemes.push_back({"RSA PKCS#1 v1.5", h, pki::rsa_padding::pkcs1_v15, std::nullopt, {}});
      schemes.push_back(
          {"RSA-PSS (default salt)", h, pki::rsa_padding::pss, std::nullopt, {"digest", "-1", "auto"}});
    } else {
      schemes.push_back({"ECDSA (DER)", h, pki::rsa_padding::pkcs1_v15, std::nullopt, {}});
    }
  }
  if constexpr (Algorithm::is_rsa) {
    constexpr std::size_t max_salt = 2048 / 8 - 32 - 2;
    schemes.push_back(
        {"RSA-PSS (salt 0)", pki::hash_algorithm::sha256, pki::rsa_padding::pss, 0, {"0", "auto"}});
    schemes.push_back({"RSA-PSS (maximum salt)",
                       pki::hash_algorithm::sha256,
                       pki::rsa_padding::pss,
                       max_salt,
                       {"max", "auto"}});
  }

  for (const auto& s : schemes) {
    BOOST_TEST_CONTEXT(Algorithm::name << " " << s.name << " " << pki::name(s.hash)
                                       << " signature made by the library") {
      const pki::signature_options opts{.hash = s.hash, .padding = s.padding, .pss_salt_length = s.salt};
      const auto sig = key.sign(pki::as_bytes(message), opts);
      BOOST_TEST_REQUIRE(sig.has_value(), failure(sig));
      write_file(signature_file, sig->bytes());

      const std::vector<std::string> verify{
          "dgst", openssl_hash_flag(s.hash), "-verify", public_file, "-signature", signature_file};
      std::vector<std::vector<std::string>> sigopt_sets;
      if (s.padding == pki::rsa_padding::pss) {
        for (const auto& saltlen : s.verify_saltlens) {
          sigopt_sets.push_back({"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:" + saltlen});
        }
      } else {
        sigopt_sets.emplace_back();
      }
      for (const auto& sigopts : sigopt_sets) {
        const auto good = run_openssl(concat(concat(verify, sigopts), {message_file}));
        BOOST_TEST(good.ok(), good.transcript());
        BOOST_TEST(good.out.find("Verified OK") != std::string::npos, good.transcript());
      }
      const auto bad = run_openssl(concat(concat(verify, sigopt_sets.front()), {tampered_file}));
      BOOST_TEST(bad.exit_status == 1, "tampered message: " << bad.transcript());
      BOOST_TEST(bad.out.find("Verification failure") != std::string::npos, bad.transcript());
    }
  }

  if constexpr (!Algorithm::is_rsa) {
    BOOST_TEST_CONTEXT(Algorithm::name << " ECDSA raw r||s signature made by the library") {
      const pki::signature_options raw{.encoding = pki::ecdsa_encoding::raw};
      const auto sig = key.sign(pki::as_bytes(message), raw);
      BOOST_TEST_REQUIRE(sig.has_value(), failure(sig));
      BOOST_TEST(sig->size() == 64U);
      const auto pub = key.public_key().value();
      BOOST_TEST(failure(pub.verify(pki::as_bytes(message), *sig, raw)) == "ok");
      BOOST_TEST(outcome(pub.verify(pki::as_bytes(tampered_message), *sig, raw)) ==
                 expect(pki::errc::bad_signature));
      BOOST_TEST(outcome(pub.verify(pki::as_bytes(message), *sig)) == expect(pki::errc::bad_signature),
                 "an r||s signature is not taken for DER");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
