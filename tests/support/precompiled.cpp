// The translation unit that carries the test programs' precompiled headers
// (PKI_PRECOMPILED_TEST_HEADERS in tests/CMakeLists.txt); it has no code of its own.
