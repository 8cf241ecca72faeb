// RSA-OAEP and ECDH against the OpenSSL CLI, both ways: what the library encrypts
// `openssl pkeyutl -decrypt` opens and the reverse, with SHA-256/384/512 and a label; the
// secret `openssl pkeyutl -derive` agrees with a library key is the library's, for keys made
// on either side, on P-256, P-384, P-521 and X25519.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

using pki_test::value_of;

namespace {

std::string openssl_ok(const std::vector<std::string>& args) {
  const auto r = pki_test::run_openssl(args);
  std::string line = "openssl";
  for (const auto& a : args) line += " " + a;
  BOOST_REQUIRE_MESSAGE(r.ok(), line << " failed: " << r.transcript());
  return r.out;
}

std::string hash_name(pki::hash_algorithm h) {
  switch (h) {
    case pki::hash_algorithm::sha256: return "sha256";
    case pki::hash_algorithm::sha384: return "sha384";
    case pki::hash_algorithm::sha512: return "sha512";
    default: return "sha1";
  }
}

std::vector<std::string> oaep_options(pki::hash_algorithm h, const std::string& label_hex) {
  std::vector<std::string> opts{"-pkeyopt", "rsa_padding_mode:oaep",
                                "-pkeyopt", "rsa_oaep_md:" + hash_name(h),
                                "-pkeyopt", "rsa_mgf1_md:" + hash_name(h)};
  if (!label_hex.empty()) {
    opts.push_back("-pkeyopt");
    opts.push_back("rsa_oaep_label:" + label_hex);
  }
  return opts;
}

const std::string message = "a session key, or any short secret";

}  // namespace

BOOST_AUTO_TEST_CASE(openssl_decrypts_what_the_library_encrypts_with_oaep) {
  pki_test::temp_dir dir;
  const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  pki_test::write_file(dir.file("key.pem"), std::string_view(value_of(key.to_pem())));
  const auto pub = value_of(key.public_key());
  for (const auto h :
       {pki::hash_algorithm::sha256, pki::hash_algorithm::sha384, pki::hash_algorithm::sha512}) {
    for (const std::string label : {"", "pki label"}) {
      const auto ct = value_of(
          pki::rsa_oaep_encrypt(pub, pki::as_bytes(message), {.hash = h, .label = pki::as_bytes(label)}));
      pki_test::write_file(dir.file("ct.bin"), ct);
      std::vector<std::string> args{"pkeyutl",           "-decrypt", "-inkey",
                                    dir.file("key.pem"), "-in",      dir.file("ct.bin")};
      const auto opts = oaep_options(h, pki::to_hex(pki::as_bytes(label)));
      args.insert(args.end(), opts.begin(), opts.end());
      BOOST_TEST(openssl_ok(args) == message, hash_name(h) << " label '" << label << "'");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_library_decrypts_what_openssl_encrypts_with_oaep) {
  pki_test::temp_dir dir;
  openssl_ok(
      {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", dir.file("key.pem")});
  openssl_ok({"pkey", "-in", dir.file("key.pem"), "-pubout", "-out", dir.file("pub.pem")});
  pki_test::write_file(dir.file("msg.txt"), message);
  const auto key =
      value_of(pki::private_key<pki::rsa<3072>>::from_pem(pki_test::read_text_file(dir.file("key.pem"))));
  for (const auto h :
       {pki::hash_algorithm::sha256, pki::hash_algorithm::sha384, pki::hash_algorithm::sha512}) {
    for (const std::string label : {"", "openssl label"}) {
      std::vector<std::string> args{
          "pkeyutl", "-encrypt",          "-pubin", "-inkey",          dir.file("pub.pem"),
          "-in",     dir.file("msg.txt"), "-out",   dir.file("ct.bin")};
      const auto opts = oaep_options(h, pki::to_hex(pki::as_bytes(label)));
      args.insert(args.end(), opts.begin(), opts.end());
      openssl_ok(args);
      const auto ct = pki_test::read_file(dir.file("ct.bin"));
      const auto pt = value_of(pki::rsa_oaep_decrypt(key, ct, {.hash = h, .label = pki::as_bytes(label)}));
      BOOST_TEST(std::string(pt.begin(), pt.end()) == message, hash_name(h) << " label '" << label << "'");
      // The wrong label or hash is one failure, decryption_failed.
      pki_test::expect_error(pki::rsa_oaep_decrypt(key, ct, {.hash = h, .label = pki::as_bytes("other")}),
                             pki::errc::decryption_failed);
    }
  }
}

namespace {

/// ECDH with a library key A and an OpenSSL key B, agreed by both.
template <class Tag>
void ecdh_agrees_with_openssl(const std::vector<std::string>& genpkey) {
  pki_test::temp_dir dir;
  const auto a = value_of(pki::private_key<Tag>::generate());
  pki_test::write_file(dir.file("a.pem"), std::string_view(value_of(a.to_pem())));
  pki_test::write_file(dir.file("a_pub.pem"), value_of(value_of(a.public_key()).to_pem()));
  std::vector<std::string> args{"genpkey"};
  args.insert(args.end(), genpkey.begin(), genpkey.end());
  args.insert(args.end(), {"-out", dir.file("b.pem")});
  openssl_ok(args);
  openssl_ok({"pkey", "-in", dir.file("b.pem"), "-pubout", "-out", dir.file("b_pub.pem")});
  const auto b = value_of(pki::private_key<Tag>::from_pem(pki_test::read_text_file(dir.file("b.pem"))));
  const auto b_pub =
      value_of(pki::public_key<Tag>::from_pem(pki_test::read_text_file(dir.file("b_pub.pem"))));

  // OpenSSL's secret with its key and the library's public key, and with the library's key
  // and its own public key: the library's secret both ways.
  openssl_ok({"pkeyutl", "-derive", "-inkey", dir.file("b.pem"), "-peerkey", dir.file("a_pub.pem"), "-out",
              dir.file("s1.bin")});
  openssl_ok({"pkeyutl", "-derive", "-inkey", dir.file("a.pem"), "-peerkey", dir.file("b_pub.pem"), "-out",
              dir.file("s2.bin")});
  const auto mine = value_of(pki::ecdh(a, b_pub));
  const auto theirs = value_of(pki::ecdh(b, value_of(a.public_key())));
  const pki::byte_buffer ours(mine.begin(), mine.end());
  BOOST_TEST((ours == pki_test::read_file(dir.file("s1.bin"))));
  BOOST_TEST((ours == pki_test::read_file(dir.file("s2.bin"))));
  BOOST_TEST((pki::byte_buffer(theirs.begin(), theirs.end()) == ours));
}

}  // namespace

BOOST_AUTO_TEST_CASE(ecdh_secrets_agree_with_openssl_pkeyutl_derive) {
  ecdh_agrees_with_openssl<pki::ecdsa_p256>({"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"});
  ecdh_agrees_with_openssl<pki::ecdsa_p384>({"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"});
  ecdh_agrees_with_openssl<pki::ecdsa_p521>({"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"});
  ecdh_agrees_with_openssl<pki::x25519>({"-algorithm", "X25519"});
}
