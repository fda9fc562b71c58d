/*
 * mint.c: bulk eUICC certificates at the speed of libcrypto.
 *
 * The TBSCertificate of every eUICC of a run has the same length and the same bytes but
 * for four fields: the serial (the EID digits read as hex, as GSMA's v3 eUICC), the EID in
 * the subject serialNumber, the public key point and the subject key identifier. So the
 * TBS is encoded once from the profile's eUICC template (cert.c, exactly as `build` would)
 * with marker values, the markers' offsets are found, and each certificate is that
 * template with four patches. Per certificate the work is one fixed-base scalar
 * multiplication (the key), SHA-1 (SKI), SHA-256 and one ECDSA signature.
 *
 * Threads: workers take chunks of consecutive EIDs from a counter and fill a slot of a
 * ring; the calling thread hands completed chunks to the sink in order. Each worker owns
 * its key generator and signer (crypto/bulk_ec.h: bp256 on brainpoolP256r1, libcrypto
 * elsewhere): no lock on the hot path, one mutex acquisition per chunk. Memory: the ring
 * has 2 slots per worker, whatever the count.
 *
 * Shards: a run may mint only the indexes START..END-1 of a run of COUNT (mint --shard);
 * every record depends on its index alone, so the shards' records are the single run's.
 */
#include "rspg/issue/mint.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/pem.h"
#include "rspg/crypto/bulk_ec.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/x509.h"

#define CHUNK 256
#define MAX_THREADS 256

/* ---- EIDs ---- */

int rspg_eid_add(const char *first, uint64_t index, char out[RSPG_EID_LEN + 1])
{
    char body[31];
    memcpy(body, first, 30);
    body[30] = '\0';
    uint64_t carry = index;
    for (int i = 29; i >= 0 && carry; i--) {
        uint64_t d = (uint64_t)(body[i] - '0') + carry % 10;
        carry /= 10;
        if (d >= 10) {
            d -= 10;
            carry++;
        }
        body[i] = (char)('0' + d);
    }
    if (carry)
        return -1;
    return rspg_eid_complete(body, out);
}

/* The EIDs from FIRST_EID to the end of the range of the PREFIX_LEN digits it starts
 * with: 10^(30 - PREFIX_LEN) minus the rest of its 30-digit body; UINT64_MAX when more. */
