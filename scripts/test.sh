#!/usr/bin/env bash
# The project's one test command: installs the system packages the tests need, then runs the Maven build.
# Usage: scripts/test.sh [extra Maven arguments...]   (works from any directory)
set -euo pipefail

# Debian packages the tests need. Later issues append names here (e.g. openafs-client).
PACKAGES=(
  tshark
  openafs-client
  openafs-dbserver
  openafs-krb5
  libopenafs-dev
  gcc
  postgresql
  iproute2
  curl
  unzip
)

# helm/ci (the Helm chart's checks) runs node and npm. The machine image brings NodeSource's nodejs, which includes
# npm; where they are missing, Debian's nodejs and npm stand in (the checks use no API newer than Node 18).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

# debconf answers, so that no install ever prompts. Lines are "package question type value".
DEBCONF_SELECTIONS=(
  "wireshark-common wireshark-common/install-setuid boolean false"
)

export DEBIAN_FRONTEND=noninteractive

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
else
  as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: installing missing packages: ${missing[*]}"
  printf '%s\n' "${DEBCONF_SELECTIONS[@]}" | "${as_root[@]}" debconf-set-selections
  "${as_root[@]}" apt-get update -q
  # Never install recommends: openafs-client would pull openafs-modules-dkms, whose kernel build stalls.
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "test.sh: required packages already installed: ${PACKAGES[*]}"
fi

cd "$repo_root"
exec ./mvnw -B verify "$@"
