"""Checks of the certificate files an operator is about to deploy.

rotate-certs replaces a CA only after proving, in the CLI process, that
the new files will work: each certificate is valid now (and not close to
its end), the CA certificate is a CA, the private key belongs to the
certificate, and a certificate the CA should have issued verifies against
it. A mistake found here costs a line on the terminal; found after the
restart of Octavia's services, it costs every amphora.

Private keys are read only to compare their public half; nothing here
returns, logs or stores them. An encrypted CA key is opened with the
passphrase from the environment variable :data:`PASSPHRASE_ENV`, never
from a parameter (parameters are saved with the job).
"""

import datetime
import hashlib
import os

from cryptography import exceptions as crypto_exceptions
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from octavia_maint.common import exceptions

PASSPHRASE_ENV = 'OCTAVIA_MAINT_CA_KEY_PASSPHRASE'
DAY = datetime.timedelta(days=1)


def _read(path, what):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError as e:
        raise exceptions.InvalidInput(
            reason='cannot read %s %s: %s' % (what, path, e.strerror))


def load_certificate(path, what='certificate'):
    """The first PEM certificate in ``path``.

    :raises InvalidInput: unreadable, or no PEM certificate in it.
    """
    try:
        return x509.load_pem_x509_certificate(_read(path, what))
    except ValueError:
        raise exceptions.InvalidInput(
            reason='%s %s is not a PEM certificate' % (what, path))


def _load_key(path, what, passphrase):
    data = _read(path, what)
    try:
        return serialization.load_pem_private_key(data, password=passphrase)
    except TypeError:
        # Encrypted without a passphrase, or a passphrase for a plain key.
        if passphrase is None:
            raise exceptions.InvalidInput(
                reason='%s %s is encrypted: put its passphrase in the '
                       'environment variable %s' % (what, path,
                                                    PASSPHRASE_ENV))
        raise exceptions.InvalidInput(
            reason='%s %s is not encrypted; unset %s'
            % (what, path, PASSPHRASE_ENV))
    except ValueError:
        raise exceptions.InvalidInput(
            reason='%s %s is not a PEM private key (or the passphrase in %s '
                   'is wrong)' % (what, path, PASSPHRASE_ENV))
    except crypto_exceptions.UnsupportedAlgorithm:
        raise exceptions.InvalidInput(
            reason='%s %s uses an unsupported key type' % (what, path))


def _spki(public_key):
    return public_key.public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)


def check_key_matches(cert, cert_path, key_path, what, passphrase=None):
    """:raises InvalidInput: the key at ``key_path`` is not ``cert``'s."""
    key = _load_key(key_path, what, passphrase)
    if _spki(key.public_key()) != _spki(cert.public_key()):
        raise exceptions.InvalidInput(
            reason='%s %s does not belong to certificate %s'
            % (what, key_path, cert_path))


def check_dates(cert, path, what, warn_days, now=None):
    """:returns: a warning (str) when it ends within ``warn_days``, else
        None.

    :raises InvalidInput: not valid yet, or expired.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if cert.not_valid_before_utc > now:
        raise exceptions.InvalidInput(
            reason='%s %s is not valid before %s' % (
                what, path, cert.not_valid_before_utc.isoformat()))
    if cert.not_valid_after_utc <= now:
        raise exceptions.InvalidInput(
            reason='%s %s expired on %s' % (
                what, path, cert.not_valid_after_utc.isoformat()))
    left = cert.not_valid_after_utc - now
    if left < warn_days * DAY:
        return ('%s %s expires in %d days (%s)' % (
            what, path, left.days, cert.not_valid_after_utc.isoformat()))
    return None


def check_is_ca(cert, path, what):
    """:raises InvalidInput: ``cert`` may not issue certificates."""
    try:
        constraints = cert.extensions.get_extension_for_class(
            x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise exceptions.InvalidInput(
            reason='%s %s is not a CA certificate (no basicConstraints '
                   'CA:TRUE)' % (what, path))


def check_issued_by(cert, path, issuer, issuer_path, what):
    """:raises InvalidInput: ``cert`` was not signed by ``issuer``."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, crypto_exceptions.InvalidSignature):
        raise exceptions.InvalidInput(
            reason='%s %s was not issued by CA %s' % (what, path,
                                                      issuer_path))


def fingerprint(cert):
    """SHA-256 of the DER certificate, as ``openssl x509 -fingerprint``."""
    digest = hashlib.sha256(cert.public_bytes(
        serialization.Encoding.DER)).hexdigest().upper()
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def summary(cert):
    """What a job may keep about a certificate (nothing secret)."""
    return {'subject': cert.subject.rfc4514_string(),
            'sha256_fingerprint': fingerprint(cert),
            'not_after': cert.not_valid_after_utc.isoformat()}


def passphrase_from_env():
    """The CA key's passphrase from the environment, as bytes, or None."""
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


def check_new_ca(ca_cert_path, ca_key_path=None, client_cert_path=None,
                 warn_days=30, now=None):
    """Everything rotate-certs checks before a CA is deployed.

    :param ca_key_path: the CA's key; checked against the certificate.
    :param client_cert_path: a PEM with the controller's new client
        certificate and its key (Octavia's ``[haproxy_amphora]
        client_cert``); it must be issued by the CA.
    :returns: ``(summary of the CA, [warnings])``.
    :raises InvalidInput: the first problem found.
    """
    ca = load_certificate(ca_cert_path, 'CA certificate')
    warnings = [check_dates(ca, ca_cert_path, 'CA certificate', warn_days,
                            now)]
    check_is_ca(ca, ca_cert_path, 'CA certificate')
    if ca.issuer == ca.subject:
        check_issued_by(ca, ca_cert_path, ca, ca_cert_path,
                        'self-signed CA certificate')
    if ca_key_path:
        check_key_matches(ca, ca_cert_path, ca_key_path, 'CA key',
                          passphrase_from_env())
    if client_cert_path:
        client = load_certificate(client_cert_path, 'client certificate')
        warnings.append(check_dates(client, client_cert_path,
                                    'client certificate', warn_days, now))
        check_issued_by(client, client_cert_path, ca, ca_cert_path,
                        'client certificate')
        # Octavia reads this file's key without a passphrase.
        check_key_matches(client, client_cert_path, client_cert_path,
                          'client certificate key')
    return summary(ca), [w for w in warnings if w]
