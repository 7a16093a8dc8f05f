#!/usr/bin/env bash
# Makes KISA/PKCS#8 encrypted private-key files INDEPENDENTLY of kpki, for the interoperability tests:
#   - PBES2 + SEED-CBC: `openssl pkcs8 -topk8 -v2 seed-cbc -v2prf hmacWithSHA256|hmacWithSHA1`;
#   - KISA seedCBCWithSHA1 (1.2.410.200004.1.15) and old seedCBC (1.2.410.200004.1.4): PBKDF1-SHA1 in
#     a few lines of python3 (hashlib), `openssl enc -seed-cbc` for the cipher, and
#     `openssl asn1parse -genconf` to assemble the DER;
#   - one PrivateKeyInfo carrying a KISA randomNum attribute (1.2.410.200004.10.1.1.3), assembled
#     with `openssl asn1parse -genconf`.
# Writes packages/kpki/test/vectors/keyfiles/* and keyfiles-openssl.json (the manifest: files,
# schemes, passwords). Keys are fresh each run (the manifest is regenerated with them).
#   usage: packages/kpki/test/vectors/make-keyfile-vectors.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/keyfiles"
PROV=(-provider legacy -provider default)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*

hex() { xxd -p "$1" | tr -d '\n'; }

# KISA PBKDF1-SHA1: T1 = SHA1(password || salt), Tn = SHA1(Tn-1); prints DK (20 bytes) in hex.
pbkdf1() { # password salt-hex iterations
  python3 -c '
import hashlib, sys
t = sys.argv[1].encode("utf-8") + bytes.fromhex(sys.argv[2])
for _ in range(int(sys.argv[3])):
    t = hashlib.sha1(t).digest()
print(t.hex())' "$1" "$2" "$3"
}

# kisa OID plaintext.der password iterations out.key
kisa() {
  local oid=$1 pt=$2 pw=$3 iter=$4 out=$5 salt dk key iv
  salt=$(openssl rand -hex 8)
  dk=$(pbkdf1 "$pw" "$salt" "$iter")
  key=${dk:0:32}
  if [ "$oid" = 1.2.410.200004.1.15 ]; then
    # IV = SHA1(DK[16:20])[0:16]
    iv=$(printf '%s' "${dk:32:8}" | xxd -r -p | openssl dgst -sha1 -binary | xxd -p | tr -d '\n')
    iv=${iv:0:32}
  else
    iv=$(printf '0123456789012345' | xxd -p) # ASCII "0123456789012345"
  fi
  openssl enc -seed-cbc "${PROV[@]}" -K "$key" -iv "$iv" -nosalt -in "$pt" -out "$TMP/ct.bin"
  cat > "$TMP/epki.cnf" <<CNF
asn1 = SEQUENCE:epki
[epki]
alg = SEQUENCE:alg
data = FORMAT:HEX,OCTETSTRING:$(hex "$TMP/ct.bin")
[alg]
oid = OID:$oid
params = SEQUENCE:params
[params]
salt = FORMAT:HEX,OCTETSTRING:$salt
iter = INTEGER:$iter
CNF
  openssl asn1parse -genconf "$TMP/epki.cnf" -noout -out "$out"
}

# pbes2 prf plaintext.der password out.key
pbes2() {
  openssl pkcs8 -topk8 -inform DER -in "$2" -v2 seed-cbc -v2prf "$1" -iter 2048 -passout "pass:$3" \
    -outform DER -out "$4" "${PROV[@]}"
}

# --- the keys (plaintext PKCS#8, no attributes) ---
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$TMP/ec.pem"
openssl pkcs8 -topk8 -nocrypt -in "$TMP/rsa.pem" -outform DER -out "$OUT/rsa2048.pkcs8.der"
openssl pkcs8 -topk8 -nocrypt -in "$TMP/ec.pem" -outform DER -out "$OUT/ec-p256.pkcs8.der"

# --- an RSA PrivateKeyInfo with the KISA randomNum attribute (BIT STRING, 20 bytes) ---
RANDOMNUM=$(openssl rand -hex 20)
KEYOFF=$(openssl asn1parse -inform DER -in "$OUT/rsa2048.pkcs8.der" | awk -F: '/d=1/ && /OCTET STRING/ { gsub(/ /, "", $1); print $1 }')
openssl asn1parse -inform DER -in "$OUT/rsa2048.pkcs8.der" -strparse "$KEYOFF" -noout -out "$TMP/rsakey.der"
cat > "$TMP/pki.cnf" <<CNF
asn1 = SEQUENCE:pki
[pki]
version = INTEGER:0
alg = SEQUENCE:alg
key = FORMAT:HEX,OCTETSTRING:$(hex "$TMP/rsakey.der")
attrs = IMPLICIT:0C,SET:attrs
[alg]
oid = OID:rsaEncryption
params = NULL
[attrs]
a1 = SEQUENCE:randomNum
[randomNum]
type = OID:1.2.410.200004.10.1.1.3
values = SET:values
[values]
v = FORMAT:HEX,BITSTRING:$RANDOMNUM
CNF
openssl asn1parse -genconf "$TMP/pki.cnf" -noout -out "$OUT/rsa2048-randomnum.pkcs8.der"

