#pragma once
// path_builder: finds a path from a leaf to a trust anchor through an unordered bag of
// intermediates, as RFC 4158 describes. Depth-first with backtracking: from each
// certificate, candidate issuers are those whose subject is its issuer name, anchors before
// intermediates, a matching key identifier and a currently valid certificate first. A
// candidate joins the path only if its key verifies the signature below it and the policy
// accepts it; a certificate already on the path (same subject and key) is never added
// again, which breaks cycles. Budgets bound the signatures checked, the candidates tried
// and the path length, so hostile input ends in errc::budget_exhausted, not a long search.

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "../core/clock.hpp"
#include "../core/error.hpp"
#include "../x509/certificate.hpp"
#include "../x509/detail/x509_time.hpp"
#include "../x509/general_name.hpp"
#include "link_cache.hpp"
#include "policy/policy.hpp"
#include "trust_store.hpp"

namespace pki {

namespace detail {
struct path_recheck;
}

/// A candidate path that was given up, and why.
struct path_attempt {
  std::vector<certificate<>> path{};  ///< leaf first, as far as it got
  error reason{errc::untrusted, ""};

  /// "certificate at depth 1 (CN=Issuing CA): certificate expired on 2026-01-01 00:00:00 UTC".
  [[nodiscard]] std::string describe() const {
    std::string text;
    const int depth = reason.depth();
    const bool located = depth >= 0 && static_cast<std::size_t>(depth) < path.size();
    if (located) {
      const auto& cert = path[static_cast<std::size_t>(depth)];
      text = "certificate at depth " + std::to_string(depth) + " (" + cert.subject().to_string() + ")";
      text += ": ";
      text += describe_reason(cert);
    } else {
      text = reason.message();
    }
    return text;
  }

 private:
  [[nodiscard]] std::string describe_reason(const certificate<>& cert) const {
    std::string text(pki::describe(reason.code()));
    if (reason.code() == errc::expired) {
      return text + " on " + detail::format_time(cert.not_after());
    }
    if (reason.code() == errc::not_yet_valid) {
      return text + " until " + detail::format_time(cert.not_before());
    }
    if (*reason.context() != '\0') {
      text += " (";
      text += reason.context();
      text += ')';
    }
    if (reason.code() == errc::name_mismatch) text += names_held(cert);
    return text;
  }

  /// What the certificate is for, so that a mismatch can be acted on (which name to ask
  /// for, or which certificate to issue): its DNS and IP entries, the first eight.
  [[nodiscard]] static std::string names_held(const certificate<>& cert) {
    const auto& san = cert.subject_alt_name();
    if (!san || !*san) return "; it has no subjectAltName";
    constexpr std::size_t shown = 8;
    std::string text;
    std::size_t count = 0;
    for (const auto& name : (*san)->names) {
      if (!std::holds_alternative<dns_name>(name) && !std::holds_alternative<ip_address>(name)) continue;
      if (count++ < shown) text += (text.empty() ? "" : ", ") + to_string(name);
    }
    if (count == 0) return "; it names no host or address";
    if (count > shown) text += " and " + std::to_string(count - shown) + " more";
    return "; it is for " + text;
  }
};

/// The outcome of a path search: the path found, or the reason the most promising
/// candidate failed; and the candidate paths given up on the way (the first
/// max_recorded_attempts of them; attempts_total counts all).
struct path_search {
  static constexpr std::size_t max_recorded_attempts = 32;

  std::optional<std::vector<certificate<>>> path{};
  error failure{errc::untrusted, "no candidate path"};
  std::vector<path_attempt> attempts{};
  std::size_t attempts_total = 0;

  [[nodiscard]] explicit operator bool() const noexcept { return path.has_value(); }

