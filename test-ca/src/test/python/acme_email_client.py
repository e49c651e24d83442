#!/usr/bin/python3
"""An independent RFC 8555 client for the test CA: Debian's python3-acme (certbot's library).

Run by PythonAcmeClientTest with /usr/bin/python3. It enrols one email address with an
email-reply-00 (RFC 8823) challenge, talking to the server only through python-acme:

  1. creates an account (terms of service agreed);
  2. places an order for the identifier {"type": "email", "value": ADDRESS};
  3. prints one JSON line on stdout: the challenge's token and from, its URL, the account URL,
     the account's public JWK and its RFC 7638 thumbprint (base64url);
  4. waits for one line on stdin: the test has sent the response's result to the test CA;
  5. POSTs the challenge ({} as the response), polls the authorization until it is valid,
     finalizes with a CSR (made by cryptography) whose only SAN is the rfc822Name ADDRESS,
     downloads the chain to --out, prints {"status": "valid", ...} and exits 0.

Anything unexpected is printed on stderr and the exit status is 1.
"""

import argparse
import datetime
import json
import logging
import time
import sys

import josepy as jose
from acme import challenges, client, errors, messages
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

EMAIL = messages.IdentifierType('email')  # registers the type, so orders carrying it can be read back
TIMEOUT = datetime.timedelta(seconds=60)


@challenges.ChallengeResponse.register
class EmailReply00Response(challenges.ChallengeResponse):
    """RFC 8823's response to the challenge URL: an empty object (the proof travels by mail)."""
    typ = 'email-reply-00'

    def __bool__(self):
        # a josepy object without fields has length 0, and ClientNetwork._wrap_in_jws sends a falsy
        # object as the empty payload: a POST-as-GET, which reads the challenge instead of answering it
        return True


def account_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jose.JWKRSA(key=key)


def new_order(acme, address, csr_pem):
    # python-acme's ClientV2.new_order derives its identifiers from the CSR's DNS names and IP
    # addresses only, so it cannot ask for an email identifier: this one step uses the library's
    # own signed POST (ClientV2._post) and readers instead.
    order = messages.NewOrder(identifiers=[messages.Identifier(typ=EMAIL, value=address)])
    response = acme._post(acme.directory['newOrder'], order)
    body = messages.Order.from_json(response.json())
    authorizations = [acme._authzr_from_response(acme._post_as_get(url), uri=url)
                      for url in body.authorizations]
    return messages.OrderResource(body=body, uri=response.headers.get('Location'),
                                  authorizations=authorizations, csr_pem=csr_pem)


def email_challenge(authzr):
    for challb in authzr.body.challenges:
        if isinstance(challb.chall, challenges.UnrecognizedChallenge) \
                and challb.chall.jobj.get('type') == EmailReply00Response.typ:
            return challb
    raise RuntimeError('no email-reply-00 challenge in ' + authzr.body.json_dumps())


def csr_for(address):
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([]))
           .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(address)]), critical=False)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM)


def wait_valid(acme, authzr):
    deadline = datetime.datetime.now() + TIMEOUT
    while datetime.datetime.now() < deadline:
        authzr, response = acme.poll(authzr)
        status = authzr.body.status
        logging.info('authorization %s: %s', authzr.uri, authzr.body.json_dumps())
        if status == messages.STATUS_VALID:
            return authzr
        if status == messages.STATUS_INVALID:
            raise RuntimeError('authorization invalid: ' + authzr.body.json_dumps())
        when = acme.retry_after(response, default=1)
        pause = (when - datetime.datetime.now()).total_seconds()
        time.sleep(min(max(pause, 0.2), 5))
    raise errors.TimeoutError()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--directory', required=True)
    parser.add_argument('--email', required=True)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)

    key = account_key()
    net = client.ClientNetwork(key, alg=jose.RS256, user_agent='acme-email-client/python-acme')
    acme = client.ClientV2(client.ClientV2.get_directory(args.directory, net), net)
    regr = acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))

    csr_pem = csr_for(args.email)
    orderr = new_order(acme, args.email, csr_pem)
    authzr = orderr.authorizations[0]
    challb = email_challenge(authzr)
    public = key.public_key()
    print(json.dumps({
        'token': challb.chall.jobj['token'],
        'from': challb.chall.jobj['from'],
        'challenge': challb.uri,
        'account': regr.uri,
        'jwk': public.to_json(),
        'thumbprint': jose.b64encode(public.thumbprint()).decode('ascii'),
    }), flush=True)

    if not sys.stdin.readline():
        raise RuntimeError('stdin closed before the go-ahead')
    acme.answer_challenge(challb, EmailReply00Response())
    authzr = wait_valid(acme, authzr)
    orderr = acme.finalize_order(orderr.update(authorizations=[authzr]),
                                 datetime.datetime.now() + TIMEOUT)
    with open(args.out, 'w', encoding='ascii') as out:
        out.write(orderr.fullchain_pem)
    print(json.dumps({'status': orderr.body.status.name, 'certificate': orderr.body.certificate}),
          flush=True)
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except Exception as e:  # pylint: disable=broad-except
        logging.exception('enrolment failed: %s', e)
        sys.exit(1)
