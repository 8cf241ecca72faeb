#pragma once
// X.509 Time (RFC 5280 4.1.2.5): UTCTime for years 1950-2049, GeneralizedTime
// otherwise, always in UTC with seconds and a "Z". Read strictly, as DER requires.

#include <mbedtls/asn1.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"

namespace pki::detail {

using seconds_time = std::chrono::sys_seconds;

[[nodiscard]] constexpr bool read_digits(std::string_view text, std::size_t pos, std::size_t count,
                                         int& value) noexcept {
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

/// The time in a UTCTime or GeneralizedTime value, in the strict form RFC 5280 requires.
[[nodiscard]] inline result<seconds_time> parse_time(const der_value& v) noexcept {
  const std::string_view text = v.text();
  int year = 0;
  std::size_t pos = 0;
  if (v.tag == MBEDTLS_ASN1_UTC_TIME) {
    if (text.size() != 13 || !read_digits(text, 0, 2, year)) {
      return fail(errc::parse_failed, "UTCTime is not YYMMDDHHMMSSZ");
    }
    year += year < 50 ? 2000 : 1900;
    pos = 2;
  } else if (v.tag == MBEDTLS_ASN1_GENERALIZED_TIME) {
    if (text.size() != 15 || !read_digits(text, 0, 4, year)) {
      return fail(errc::parse_failed, "GeneralizedTime is not YYYYMMDDHHMMSSZ");
    }
    pos = 4;
  } else {
    return fail(errc::parse_failed, "a time is UTCTime or GeneralizedTime");
  }
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 2, month) || !read_digits(text, pos + 2, 2, day) ||
      !read_digits(text, pos + 4, 2, hour) || !read_digits(text, pos + 6, 2, minute) ||
      !read_digits(text, pos + 8, 2, second) || text[pos + 10] != 'Z') {
    return fail(errc::parse_failed, "a time has digits and ends in Z");
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
    return fail(errc::parse_failed, "a time names a date or time of day that does not exist");
  }
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

/// Reads the next value of `reader` as a Time.
[[nodiscard]] inline result<seconds_time> read_time(der_reader& reader) noexcept {
  auto v = reader.any();
  if (!v) return std::unexpected(v.error());
  return parse_time(*v);
}

/// Writes a Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5).
inline result<void> write_time(der_writer& w, seconds_time t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - days};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999)
    return fail(errc::invalid_argument, "a certificate time is in years 0000-9999");
  char text[16];
  std::size_t n = 0;
  auto put = [&](int value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      int d = value;
      for (int k = 0; k < i; ++k) d /= 10;
      text[n++] = static_cast<char>('0' + d % 10);
    }
  };
  const bool utc = year >= 1950 && year <= 2049;
  put(utc ? year % 100 : year, utc ? 2 : 4);
  put(static_cast<int>(static_cast<unsigned>(date.month())), 2);
  put(static_cast<int>(static_cast<unsigned>(date.day())), 2);
  put(static_cast<int>(clock.hours().count()), 2);
  put(static_cast<int>(clock.minutes().count()), 2);
  put(static_cast<int>(clock.seconds().count()), 2);
  text[n++] = 'Z';
  w.primitive(utc ? MBEDTLS_ASN1_UTC_TIME : MBEDTLS_ASN1_GENERALIZED_TIME,
              byte_view(reinterpret_cast<const std::uint8_t*>(text), n));
  return {};
}

/// "2026-11-23 09:30:00 UTC".
[[nodiscard]] inline std::string format_time(seconds_time t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - days};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d UTC", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

}  // namespace pki::detail