  /// One line per candidate path given up, then the verdict.
  [[nodiscard]] std::string explain() const {
    std::string text;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      text += "candidate path " + std::to_string(i + 1) + ": ";
      for (std::size_t d = 0; d < attempts[i].path.size(); ++d) {
        if (d != 0) text += " <- ";
        text += attempts[i].path[d].subject().to_string();
      }
      text += "\n  " + attempts[i].describe() + "\n";
    }
    if (attempts_total > attempts.size()) {
      text += "(" + std::to_string(attempts_total - attempts.size()) + " more candidate paths not shown)\n";
    }
    return text;
  }
};

class path_builder {
 public:
  /// Paths end at an anchor of `anchors` and may pass through any of `intermediates`
  /// (order does not matter). Both are referenced, not copied: they must outlive the builder.
  path_builder(const trust_store& anchors, std::span<const certificate<>> intermediates) noexcept
      : anchors_(anchors), intermediates_(intermediates) {}

  /// Searches for a path from `leaf` that `policy` accepts under `options`.
  template <validation_policy Policy>
  [[nodiscard]] path_search build(const certificate<>& leaf, const Policy& policy,
                                  const validation_options& options) const noexcept {
    return run_search(leaf, policy, options, false);
  }

 private:
  friend struct detail::path_recheck;

  // A search, or (`replaying`) the walk up a path found before: the intermediates are then
  // that path after its leaf, in order (detail::path_recheck).
  template <class Policy>
  [[nodiscard]] path_search run_search(const certificate<>& leaf, const Policy& policy,
                                       const validation_options& options, bool replaying) const noexcept {
#if defined(__cpp_exceptions)
    try {
#endif
      // The time first: with no clock there is nothing to judge validity against.
      const auto time = detail::given_or_now(options.time);
      if (!time) {
        path_search out;
        out.failure = time.error();
        return out;
      }
      search<Policy> s(*this, policy, options, *time, replaying);
      return s.run(leaf);
#if defined(__cpp_exceptions)
    } catch (...) {  // only allocation failures come out of the search (detail/out_of_memory.hpp)
      path_search out;
      out.failure = error(errc::out_of_memory, "building a certificate path");
      return out;
    }
#endif
  }

  template <class Policy>
  class search {
   public:
    search(const path_builder& builder, const Policy& policy, const validation_options& options,
           std::chrono::sys_seconds time, bool replaying)
        : builder_(builder),
          policy_(policy),
          options_(options),
          replaying_(replaying),
          time_(time),
          signatures_left_(options.budget.signature_checks),
          candidates_left_(options.budget.issuer_candidates) {}

    path_search run(const certificate<>& leaf) {
      path_.push_back(leaf);
      const bool found = extend(builder_.anchors_.contains(leaf));
      if (found) {
        out_.path = std::move(path_);
      } else if (budget_error_) {
        out_.failure = *budget_error_;
      } else if (best_) {
        out_.failure = *best_;
      }
      return std::move(out_);
    }

   private:
    struct candidate {
      const certificate<>* cert;
      bool anchor;
      int rank;  // lower is tried first
    };

