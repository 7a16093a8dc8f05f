#!/usr/bin/env python3
"""Makes pbkdf1-sha1-python.json: KISA PBKDF1-SHA1 (T1 = SHA1(P || S), Tn = SHA1(Tn-1), 20 bytes)
computed with Python's hashlib, independently of kpki. Passwords are UTF-8.
usage: python3 packages/kpki/test/vectors/make-pbkdf1-vectors.py > packages/kpki/test/vectors/pbkdf1-sha1-python.json"""
import hashlib, json

def pbkdf1(password: str, salt: bytes, iterations: int) -> bytes:
    t = password.encode('utf-8') + salt
    for _ in range(iterations):
        t = hashlib.sha1(t).digest()
    return t

cases = [
    ('', bytes.fromhex('0001020304050607'), 1),
    ('password', bytes.fromhex('78578e5a5d63cb06'), 1),
    ('password', bytes.fromhex('78578e5a5d63cb06'), 2),
    ('password', bytes.fromhex('78578e5a5d63cb06'), 2048),
    ('공직비밀번호#2026', bytes.fromhex('a1b2c3d4e5f60718'), 2048),
    ('x' * 100, bytes(range(32)), 1000),
]
print(json.dumps({
    'source': 'python3 hashlib (make-pbkdf1-vectors.py): KISA PBKDF1-SHA1, DK = SHA1^iterations(UTF-8 password || salt)',
    'vectors': [{'password': p, 'salt': s.hex(), 'iterations': i, 'dk': pbkdf1(p, s, i).hex()} for p, s, i in cases],
}, ensure_ascii=False, indent=2))