PW_ASCII='gongjik-Test-2048!'
PW_KO='공직비밀번호#2026'

kisa 1.2.410.200004.1.15 "$OUT/rsa2048.pkcs8.der" "$PW_ASCII" 2048 "$OUT/rsa2048-kisa-seed-sha1.key"
kisa 1.2.410.200004.1.4 "$OUT/rsa2048.pkcs8.der" "$PW_ASCII" 2048 "$OUT/rsa2048-kisa-seed-old.key"
pbes2 hmacWithSHA256 "$OUT/rsa2048.pkcs8.der" "$PW_ASCII" "$OUT/rsa2048-pbes2-sha256.key"
pbes2 hmacWithSHA1 "$OUT/rsa2048.pkcs8.der" "$PW_ASCII" "$OUT/rsa2048-pbes2-sha1.key"
kisa 1.2.410.200004.1.15 "$OUT/ec-p256.pkcs8.der" "$PW_KO" 2048 "$OUT/ec-p256-kisa-seed-sha1.key"
kisa 1.2.410.200004.1.4 "$OUT/ec-p256.pkcs8.der" "$PW_KO" 1024 "$OUT/ec-p256-kisa-seed-old.key"
pbes2 hmacWithSHA256 "$OUT/ec-p256.pkcs8.der" "$PW_KO" "$OUT/ec-p256-pbes2-sha256.key"
pbes2 hmacWithSHA1 "$OUT/ec-p256.pkcs8.der" "$PW_KO" "$OUT/ec-p256-pbes2-sha1.key"
kisa 1.2.410.200004.1.15 "$OUT/rsa2048-randomnum.pkcs8.der" "$PW_ASCII" 2048 "$OUT/rsa2048-randomnum-kisa-seed-sha1.key"
# the same PBES2 file in PEM, as `openssl pkcs8` writes it by default
openssl pkcs8 -topk8 -inform DER -in "$OUT/ec-p256.pkcs8.der" -v2 seed-cbc -v2prf hmacWithSHA256 -passout "pass:$PW_KO" \
  -out "$OUT/ec-p256-pbes2-sha256.pem" "${PROV[@]}"

# --- the manifest ---
entry() { # file scheme password plaintext keyAlgorithm [randomNum]
  printf '    { "file": "%s", "scheme": "%s", "password": "%s", "pkcs8": "%s", "keyAlgorithm": "%s"' "$1" "$2" "$3" "$4" "$5"
  [ -n "${6:-}" ] && printf ', "original": "rsa2048-randomnum.pkcs8.der", "randomNum": "%s"' "$6"
  printf ' }'
}
{
  echo '{'
  echo '  "source": "OpenSSL '"$(openssl version | cut -d' ' -f2)"' (legacy provider) and python3 hashlib, by make-keyfile-vectors.sh; independent of kpki",'
  echo '  "keys": ['
  entry rsa2048-kisa-seed-sha1.key kisa-seed-sha1 "$PW_ASCII" rsa2048.pkcs8.der rsa; echo ,
  entry rsa2048-kisa-seed-old.key kisa-seed-old "$PW_ASCII" rsa2048.pkcs8.der rsa; echo ,
  entry rsa2048-pbes2-sha256.key pbes2-sha256 "$PW_ASCII" rsa2048.pkcs8.der rsa; echo ,
  entry rsa2048-pbes2-sha1.key pbes2-sha1 "$PW_ASCII" rsa2048.pkcs8.der rsa; echo ,
  entry ec-p256-kisa-seed-sha1.key kisa-seed-sha1 "$PW_KO" ec-p256.pkcs8.der ec; echo ,
  entry ec-p256-kisa-seed-old.key kisa-seed-old "$PW_KO" ec-p256.pkcs8.der ec; echo ,
  entry ec-p256-pbes2-sha256.key pbes2-sha256 "$PW_KO" ec-p256.pkcs8.der ec; echo ,
  entry ec-p256-pbes2-sha1.key pbes2-sha1 "$PW_KO" ec-p256.pkcs8.der ec; echo ,
  entry ec-p256-pbes2-sha256.pem pbes2-sha256 "$PW_KO" ec-p256.pkcs8.der ec; echo ,
  entry rsa2048-randomnum-kisa-seed-sha1.key kisa-seed-sha1 "$PW_ASCII" rsa2048.pkcs8.der rsa "$RANDOMNUM"; echo
  echo '  ]'
  echo '}'
} > "$HERE/keyfiles-openssl.json"
echo "wrote $(ls "$OUT" | wc -l) files to $OUT and keyfiles-openssl.json" >&2