    /// Checks the certificate just added at the top of the path, then looks for its issuer.
    bool extend(bool complete) {
      const std::size_t depth = path_.size() - 1;
      const path_context ctx{path_, complete, time_, &options_, &spend_};
      if (auto ok = policy_.check(ctx, depth); !ok) return rejected(ok.error());
      if (complete) {
        if (auto ok = policy_.check_path(ctx); !ok) return rejected(ok.error());
        return true;
      }
      candidate_cursor candidates = issuers_of(path_.back());
      bool tried = false;
      bool too_long = false;
      while (const auto next = candidates.next()) {
        const candidate& c = *next;
        if (budget_error_) return false;
        if (on_path(*c.cert)) continue;
        if (!c.anchor && path_.size() > options_.budget.max_intermediates) {
          too_long = true;  // one more intermediate would exceed the length budget
          continue;
        }
        if (candidates_left_ == 0)
          return exhausted(budget_kind::issuer_candidates,
                           "path building tried more issuer candidates than the budget");
        --candidates_left_;
        tried = true;
        // The policy's key rules judge the candidate's key before any work is done with it.
        if (auto key_ok = policy_.check_key(c.cert->public_key(), depth + 1); !key_ok) {
          path_.push_back(*c.cert);
          rejected(key_ok.error());
          path_.pop_back();
          continue;
        }
        auto signed_by = link_verified(path_.back(), *c.cert);
        if (!signed_by) return false;  // the signature budget ran out
        if (!*signed_by) {
          path_.push_back(*c.cert);
          give_up(error(errc::bad_signature, "not signed by the candidate issuer's key", 0,
                        static_cast<int>(depth)));
          path_.pop_back();
          continue;
        }
        path_.push_back(*c.cert);
        if (extend(c.anchor)) return true;
        path_.pop_back();
      }
      if (!tried && too_long) {
        // Only this branch ends here: a shorter path may still be found elsewhere.
        give_up(error::exhausted(budget_kind::intermediates,
                                 "the path would have more intermediates than the budget allows",
                                 static_cast<int>(depth)));
      } else if (!tried && !budget_error_) {
        give_up(error(errc::untrusted,
                      path_.back().is_self_issued() ? "self-issued and not a trust anchor"
                                                    : "no issuer among the trust anchors and intermediates",
                      0, static_cast<int>(depth)));
      }
      return false;
    }

    /// Whether `issuer`'s key made `child`'s signature. Each pair is verified once per
    /// search, however many branches reach it; nullopt when the signature budget is spent
    /// or memory ran out (the search then ends).
    [[nodiscard]] std::optional<bool> link_verified(const certificate<>& child, const certificate<>& issuer) {
      // A replayed path's links were verified by the search that found it; a signature is
      // the two certificates' own property, which nothing since can have changed.
      if (replaying_) return true;
      const link key{child.der().data(), issuer.der().data()};
      for (const auto& [known, ok] : links_) {
        if (known == key) return ok;
      }
      // Hashed once: looked up now, recorded below if the check succeeds.
      std::optional<verified_link_cache::link_key> cached;
      if (options_.link_cache != nullptr && options_.link_cache->capacity() > 0) {
        cached = verified_link_cache::key_of(child, issuer);
        if (cached && options_.link_cache->contains(*cached)) {
          links_.emplace_back(key, true);  // verified by an earlier validation: costs no budget
          return true;
        }
      }
      if (signatures_left_ == 0) {
        exhausted(budget_kind::signature_checks, "path building checked more signatures than the budget");
        return std::nullopt;
      }
      --signatures_left_;
      const auto verdict = child.verify_signature(issuer.public_key());
      if (!verdict && verdict.error().code() == errc::out_of_memory) {
        // Memory ran out, not the signature: there is no verdict to keep, and the search
        // ends with the reason rather than blaming the issuer.
        budget_error_ = verdict.error();
        give_up(*budget_error_);
        return std::nullopt;
      }
      links_.emplace_back(key, verdict.has_value());
      if (verdict && cached) options_.link_cache->remember(*cached);
      return verdict.has_value();
    }

    /// The candidate issuers of one certificate, best first, found as they are asked for:
    /// the anchors of its issuer's name (an index probe), then the intermediates of that
    /// name, scanned only as far as the search needs. Intermediates of the best rank (the
    /// child's AKI key and valid now) come out as the scan meets them, in the order given;
    /// the others once the scan is done, stably sorted by rank. That is the order of one
    /// stable sort of all candidates, but a search that succeeds with the real issuer, sent
    /// first, never looks at the decoys after it.
    class candidate_cursor {
     public:
      /// `first` (the anchors, sorted, or a replayed path's one certificate) come out first,
      /// then the `intermediates` whose subject is `child`'s issuer name.
      candidate_cursor(const search& s, const certificate<>& child, const byte_buffer* key_id,
                       std::vector<candidate> first, std::span<const certificate<>> intermediates) noexcept
          : search_(&s),
            child_(child),
            key_id_(key_id),
            first_(std::move(first)),
            intermediates_(intermediates) {}

