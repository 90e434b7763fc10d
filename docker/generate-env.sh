#!/bin/sh
# Writes the secrets docker/compose.yaml needs into docker/.env (compose reads it), once.
#   sh docker/generate-env.sh            → docker/.env
#   sh docker/generate-env.sh other.env  → another file
# Keep the file: the encryption key decrypts stored secrets, and losing it loses them.
set -eu
target="${1:-$(dirname "$0")/.env}"
if [ -e "$target" ]; then
  echo "$target exists; keeping it (delete it only if nothing was stored with its keys)" >&2
  exit 0
fi
umask 077
{
  echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
  echo "INTEGRIXS_JWT_SECRET=$(openssl rand -base64 48 | tr -d '\n')"
  echo "INTEGRIXS_ENCRYPTION_KEY=$(openssl rand -base64 32 | tr -d '\n')"
} >"$target"
echo "wrote $target"
