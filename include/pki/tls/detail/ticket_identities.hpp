#pragma once
// The client paths a TLS server issued session tickets for. mbedTLS 3.6 keeps the client
// certificate in TLS 1.2 tickets but not in TLS 1.3 ones, so without this a resumed
// mutual-TLS session would not know its client. In memory, per config: a restarted server,
// or another server sharing the ticket keys, resumes without the identity.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "../../core/bytes.hpp"
#include "../../core/detail/threads.hpp"
#include "../../core/hash.hpp"
#include "../../validate/chain.hpp"

namespace pki::detail {

/// What a session tells the ticket callbacks, which mbedTLS does not tell the connection:
/// set for the duration of each call into mbedTLS on the session's thread.
struct ticket_context {
  bool accepted = false;    ///< a ticket was accepted in this handshake
  chain<>* path = nullptr;  ///< the session's client path: read when issuing, restored when accepted
};
inline PKI_THREAD_LOCAL ticket_context* current_ticket = nullptr;

/// Ticket (by its SHA-256) -> the client path it was issued for, until the ticket expires.
class ticket_identities {
 public:
  /// At most this many are kept; the ones nearest expiry go first.
  static constexpr std::size_t capacity = 10000;

  void remember(byte_view ticket, const chain<>& path, std::chrono::seconds lifetime) {
    auto key = key_of(ticket);
    if (!key) return;
    const auto now = std::chrono::steady_clock::now();
    const exclusive_lock lock(mutex_);
    if (entries_.size() >= capacity) evict(now);
    entries_.insert_or_assign(std::move(*key), entry{path, now + lifetime});
  }

  /// The path `ticket` was issued for; empty when unknown or expired.
  [[nodiscard]] chain<> recall(byte_view ticket) const {
    auto key = key_of(ticket);
    if (!key) return {};
    const exclusive_lock lock(mutex_);
    const auto found = entries_.find(*key);
    if (found == entries_.end() || found->second.expires < std::chrono::steady_clock::now()) return {};
    return found->second.path;
  }

 private:
  struct entry {
    chain<> path{};
    std::chrono::steady_clock::time_point expires{};
  };

  [[nodiscard]] static std::optional<std::string> key_of(byte_view ticket) {
    auto d = sha256(ticket);
    if (!d) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(d->bytes().data()), d->size());
  }

  // Drops the expired entries, and when none has expired the one nearest expiry.
  void evict(std::chrono::steady_clock::time_point now) {
    std::erase_if(entries_, [now](const auto& item) { return item.second.expires < now; });
    if (entries_.size() < capacity) return;
    auto soonest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.expires < soonest->second.expires) soonest = it;
    }
    entries_.erase(soonest);
  }

  mutable detail::mutex mutex_;
  std::map<std::string, entry> entries_;
};

}  // namespace pki::detail
