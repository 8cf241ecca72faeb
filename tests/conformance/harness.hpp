#pragma once
// What the conformance harnesses (pki-limbo-harness, pki-path-harness) share: reading the
// validation times of their inputs (RFC 3339 text in UTC or with an offset) and judging one
// case by a validator, as a verdict in the limbo harness format.

#include <cctype>
#include <chrono>
#include <ctime>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <pki/pki.hpp>

namespace pki_harness {

/// "2024-01-01T00:00:00+00:00" or "...Z"; fractions of a second are dropped (limbo's
/// notafter-fractional case expects a validation time 5 ms past notAfter to pass).
/// nullopt when the text is not such a time.
inline std::optional<std::chrono::sys_seconds> parse_time(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text.substr(0, 19));
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  const std::chrono::year_month_day day{std::chrono::year(tm.tm_year + 1900),
                                        std::chrono::month(static_cast<unsigned>(tm.tm_mon + 1)),
                                        std::chrono::day(static_cast<unsigned>(tm.tm_mday))};
  if (!day.ok()) return std::nullopt;
  std::chrono::sys_seconds t = std::chrono::sys_days(day);
  t += std::chrono::hours(tm.tm_hour) + std::chrono::minutes(tm.tm_min) + std::chrono::seconds(tm.tm_sec);
  // Offsets other than UTC: "+HH:MM" after optional fractional digits.
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  if (pos + 6 <= text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int hours = std::stoi(text.substr(pos + 1, 2));
    const int minutes = std::stoi(text.substr(pos + 4, 2));
    const auto offset = std::chrono::hours(hours) + std::chrono::minutes(minutes);
    t = text[pos] == '+' ? t - offset : t + offset;
  }
  return t;
}

/// A case's verdict: SUCCESS, FAILURE or SKIPPED, and why (empty for a success).
struct verdict {
  std::string actual;
  std::string context;
};

/// The verdict of validator<Policy> on `leaf`: the failure's message and the first
/// attempted path's explanation when no path validates.
template <class Policy>
verdict validate(const pki::certificate<>& leaf, const pki::trust_store& anchors,
                 const std::vector<pki::certificate<>>& intermediates,
                 const pki::validation_options& options) {
  const pki::validator<Policy> v{anchors};
  auto found = v.search(leaf, intermediates, options);
  if (found) return {"SUCCESS", {}};
  std::string why = found.failure.message();
  if (!found.attempts.empty()) why += " | " + found.attempts.front().describe();
  return {"FAILURE", std::move(why)};
}

}  // namespace pki_harness
