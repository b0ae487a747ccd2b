#!/usr/bin/env bash
# `make vendor`: fetches the UI's third-party files from pinned npm packages and copies
# their dist files and licences, unmodified, into eventwire/api/static/vendor/.
# Needs node/npm and the network; `make demo` and `make test` never run it (the vendored
# files are committed). Each tarball is checked against its pinned sha512 before use.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/eventwire/api/static/vendor"

# name@version  sha512 integrity (from the npm registry)  files to copy (besides LICENSE*)
PACKAGES=(
  "chart.js@4.6.1|sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==|dist/chart.umd.min.js"
  "d3@7.9.0|sha512-e1U46jVP+w7Iut8Jt8ri1YsPOvFpg46k+K8TpCb0P+zjCkjkPnV7WzfDJzMHy1LnA+wj5pLT1wjO901gLXeEhA==|dist/d3.min.js"
  "topojson-client@3.1.0|sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==|dist/topojson-client.min.js"
  "world-atlas@2.0.2|sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==|countries-50m.json"
)

command -v npm >/dev/null || { echo "make vendor needs npm (apt-get install npm)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

rm -rf "$DEST"
mkdir -p "$DEST"
{
  echo "# Vendored third-party files"
  echo
  echo "Copied unmodified from pinned npm packages by scripts/vendor.sh (\`make vendor\`)."
  echo "Do not edit these files; change the pins in scripts/vendor.sh and run it again."
  echo
  echo "| package | licence file | files | sha512 of the npm tarball |"
  echo "|---|---|---|---|"
} > "$DEST/README.md"

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r spec integrity files <<< "$entry"
  name="${spec%@*}"
  (cd "$TMP" && npm pack --silent "$spec" > /dev/null)
  tarball="$(ls "$TMP"/*.tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "integrity mismatch for $spec: $actual" >&2
    exit 1
  fi
  mkdir -p "$TMP/x"
  tar xzf "$tarball" -C "$TMP/x"
  out="$DEST/$spec"
  mkdir -p "$out"
  licence="$(cd "$TMP/x/package" && ls LICENSE* | head -1)"
  cp "$TMP/x/package/$licence" "$out/"
  cp "$TMP/x/package/package.json" "$out/"
  for f in $files; do
    cp "$TMP/x/package/$f" "$out/$(basename "$f")"
  done
  echo "| $name $(basename "$spec" | sed 's/.*@//') | $licence | $files | \`$integrity\` |" \
    >> "$DEST/README.md"
  rm -rf "$TMP/x" "$tarball"
  echo "vendored $spec"
done
