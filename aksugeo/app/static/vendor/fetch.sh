#!/usr/bin/env bash
# Refresh the vendored map assets from the npm registry (the dashboard serves them itself, so the
# map works with no internet). Run from the repository root; review the diff; commit.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent leaflet@1.9.4 leaflet.heat@0.2.0 >/dev/null && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
dst=aksugeo/app/static/vendor
cp "$tmp"/leaflet-1.9.4/package/dist/{leaflet.js,leaflet.css} "$tmp"/leaflet-1.9.4/package/LICENSE "$dst/leaflet-1.9.4/"
cp "$tmp"/leaflet-1.9.4/package/dist/images/* "$dst/leaflet-1.9.4/images/"
cp "$tmp"/leaflet.heat-0.2.0/package/dist/leaflet-heat.js "$tmp"/leaflet.heat-0.2.0/package/LICENSE "$dst/leaflet.heat-0.2.0/"
(cd "$dst" && sha256sum leaflet-1.9.4/*.* leaflet-1.9.4/LICENSE leaflet-1.9.4/images/* leaflet.heat-0.2.0/* > SHA256SUMS)