uint64_t rspg_eids_left(const char *first_eid, size_t prefix_len)
{
    if (prefix_len >= 30)
        return prefix_len == 30 ? 1 : 0;
    /* 10^d - rest = (99..9 - rest) + 1, digit by digit, then read as a number */
    char c[31];
    size_t d = 30 - prefix_len;
    for (size_t i = 0; i < d; i++)
        c[i] = (char)('9' - first_eid[prefix_len + i] + '0');
    c[d] = '\0';
    uint64_t v = 0;
    for (size_t i = 0; i < d; i++) {
        uint64_t digit = (uint64_t)(c[i] - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return UINT64_MAX;
        v = v * 10 + digit;
    }
    return v == UINT64_MAX ? v : v + 1;
}

/* The range FIRST_EID + COUNT against the EIN prefixes the issuer permits (none: no
 * constraint but the 30-digit body). SGP.22 §4.5.2.1.0.2: an eUICC's EID starts with one
 * of its EUM's EINs. */
static rspg_status check_eins(const rspg_mint_cert_info *info, const char *first_eid,
                              uint64_t count, char *prefix, size_t prefix_cap, rspg_diag *d)
{
    char last[RSPG_EID_LEN + 1];
    if (prefix && prefix_cap)
        prefix[0] = '\0';
    const char *ein = NULL;
    for (size_t i = 0; i < info->n_eins && ein == NULL; i++)
        if (rspg_eid_has_prefix(first_eid, info->eins[i]))
            ein = info->eins[i];
    if (info->n_eins > 0 && ein == NULL)
        return rspg_fail(d, RSPG_E_USAGE, "first EID %s is outside the issuer's EIN prefix %s",
                         first_eid, info->eins[0]);
    uint64_t left = rspg_eids_left(first_eid, ein ? strlen(ein) : 0);
    if (count > left || rspg_eid_add(first_eid, count - 1, last) != 0)
        return rspg_fail(d, RSPG_E_USAGE,
                         "--count %llu is more than the %llu EIDs left %s%s from %s",
                         (unsigned long long)count, (unsigned long long)left,
                         ein ? "in the issuer's EIN prefix " : "in the 30-digit EID body",
                         ein ? ein : "", first_eid);
    if (ein && !rspg_eid_has_prefix(last, ein))
        return rspg_fail(d, RSPG_E_USAGE,
                         "%llu EIDs from %s end at %s, outside the issuer's EIN prefix %s",
                         (unsigned long long)count, first_eid, last, ein);
    if (ein && prefix && prefix_cap)
        snprintf(prefix, prefix_cap, "%s", ein);
    return RSPG_OK;
}

rspg_status rspg_mint_check_range(const uint8_t *issuer_cert, size_t issuer_len,
                                  const char *first_eid, uint64_t count, char *prefix,
                                  size_t prefix_cap, rspg_diag *d)
{
    rspg_eid_error ee = rspg_eid_check(first_eid);
    if (ee != RSPG_EID_OK)
        return rspg_fail(d, RSPG_E_USAGE, "first EID '%s' is invalid: %s", first_eid,
                         rspg_eid_error_text(ee));
    if (count == 0)
        return rspg_fail(d, RSPG_E_USAGE, "--count must be at least 1");
    if (first_eid[0] == '0' && first_eid[1] == '0')
        return rspg_fail(d, RSPG_E_USAGE,
                         "EIDs starting with 00 are not supported (their serial "
                         "would not keep one length)");
    rspg_mint_cert_info *info = rspg_xmalloc(sizeof(*info));
    rspg_status rc =
        rspg_mint_read_cert(issuer_cert, issuer_len, "the issuer certificate", d, info);
    if (rc == RSPG_OK)
        rc = check_eins(info, first_eid, count, prefix, prefix_cap, d);
    free(info);
    return rc;
}

/* ---- the TBS template ---- */

struct tmpl {
    rspg_buf tbs;
    size_t serial_off, serial_len; /* INTEGER contents (with 00 pad) */
    size_t eid_off;
    size_t point_off, point_len;
    size_t ski_off; /* 0 when the template has no SKI */
};

static const uint8_t *find_bytes(const uint8_t *h, size_t hn, const uint8_t *n, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, n, nn) == 0)
            return h + i;
    return NULL;
}

/* Encodes the template TBS with marker values and records where they landed. */
static rspg_status build_template(const rspg_mint_options *o, const uint8_t *issuer_name,
                                  size_t issuer_name_len, const uint8_t *issuer_ski,
                                  size_t issuer_ski_len, int top_bit, rspg_diag *d, struct tmpl *t)
{
    static const char eid_marker[] = "ZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQ";
    rspg_status rc = RSPG_OK;
    rspg_entity e = *o->tmpl;
    rspg_dn dn = {rspg_xcalloc(e.subject.count, sizeof(rspg_attr)), e.subject.count};
    int found_eid = 0;
    for (size_t i = 0; i < dn.count; i++) {
        dn.attrs[i] = e.subject.attrs[i];
        if (strcmp(dn.attrs[i].oid, "2.5.4.5") == 0) {
            dn.attrs[i].value = (char *)eid_marker;
            found_eid = 1;
        }
    }
    e.subject = dn;
    if (!found_eid) {
        free(dn.attrs);
        return rspg_fail_at(d, o->tmpl->loc,
                            "the eUICC template '%s' has no serialNumber (EID) "
                            "in its subject",
                            o->tmpl->id);
    }
    rspg_key k;
    memset(&k, 0, sizeof(k));
    k.curve = o->curve;
    k.pub_len = 1 + 2 * o->curve->field_bytes;
    k.pub[0] = 0x04;
    for (size_t i = 1; i < k.pub_len; i++)
        k.pub[i] = (uint8_t)(0xA5 ^ (i * 7));
    SHA1(k.pub, k.pub_len, k.ski);
    uint8_t serial[17];
    serial[0] = top_bit ? 0x99 : 0x11;
    for (size_t i = 1; i < 16; i++)
        serial[i] = (uint8_t)(0x5A ^ (i * 13));
    rspg_tbs_input in = {
        .entity = &e,
        .subst = {"", e.variants ? e.variants[0] : ""},
        .subject_key = &k,
        .issuer_name = issuer_name,
        .issuer_name_len = issuer_name_len,
        .issuer_key_id = issuer_ski,
        .issuer_key_id_len = issuer_ski_len,
        .serial = serial,
        .serial_len = 16,
        .not_before = o->not_before,
        .not_after = o->not_before + (int64_t)o->tmpl->validity_days * 86400,
    };
    rspg_buf_init(&t->tbs);
    if (o->tmpl->validity_days <= 0) {
        rc = rspg_fail_at(d, o->tmpl->loc, "the eUICC template '%s' needs validity.days",
                          o->tmpl->id);
    } else if ((rc = rspg_encode_tbs(&in, d, &t->tbs)) == RSPG_OK) {
        const uint8_t *p;
        t->serial_len = 16 + (top_bit ? 1 : 0);
        if ((p = find_bytes(t->tbs.data, t->tbs.len, serial, 16)) != NULL)
            t->serial_off = (size_t)(p - t->tbs.data) - (top_bit ? 1 : 0);
        if ((p = find_bytes(t->tbs.data, t->tbs.len, (const uint8_t *)eid_marker, 32)) != NULL)
            t->eid_off = (size_t)(p - t->tbs.data);
        t->point_len = k.pub_len;
        if ((p = find_bytes(t->tbs.data, t->tbs.len, k.pub, k.pub_len)) != NULL)
            t->point_off = (size_t)(p - t->tbs.data);
        if ((p = find_bytes(t->tbs.data, t->tbs.len, k.ski, 20)) != NULL)
            t->ski_off = (size_t)(p - t->tbs.data);
        if (!t->serial_off || !t->eid_off || !t->point_off)
            rc = rspg_fail(d, RSPG_E_CRYPTO,
                           "internal: cannot place the eUICC fields in the template");
    }
    free(dn.attrs);
    return rc;
}

