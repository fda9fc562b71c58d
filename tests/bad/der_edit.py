#!/usr/bin/env python3
"""der_edit.py IN OUT EDIT: writes OUT, the DER certificate IN with one defect EDIT, for the
bad-input catalogue (tests/bad/cases/*/setup). The certificate is parsed into a tree of
TLVs (constructed tags and the SEQUENCE inside each extension's OCTET STRING are not
descended into unless an edit needs it), changed, and re-encoded with minimal lengths,
except where the edit is a non-DER encoding itself. Edits (RFC 5280 / X.690 rules broken):
  dup-ext        the first extension twice (RFC 5280 4.2)
  empty-oid      the first extension's OID empty (X.690 8.19)
  endless-oid    the first extension's OID ends inside an arc (X.690 8.19.2)
  overlong-oid   the first extension's OID with a 12-octet arc
  padded-oid     the first extension's OID with an arc starting 0x80 (not minimal)
  serial-empty, serial-negative, serial-nonminimal, serial-21, serial-zero (4.1.2.2)
  long-length    the serial's length in long form (X.690 10.1)
  bool-not-ff    a critical flag encoded as 01 (X.690 11.1)
  bool-false     a critical flag FALSE encoded (DEFAULT, X.690 11.5)
  sig-unused     the signature BIT STRING with 1 unused bit (X.690 11.2)
  ext-trailing   a byte after the SEQUENCE inside the first extension's value
  empty-exts     an empty extensions list (RFC 5280 4.1)
  v1-explicit    the version v1 encoded explicitly (X.690 11.5)
  name-empty-set an empty RDN SET in the issuer (RFC 5280 4.1.2.4)
  key-off-curve  the public key's last octet changed (not on the curve)
  key-infinity   the public key the point at infinity (the octet 00)
  key-short      the public key cut by one octet
  sig-oversized  a 200-octet ECDSA-Sig-Value (r padded)
  sig-not-seq    a signature value that is not a SEQUENCE
  sig-r-zero     r = 0
"""
import sys


def parse(b, i=0, end=None):
    """A list of [tag, value] with value bytes, from b[i:end]."""
    end = len(b) if end is None else end
    out = []
    while i < end:
        tag = b[i]
        n = b[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[i:i + k], "big")
            i += k
        out.append([tag, b[i:i + n]])
        i += n
    return out


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s


def tlv(tag, value):
    return bytes([tag]) + enc_len(len(value)) + value


def join(items):
    return b"".join(tlv(t, v) for t, v in items)


def main():
    src, dst, edit = sys.argv[1:4]
    cert = parse(open(src, "rb").read())[0][1]
    tbs_t, tbs_v = parse(cert)[0]
    parts = parse(cert)
    tbs = parse(tbs_v)
    ext_i = next(i for i, (t, _) in enumerate(tbs) if t == 0xA3)
    exts = parse(parse(tbs[ext_i][1])[0][1])
    first = parse(exts[0][1])
    spki = parse(tbs[6][1])
    raw_serial = None
    if edit == "dup-ext":
        exts.insert(1, list(exts[0]))
    elif edit in ("empty-oid", "endless-oid", "overlong-oid", "padded-oid"):
        first[0][1] = {"empty-oid": b"", "endless-oid": b"\x2b\x06\x01\x86",
                       "overlong-oid": b"\x2b" + b"\x81" * 11 + b"\x01",
                       "padded-oid": b"\x55\x80\x1d\x0f"}[edit]
        exts[0][1] = join(first)
    elif edit.startswith("serial-"):
        tbs[1][1] = {"serial-empty": b"", "serial-negative": b"\x80\x01",
                     "serial-nonminimal": b"\x00\x01", "serial-21": b"\x11" * 21,
                     "serial-zero": b"\x00"}[edit]
    elif edit == "long-length":
        raw_serial = bytes([0x02, 0x81, len(tbs[1][1])]) + tbs[1][1]
    elif edit in ("bool-not-ff", "bool-false"):
        crit = next(e for e in exts if any(t == 0x01 for t, _ in parse(e[1])))
        fields = parse(crit[1])
        fields[1][1] = b"\x01" if edit == "bool-not-ff" else b"\x00"
        crit[1] = join(fields)
    elif edit == "ext-trailing":
        first[-1][1] = first[-1][1] + b"\x00"
        exts[0][1] = join(first)
    elif edit == "empty-exts":
        exts = []
    elif edit == "v1-explicit":
        tbs[0][1] = b"\x02\x01\x00"
    elif edit == "name-empty-set":
        tbs[3][1] = tlv(0x31, b"") + tbs[3][1]
    elif edit.startswith("key-"):
        bits = spki[1][1]
        bits = {"key-off-curve": bits[:-1] + bytes([bits[-1] ^ 1]),
                "key-infinity": b"\x00\x00", "key-short": bits[:-1]}[edit]
        spki[1][1] = bits
        tbs[6][1] = join(spki)
    tbs[ext_i][1] = tlv(0x30, join(exts))
    body = b"".join(
        raw_serial if (raw_serial is not None and i == 1) else tlv(t, v)
        for i, (t, v) in enumerate(tbs))
    sig = parts[2][1]
    if edit == "sig-unused":
        sig = b"\x01" + sig[1:]
    elif edit == "sig-oversized":
        r, s = parse(parse(sig[1:])[0][1])
        sig = b"\x00" + tlv(0x30, tlv(0x02, b"\x01" * 100 + r[1]) + tlv(0x02, s[1]))
    elif edit == "sig-not-seq":
        sig = b"\x00" + tlv(0x04, sig[1:])
    elif edit == "sig-r-zero":
        r, s = parse(parse(sig[1:])[0][1])
        sig = b"\x00" + tlv(0x30, tlv(0x02, b"\x00") + tlv(0x02, s[1]))
    out = tlv(0x30, tlv(tbs_t, body) + tlv(parts[1][0], parts[1][1]) + tlv(0x03, sig))
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
