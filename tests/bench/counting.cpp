// The counting allocator and the signature-check wrappers of counting.hpp.
//
// malloc and its family are replaced for the whole process (glibc supports this: its own
// allocator stays reachable as __libc_malloc and friends, which these forward to), so the
// blocks remain glibc's and malloc_usable_size() and every free() path keep working.

#include "counting.hpp"

#include <malloc.h>
#include <unistd.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* block, std::size_t size);
void __libc_free(void* block);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {

// Constant-initialised thread-locals of the executable: reading them allocates nothing
// and takes no lock, as code running inside malloc must.
thread_local bool counting = false;
thread_local pki_bench::tally window{};

std::atomic<std::uint64_t> checks{0};
std::atomic<bool> stubbed{false};

void note_allocation(void* block) noexcept {
  if (!counting || block == nullptr) return;
  const auto size = malloc_usable_size(block);
  ++window.allocations;
  window.bytes_allocated += size;
  window.bytes_net += static_cast<std::int64_t>(size);
}

void note_free(void* block) noexcept {
  if (!counting || block == nullptr) return;
  ++window.frees;
  window.bytes_net -= static_cast<std::int64_t>(malloc_usable_size(block));
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) {
  void* block = __libc_malloc(size);
  note_allocation(block);
  return block;
}

void* calloc(std::size_t count, std::size_t size) {
  void* block = __libc_calloc(count, size);
  note_allocation(block);
  return block;
}

void* realloc(void* block, std::size_t size) {
  // Counted as a free of the old block and an allocation of the new one, whether or not
  // glibc grew it in place: the byte balance stays exact either way.
  note_free(block);
  void* moved = __libc_realloc(block, size);
  if (moved == nullptr && block != nullptr && size != 0) {
    note_allocation(block);  // failed: the old block is still there
  } else {
    note_allocation(moved);
  }
  return moved;
}

void free(void* block) {
  note_free(block);
  __libc_free(block);
}

void* memalign(std::size_t alignment, std::size_t size) {
  void* block = __libc_memalign(alignment, size);
  note_allocation(block);
  return block;
}

void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* block = memalign(alignment, size);
  if (block == nullptr) return ENOMEM;
  *out = block;
  return 0;
}

void* valloc(std::size_t size) {
  return memalign(static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), size);
}

// --- Signature checks ----------------------------------------------------------------
// Each signature check in mbedTLS 3.6 (built without MBEDTLS_USE_PSA_CRYPTO, as Debian's
// is) ends in exactly one of these, called from another object file of the archive, which
// is what --wrap needs:
//   ECDSA through mbedtls_pk_verify*      -> mbedtls_ecdsa_read_signature[_restartable]
//   ECDSA through psa_verify_hash          -> mbedtls_ecdsa_verify
//   RSA PKCS#1 v1.5 (pk or PSA)            -> mbedtls_rsa_pkcs1_verify
//   RSA-PSS (pk or PSA; TLS 1.3 with RSA)  -> mbedtls_rsa_rsassa_pss_verify_ext
//   RSA-PSS in pki (keys/detail/pss.hpp)   -> mbedtls_rsa_public (only pss.hpp calls it from
//                                             outside rsa.c; counted, never stubbed: pki
//                                             checks the encoded message itself)

int __real_mbedtls_ecdsa_read_signature(mbedtls_ecdsa_context* ctx, const unsigned char* hash,
                                        std::size_t hlen, const unsigned char* sig, std::size_t slen);
int __real_mbedtls_ecdsa_read_signature_restartable(mbedtls_ecdsa_context* ctx, const unsigned char* hash,
                                                    std::size_t hlen, const unsigned char* sig,
                                                    std::size_t slen, mbedtls_ecdsa_restart_ctx* rs);
int __real_mbedtls_ecdsa_verify(mbedtls_ecp_group* grp, const unsigned char* buf, std::size_t blen,
                                const mbedtls_ecp_point* q, const mbedtls_mpi* r, const mbedtls_mpi* s);
