"""Signed statements (xAPI Data 2.6): the signature is a JWS over the statement itself.

The LRS checks what the specification requires of it: the attachment is a compact JWS, its
algorithm is RS256, RS384 or RS512, its payload is the statement as sent (without the signature
attachment and the properties the LRS fills in), and — when the header carries an X.509
certificate chain (`x5c`) — the signature verifies with the first certificate's key.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import ROUND_DOWN, Decimal
from typing import Any

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from gilde.lrs.validation import StatementInvalid

_HASHES: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
_FILLED_IN = ("attachments", "authority", "stored", "version", "id")


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


_SECONDS = re.compile(r"(\d+(?:[.,]\d+)?)S$")


def _hundredths(duration: str) -> str:
    """Durations compare to 0.01 s (xAPI 2.0, 4.2.7): finer precision is cut off."""
    match = _SECONDS.search(duration)
    if not match:
        return duration
    seconds = Decimal(match.group(1).replace(",", ".")).quantize(Decimal("0.01"), ROUND_DOWN)
    return duration[: match.start()] + f"{seconds.normalize():f}S"


def _with_hundredths(node: dict[str, Any]) -> dict[str, Any]:
    result = node.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        return {**node, "result": {**result, "duration": _hundredths(result["duration"])}}
    return node


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    out = _with_hundredths({k: v for k, v in statement.items() if k not in _FILLED_IN})
    if isinstance(out.get("object"), dict):
        out["object"] = _with_hundredths(out["object"])
    return out


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
