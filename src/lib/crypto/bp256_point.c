/*
 * bp256_point.c: points of brainpoolP256r1 (RFC 5639 §3.4) and multiples of its generator
 * G, for the fast key generation and signing path of bp256.c (bulk minting, issue 15).
 *
 * Field elements are in Montgomery form mod p (bp256_mont.h). Points are in Jacobian
 * coordinates (X : Y : Z) for (X/Z^2, Y/Z^3), Z = 0 for the point at infinity; table
 * entries are affine. The curve has A != -3, so doubling uses the general-A formula; the
 * constant-time multiplication below needs no doubling at all.
 *
 * Fixed-base multiplication (bp256_base_mul). A table, built once per process, holds
 * T[j][i-1] = i * 2^(6j) * G for j = 0..42 and i = 1..32 (88 KiB). The scalar k < 2^256 is
 * recoded into 43 signed digits d_j in [-32, 32] with k = sum d_j 2^(6j) (Booth recoding of
 * 7-bit windows that overlap by one bit, as OpenSSL's ecp_nistz256 does with 7-bit
 * windows), and k*G = sum sign(d_j) T[j][|d_j|-1]: 43 mixed additions, no doubling. Each
 * addend is found by reading all 32 entries of its row and keeping one with a mask, and
 * negated with a mask: no branch and no memory index depends on k.
 *
 * Exceptional cases. The mixed addition formula is wrong when the accumulator or the addend
 * is the point at infinity, or when both have the same x (equal or opposite points). The
 * first two are handled with masks (the accumulator is infinity exactly while all digits so
 * far are zero). The third cannot occur for 1 <= k <= n-1: before window j the accumulator
 * is P*G with P = sum_{i<j} d_i 2^(6i), an integer with |P| <= 2^(6j-1), and the addend is
 * A*G with A = d_j 2^(6j), |A| >= 2^(6j). Equal or opposite x means P = +-A (mod n). For
 * j <= 41, 0 < |P -+ A| <= 2^245 + 2^251 < n, so never. For j = 42 (the last), P + A = k
 * is not 0 mod n, and P - A = -n would need k = 2A - n with A a multiple of 2^252 in
 * [n - 2^251, n + 2^251), i.e. A = 11 * 2^252 (n = 0xA9FB...), so k = 2A - n > n.
 * The code still detects the case (H = 0 in a non-masked addition) and then recomputes
 * with the reference double-and-add, so a wrong point is impossible even if the argument
 * were wrong; bp256_fallbacks() counts such events for the tests (always 0).
 */
#include "crypto/bp256_point.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define WIN 6                 /* window width: digits in [-2^(WIN-1), 2^(WIN-1)] */
#define ROWS 43               /* ceil(257 / WIN): 256-bit scalars plus the Booth carry */
#define COLS (1 << (WIN - 1)) /* 32 multiples per row */

/* RFC 5639 §3.4, brainpoolP256r1 (limbs least significant first) */
const uint64_t bp256_p[4] = {0x2013481D1F6E5377, 0x6E3BF623D5262028, 0x3E660A909D838D72,
                             0xA9FB57DBA1EEA9BC};
const uint64_t bp256_a[4] = {0xE94A4B44F330B5D9, 0xFB8055C126DC5C6C, 0xEEF67530417AFFE7,
                             0x7D5A0975FC2C3057};
const uint64_t bp256_b[4] = {0x6BCCDC18FF8C07B6, 0x958416295CF7E1CE, 0xF330B5D9BBD77CBF,
                             0x26DC5C6CE94A4B44};
const uint64_t bp256_gx[4] = {0x3A4453BD9ACE3262, 0xB9DE27E1E3BD23C2, 0x2C4B482FFC81B7AF,
                              0x8BD2AEB9CB7E57CB};
const uint64_t bp256_gy[4] = {0x5C1D54C72F046997, 0xC27745132DED8E54, 0x97F8461A14611DC9,
                              0x547EF835C3DAC4FD};
