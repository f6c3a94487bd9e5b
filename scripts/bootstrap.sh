#!/usr/bin/env bash
# Set up everything `make` needs, once: Debian packages, then .venv with the pinned packages.
# A second run only compares a stamp and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
pkgs_file=scripts/debian-packages.txt
stamp="$venv/.bootstrap-stamp"
want=$(cat requirements.txt "$pkgs_file" | sha256sum | cut -d' ' -f1)

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" ]]; then
  exit 0
fi

mapfile -t pkgs < <(grep -v '^\s*#' "$pkgs_file" | grep -v '^\s*$')
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      # python3-venv is not needed when this Python already has a working venv module
      if [[ "$p" == python3-venv ]] && python3 -c 'import ensurepip' 2>/dev/null; then continue; fi
      missing+=("$p")
    fi
  done
else
  echo "bootstrap: this is not a Debian-like system; install the equivalents of: ${pkgs[*]}" >&2
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: these Debian packages are missing: ${missing[*]}" >&2
    echo "bootstrap: run this once, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [[ ! -x "$venv/bin/python" ]]; then
  echo "bootstrap: creating the virtual environment in $venv"
  python3 -m venv "$venv"
fi
echo "bootstrap: installing the pinned Python packages (requirements.txt)"
# (grep drops pip's notes about package folders some machines configure but do not have)
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt 2>&1 \
  | { grep -v "^WARNING: Location '.*' is ignored" || true; }
test "${PIPESTATUS[0]}" -eq 0
echo "$want" > "$stamp"
