#!/usr/bin/python3
"""Test helper around Debian's python3-dkim (dkimpy), run with /usr/bin/python3.

sign:   dkimpy_tool.py sign SELECTOR DOMAIN KEYFILE [--alg A] [--hcanon C] [--bcanon C]
                                  [--length] [--headers h1:h2:...] < message > signed message
        Unlike the dkimsign command it can set h= (absent fields included), l= and small keys.
verify: dkimpy_tool.py verify HOST:PORT [--index N] < message
        Verifies with dkimpy, fetching keys from the given DNS server (dkimverify can only use
        the system resolver). Prints one JSON object: ok, d, s, h, keysize, log.
"""
import argparse
import json
import logging
import sys

import dkim
import dns.message
import dns.query
import dns.rdatatype


def sign(args, message):
    headers = None
    if args.headers:
        headers = [h.encode('ascii') for h in args.headers.split(':')]
    key = open(args.keyfile, 'rb').read()
    d = dkim.DKIM(message, signature_algorithm=args.alg.encode('ascii'), linesep=b'\r\n')
    sig = d.sign(args.selector.encode('ascii'), args.domain.encode('ascii'), key,
                 canonicalize=(args.hcanon.encode('ascii'), args.bcanon.encode('ascii')),
                 include_headers=headers, length=args.length)
    sys.stdout.buffer.write(sig + message)


def verify(args, message):
    host, port = args.server.rsplit(':', 1)

    def dnsfunc(name, timeout=5):
        q = dns.message.make_query(name.decode('ascii'), dns.rdatatype.TXT)
        r = dns.query.udp(q, host, port=int(port), timeout=timeout)
        for rrset in r.answer:
            if rrset.rdtype == dns.rdatatype.TXT:
                return b''.join(list(rrset.items)[0].strings)
        return None

    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger('dkimpy_tool')
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Collect())
    d = dkim.DKIM(message, logger=logger)
    ok = d.verify(idx=args.index, dnsfunc=dnsfunc)
    fields = {k.decode(): v.decode(errors='replace') for k, v in (d.signature_fields or {}).items()}
    out = {
        'ok': bool(ok),
        'd': fields.get('d'),
        's': fields.get('s'),
        'h': [h.strip() for h in fields.get('h', '').replace('\r\n', '').split(':')] if 'h' in fields else [],
        'keysize': d.keysize,
        'log': [r for r in records if not r.startswith('sig:') and not r.startswith('bh:')][-3:],
    }
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('sign')
    s.add_argument('selector')
    s.add_argument('domain')
    s.add_argument('keyfile')
    s.add_argument('--alg', default='rsa-sha256')
    s.add_argument('--hcanon', default='relaxed')
    s.add_argument('--bcanon', default='relaxed')
    s.add_argument('--length', action='store_true')
    s.add_argument('--headers')
    v = sub.add_parser('verify')
    v.add_argument('server')
    v.add_argument('--index', type=int, default=0)
    args = p.parse_args()
    message = sys.stdin.buffer.read()
    if args.cmd == 'sign':
        sign(args, message)
    else:
        verify(args, message)


if __name__ == '__main__':
    main()
