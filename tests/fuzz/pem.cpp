// Fuzz target: PEM armour (pem::find_block, decode_body, decode, looks_like_pem). Every
// block found lies inside the text, after the previous one; decode() of a label finds the
// first block with it; and what decodes, encoded again under its label, is found and
// decodes to the same bytes.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = pki_fuzz::text_of(data, size);
  const bool looks = pki::pem::looks_like_pem(pki_fuzz::bytes_of(data, size));
  std::size_t from = 0;
  std::size_t blocks = 0;
  while (true) {
    auto block = pki::pem::find_block(text, from);
    if (!block) {
      pki_fuzz::consume(block.error().message());
      break;
    }
    ++blocks;
    PKI_FUZZ_CHECK(block->end > from && block->end <= text.size());
    PKI_FUZZ_CHECK(block->label.data() >= text.data() && block->body.data() >= block->label.data() &&
                   block->body.data() + block->body.size() <= text.data() + block->end);
    PKI_FUZZ_CHECK(block->label.find('\n') == std::string_view::npos);
    from = block->end;

    auto der = pki::pem::decode_body(block->body);
    if (blocks == 1) {
      // decode() takes the first block with the label: this one.
      auto first = pki::pem::decode(text, block->label);
      PKI_FUZZ_CHECK(first.has_value() == der.has_value());
      if (first) PKI_FUZZ_CHECK(*first == *der);
    }
    if (!der) {
      pki_fuzz::consume(der.error().message());
      continue;
    }
    PKI_FUZZ_CHECK(!der->empty());
    auto secret = pki::pem::decode_body<pki::secret_buffer>(block->body);
    PKI_FUZZ_CHECK(secret.has_value() &&
                   std::equal(secret->begin(), secret->end(), der->begin(), der->end()));

    auto armoured = pki::pem::encode(block->label, *der);
    PKI_FUZZ_CHECK(armoured.has_value());
    PKI_FUZZ_CHECK(pki::pem::looks_like_pem(pki::as_bytes(*armoured)));
    auto found = pki::pem::find_block(*armoured);
    PKI_FUZZ_CHECK(found.has_value() && found->label == block->label && found->end + 1 == armoured->size());
    auto decoded = pki::pem::decode(*armoured, block->label);
    PKI_FUZZ_CHECK(decoded.has_value() && *decoded == *der);
  }
  // Text with a block in it looks like PEM.
  PKI_FUZZ_CHECK(blocks == 0 || looks);
  return 0;
}
