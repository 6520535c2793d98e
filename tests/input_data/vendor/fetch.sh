#!/usr/bin/env bash
# Refresh the vendored axe-core (the site's accessibility tests inject it into the page; the
# tests need no internet). Run from the repository root; review the diff; commit.
set -euo pipefail
version=4.14.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf "axe-core-$version.tgz")
dst=tests/input_data/vendor/axe-core-$version
mkdir -p "$dst"
cp "$tmp"/package/{axe.min.js,LICENSE,LICENSE-3RD-PARTY.txt} "$dst/"
(cd tests/input_data/vendor && sha256sum "axe-core-$version"/* > SHA256SUMS)
