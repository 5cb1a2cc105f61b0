"""Signed statements (xAPI Data 2.6): the signature is a JWS over the statement itself.

The LRS checks what the specification requires of it: the attachment is a compact JWS, its
algorithm is RS256, RS384 or RS512, its payload is the statement as sent (without the signature
attachment and the properties the LRS fills in), and — when the header carries an X.509
certificate chain (`x5c`) — the signature verifies with the first certificate's key.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from gilde.lrs.validation import StatementInvalid

_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}
_FILLED_IN = ("attachments", "authority", "stored", "version", "id")


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in statement.items() if k not in _FILLED_IN}


def check_signature(statement: dict[str, Any], content: bytes) -> None:
    """Raise StatementInvalid unless `content` is a valid JWS signature of `statement`."""
    try:
        parts = content.decode("ascii").strip().split(".")
        if len(parts) != 3:
            raise ValueError
        header = orjson.loads(_b64(parts[0]))
        payload_bytes = _b64(parts[1])
        signature = _b64(parts[2])
    except (ValueError, UnicodeDecodeError, binascii.Error, orjson.JSONDecodeError):
        raise StatementInvalid("attachments: the signature is not a JWS") from None
    if not isinstance(header, dict) or header.get("alg") not in _HASHES:
        raise StatementInvalid("attachments: the signature must use RS256, RS384 or RS512")
    try:
        payload = orjson.loads(payload_bytes)
    except orjson.JSONDecodeError:
        raise StatementInvalid("attachments: the signature's payload is not JSON") from None
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise StatementInvalid("attachments: the signature's payload differs from the statement")
    if payload.get("id") and statement.get("id") and payload["id"] != statement["id"]:
        raise StatementInvalid("attachments: the signature's payload differs from the statement")
    chain = header.get("x5c")
    if chain:
        try:
            cert = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            key = cert.public_key()
            if not isinstance(key, rsa.RSAPublicKey):
                raise StatementInvalid("attachments: the signing certificate has no RSA key")
            key.verify(
                signature,
                f"{parts[0]}.{parts[1]}".encode("ascii"),
                padding.PKCS1v15(),
                _HASHES[header["alg"]](),
            )
        except (ValueError, TypeError, IndexError, InvalidSignature):
            raise StatementInvalid("attachments: the signature does not verify") from None
