#!/usr/bin/python3
"""The fuzz campaign's forgery oracle: Debian's dkimpy, an implementation independent of jDKIM.

dkim_oracle.py NAME=RECORD...   (run with /usr/bin/python3, which has python3-dkim)
Reads messages from stdin, each as a 4-byte big-endian length and the bytes; answers one byte per
message on stdout: b'1' when at least one of its DKIM signatures verifies with the keys given as
arguments (TXT record values by <selector>._domainkey.<domain>), else b'0'. A message dkimpy cannot
parse verifies nothing.
"""
import struct
import sys

import dkim

RECORDS = {}
for arg in sys.argv[1:]:
    name, value = arg.split('=', 1)
    RECORDS[name.lower().rstrip('.')] = value.encode('ascii')


def dnsfunc(name, timeout=5):
    return RECORDS.get(name.decode('ascii', 'replace').lower().rstrip('.'))


def verifies(message):
    try:
        count = sum(1 for h in dkim.DKIM(message).headers if h[0].lower() == b'dkim-signature')
    except Exception:
        return False
    return any(verifies_signature(message, i) for i in range(count))


def verifies_signature(message, idx):
    # one broken signature must not hide a good one after it: each is tried on its own
    try:
        return bool(dkim.DKIM(message).verify(idx=idx, dnsfunc=dnsfunc))
    except Exception:
        return False


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(4)
        if len(head) < 4:
            return
        (length,) = struct.unpack('>I', head)
        message = stdin.read(length)
        stdout.write(b'1' if verifies(message) else b'0')
        stdout.flush()


main()