/* ---- workers ---- */

struct chunk {
    uint64_t first; /* index of its first record */
    size_t n;
    int state; /* 0 free, 1 being filled, 2 ready */
    int failed;
    rspg_mint_record recs[CHUNK];
    rspg_buf data;         /* cert DER, key DER and lines of all records */
    size_t offs[CHUNK][3]; /* offsets of cert, key, line in data */
    size_t lens[CHUNK][3];
};

struct shared {
    const rspg_mint_options *o;
    struct tmpl tmpl[2]; /* by serial top bit */
    const uint8_t *issuer_ski;
    struct chunk *ring;
    size_t n_slots;
    uint64_t n_chunks;
    uint64_t end; /* one past the last index to mint */
    atomic_ullong next_chunk;
    uint64_t next_to_write; /* guarded by mu */
    int stop;               /* guarded by mu */
    pthread_mutex_t mu;
    pthread_cond_t ready, freed;
    char error[512]; /* first worker error, guarded by mu */
};

struct worker {
    struct shared *s;
    rspg_bulk_keygen *keygen; /* the eUICC keys' curve */
    rspg_bulk_signer *signer; /* the issuer's key */
    pthread_t thread;
};

static void json_pem(rspg_buf *b, const char *label, const uint8_t *der, size_t len)
{
    /* PEM with its newlines written as \n, inside a JSON string */
    rspg_buf pem;
    rspg_buf_init(&pem);
    rspg_pem_encode(label, der, len, &pem);
    rspg_buf_reserve(b, pem.len + pem.len / 64 + 8);
    for (size_t i = 0; i < pem.len; i++) {
        if (pem.data[i] == '\n') {
            b->data[b->len++] = '\\';
            b->data[b->len++] = 'n';
            rspg_buf_reserve(b, pem.len - i + 8);
        } else {
            b->data[b->len++] = pem.data[i];
        }
    }
    rspg_buf_free(&pem);
}

static int worker_fail(struct worker *w, const char *what)
{
    unsigned long e = ERR_get_error();
    char reason[256] = "";
    if (e)
        ERR_error_string_n(e, reason, sizeof(reason));
    ERR_clear_error();
    pthread_mutex_lock(&w->s->mu);
    if (!w->s->error[0])
        snprintf(w->s->error, sizeof(w->s->error), "%s%s%s", what, reason[0] ? ": " : "", reason);
    pthread_mutex_unlock(&w->s->mu);
    return -1;
}

/* The eUICC key pair: derived from the seed and the EID, or random. SK gets the private
 * scalar (field_bytes), POINT the uncompressed public point; returns its length or 0. */
static size_t mint_key(struct worker *w, const char *eid, uint8_t *sk, uint8_t point[133])
{
    const rspg_mint_options *o = w->s->o;
    char label[48];
    snprintf(label, sizeof(label), "euicc/%s", eid);
    size_t plen = rspg_bulk_keygen_pair(w->keygen, o->seed, o->seed_len, label, sk, point);
    if (plen == 0)
        worker_fail(w, "cannot make an eUICC key pair");
    return plen;
}