      [[nodiscard]] std::optional<candidate> next() {
        if (next_first_ < first_.size()) return first_[next_first_++];
        while (scanned_ < intermediates_.size()) {
          const certificate<>& cert = intermediates_[scanned_++];
          const auto rank = rank_of(cert);
          if (!rank) continue;
          if (*rank == best_rank) return candidate{&cert, false, *rank};
          later_.push_back({&cert, false, *rank});
        }
        if (!sorted_) {
          std::stable_sort(later_.begin(), later_.end(),
                           [](const candidate& a, const candidate& b) { return a.rank < b.rank; });
          sorted_ = true;
        }
        if (next_later_ < later_.size()) return later_[next_later_++];
        return std::nullopt;
      }

      /// The rank an issuer candidate gets (lower is tried first): anchors from 0,
      /// intermediates from 4; +2 for a key other than the child's AKI names, +1 when not
      /// valid now.
      [[nodiscard]] static int rank(const certificate<>& cert, bool anchor, const byte_buffer* key_id,
                                    std::chrono::sys_seconds time) {
        int r = anchor ? 0 : best_rank;
        if (key_id != nullptr) {
          const auto& ski = cert.subject_key_identifier();
          if (ski && *ski && (*ski)->key_id != *key_id) r += 2;  // a different key of that name
        }
        if (!cert.validity().contains(time)) r += 1;
        return r;
      }

     private:
      static constexpr int best_rank = 4;  // the best an intermediate can have

      /// An intermediate's rank; nullopt when it is no candidate (another name, or an anchor).
      [[nodiscard]] std::optional<int> rank_of(const certificate<>& cert) const {
        if (!child_.issuer_name_matches(cert)) return std::nullopt;
        // An intermediate that is an anchor too has this name, so it is among the anchors
        // just found: compared with those few, not looked up in the whole store.
        const auto same = [&](const candidate& a) { return std::ranges::equal(a.cert->der(), cert.der()); };
        if (std::ranges::any_of(first_, same)) return std::nullopt;  // tried as an anchor
        return rank(cert, false, key_id_, search_->time_);
      }

      const search* search_;
      certificate<> child_;        // a copy: the path the child lies in grows while candidates are tried
      const byte_buffer* key_id_;  // the child's AKI key identifier, into its decoded extensions
      std::vector<candidate> first_;
      std::span<const certificate<>> intermediates_;
      std::size_t next_first_ = 0;
      std::size_t scanned_ = 0;
      std::vector<candidate> later_;  // intermediates below the best rank
      bool sorted_ = false;
      std::size_t next_later_ = 0;
    };

    /// Candidate issuers of `child`, best first.
    [[nodiscard]] candidate_cursor issuers_of(const certificate<>& child) const {
      if (replaying_) return next_on_replayed_path(child);
      const byte_buffer* key_id = nullptr;  // into the child's decoded extensions
      if (const auto& aki = child.authority_key_identifier(); aki && *aki && (*aki)->key_id)
        key_id = &*(*aki)->key_id;
      std::vector<candidate> anchors;
      builder_.anchors_.for_each_issuer_named(child, [&](const certificate<>& anchor) {
        anchors.push_back({&anchor, true, candidate_cursor::rank(anchor, true, key_id, time_)});
      });
      std::stable_sort(anchors.begin(), anchors.end(),
                       [](const candidate& a, const candidate& b) { return a.rank < b.rank; });
      return candidate_cursor(*this, child, key_id, std::move(anchors), builder_.intermediates_);
    }

