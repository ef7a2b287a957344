#!/usr/bin/env bash
# Installs the Debian 12 packages CodeIndex needs, if any are missing.
set -euo pipefail
PKGS=(cmake ninja-build g++ python3 llvm-19-dev libclang-19-dev clang-19
      llvm-19-tools libclang-rt-19-dev librocksdb-dev liblmdb-dev
      nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev jq
      libcpp-httplib-dev libigraph-dev python3-networkx graphviz libgraphviz-dev
      chromium fonts-dejavu-core pkg-config catch2 doctest-dev libboost-test-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "[install-deps] installing: ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
