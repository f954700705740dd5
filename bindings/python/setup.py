"""Build the actionable Python package through the project's CMake (docs/bindings.md, "Python").

    python3 -m pip install --no-build-isolation ./bindings/python

configures the repository (two levels up) in a temporary build directory with only the core
library and the Python module (no CLI, tests, benchmarks, registry or portal), builds the
`actionable_python` target, and installs the package: actionable/__init__.py, the stubs,
py.typed, the native _core module and the reference data (rules/reference) the engine reads.

Environment:
  ACTIONABLE_CMAKE_BUILD_DIR  reuse an already configured build tree (only its
                              actionable_python target is built): what the test suite does
  ACTIONABLE_CMAKE_ARGS       extra arguments for the configure step
  CMAKE_BUILD_PARALLEL_LEVEL  build jobs (default 2)
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    m = re.search(r"project\(\s*actionable\s+VERSION\s+([0-9.]+)", text)
    if not m:
        raise RuntimeError("cannot read the project version from CMakeLists.txt")
    return m.group(1)


class BuildWithCMake(build_py):
    """build_py, plus the native module built by CMake and the reference data."""

    def run(self) -> None:
        super().run()
        build_dir = os.environ.get("ACTIONABLE_CMAKE_BUILD_DIR")
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        if not build_dir:
            build_dir = str(pathlib.Path(self.build_lib).parent / "cmake-build")
            args = [
                "cmake", "-S", str(ROOT), "-B", build_dir,
                "-DCMAKE_BUILD_TYPE=Release",
                "-DPython_EXECUTABLE=" + sys.executable,
                "-DACTIONABLE_BUILD_TESTS=OFF", "-DACTIONABLE_BUILD_BENCH=OFF",
                "-DACTIONABLE_BUILD_CLI=OFF", "-DACTIONABLE_INSTALL=OFF",
            ] + os.environ.get("ACTIONABLE_CMAKE_ARGS", "").split()
            subprocess.check_call(args)
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "actionable_python", "-j", jobs])
        built = sorted((pathlib.Path(build_dir) / "python" / "actionable").glob("_core*.so"))
        if not built:
            raise RuntimeError("CMake built no _core module under " + build_dir + "/python/actionable")
        target = pathlib.Path(self.build_lib) / "actionable"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target / built[0].name)
        reference = target / "reference"
        if reference.exists():
            shutil.rmtree(reference)
        shutil.copytree(ROOT / "rules" / "reference", reference)


setup(
    version=project_version(),
    packages=["actionable"],
    package_dir={"actionable": "actionable"},
    package_data={"actionable": ["__init__.pyi", "py.typed"]},
    cmdclass={"build_py": BuildWithCMake},
    zip_safe=False,
)
