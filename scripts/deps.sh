#!/usr/bin/env bash
# Install the Debian packages actionable needs (only those missing). Run as root.
set -euo pipefail
PACKAGES=(cmake g++ make ninja-build pkg-config libboost-dev libboost-graph-dev nlohmann-json3-dev
          librange-v3-dev libsimdjson-dev doctest-dev libcli11-dev libbenchmark-dev libssl-dev
          libsqlite3-dev sqlite3 libpq-dev postgresql python3 python3-dev pybind11-dev libyaml-cpp-dev
          libcairo2-dev libpango1.0-dev fonts-dejavu-core  # the report's PDF (cairo + pango)
          tidy chromium poppler-utils  # report checks: tidy, headless Chromium, pdfinfo/pdftotext/pdftoppm
          clang-14 libfuzzer-14-dev libclang-rt-14-dev  # sanitizers and fuzzing (scripts/reliability.sh, fuzz.sh)
          clang-format-14  # the tree's format, checked by the `format` test (.clang-format)
          llvm-14  # llvm-symbolizer: sanitizer reports with file:line
          libsodium-dev liboath-dev  # the portal: Argon2id, random tokens; TOTP (RFC 6238)
          chromium-driver python3-selenium curl  # portal tests: browser (Selenium), HTTP readiness
          python3-pip python3-setuptools python3-wheel mypy)  # pip install ./bindings/python; mypy --strict
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
