#!/usr/bin/env bash
# Fetches AWS's DynamoDB Local (the Java emulator) from the npm registry, the only registry this
# project may assume. The npm package amplify-dynamodb-simulator ships the official jar under
# package/emulator; we take only that folder and check the tarball's sha256.
# Usage: scripts/get-ddb-local.sh [DEST]   (default: .ddb-local). Running it needs Java 11+.
set -euo pipefail
VER=2.9.30
SHA256=3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9
DEST="${1:-.ddb-local}"
if [ -f "$DEST/DynamoDBLocal.jar" ]; then echo "DynamoDB Local already in $DEST"; exit 0; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm pack "amplify-dynamodb-simulator@$VER" --pack-destination "$tmp" >/dev/null 2>&1
echo "$SHA256  $tmp/amplify-dynamodb-simulator-$VER.tgz" | sha256sum -c --quiet -
mkdir -p "$DEST"
tar xzf "$tmp/amplify-dynamodb-simulator-$VER.tgz" -C "$DEST" --strip-components=2 package/emulator
echo "DynamoDB Local installed in $DEST"
