#!/usr/bin/env python3
"""Checks of the packaging files that need neither Conan nor vcpkg installed.

  check_packaging.py SOURCE_DIR versions       project(VERSION) = version.hpp = recipe = vcpkg.json
  check_packaging.py SOURCE_DIR conan          the recipe's shape, run on a stand-in Conan API
  check_packaging.py SOURCE_DIR conan-info     package_info() as JSON (for consumer.conan_test_package)
  check_packaging.py SOURCE_DIR vcpkg          vcpkg.json and ports/pki/vcpkg.json against vcpkg's schema

The stand-in API (below) implements only what conanfile.py calls, recording each call, so
that the recipe's own methods run: set_version() reads CMakeLists.txt, validate() asks for
C++23, requirements() names mbedTLS 3.x with transitive headers, package_id() drops the
settings of the header-only package. It is not Conan: `conan create .` is the real test.
Exit status 0 when every check holds; each failure is printed.
"""

import importlib.util
import json
import os
import py_compile
import re
import sys
import tempfile
import types

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def project_version(source):
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        found = re.search(r"project\(\s*pki\s+VERSION\s+(\d+\.\d+\.\d+)", f.read())
    if not found:
        sys.exit("CMakeLists.txt: no project(pki VERSION x.y.z)")
    return found.group(1)


# --- a stand-in for the part of Conan 2's API that conanfile.py uses -------------------------


class Invalid(Exception):
    pass


class Value:
    """An option or setting value: compares with its text, true when "True"."""

    def __init__(self, value):
        self.value = str(value)

    def __bool__(self):
        return self.value == "True"

    def __eq__(self, other):
        return self.value == str(other)

    def __str__(self):
        return self.value


class Options:
    def __init__(self, values):
        object.__setattr__(self, "_values", {k: Value(v) for k, v in values.items()})

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self._values[name] = Value(value)


class Info:
    def __init__(self, options):
        self.options = options
        self.cleared = False

    def clear(self):
        self.cleared = True


class CppInfo:
    def __init__(self):
        self.properties = {}
        self.includedirs = ["include"]
        self.libdirs = ["lib"]
        self.bindirs = ["bin"]
        self.requires = []

    def set_property(self, name, value):
        self.properties[name] = value


class ConanFile:
    calls = []

    def __init__(self, recipe_folder, options):
        self.recipe_folder = recipe_folder
        self.options = Options({**self.default_options, **options})
        self.info = Info(self.options)
        self.cpp_info = CppInfo()
        self.version = None
        self.requirements_made = []

    def requires(self, ref, **traits):
        self.requirements_made.append((ref, traits))


def _record(name):
    def call(*args, **kwargs):
        ConanFile.calls.append((name, args[1:], kwargs))

    return call


