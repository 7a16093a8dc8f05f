#!/usr/bin/env bash
# Makes seed-cbc-openssl.json: SEED-CBC (PKCS#7 padding) vectors computed by OpenSSL's legacy
# provider, independently of kpki. Deterministic: keys, IVs and plaintexts come from a ChaCha20
# keystream with fixed keys, so rerunning gives the same file.
#   usage: packages/kpki/test/vectors/make-seed-vectors.sh > packages/kpki/test/vectors/seed-cbc-openssl.json
set -euo pipefail
PROV=(-provider legacy -provider default)

# n bytes of deterministic pseudo-random data labelled by a 1-byte tag (hex)
stream() { # tag n
  head -c "$2" /dev/zero |
    openssl enc -chacha20 -K "$(printf '%02x' "$1")$(printf '00%.0s' {1..31})" -iv 00000000000000000000000000000000 |
    xxd -p | tr -d '\n'
}

echo '{'
echo '  "source": "OpenSSL '"$(openssl version | cut -d' ' -f2)"' legacy provider, openssl enc -seed-cbc -nosalt (PKCS#7 padding)",'
echo '  "command": "openssl enc -seed-cbc -provider legacy -provider default -K <key> -iv <iv> -nosalt",'
echo '  "vectors": ['
first=1
i=0
for n in 0 1 15 16 17 31 32 33 64 1000; do
  i=$((i + 1))
  key=$(stream $((3 * i)) 16)
  iv=$(stream $((3 * i + 1)) 16)
  pt=$(stream $((3 * i + 2)) "$n")
  ct=$(printf '%s' "$pt" | xxd -r -p | openssl enc -seed-cbc "${PROV[@]}" -K "$key" -iv "$iv" -nosalt | xxd -p | tr -d '\n')
  # check the round trip through OpenSSL too
  back=$(printf '%s' "$ct" | xxd -r -p | openssl enc -d -seed-cbc "${PROV[@]}" -K "$key" -iv "$iv" -nosalt | xxd -p | tr -d '\n')
  [ "$back" = "$pt" ] || { echo "round trip failed for length $n" >&2; exit 1; }
  [ $first = 1 ] || echo ','
  first=0
  printf '    { "length": %d, "key": "%s", "iv": "%s", "plaintext": "%s", "ciphertext": "%s" }' "$n" "$key" "$iv" "$pt" "$ct"
done
echo
echo '  ]'
echo '}'