const uint64_t bp256_n[4] = {0x901E0E82974856A7, 0x8C397AA3B561A6F7, 0x3E660A909D838D71,
                             0xA9FB57DBA1EEA9BC};

typedef struct {
    uint64_t x[4], y[4]; /* Montgomery form */
} affine;

typedef struct {
    uint64_t x[4], y[4], z[4]; /* Montgomery form; z = 0: infinity */
} jacobian;

static bp256_mod fp, fn;         /* mod p, mod n */
static uint64_t a_mont[4];       /* A in Montgomery form */
static affine table[ROWS][COLS]; /* table[j][i - 1] = i * 2^(WIN j) * G */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_ulong fallbacks;

/* ---- the group law, general formulas (variable time; public points only) ---- */

/* R = 2P, "dbl-2007-bl" with general A (Bernstein-Lange, Explicit-Formulas Database):
 * M = 3X^2 + A Z^4, S = 4 X Y^2, X3 = M^2 - 2S, Y3 = M (S - X3) - 8 Y^4, Z3 = 2 Y Z.
 * Infinity (Z = 0) and a point with Y = 0 give Z3 = 0. */
static void jac_dbl(jacobian *r, const jacobian *p)
{
    uint64_t xx[4], yy[4], yyyy[4], zz[4], s[4], m[4], t[4], x3[4], y3[4], z3[4];
    bp256_mont_sqr(xx, p->x, &fp);
    bp256_mont_sqr(yy, p->y, &fp);
    bp256_mont_sqr(yyyy, yy, &fp);
    bp256_mont_sqr(zz, p->z, &fp);
    bp256_mont_mul(s, p->x, yy, &fp);
    bp256_mont_add(s, s, s, &fp);
    bp256_mont_add(s, s, s, &fp); /* S = 4 X YY */
    bp256_mont_sqr(t, zz, &fp);
    bp256_mont_mul(t, t, a_mont, &fp); /* A Z^4 */
    bp256_mont_add(m, xx, xx, &fp);
    bp256_mont_add(m, m, xx, &fp);
    bp256_mont_add(m, m, t, &fp); /* M = 3 XX + A Z^4 */
    bp256_mont_sqr(x3, m, &fp);
    bp256_mont_sub(x3, x3, s, &fp);
    bp256_mont_sub(x3, x3, s, &fp); /* X3 = M^2 - 2S */
    bp256_mont_sub(t, s, x3, &fp);
    bp256_mont_mul(y3, m, t, &fp);
    bp256_mont_add(t, yyyy, yyyy, &fp);
    bp256_mont_add(t, t, t, &fp);
    bp256_mont_add(t, t, t, &fp); /* 8 YYYY */
    bp256_mont_sub(y3, y3, t, &fp);
    bp256_mont_mul(z3, p->y, p->z, &fp);
    bp256_mont_add(z3, z3, z3, &fp);
    memcpy(r->x, x3, sizeof(x3));
    memcpy(r->y, y3, sizeof(y3));
    memcpy(r->z, z3, sizeof(z3));
}

/* R = P + Q for any P, Q ("add-1998-cmo-2" with the special cases by branches: infinity,
 * P = Q (doubling), P = -Q (infinity)). Variable time: table building and the reference
 * multiplication only. */