/* Appends the Certificate: the template TBS with the serial, EID, point and SKI patched
 * in, the algorithm and the issuer's signature. Returns 0 or -1. */
static int put_cert(struct worker *w, rspg_buf *b, const char *eid, const uint8_t serial[16],
                    const uint8_t *point, size_t plen)
{
    const struct tmpl *t = &w->s->tmpl[(serial[0] & 0x80) ? 1 : 0];
    uint8_t hash[SHA256_DIGEST_LENGTH], sig[RSPG_BULK_SIG_MAX];
    /* Certificate ::= SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING } */
    size_t mark = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    size_t tbs_off = b->len;
    rspg_buf_append(b, t->tbs.data, t->tbs.len);
    uint8_t *tbs = b->data + tbs_off;
    memcpy(tbs + t->serial_off + (t->serial_len - 16), serial, 16);
    memcpy(tbs + t->eid_off, eid, RSPG_EID_LEN);
    memcpy(tbs + t->point_off, point, plen);
    if (t->ski_off)
        SHA1(point, plen, tbs + t->ski_off);
    SHA256(tbs, t->tbs.len, hash);
    size_t alg = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(b, RSPG_OID_ECDSA_SHA256);
    rspg_der_end(b, alg);
    size_t sig_len = rspg_bulk_sign(w->signer, hash, sig);
    if (sig_len == 0)
        return worker_fail(w, "cannot sign an eUICC certificate");
    rspg_der_put_bit_string(b, 0, sig, sig_len);
    rspg_der_end(b, mark);
    return 0;
}

/* Appends the private key as SEC1 ECPrivateKey (RFC 5915). */
static void put_sec1(rspg_buf *b, const rspg_curve *curve, const uint8_t *sk, const uint8_t *point,
                     size_t plen)
{
    size_t seq = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    rspg_der_put_uint(b, 1);
    rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, sk, curve->field_bytes);
    size_t p0 = rspg_der_begin(b, 0xA0);
    rspg_der_put_oid_text(b, curve->oid);
    rspg_der_end(b, p0);
    size_t p1 = rspg_der_begin(b, 0xA1);
    rspg_der_put_bit_string(b, 0, point, plen);
    rspg_der_end(b, p1);
    rspg_der_end(b, seq);
}

/* Appends the JSON Lines record (every value is ASCII without quotes or backslashes). */
static void put_line(rspg_buf *b, uint64_t index, const char *eid, int pad, size_t cert_off,
                     size_t cert_len, size_t key_off, size_t key_len)
{
    char head[160];
    int hl = snprintf(head, sizeof(head), "{\"index\":%llu,\"eid\":\"%s\",\"serial\":\"",
                      (unsigned long long)index, eid);
    rspg_buf_append(b, head, (size_t)hl);
    if (pad)
        rspg_buf_append(b, "00", 2);
    rspg_buf_append(b, eid, RSPG_EID_LEN); /* the EID digits are the serial's hex */
    rspg_buf_puts(b, "\",\"certificate\":\"");
    json_pem(b, "CERTIFICATE", b->data + cert_off, cert_len);
    rspg_buf_puts(b, "\",\"private_key\":\"");
    json_pem(b, "EC PRIVATE KEY", b->data + key_off, key_len);
    rspg_buf_puts(b, "\"}\n");
}

