// The Boost.Test runner, compiled once in its header-only form.
#define BOOST_TEST_MODULE pki
#include <boost/test/included/unit_test.hpp>
