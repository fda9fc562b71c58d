#!/usr/bin/env python3
"""crosscheck.py OUTDIR: every certificate chain (and CRL) of an `rsp-pkigen build` output
checked by independent validators, compared with the manifest's `expect`.

Run it through scripts/crosscheck.sh, which installs the validators. Validators:
  openssl   `openssl verify` at the manifest's clock (-attime), -purpose sslserver for TLS
            roles, -crl_check with the issuer's valid CRLs; CRLs with `openssl crl -verify`
  botan     `botan cert_verify` (Botan 2), at the current time (it has no time option)
  gnutls    `certtool --verify` against the trusted CIs, --verify-purpose serverAuth for
            TLS roles, --load-crl; NIST chains only (GnuTLS has no brainpool), current time
  gsma-nc   this script: the EUM constraint as GSMA means it (SGP.22 section 4.5.2.1.0.2):
            for every CA above an eUICC with nameConstraints, the eUICC's O equals the
            permitted directoryName's O and its serialNumber (the EID) starts with the
            permitted serialNumber (the EIN); with permittedEins (2.23.146.1.2.2.0), the EID
            starts with one of them.
OpenSSL and Botan apply RFC 5280 directoryName matching to the EUM's nameConstraints and so
reject every eUICC (OpenSSL error 47 "permitted subtree violation", Botan "Certificate does
not pass name constraint"): for an eUICC chain exactly that error is expected and ignored,
and the rule is checked by gsma-nc instead. docs/crosscheck.md lists every limitation.

Prints a summary table (validator x verdict class), the documented limitations met, and every
disagreement; exit status 0 when there is no disagreement beyond the documented
limitations, 1 otherwise, 2 when the folder cannot be read.
"""
import base64
import calendar
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TLS_ROLES = {"dp-tls", "ds-tls", "eim-tls"}
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
NC_OID = "2.5.29.30"
PERMITTED_EINS_OID = "2.23.146.1.2.2.0"
O_OID, SERIAL_OID = "2.5.4.10", "2.5.4.5"

# Documented limitations (docs/crosscheck.md): (validator, case) -> why the validator cannot
# reach the manifest's verdict. Only a validator that accepts what must be rejected is
# excused; rejecting a valid certificate is always a disagreement.
RSP_CURVES = "accepts any curve it supports; SGP.22 allows only P-256 and brainpoolP256r1"
RSP_POLICY = "does not know the RSP certificate policies (SGP.22 section 4.5.2.1)"
RSP_CRIT = "does not know which RSP extensions SGP.22 requires to be critical"
RSP_ROLES = "does not know which RSP role may issue which (SGP.22 section 4.5.2.1)"
RSP_KU = "does not check the key usage SGP.22 requires of the role"
OPENSSL_KU = ("-purpose sslserver accepts keyAgreement alone (RFC 4492 ECDH); SGP.22 requires "
              "digitalSignature")
EID = "does not know EIDs (32 digits, ISO/IEC 7064 MOD 97-10 check digits)"
NO_EKU = "its CLI has no option to require an extended key usage"
NO_CRL = "its CLI takes no CRL (no revocation checking)"
GSMA_NC = "checks the EUM name constraints by RFC 5280 (ignored for eUICCs); gsma-nc checks the GSMA rule"
GNUTLS_NC = "ignores directoryName name constraints; gsma-nc checks the GSMA rule"


NC_CASES = ("euicc/eid-outside-ein", "euicc/eid-outside-permitted-eins")
UNDER_EUM = ("euicc", "eum-subca")  # leaf roles whose chains meet the EUM's nameConstraints


def expected(validator, a):
    """The verdict VALIDATOR must reach for artifact A: the manifest's `expect`, except for
    gsma-nc, which checks only the EUM constraint (invalid only in the cases that break it)."""
    if validator == "gsma-nc":
        return "invalid" if a.get("case") in NC_CASES else "valid"
    return a.get("expect", "valid")


def limitation(validator, case):
    if case is None:
        return None
    kind = case.split("/", 1)[1] if "/" in case else case
    if kind == "invalid-curve":
        return RSP_CURVES
    if kind == "invalid-certificate-policy":
        return RSP_POLICY
    if kind == "missing-critical-extension":
        return RSP_CRIT
    if case == "eum-subca/not-allowed":
        return RSP_ROLES
    if kind == "invalid-key-usage":
        return OPENSSL_KU if validator == "openssl" else RSP_KU
    if case == "euicc/eid-check-digits":
        return EID
    if case in NC_CASES:
        return GNUTLS_NC if validator == "gnutls" else GSMA_NC
    if kind == "invalid-eku" and validator == "botan":
        return NO_EKU
    if kind == "revoked" and validator == "botan":
        return NO_CRL
    return None