static void jac_add(jacobian *r, const jacobian *p, const jacobian *q)
{
    uint64_t z1z1[4], z2z2[4], u1[4], u2[4], s1[4], s2[4], h[4], rr[4], hh[4], hhh[4], v[4];
    jacobian out;
    if (bp256_is_zero(p->z)) {
        *r = *q;
        return;
    }
    if (bp256_is_zero(q->z)) {
        *r = *p;
        return;
    }
    bp256_mont_sqr(z1z1, p->z, &fp);
    bp256_mont_sqr(z2z2, q->z, &fp);
    bp256_mont_mul(u1, p->x, z2z2, &fp);
    bp256_mont_mul(u2, q->x, z1z1, &fp);
    bp256_mont_mul(s1, p->y, q->z, &fp);
    bp256_mont_mul(s1, s1, z2z2, &fp); /* S1 = Y1 Z2^3 */
    bp256_mont_mul(s2, q->y, p->z, &fp);
    bp256_mont_mul(s2, s2, z1z1, &fp); /* S2 = Y2 Z1^3 */
    bp256_mont_sub(h, u2, u1, &fp);
    bp256_mont_sub(rr, s2, s1, &fp);
    if (bp256_is_zero(h)) {
        if (bp256_is_zero(rr)) {
            jac_dbl(r, p);
        } else {
            memset(r, 0, sizeof(*r)); /* P = -Q */
        }
        return;
    }
    bp256_mont_sqr(hh, h, &fp);
    bp256_mont_mul(hhh, h, hh, &fp);
    bp256_mont_mul(v, u1, hh, &fp); /* V = U1 H^2 */
    bp256_mont_sqr(out.x, rr, &fp);
    bp256_mont_sub(out.x, out.x, hhh, &fp);
    bp256_mont_sub(out.x, out.x, v, &fp);
    bp256_mont_sub(out.x, out.x, v, &fp); /* X3 = R^2 - H^3 - 2V */
    bp256_mont_sub(v, v, out.x, &fp);
    bp256_mont_mul(out.y, rr, v, &fp);
    bp256_mont_mul(s1, s1, hhh, &fp);
    bp256_mont_sub(out.y, out.y, s1, &fp); /* Y3 = R (V - X3) - S1 H^3 */
    bp256_mont_mul(out.z, p->z, q->z, &fp);
    bp256_mont_mul(out.z, out.z, h, &fp); /* Z3 = Z1 Z2 H */
    *r = out;
}

/* ---- the table of G's multiples ---- */

/* OUT[i] = the affine form of IN[i] for COUNT (<= COLS) finite points, with one inversion
 * (Montgomery's simultaneous inversion: prefix products, one inverse, and back). */
static void batch_to_affine(affine *out, const jacobian *in, int count)
{
    uint64_t prefix[COLS][4], inv[4], zi[4], zi2[4];
    memcpy(prefix[0], in[0].z, sizeof(prefix[0]));
    for (int i = 1; i < count; i++)
        bp256_mont_mul(prefix[i], prefix[i - 1], in[i].z, &fp);
    bp256_mont_inv(inv, prefix[count - 1], &fp); /* (z_0 ... z_{count-1})^-1 */
    for (int i = count - 1; i >= 0; i--) {
        if (i > 0) {
            bp256_mont_mul(zi, inv, prefix[i - 1], &fp); /* z_i^-1 */
            bp256_mont_mul(inv, inv, in[i].z, &fp);      /* (z_0 ... z_{i-1})^-1 */
        } else {
            memcpy(zi, inv, sizeof(zi));
        }
        bp256_mont_sqr(zi2, zi, &fp);
        bp256_mont_mul(out[i].x, in[i].x, zi2, &fp);
        bp256_mont_mul(zi2, zi2, zi, &fp);
        bp256_mont_mul(out[i].y, in[i].y, zi2, &fp);
    }
}

/* Builds the Montgomery contexts and the table: row j holds 1..32 times B_j = 2^(6j) G,
 * and B_{j+1} = 2 * (32 B_j). None of these points is infinity (n is a prime > 2^255). */
static void init_once(void)
{
    jacobian base, row[COLS];
    bp256_mont_init(&fp, bp256_p);
    bp256_mont_init(&fn, bp256_n);
    bp256_mont_to(a_mont, bp256_a, &fp);
    bp256_mont_to(base.x, bp256_gx, &fp);
    bp256_mont_to(base.y, bp256_gy, &fp);
    memcpy(base.z, fp.one, sizeof(base.z));
    for (int j = 0; j < ROWS; j++) {
        row[0] = base;
        for (int i = 1; i < COLS; i++)
            jac_add(&row[i], &row[i - 1], &base);
        batch_to_affine(table[j], row, COLS);
        jac_dbl(&base, &row[COLS - 1]);
    }
}

const bp256_mod *bp256_field(void)
{
    pthread_once(&once, init_once);
    return &fp;
}