def _load(conanfile, path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def install_stand_in():
    modules = {
        "conan": {"ConanFile": ConanFile},
        "conan.errors": {"ConanException": Invalid, "ConanInvalidConfiguration": Invalid},
        "conan.tools": {},
        "conan.tools.build": {"check_min_cppstd": _record("check_min_cppstd"), "can_run": lambda _: True},
        "conan.tools.cmake": {
            "CMake": _record("CMake"),
            "CMakeDeps": _record("CMakeDeps"),
            "CMakeToolchain": _record("CMakeToolchain"),
            "cmake_layout": _record("cmake_layout"),
        },
        "conan.tools.files": {"copy": _record("copy"), "load": _load, "rmdir": _record("rmdir")},
    }
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module


def load_recipe(source, options=None):
    install_stand_in()
    spec = importlib.util.spec_from_file_location("pki_conanfile", os.path.join(source, "conanfile.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recipes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, ConanFile) and c is not ConanFile]
    if len(recipes) != 1:
        sys.exit(f"conanfile.py: {len(recipes)} ConanFile classes, expected one")
    ConanFile.calls = []
    recipe = recipes[0](source, options or {})
    return recipe


def package_info(source, options=None):
    recipe = load_recipe(source, options)
    recipe.configure()
    recipe.package_info()
    return recipe


# --- the checks ------------------------------------------------------------------------------


def check_versions(source):
    version = project_version(source)
    major, minor, patch = version.split(".")
    with open(os.path.join(source, "include/pki/core/version.hpp"), encoding="utf-8") as f:
        header = f.read()
    for name, value in (("MAJOR", major), ("MINOR", minor), ("PATCH", patch)):
        check(re.search(rf"#define PKI_VERSION_{name} {value}\b", header),
              f"include/pki/core/version.hpp: PKI_VERSION_{name} is not {value} (CMakeLists.txt says {version})")
    check(f'version_string = "{version}"' in header,
          f"include/pki/core/version.hpp: version_string is not \"{version}\"")
    recipe = load_recipe(source)
    recipe.set_version()
    check(recipe.version == version, f"conanfile.py: set_version() gives {recipe.version}, not {version}")
    for manifest in ("vcpkg.json", "ports/pki/vcpkg.json"):
        with open(os.path.join(source, manifest), encoding="utf-8") as f:
            found = json.load(f).get("version")
        check(found == version, f"{manifest}: version {found}, not {version}")
    print(f"version {version}: CMakeLists.txt, version.hpp, conanfile.py, vcpkg.json, ports/pki/vcpkg.json")


def check_conan(source):
    with tempfile.TemporaryDirectory() as scratch:
        for recipe_file in ("conanfile.py", "test_package/conanfile.py"):
            try:
                py_compile.compile(os.path.join(source, recipe_file), cfile=os.path.join(scratch, "out.pyc"),
                                   doraise=True)
            except py_compile.PyCompileError as e:
                check(False, f"{recipe_file}: {e.msg}")

    recipe = load_recipe(source)
    check(recipe.name == "pki", f"name is {recipe.name!r}")
    check(recipe.package_type == "header-library", f"package_type is {recipe.package_type!r}")
    check(getattr(recipe, "default_options", {}).get("with_cli") is False, "with_cli is not an option, False by default")
    recipe.requirements()
    mbedtls = [(ref, traits) for ref, traits in recipe.requirements_made if ref.startswith("mbedtls/")]
    check(len(mbedtls) == 1 and mbedtls[0][0] == "mbedtls/[>=3.6 <4]",
          f"requires mbedtls/[>=3.6 <4] (has {recipe.requirements_made})")
    check(mbedtls and mbedtls[0][1].get("transitive_headers") is True, "mbedtls is not required with transitive_headers=True")
    recipe.validate()
    check(("check_min_cppstd", (23,), {}) in ConanFile.calls or ("check_min_cppstd", ("23",), {}) in ConanFile.calls,
          f"validate() does not call check_min_cppstd(self, 23): {ConanFile.calls}")

    header_only = load_recipe(source)
    header_only.configure()
    header_only.package_id()
    check(header_only.package_type == "header-library" and header_only.info.cleared,
          "the header-only package keeps settings in its package_id")
    with_cli = load_recipe(source, {"with_cli": True})
    with_cli.configure()
    with_cli.package_id()
    check(with_cli.package_type != "header-library" and not with_cli.info.cleared,
          "with_cli=True is still packaged as a header-only library (one binary for every setting)")

    for options, bindirs in (({}, []), ({"with_cli": True}, ["bin"])):
        info = package_info(source, options).cpp_info
        check(info.properties.get("cmake_file_name") == "pki", "cmake_file_name is not pki")
        check(info.properties.get("cmake_target_name") == "pki::pki", "cmake_target_name is not pki::pki")
        check(info.libdirs == [] and info.bindirs == bindirs and info.includedirs == ["include"],
              f"{options}: libdirs {info.libdirs}, bindirs {info.bindirs}, includedirs {info.includedirs}")
    print("conanfile.py: header-library, mbedtls/[>=3.6 <4] (transitive headers), C++23, pki::pki, with_cli")


def print_conan_info(source):
    info = package_info(source).cpp_info
    print(json.dumps({"cmake_file_name": info.properties["cmake_file_name"],
                      "cmake_target_name": info.properties["cmake_target_name"],
                      "includedirs": info.includedirs, "requires": info.requires}))


# vcpkg's manifest schema (vcpkg-tool docs/vcpkg.schema.json, vcpkg-schema-definitions).
TOP_LEVEL_KEYS = {"name", "version", "version-semver", "version-date", "version-string", "port-version",
                  "maintainers", "summary", "description", "homepage", "documentation", "license",
                  "builtin-baseline", "dependencies", "overrides", "features", "default-features",
                  "supports", "vcpkg-configuration"}
VERSION_KEYS = ("version", "version-semver", "version-date", "version-string")
DEPENDENCY_KEYS = {"name", "features", "host", "default-features", "platform", "version>="}
FEATURE_KEYS = {"description", "dependencies", "supports"}
IDENTIFIER = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PORT_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$")
RESERVED = re.compile(r"(^|\.)(prn|aux|nul|con|lpt[1-9]|com[1-9]|core|default)(\.|$)")
RELAXED_VERSION = re.compile(r"^\d+(\.\d+)*(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
                             r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
# The registry ports the manifests name (each checked to exist in microsoft/vcpkg's ports/).
KNOWN_PORTS = {"mbedtls", "boost-test", "nlohmann-json", "vcpkg-cmake", "vcpkg-cmake-config"}


def unknown_keys(where, obj, allowed):
    for key in obj:
        check(key.startswith("$") or key in allowed, f"{where}: unknown field {key!r}")


def check_dependencies(where, dependencies, top_level, manifest):
    if not check(isinstance(dependencies, list), f"{where}: dependencies is not an array"):
        return
    for dependency in dependencies:
        if isinstance(dependency, str):
            name = dependency
        elif check(isinstance(dependency, dict), f"{where}: a dependency is neither a name nor an object"):
            unknown_keys(f"{where}: dependency", dependency, DEPENDENCY_KEYS)
            name = dependency.get("name")
            check(isinstance(dependency.get("host", False), bool), f"{where}: {name}: host is not a boolean")
            if "version>=" in dependency:
                check(re.match(r"^[^#]+(#\d+)?$", dependency["version>="]), f"{where}: {name}: bad version>=")
                check(not top_level or "builtin-baseline" in manifest or "vcpkg-configuration" in manifest,
                      f"{where}: {name}: a version>= constraint in a top-level manifest needs a builtin-baseline")
        else:
            continue
        if check(isinstance(name, str) and PORT_NAME.match(name) and not RESERVED.search(name),
                 f"{where}: bad dependency name {name!r}"):
            check(name in KNOWN_PORTS, f"{where}: {name!r} is not a port this project knows to exist")


def check_manifest(source, path, port):
    where = path
    try:
        with open(os.path.join(source, path), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        check(False, f"{where}: {e}")
        return
    if not check(isinstance(manifest, dict), f"{where}: not a JSON object"):
        return
    unknown_keys(where, manifest, TOP_LEVEL_KEYS)
    versions = [key for key in VERSION_KEYS if key in manifest]
    check(len(versions) <= 1, f"{where}: more than one version field: {versions}")
    if port:
        # A port needs a name, a version and a description.
        for key in ("name", "description"):
            check(key in manifest, f"{where}: a port needs {key!r}")
        check(len(versions) == 1, f"{where}: a port needs a version field")
    if "name" in manifest:
        name = manifest["name"]
        check(isinstance(name, str) and IDENTIFIER.match(name) and not RESERVED.search(name),
              f"{where}: bad name {name!r}")
    if "version" in manifest:
        check(isinstance(manifest["version"], str) and RELAXED_VERSION.match(manifest["version"]),
              f"{where}: version {manifest['version']!r} is not a relaxed version (1.2.3...)")
    if "port-version" in manifest:
        check(isinstance(manifest["port-version"], int) and manifest["port-version"] >= 0,
              f"{where}: port-version is not a non-negative integer")
    description = manifest.get("description", "")
    check(isinstance(description, str) or (isinstance(description, list) and all(isinstance(d, str) for d in description)),
          f"{where}: description is neither a string nor strings")
    check_dependencies(where, manifest.get("dependencies", []), not port, manifest)
    features = manifest.get("features", {})
    if check(isinstance(features, dict), f"{where}: features is not an object"):
        for feature, body in features.items():
            check(IDENTIFIER.match(feature) and not RESERVED.search(feature), f"{where}: bad feature name {feature!r}")
            if check(isinstance(body, dict), f"{where}: feature {feature} is not an object"):
                unknown_keys(f"{where}: feature {feature}", body, FEATURE_KEYS)
                check("description" in body, f"{where}: feature {feature} has no description")
                check_dependencies(f"{where}: feature {feature}", body.get("dependencies", []), not port, manifest)
    names = [d if isinstance(d, str) else d.get("name") for d in manifest.get("dependencies", [])]
    check("mbedtls" in names, f"{where}: mbedtls is not a dependency")
    print(f"{where}: {len(names)} dependencies ({', '.join(names)}), {len(features)} features")


def check_vcpkg(source):
    check_manifest(source, "vcpkg.json", port=False)
    check_manifest(source, "ports/pki/vcpkg.json", port=True)
    for needed in ("portfile.cmake", "usage"):
        check(os.path.isfile(os.path.join(source, "ports/pki", needed)), f"ports/pki/{needed} is missing")
    with open(os.path.join(source, "vcpkg.json"), encoding="utf-8") as f:
        names = [d if isinstance(d, str) else d["name"] for d in json.load(f).get("dependencies", [])]
    for needed in ("boost-test", "nlohmann-json"):
        check(needed in names, f"vcpkg.json: the tests need {needed}")


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("versions", "conan", "conan-info", "vcpkg"):
        sys.exit(__doc__)
    source, what = sys.argv[1], sys.argv[2]
    {"versions": check_versions, "conan": check_conan, "conan-info": print_conan_info, "vcpkg": check_vcpkg}[what](source)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
