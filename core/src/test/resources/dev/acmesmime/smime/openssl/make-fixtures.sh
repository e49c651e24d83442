#!/bin/sh
# Regenerates the OpenSSL-made S/MIME challenges used by OpensslInteropTest: a second, independent
# CMS implementation signs, our BouncyCastle-based verifier checks. Keys stay in a temp dir and are
# thrown away; only the root certificate and the signed mails are kept. Certificates are valid for
# about ten years from the day this ran; the test pins its clock inside that window.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem \
  -days 3650 -subj "/CN=OpenSSL Fixture Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout signer.key -out signer.csr \
  -subj "/CN=ACME challenge signer" 2>/dev/null
cat > ext.cnf <<'CNF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=emailProtection
subjectAltName=email:noreply@example.org,email:acme-generator@example.org
CNF
openssl x509 -req -in signer.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3000 \
  -extfile ext.cnf -out signer.pem 2>/dev/null

headers='From: acme-generator@example.org\r\nTo: alexey@example.com\r\nSubject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME\r\n'
outer='Auto-Submitted: auto-generated; type=acme\r\nDate: Sat, 5 Dec 2020 10:08:55 +0100\r\nMessage-ID: <A2299BB.FF7788@example.org>\r\n'
printf "Content-Type: message/rfc822\r\n\r\n${headers}${outer}MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nThis is an automatically generated ACME challenge.\r\n" > entity.eml

openssl cms -sign -binary -in entity.eml -signer signer.pem -inkey signer.key -md sha256 -crlfeol -out detached.smime
openssl cms -sign -binary -nodetach -in entity.eml -signer signer.pem -inkey signer.key -md sha256 -crlfeol -out opaque.smime

{ printf "${outer}${headers}"; cat detached.smime; } > "$out/c17-openssl-multipart-signed.eml"
{ printf "${outer}${headers}"; cat opaque.smime; } > "$out/c17-openssl-opaque-signed-data.eml"
cp root.pem "$out/openssl-root.pem"