const bp256_mod *bp256_order(void)
{
    pthread_once(&once, init_once);
    return &fn;
}

unsigned long bp256_fallbacks(void)
{
    return atomic_load(&fallbacks);
}

/* ---- results ---- */

/* The affine X (and Y when wanted) of P as plain integers; infinity gives 0, 0. */
static void to_affine(const jacobian *p, uint64_t x[4], uint64_t y[4])
{
    uint64_t zi[4], zi2[4], t[4];
    bp256_mont_inv(zi, p->z, &fp); /* constant time; 0 -> 0 */
    bp256_mont_sqr(zi2, zi, &fp);
    bp256_mont_mul(t, p->x, zi2, &fp);
    bp256_mont_from(x, t, &fp);
    if (y != NULL) {
        bp256_mont_mul(zi2, zi2, zi, &fp);
        bp256_mont_mul(t, p->y, zi2, &fp);
        bp256_mont_from(y, t, &fp);
    }
}

void bp256_base_mul_ref(const uint64_t k[4], uint64_t x[4], uint64_t y[4])
{
    jacobian acc, g;
    pthread_once(&once, init_once);
    memset(&acc, 0, sizeof(acc));
    memcpy(g.x, table[0][0].x, sizeof(g.x));
    memcpy(g.y, table[0][0].y, sizeof(g.y));
    memcpy(g.z, fp.one, sizeof(g.z));
    for (int bit = 255; bit >= 0; bit--) {
        jac_dbl(&acc, &acc);
        if ((k[bit / 64] >> (bit % 64)) & 1)
            jac_add(&acc, &acc, &g);
    }
    to_affine(&acc, x, y);
}

/* ---- constant-time fixed-base multiplication ---- */

/* Bits 6j-1 .. 6j+5 of K (bit -1 and bits >= 256 are 0) as a 7-bit number. J is public. */
static unsigned window_bits(const uint64_t k[4], int j)
{
    if (j == 0)
        return (unsigned)(k[0] << 1) & 0x7f;
    int start = WIN * j - 1, w = start / 64, sh = start % 64;
    uint64_t v = k[w] >> sh;
    if (sh > 64 - (WIN + 1) && w < 3)
        v |= k[w + 1] << (64 - sh);
    return (unsigned)v & 0x7f;
}

/* The Booth digit of a 7-bit window IN = 2 v + c (v: bits 6j..6j+5, c: bit 6j-1):
 * d = v + c - 64 * (bit 6j+5) = ((IN + 1) >> 1) - 64 (IN >> 6), in [-32, 32]. Returns
 * |d| and sets *NEG to 1 when d < 0. Branch-free. */
static unsigned booth(unsigned in, uint64_t *neg)
{
    unsigned v = (in + 1) >> 1, s = in >> 6;
    unsigned mask = 0u - s;
    *neg = s;
    return (v & ~mask) | ((64u - v) & mask);
}

/* OUT = sign * T[j][mag - 1] (OUT = (0, 0) when MAG = 0): every entry of the row is read;
 * the one wanted is kept by a mask, then Y is negated by a mask. */
static void table_lookup(affine *out, int j, unsigned mag, uint64_t neg)
{
    uint64_t ny[4], zero[4] = {0, 0, 0, 0};
    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < COLS; i++) {
        uint64_t m = bp256_mask(bp256_eq(i + 1, mag));
        for (int l = 0; l < 4; l++) {
            out->x[l] |= table[j][i].x[l] & m;
            out->y[l] |= table[j][i].y[l] & m;
        }
    }
    bp256_mont_sub(ny, zero, out->y, &fp);
    bp256_select(out->y, bp256_mask(neg), ny, out->y);
}

/* R = P + Q for a finite P and an affine Q ("add-1998-cmo-2" with Z2 = 1: 8M + 3S), in
 * constant time. Correct unless P or Q is infinity or P = +-Q; *HZERO is 1 when x(P) =
 * x(Q), the last case (the caller masks the first two). R may alias P. */