int __real_mbedtls_rsa_pkcs1_verify(mbedtls_rsa_context* ctx, mbedtls_md_type_t md_alg, unsigned int hashlen,
                                    const unsigned char* hash, const unsigned char* sig);
int __real_mbedtls_rsa_rsassa_pss_verify_ext(mbedtls_rsa_context* ctx, mbedtls_md_type_t md_alg,
                                             unsigned int hashlen, const unsigned char* hash,
                                             mbedtls_md_type_t mgf1_hash_id, int expected_salt_len,
                                             const unsigned char* sig);
int __real_mbedtls_rsa_public(mbedtls_rsa_context* ctx, const unsigned char* input, unsigned char* output);

}  // extern "C"

namespace {
/// Counts one signature check; true when the math is to be skipped.
bool skip_math() noexcept {
  checks.fetch_add(1, std::memory_order_relaxed);
  if (counting) ++window.signature_checks;
  return stubbed.load(std::memory_order_relaxed);
}
}  // namespace

extern "C" {

int __wrap_mbedtls_ecdsa_read_signature(mbedtls_ecdsa_context* ctx, const unsigned char* hash,
                                        std::size_t hlen, const unsigned char* sig, std::size_t slen) {
  if (skip_math()) return 0;
  return __real_mbedtls_ecdsa_read_signature(ctx, hash, hlen, sig, slen);
}

int __wrap_mbedtls_ecdsa_read_signature_restartable(mbedtls_ecdsa_context* ctx, const unsigned char* hash,
                                                    std::size_t hlen, const unsigned char* sig,
                                                    std::size_t slen, mbedtls_ecdsa_restart_ctx* rs) {
  if (skip_math()) return 0;
  return __real_mbedtls_ecdsa_read_signature_restartable(ctx, hash, hlen, sig, slen, rs);
}

int __wrap_mbedtls_ecdsa_verify(mbedtls_ecp_group* grp, const unsigned char* buf, std::size_t blen,
                                const mbedtls_ecp_point* q, const mbedtls_mpi* r, const mbedtls_mpi* s) {
  if (skip_math()) return 0;
  return __real_mbedtls_ecdsa_verify(grp, buf, blen, q, r, s);
}

int __wrap_mbedtls_rsa_pkcs1_verify(mbedtls_rsa_context* ctx, mbedtls_md_type_t md_alg, unsigned int hashlen,
                                    const unsigned char* hash, const unsigned char* sig) {
  if (skip_math()) return 0;
  return __real_mbedtls_rsa_pkcs1_verify(ctx, md_alg, hashlen, hash, sig);
}

int __wrap_mbedtls_rsa_rsassa_pss_verify_ext(mbedtls_rsa_context* ctx, mbedtls_md_type_t md_alg,
                                             unsigned int hashlen, const unsigned char* hash,
                                             mbedtls_md_type_t mgf1_hash_id, int expected_salt_len,
                                             const unsigned char* sig) {
  if (skip_math()) return 0;
  return __real_mbedtls_rsa_rsassa_pss_verify_ext(ctx, md_alg, hashlen, hash, mgf1_hash_id, expected_salt_len,
                                                  sig);
}

int __wrap_mbedtls_rsa_public(mbedtls_rsa_context* ctx, const unsigned char* input, unsigned char* output) {
  (void)skip_math();
  return __real_mbedtls_rsa_public(ctx, input, output);
}

}  // extern "C"

namespace pki_bench {

namespace detail {
void start_counting() noexcept {
  window = {};
  counting = true;
}
tally stop_counting() noexcept {
  counting = false;
  return window;
}
}  // namespace detail

std::uint64_t signature_checks() noexcept {
  return checks.load(std::memory_order_relaxed);
}

stubbed_signatures::stubbed_signatures() noexcept {
  stubbed.store(true, std::memory_order_relaxed);
}
stubbed_signatures::~stubbed_signatures() {
  stubbed.store(false, std::memory_order_relaxed);
}

}  // namespace pki_bench
