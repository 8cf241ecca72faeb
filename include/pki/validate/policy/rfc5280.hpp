#pragma once
// policy::rfc5280 — RFC 5280 as a relying party can apply it: the path validation of
// section 6 (policy::rfc5280_path, rfc5280_path.hpp) and the section 4 profile rules on
// conforming CAs that a validator can see (policy::rfc5280_profile, rfc5280_profile.hpp),
// in that order. It was one class; it is now this alias of the two, so code and presets
// that name policy::rfc5280 keep the same rules, errors and depths. Pick one half to get
// only that: policy::rfc5280_strict_path (presets.hpp) is rfc5280_path without the profile.

#include "policy.hpp"
#include "rfc5280_path.hpp"
#include "rfc5280_profile.hpp"

namespace pki::policy {

/// Both halves of RFC 5280: section 6 path validation, then the section 4 profile.
using rfc5280 = policies<rfc5280_path, rfc5280_profile>;

}  // namespace pki::policy