# ---- a minimal DER reader (for subjects and the EUM constraint) ----

def tlv(buf, i):
    tag = buf[i]
    n = buf[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    return tag, buf[i:i + n], i + n


def children(buf):
    out, i = [], 0
    while i < len(buf):
        tag, val, i = tlv(buf, i)
        out.append((tag, val))
    return out


def oid_text(b):
    first = b[0]
    arcs = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    v = 0
    for x in b[1:]:
        v = (v << 7) | (x & 0x7F)
        if not x & 0x80:
            arcs.append(v)
            v = 0
    return ".".join(map(str, arcs))


def name_attrs(name_val):
    attrs = []
    for _, rdn in children(name_val):
        for _, atv in children(rdn):
            (_, oid), (_, value) = children(atv)[:2]
            attrs.append((oid_text(oid), value.decode("utf-8", "replace")))
    return attrs


def cert_fields(der):
    _, cert, _ = tlv(der, 0)
    tbs = children(children(cert)[0][1])
    idx = 1 if tbs[0][0] == 0xA0 else 0  # [0] version
    subject = name_attrs(tbs[idx + 4][1])
    exts = {}
    for tag, val in tbs[idx + 6:]:
        if tag == 0xA3:
            for _, ext in children(children(val)[0][1]):
                parts = children(ext)
                exts[oid_text(parts[0][1])] = parts[-1][1]
    return subject, exts


def gsma_constraints(exts):
    """(list of (O, EIN prefix) from nameConstraints dirNames, list of permittedEins)"""
    dirs, eins = [], []
    if NC_OID in exts:
        for tag, subtrees in children(children(exts[NC_OID])[0][1]):
            if tag != 0xA0:  # permittedSubtrees
                continue
            for _, subtree in children(subtrees):
                base_tag, base = children(subtree)[0]
                if base_tag == 0xA4:  # directoryName
                    attrs = dict(name_attrs(children(base)[0][1]))
                    dirs.append((attrs.get(O_OID), attrs.get(SERIAL_OID, "")))
    if PERMITTED_EINS_OID in exts:
        eins = [v.decode() for _, v in children(children(exts[PERMITTED_EINS_OID])[0][1])]
    return dirs, eins


def gsma_nc(chain_ders, euicc=True):
    """The GSMA EUM rule for an eUICC chain (for an EUM SubCA: its O): (valid, message)."""
    subject, _ = cert_fields(chain_ders[0])
    attrs = dict(subject)
    o, eid = attrs.get(O_OID), attrs.get(SERIAL_OID, "")
    constrained = False
    for der in chain_ders[1:]:
        dirs, eins = gsma_constraints(cert_fields(der)[1])
        if dirs:
            constrained = True
            if not any(o == do and (not euicc or eid.startswith(dein)) for do, dein in dirs):
                return False, "O %r / EID %s outside nameConstraints %r" % (o, eid, dirs)
        if eins and euicc:
            constrained = True
            if not any(eid.startswith(e) for e in eins):
                return False, "EID %s outside permittedEins %r" % (eid, eins)
    if not constrained:
        return False, "no EUM constraint above it"
    return True, "O and EIN prefix as the EUM permits" if euicc else "O as the EUM permits"


# ---- running the validators ----

def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    return p.returncode, p.stdout


def parse_time(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


class Crosscheck:
    def __init__(self, outdir):
        self.outdir = outdir
        with open(os.path.join(outdir, "manifest.json")) as f:
            self.manifest = json.load(f)
        self.clock = parse_time(self.manifest["clock"]["time"])
        self.now = int(time.time())
        self.tmp = tempfile.mkdtemp(prefix="rspg-crosscheck-")
        arts = self.manifest["artifacts"]
        self.by_path = {a["path"]: a for a in arts}
        # one file per certificate: the DER one, or the PEM one when there is no DER twin
        certs = [a for a in arts if a["kind"] == "certificate"]
        der_keys = {(a.get("entity"), a.get("curve"), a.get("serial")) for a in certs
                    if a["format"] == "der"}
        self.certs = [a for a in certs if a["format"] == "der" or
                      (a.get("entity"), a.get("curve"), a.get("serial")) not in der_keys]
        crls = [a for a in arts if a["kind"] == "crl"]
        twin = lambda a: (a["issuer"], os.path.splitext(a["path"])[0])
        crl_der = {twin(a) for a in crls if a["format"] == "der"}
        self.crls = [a for a in crls if a["format"] == "der" or twin(a) not in crl_der]
        self.ids = {a["path"]: i for i, a in enumerate(self.certs)}
        self.pem = {}
        self.der = {}
        self.lock = threading.Lock()  # the validators run in threads; files are made once
        self.anchors = [a for a in self.certs
                        if a["issuer"] == a["path"] and a.get("trust_anchor", True)]
        self.anchor_file = {}
        for curve in {a["curve"] for a in self.anchors} | {"all"}:
            path = os.path.join(self.tmp, "anchors-%s.pem" % curve)
            with open(path, "w") as f:
                for a in self.anchors:
                    if curve in ("all", a["curve"]):
                        f.write(self.pem_text(a["path"]))
            self.anchor_file[curve] = path

    def read_der(self, rel):
        with self.lock:
            if rel not in self.der:
                with open(os.path.join(self.outdir, rel), "rb") as f:
                    data = f.read()
                if data.startswith(b"-----BEGIN"):
                    body = b"".join(l for l in data.splitlines() if not l.startswith(b"-----"))
                    data = base64.b64decode(body)
                self.der[rel] = data
            return self.der[rel]

    def pem_text(self, rel, label="CERTIFICATE"):
        b64 = base64.b64encode(self.read_der(rel)).decode()
        lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
        return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)

    def pem_file(self, rel, label="CERTIFICATE"):
        text = self.pem_text(rel, label)
        with self.lock:
            if (rel, label) not in self.pem:
                path = os.path.join(self.tmp, "%d.pem" % len(self.pem))
                with open(path, "w") as f:
                    f.write(text)
                self.pem[(rel, label)] = path
            return self.pem[(rel, label)]

    def chain(self, a):
        chain, seen = [a], {a["path"]}
        while chain[-1]["issuer"] != chain[-1]["path"]:
            nxt = self.by_path.get(chain[-1]["issuer"])
            if nxt is None or nxt["path"] in seen:
                break
            seen.add(nxt["path"])
            chain.append(nxt)
        return chain

    def is_anchor(self, a):
        return a["issuer"] == a["path"] and a.get("trust_anchor", True)

    def valid_crls(self, issuer_path):
        return [c for c in self.crls
                if c["issuer"] == issuer_path and c.get("expect", "valid") == "valid"]

    def time_sensitive(self, chain):
        """Does the chain's validity differ between the manifest's clock and now?"""
        def ok(t):
            return all(parse_time(c["not_before"]) <= t <= parse_time(c["not_after"])
                       for c in chain)
        crls = self.valid_crls(chain[0]["issuer"]) if len(chain) > 1 else []
        crl_ok = lambda t: all(parse_time(c["this_update"]) <= t <= parse_time(c["next_update"])
                               for c in crls)
        return ok(self.clock) != ok(self.now) or crl_ok(self.clock) != crl_ok(self.now)

    # each returns (verdict "valid"/"invalid"/None for n/a, detail)
    def openssl(self, a, chain):
        leaf = chain[0]
        # a trusted root alone: only itself as the trust store (the CIs of the variants share
        # one subject name and a root has no AKI, so OpenSSL could pick another CI)
        ca = self.pem_file(leaf["path"]) if self.is_anchor(leaf) else self.anchor_file["all"]
        cmd = ["openssl", "verify", "-attime", str(self.clock), "-CAfile", ca]
        inter = [c for c in chain[1:] if not self.is_anchor(c)]
        if inter:
            path = os.path.join(self.tmp, "untrusted-%d.pem" % self.ids[leaf["path"]])
            with open(path, "w") as f:
                f.write("".join(self.pem_text(c["path"]) for c in inter))
            cmd += ["-untrusted", path]
        if leaf["role"] in TLS_ROLES:
            cmd += ["-purpose", "sslserver"]
        crls = self.valid_crls(leaf["issuer"]) if len(chain) > 1 else []
        if crls:
            cmd += ["-crl_check"]
            for c in crls:
                cmd += ["-CRLfile", self.pem_file(c["path"], "X509 CRL")]
        rc, out = run(cmd + [self.pem_file(leaf["path"])])
        errors = sorted({int(e) for e in re.findall(r"error (\d+) at", out)})
        if rc == 0 and not errors:
            return "valid", "OK"
        if leaf["role"] in UNDER_EUM and errors == [47]:
            return "valid", "OK but for error 47 (the GSMA name constraint, see gsma-nc)"
        lines = [l for l in out.splitlines() if l.startswith("error")]
        return "invalid", "; ".join(lines[:2])

    def botan(self, a, chain):
        if self.time_sensitive(chain):
            return None, "the chain's validity at the manifest's clock differs from now"
        if self.is_anchor(chain[0]):
            return None, "Botan 2's cert_verify does not accept a self-signed certificate alone"
        # every certificate given to cert_verify is trusted: intermediates only, never an
        # untrusted root (the unknown-CI cases)
        cas = [c for c in chain[1:] if c["issuer"] != c["path"]]
        cmd = ["botan", "cert_verify", self.pem_file(chain[0]["path"])]
        cmd += [self.pem_file(c["path"]) for c in cas]
        cmd += [self.pem_file(x["path"]) for x in self.anchors if x["curve"] == chain[-1]["curve"]]
        rc, out = run(cmd)
        out = out.strip()
        if rc == 0 and "passes validation" in out:
            return "valid", out
        if "does not seem to be valid" in out:
            return None, "Botan 2 cannot read notAfter 99991231235959Z: " + out
        if chain[0]["role"] in UNDER_EUM and out.endswith("Certificate does not pass name constraint"):
            return "valid", "OK but for the name constraint (see gsma-nc)"
        return "invalid", out

    def gnutls(self, a, chain):
        if any(c["curve"] != "prime256v1" for c in chain[1:]) or chain[-1]["curve"] != "prime256v1":
            return None, "not a NIST chain (GnuTLS has no brainpool)"
        if self.time_sensitive(chain):
            return None, "the chain's validity at the manifest's clock differs from now"
        leaf = chain[0]
        path = os.path.join(self.tmp, "chain-%d.pem" % self.ids[leaf["path"]])
        with open(path, "w") as f:
            f.write("".join(self.pem_text(c["path"]) for c in chain
                            if c is leaf or not self.is_anchor(c)))
        ca = self.pem_file(leaf["path"]) if self.is_anchor(leaf) else self.anchor_file["prime256v1"]
        cmd = ["certtool", "--verify", "--load-ca-certificate", ca, "--infile", path]
        if leaf["role"] in TLS_ROLES:
            cmd += ["--verify-purpose", SERVER_AUTH]
        crls = self.valid_crls(leaf["issuer"]) if len(chain) > 1 else []
        if crls:
            crl_path = os.path.join(self.tmp, "crls-%d.pem" % self.ids[leaf["path"]])
            with open(crl_path, "w") as f:
                f.write("".join(self.pem_text(c["path"], "X509 CRL") for c in crls))
            cmd += ["--load-crl", crl_path]
        rc, out = run(cmd)
        m = re.search(r"Chain verification output: (.*)", out)
        detail = m.group(1).strip() if m else out.strip().splitlines()[-1:]
        return ("valid" if rc == 0 and m and m.group(1).startswith("Verified") else "invalid"), detail

    def gsma(self, a, chain):
        if chain[0]["role"] not in UNDER_EUM:
            return None, "not under an EUM"
        ok, msg = gsma_nc([self.read_der(c["path"]) for c in chain], chain[0]["role"] == "euicc")
        return ("valid" if ok else "invalid"), msg

    # CRLs: signature under the issuer's key, and current at the clock
    def openssl_crl(self, c):
        rc, out = run(["openssl", "crl", "-in", self.pem_file(c["path"], "X509 CRL"), "-noout",
                       "-CAfile", self.pem_file(c["issuer"])])
        current = parse_time(c["this_update"]) <= self.clock <= parse_time(c["next_update"])
        ok = rc == 0 and "verify OK" in out and current
        return ("valid" if ok else "invalid"), out.strip()

    def gnutls_crl(self, c):
        if c["curve"] != "prime256v1":
            return None, "not a NIST CRL (GnuTLS has no brainpool)"
        rc, out = run(["certtool", "--verify-crl", "--load-ca-certificate",
                       self.pem_file(c["issuer"]), "--infile", self.pem_file(c["path"], "X509 CRL")])
        ok = rc == 0 and "Verified" in out
        return ("valid" if ok else "invalid"), (out.strip().splitlines() or [""])[-1]


VALIDATORS = ["openssl", "botan", "gnutls", "gsma-nc"]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    table_path = None
    for a in sys.argv[1:]:
        if a.startswith("--table="):
            table_path = a.split("=", 1)[1]
    if len(args) != 1:
        print("usage: crosscheck.py OUTDIR [--table=FILE]", file=sys.stderr)
        return 2
    try:
        cc = Crosscheck(args[0])
    except (OSError, ValueError, KeyError) as e:
        print("rsp-pkigen: error: %s: cannot read the build's manifest: %s" % (args[0], e),
              file=sys.stderr)
        return 2

    jobs = []
    for a in cc.certs:
        chain = cc.chain(a)
        for v, fn in (("openssl", cc.openssl), ("botan", cc.botan), ("gnutls", cc.gnutls),
                      ("gsma-nc", cc.gsma)):
            jobs.append((a, v, fn, chain))
    for c in cc.crls:
        jobs.append((c, "openssl", lambda a, ch: cc.openssl_crl(a), None))
        jobs.append((c, "botan", lambda a, ch: (None, "its CLI does not verify CRLs"), None))
        jobs.append((c, "gnutls", lambda a, ch: cc.gnutls_crl(a), None))

    def work(job):
        a, v, fn, chain = job
        verdict, detail = fn(a, chain)
        return a, v, verdict, detail

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            results = list(ex.map(work, jobs))
    finally:
        shutil.rmtree(cc.tmp, ignore_errors=True)

    counts = {v: {"agree": 0, "limitation": 0, "n/a": 0, "DISAGREE": 0} for v in VALIDATORS}
    limits, disagreements, rows = {}, [], []
    for a, v, verdict, detail in results:
        expect = expected(v, a)
        if verdict is None:
            cls = "n/a"
        elif verdict == expect:
            cls = "agree"
        else:
            why = limitation(v, a.get("case")) if verdict == "valid" else None
            if why:
                cls = "limitation"
                key = (v, a.get("case"), why)
                limits[key] = limits.get(key, 0) + 1
            else:
                cls = "DISAGREE"
                disagreements.append((a, v, verdict, detail))
        counts[v][cls] += 1
        rows.append((a["path"], a["kind"], a.get("role", ""), a.get("case", ""), expect, v,
                     verdict or "n/a", cls, str(detail)))

    n_certs, n_crls = len(cc.certs), len(cc.crls)
    clock = cc.manifest["clock"]["time"]
    print("crosscheck of %s: %d certificates (chains from the manifest's issuer links) and %d "
          "CRLs; clock %s (openssl at the clock; botan and gnutls at the current time)"
          % (args[0], n_certs, n_crls, clock))
    print()
    print("%-9s %8s %7s %11s %6s %9s" % ("validator", "checked", "agree", "limitation", "n/a",
                                           "DISAGREE"))
    for v in VALIDATORS:
        c = counts[v]
        print("%-9s %8d %7d %11d %6d %9d" % (v, sum(c.values()) - c["n/a"], c["agree"],
                                              c["limitation"], c["n/a"], c["DISAGREE"]))
    na = {}
    for a, v, verdict, detail in results:
        if verdict is None and v != "gsma-nc":
            key = (v, re.sub(r": .*", "", str(detail)))
            na[key] = na.get(key, 0) + 1
    if na:
        print("\nnot applicable (n/a):")
        for (v, why), n in sorted(na.items()):
            print("  %-8s %4d  %s" % (v, n, why))
    if limits:
        print("\ndocumented limitations (the validator accepts what the manifest says is invalid;"
              " docs/crosscheck.md):")
        for (v, case, why), n in sorted(limits.items()):
            print("  %-8s %-40s %3d  %s" % (v, case, n, why))
    if disagreements:
        print("\nDISAGREEMENTS:")
        for a, v, verdict, detail in disagreements:
            print("  %s: %s says %s, the manifest expects %s%s: %s"
                  % (a["path"], v, verdict, expected(v, a),
                     " (%s)" % a["case"] if a.get("case") else "", detail))
    if table_path:
        with open(table_path, "w") as f:
            f.write("path\tkind\trole\tcase\texpect\tvalidator\tverdict\tclass\tdetail\n")
            for r in sorted(rows):
                f.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")
        print("\nfull table (validator x artifact): %s" % table_path)
    total = sum(c["DISAGREE"] for c in counts.values())
    agreed = sum(c["agree"] + c["limitation"] for c in counts.values())
    print("\n%d passed, %d failed" % (agreed, total))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