static void jac_madd(jacobian *r, const jacobian *p, const affine *q, uint64_t *hzero)
{
    uint64_t z1z1[4], u2[4], s2[4], h[4], rr[4], hh[4], hhh[4], v[4], t[4];
    jacobian out;
    bp256_mont_sqr(z1z1, p->z, &fp);
    bp256_mont_mul(u2, q->x, z1z1, &fp); /* U2 = X2 Z1^2 */
    bp256_mont_mul(s2, q->y, p->z, &fp);
    bp256_mont_mul(s2, s2, z1z1, &fp); /* S2 = Y2 Z1^3 */
    bp256_mont_sub(h, u2, p->x, &fp);  /* H = U2 - X1 */
    bp256_mont_sub(rr, s2, p->y, &fp); /* R = S2 - Y1 */
    *hzero = bp256_is_zero(h);
    bp256_mont_sqr(hh, h, &fp);
    bp256_mont_mul(hhh, h, hh, &fp);
    bp256_mont_mul(v, p->x, hh, &fp); /* V = X1 H^2 */
    bp256_mont_sqr(out.x, rr, &fp);
    bp256_mont_sub(out.x, out.x, hhh, &fp);
    bp256_mont_sub(out.x, out.x, v, &fp);
    bp256_mont_sub(out.x, out.x, v, &fp); /* X3 = R^2 - H^3 - 2V */
    bp256_mont_sub(v, v, out.x, &fp);
    bp256_mont_mul(out.y, rr, v, &fp);
    bp256_mont_mul(t, p->y, hhh, &fp);
    bp256_mont_sub(out.y, out.y, t, &fp); /* Y3 = R (V - X3) - Y1 H^3 */
    bp256_mont_mul(out.z, p->z, h, &fp);  /* Z3 = Z1 H */
    *r = out;
}

/* ACC = MASK ? P : ACC, coordinate by coordinate. */
static void jac_select(jacobian *acc, uint64_t mask, const jacobian *p)
{
    bp256_select(acc->x, mask, p->x, acc->x);
    bp256_select(acc->y, mask, p->y, acc->y);
    bp256_select(acc->z, mask, p->z, acc->z);
}

/* ACC = sum over the 43 windows of the signed table entries (see the top of the file);
 * returns 1 when an exceptional addition was detected (the result is then unusable). */
static uint64_t comb(jacobian *acc, const uint64_t k[4])
{
    uint64_t acc_inf = 1, exceptional = 0, neg, hzero;
    jacobian sum, lifted;
    affine q;
    memset(acc, 0, sizeof(*acc));
    for (int j = 0; j < ROWS; j++) {
        unsigned mag = booth(window_bits(k, j), &neg);
        uint64_t nonzero = 1 ^ bp256_eq(mag, 0);
        table_lookup(&q, j, mag, neg);
        jac_madd(&sum, acc, &q, &hzero);
        exceptional |= (acc_inf ^ 1) & nonzero & hzero;
        /* the accumulator is infinity: the sum is Q itself */
        memcpy(lifted.x, q.x, sizeof(q.x));
        memcpy(lifted.y, q.y, sizeof(q.y));
        memcpy(lifted.z, fp.one, sizeof(fp.one));
        jac_select(&sum, bp256_mask(acc_inf), &lifted);
        /* a zero digit adds nothing */
        jac_select(acc, bp256_mask(nonzero), &sum);
        acc_inf &= nonzero ^ 1;
    }
    bp256_wipe(&q, sizeof(q));
    bp256_wipe(&sum, sizeof(sum));
    bp256_wipe(&lifted, sizeof(lifted));
    return exceptional | acc_inf;
}

void bp256_base_mul(const uint64_t k[4], uint64_t x[4], uint64_t y[4])
{
    jacobian acc;
    pthread_once(&once, init_once);
    if (comb(&acc, k) != 0) {
        /* unreachable for 1 <= k <= n-1 (see the top of the file); correct, not fast */
        atomic_fetch_add(&fallbacks, 1);
        bp256_base_mul_ref(k, x, y);
    } else {
        to_affine(&acc, x, y);
    }
    bp256_wipe(&acc, sizeof(acc));
}
