# Conan 2 recipe for pki: `conan create .` from the source tree (test_package/ checks it).
#
#   conan create . --build=missing                      # the header-only package
#   conan create . --build=missing -o "pki/*:with_cli=True"   # with the `pki` tool in bin/
#
# The version is the one in CMakeLists.txt's project(VERSION), read when the recipe is
# exported.
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

required_conan_version = ">=2.0"


class PkiConan(ConanFile):
    name = "pki"
    description = "Header-only C++23 public-key infrastructure on mbedTLS 3.6"
    topics = ("pki", "x509", "certificates", "tls", "mbedtls", "header-only")
    # Header-only unless the tool is asked for (configure()).
    package_type = "header-library"
    # The tool is compiled: then settings matter. Header-only, package_id() drops them.
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_cli": [True, False]}
    default_options = {"with_cli": False}
    exports_sources = ("CMakeLists.txt", "cmake/*", "include/*", "examples/pki/*", "examples/common/*",
                       "docs/Doxyfile.in")
    no_copy_source = True

    def set_version(self):
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        found = re.search(r"project\(\s*pki\s+VERSION\s+(\d+\.\d+\.\d+)", text)
        if not found:
            raise ConanException("CMakeLists.txt: no project(pki VERSION x.y.z)")
        self.version = found.group(1)

    def configure(self):
        if self.options.with_cli:
            # Headers and an executable: no single package type says both.
            self.package_type = "unknown"

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # pki's public headers include mbedTLS's: consumers compile against them too.
        self.requires("mbedtls/[>=3.6 <4]", transitive_headers=True)

    def validate(self):
        check_min_cppstd(self, 23)

    def package_id(self):
        if not self.info.options.with_cli:
            self.info.clear()

    def generate(self):
        if not self.options.with_cli:
            return
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["PKI_BUILD_TESTS"] = False
        toolchain.cache_variables["PKI_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["PKI_BUILD_TOOLS"] = True
        toolchain.cache_variables["PKI_INSTALL"] = True
        toolchain.cache_variables["PKI_WERROR"] = False
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        if self.options.with_cli:
            cmake = CMake(self)
            cmake.configure()
            cmake.build(target="pki-tool")

    def package(self):
        if self.options.with_cli:
            CMake(self).install()
            # Conan's generators describe the package from package_info(); the project's
            # own CMake package and pki.pc would shadow what they generate.
            rmdir(self, os.path.join(self.package_folder, "share"))
            rmdir(self, os.path.join(self.package_folder, "lib"))
        else:
            copy(self, "*.hpp", src=os.path.join(self.source_folder, "include"),
                 dst=os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "pki")
        self.cpp_info.set_property("cmake_target_name", "pki::pki")
        self.cpp_info.set_property("pkg_config_name", "pki")
        self.cpp_info.libdirs = []
        self.cpp_info.bindirs = ["bin"] if self.options.with_cli else []