static int mint_one(struct worker *w, uint64_t index, struct chunk *ch, size_t slot)
{
    const rspg_mint_options *o = w->s->o;
    rspg_mint_record *r = &ch->recs[slot];
    rspg_buf *b = &ch->data;
    uint8_t point[133], sk[66], serial[16];

    r->index = index;
    if (rspg_eid_add(o->first_eid, index, r->eid) != 0)
        return worker_fail(w, "EID overflow");
    size_t plen = mint_key(w, r->eid, sk, point);
    if (plen == 0)
        return -1;
    for (size_t i = 0; i < 16; i++)
        serial[i] = (uint8_t)((r->eid[2 * i] - '0') << 4 | (r->eid[2 * i + 1] - '0'));
    size_t cert_off = b->len;
    if (put_cert(w, b, r->eid, serial, point, plen) != 0) {
        OPENSSL_cleanse(sk, sizeof(sk));
        return -1;
    }
    size_t cert_len = b->len - cert_off, key_off = b->len;
    put_sec1(b, o->curve, sk, point, plen);
    OPENSSL_cleanse(sk, sizeof(sk));
    size_t key_len = b->len - key_off, line_off = b->len;
    put_line(b, index, r->eid, serial[0] & 0x80, cert_off, cert_len, key_off, key_len);
    ch->offs[slot][0] = cert_off;
    ch->lens[slot][0] = cert_len;
    ch->offs[slot][1] = key_off;
    ch->lens[slot][1] = key_len;
    ch->offs[slot][2] = line_off;
    ch->lens[slot][2] = b->len - line_off;
    return 0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *s = w->s;
    for (;;) {
        uint64_t c = atomic_fetch_add(&s->next_chunk, 1);
        if (c >= s->n_chunks)
            break;
        struct chunk *ch = &s->ring[c % s->n_slots];
        pthread_mutex_lock(&s->mu);
        while (!s->stop && (ch->state != 0 || c >= s->next_to_write + s->n_slots))
            pthread_cond_wait(&s->freed, &s->mu);
        int stop = s->stop;
        if (!stop)
            ch->state = 1;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            break;
        uint64_t first = s->o->start + c * CHUNK;
        size_t n = (size_t)(s->end - first < CHUNK ? s->end - first : CHUNK);
        ch->first = first;
        ch->n = n;
        ch->failed = 0;
        /* the previous chunk's keys, wiped here rather than by the writer: on every core */
        if (ch->data.data)
            OPENSSL_cleanse(ch->data.data, ch->data.len);
        rspg_buf_reset(&ch->data);
        for (size_t i = 0; i < n && !ch->failed; i++)
            if (mint_one(w, first + i, ch, i) != 0)
                ch->failed = 1;
        pthread_mutex_lock(&s->mu);
        ch->state = 2;
        pthread_cond_broadcast(&s->ready);
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

static int worker_init(struct worker *w, struct shared *s, rspg_diag *d)
{
    const rspg_mint_options *o = s->o;
    memset(w, 0, sizeof(*w));
    w->s = s;
    w->keygen = rspg_bulk_keygen_new(o->curve, o->engine, d);
    w->signer = w->keygen ? rspg_bulk_signer_new(o->issuer_key, o->nonce, o->engine, d) : NULL;
    return w->signer ? 0 : -1;
}

static void worker_fini(struct worker *w)
{
    rspg_bulk_keygen_free(w->keygen);
    rspg_bulk_signer_free(w->signer);
}

int rspg_mint_hsm_rule(rspg_mint_options *o)
{
    if (o->issuer_key == NULL || !o->issuer_key->hsm)
        return 0;
    /* the token signs with its own nonces, one request at a time */
    o->threads = 1;
    o->nonce = RSPG_NONCE_RANDOM;
    return 1;
}

/* Hands completed chunks to the sink in order; returns when all are written, the sink
 * fails, a worker fails, or the progress callback asks to stop. */
static rspg_status write_in_order(struct shared *s, rspg_diag *d)
{
    const rspg_mint_options *o = s->o;
    for (uint64_t c = 0; c < s->n_chunks; c++) {
        struct chunk *ch = &s->ring[c % s->n_slots];
        pthread_mutex_lock(&s->mu);
        while (!(ch->state == 2 && ch->first == o->start + c * CHUNK))
            pthread_cond_wait(&s->ready, &s->mu);
        pthread_mutex_unlock(&s->mu);
        if (ch->failed) {
            pthread_mutex_lock(&s->mu);
            rspg_status rc =
                rspg_fail(d, RSPG_E_CRYPTO, "%s", s->error[0] ? s->error : "minting failed");
            pthread_mutex_unlock(&s->mu);
            return rc;
        }
        for (size_t i = 0; i < ch->n; i++) {
            rspg_mint_record *r = &ch->recs[i];
            r->cert = ch->data.data + ch->offs[i][0];
            r->cert_len = ch->lens[i][0];
            r->key = ch->data.data + ch->offs[i][1];
            r->key_len = ch->lens[i][1];
            r->line = (const char *)ch->data.data + ch->offs[i][2];
            r->line_len = ch->lens[i][2];
        }
        if (o->sink(o->sink_ctx, ch->recs, ch->n, d) != 0)
            return RSPG_E_IO;
        uint64_t done = ch->first + ch->n;
        pthread_mutex_lock(&s->mu);
        ch->state = 0;
        s->next_to_write = c + 1;
        pthread_cond_broadcast(&s->freed);
        pthread_mutex_unlock(&s->mu);
        if (o->progress && o->progress(o->progress_ctx, done, o->count) && done < s->end)
            return RSPG_E_INTERRUPTED;
    }
    return RSPG_OK;
}

/* Starts the workers, writes, stops and joins them, and frees the ring. */
static rspg_status run_workers(struct shared *s, rspg_diag *d)
{
    const rspg_mint_options *o = s->o;
    rspg_status rc = RSPG_OK;
    int nt = o->threads, started = 0;
    s->n_slots = (size_t)(2 * nt);
    s->ring = rspg_xcalloc(s->n_slots, sizeof(struct chunk));
    s->n_chunks = (s->end - o->start) / CHUNK + ((s->end - o->start) % CHUNK != 0);
    atomic_init(&s->next_chunk, 0);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->ready, NULL);
    pthread_cond_init(&s->freed, NULL);
    struct worker *ws = rspg_xcalloc((size_t)nt, sizeof(struct worker));
    for (int i = 0; i < nt && rc == RSPG_OK; i++)
        if (worker_init(&ws[i], s, d) != 0)
            rc = RSPG_E_CRYPTO;
    for (int i = 0; i < nt && rc == RSPG_OK; i++) {
        if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0)
            rc = rspg_fail(d, RSPG_E_IO, "cannot start a minting thread");
        else
            started++;
    }
    if (rc == RSPG_OK)
        rc = write_in_order(s, d);
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_broadcast(&s->freed);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < started; i++)
        pthread_join(ws[i].thread, NULL);
    for (int i = 0; i < nt; i++)
        worker_fini(&ws[i]);
    free(ws);
    for (size_t i = 0; i < s->n_slots; i++) {
        if (s->ring[i].data.data)
            OPENSSL_cleanse(s->ring[i].data.data, s->ring[i].data.len);
        rspg_buf_free(&s->ring[i].data);
    }
    free(s->ring);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->ready);
    pthread_cond_destroy(&s->freed);
    return rc;
}