    /// On a replayed path the one candidate is the next certificate of that path, an anchor
    /// only if the trust store holds it now.
    [[nodiscard]] candidate_cursor next_on_replayed_path(const certificate<>& child) const {
      const std::size_t next = path_.size() - 1;  // intermediates_ is the path after its leaf
      std::vector<candidate> one;
      if (next < builder_.intermediates_.size()) {
        const auto& cert = builder_.intermediates_[next];
        if (child.issuer_name_matches(cert)) one.push_back({&cert, builder_.anchors_.contains(cert), 0});
      }
      return candidate_cursor(*this, child, nullptr, std::move(one), {});
    }

    /// Same subject and same key as a certificate already on the path: a loop.
    [[nodiscard]] bool on_path(const certificate<>& cert) const {
      return std::ranges::any_of(path_, [&](const certificate<>& p) {
        return std::ranges::equal(p.public_key_der(), cert.public_key_der()) && p.subject() == cert.subject();
      });
    }

    bool exhausted(budget_kind kind, const char* why) {
      budget_error_ = error::exhausted(kind, why);
      give_up(*budget_error_);
      return false;
    }

    /// A policy refused the path. One that ran out of its budget (name constraints) or of
    /// memory ends the whole search, as the builder's own budgets do.
    bool rejected(const error& reason) {
      const bool ends_search =
          reason.code() == errc::budget_exhausted || reason.code() == errc::out_of_memory;
      if (ends_search && !budget_error_) budget_error_ = reason;
      return give_up(reason);
    }

    /// Records a candidate path that failed; always false.
    bool give_up(const error& reason) {
      ++out_.attempts_total;
      const auto weight = weigh(reason, path_.size());
      if (!best_ || weight > best_weight_) {
        best_ = reason;
        best_weight_ = weight;
      }
      if (out_.attempts.size() < path_search::max_recorded_attempts) out_.attempts.push_back({path_, reason});
      return false;
    }

    /// How well a failure explains why there is no path (more is better): a rule that
    /// failed says more than a missing issuer or a non-matching signature, and a longer
    /// path more than a shorter one.
    [[nodiscard]] static std::pair<int, std::size_t> weigh(const error& reason, std::size_t path_length) {
      const bool structural = reason.code() == errc::untrusted || reason.code() == errc::bad_signature;
      return {structural ? 0 : 1, path_length};
    }

    const path_builder& builder_;
    const Policy& policy_;
    const validation_options& options_;
    bool replaying_;
    std::chrono::sys_seconds time_;
    unsigned signatures_left_;
    unsigned candidates_left_;
    validation_spend spend_{};
    // Certificates are immutable and shared: a link is identified by where their DER lies.
    using link = std::pair<const std::uint8_t*, const std::uint8_t*>;
    std::vector<std::pair<link, bool>> links_{};  // the links verified so far, and the verdicts
    std::vector<certificate<>> path_{};
    std::optional<error> budget_error_{};  // what ended the whole search: a budget, or memory
    std::optional<error> best_{};          // the most telling failure so far, and its weight
    std::pair<int, std::size_t> best_weight_{};
    path_search out_{};
  };

  const trust_store& anchors_;
  std::span<const certificate<>> intermediates_;
};

namespace detail {

/// Checks again a path that a search of this library found and validated (a resumed TLS
/// session's): every rule at every depth under `options` now, and the anchor in `anchors`,
/// but no signature again. The time, the CRLs, the peer name, the anchors and the rules may
/// have changed since; the signatures, properties of the certificates alone, cannot. Not
/// for a path from anywhere else, which must be validated (and is why this is no public API).
struct path_recheck {
  template <validation_policy Policy>
  [[nodiscard]] static path_search run(const trust_store& anchors, std::span<const certificate<>> path,
                                       const Policy& policy, const validation_options& options) noexcept {
    if (path.empty()) {
      path_search out;
      out.failure = error(errc::invalid_argument, "rechecking a validated path: the path is empty");
      return out;
    }
    return path_builder(anchors, path.subspan(1)).run_search(path.front(), policy, options, true);
  }
};

}  // namespace detail

}  // namespace pki
