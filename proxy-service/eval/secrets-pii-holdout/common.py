"""Shared helpers for the holdout generators (CC0-1.0)."""
import base64, json, random, re, string, struct, uuid

R = random.Random(20261202)

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
ALNUM = UP + LO + DIG
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
URL = ALNUM + "-_"
B64 = ALNUM + "+/"


def r(cs, n):
    return "".join(R.choice(cs) for _ in range(n))


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(n_bytes):
    return base64.b64encode(rb(n_bytes)).decode()


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def pick(*xs):
    return R.choice(xs)


def T(_tpl, **kw):
    s = _tpl
    for k, v in kw.items():
        s = s.replace("<<" + k + ">>", str(v))
    left = re.findall(r"<<[a-z_0-9]+>>", s)
    assert not left, left
    return s