rspg_status rspg_mint(const rspg_mint_options *given, rspg_diag *d)
{
    rspg_mint_options eff = *given;
    const rspg_mint_options *o = &eff;
    rspg_mint_hsm_rule(&eff);
    rspg_x509 ix;
    rspg_status rc = RSPG_OK;
    if (o->threads < 1 || o->threads > MAX_THREADS)
        return rspg_fail(d, RSPG_E_USAGE, "threads must be between 1 and %d", MAX_THREADS);
    if (o->issuer_key->pkey == NULL)
        return rspg_fail(d, RSPG_E_USAGE, "the issuer key has no private part");
    if ((rc = rspg_x509_read_named(o->issuer_cert, o->issuer_cert_len, "the issuer certificate",
                                   &ix, d)) != RSPG_OK)
        return rc;
    if (ix.pub_len != o->issuer_key->pub_len || memcmp(ix.pub, o->issuer_key->pub, ix.pub_len) != 0)
        return rspg_fail(d, RSPG_E_USAGE,
                         "the issuer key does not belong to the issuer certificate");
    if ((rc = rspg_mint_check_range(o->issuer_cert, o->issuer_cert_len, o->first_eid, o->count,
                                    NULL, 0, d)) != RSPG_OK)
        return rc;
    uint64_t end = o->end ? o->end : o->count;
    if (end > o->count)
        return rspg_fail(d, RSPG_E_USAGE, "internal: a shard ends after the run");
    if (o->start >= end)
        return RSPG_OK;

    struct shared *s = rspg_xcalloc(1, sizeof(*s));
    s->o = o;
    s->end = end;
    size_t ski_len;
    const uint8_t *ski = rspg_x509_ski(&ix, &ski_len);
    if (ski == NULL) {
        ski = o->issuer_key->ski;
        ski_len = sizeof(o->issuer_key->ski);
    }
    for (int top = 0; top < 2 && rc == RSPG_OK; top++)
        rc = build_template(o, ix.subject.hdr, ix.subject.hdr_len + ix.subject.len, ski, ski_len,
                            top, d, &s->tmpl[top]);
    if (rc == RSPG_OK)
        rc = run_workers(s, d);
    rspg_buf_free(&s->tmpl[0].tbs);
    rspg_buf_free(&s->tmpl[1].tbs);
    free(s);
    return rc;
}
