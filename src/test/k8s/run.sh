#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests in deploy/k8s (no cluster needed): Kubernetes' own JSON schemas
# (npm kubernetes-models) and the rules tying them to application.yml and the Dockerfile (validate.mjs).
# Installs node/npm from Debian if missing and its two npm packages (locked). Closes with
# "manifests: N passed, N failed" and exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
    apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
node validate.mjs ../../..
