#!/usr/bin/env bash
# Renders every overlay with kubectl kustomize and validates each object against the Kubernetes API schema
# and the services' required settings (deploy/validate/validate.mjs). Part of ./stack test.
set -euo pipefail
cd "$(dirname "$0")"
command -v kubectl >/dev/null || { echo "deploy/validate.sh: kubectl is needed (apt-get install -y kubectl, or any kubectl >= 1.27)" >&2; exit 1; }
command -v npm >/dev/null || { echo "deploy/validate.sh: node and npm are needed (apt-get install -y nodejs npm)" >&2; exit 1; }
(cd validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
for overlay in overlays/*/; do
  printf 'deploy/%s: ' "${overlay%/}"
  kubectl kustomize "$overlay" | node validate/validate.mjs
done
