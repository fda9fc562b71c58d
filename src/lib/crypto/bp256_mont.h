/*
 * bp256_mont.h (private to src/lib/crypto/bp256*.c and their tests): arithmetic modulo a
 * 256-bit odd modulus m (2^255 < m < 2^256) in Montgomery form with R = 2^256, on four
 * 64-bit limbs, least significant first. The brainpoolP256r1 module uses it twice: for the
 * field (m = p) and for the scalars of the signature (m = n, the group order); neither
 * prime has a special shape (RFC 5639 §2.2 chooses them pseudo-randomly), so the reduction
 * is the general word-by-word Montgomery one (CIOS: Koc, Acar, Kaliski, "Analyzing and
 * comparing Montgomery multiplication algorithms", 1996).
 *
 * Every function here runs in time independent of the values of its operands (no branch
 * and no memory index depends on them; selections are masks), except bp256_mont_pow, whose
 * exponent must be public (it is p-2 or n-2: Fermat inversion). Inputs and outputs are fully
 * reduced (< m) unless a comment says otherwise; outputs may alias inputs.
 *
 * Needs unsigned __int128 (gcc and clang on 64-bit targets).
 */
#ifndef RSPG_BP256_MONT_H
#define RSPG_BP256_MONT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if !defined(__SIZEOF_INT128__)
#error "src/lib/crypto/bp256*: needs unsigned __int128 (gcc or clang on a 64-bit target)"
#endif

typedef unsigned __int128 bp256_u128;

/* Full unrolling of the 4-limb loops (gcc -O2 may keep them as loops, with the limbs in
 * memory). */
#if defined(__clang__)
#define BP256_UNROLL _Pragma("unroll")
#else
#define BP256_UNROLL _Pragma("GCC unroll 4")
#endif

/* A modulus and its Montgomery constants (filled by bp256_mont_init). */
typedef struct {
    uint64_t m[4];   /* the modulus, odd, 2^255 < m < 2^256 */
    uint64_t n0;     /* -m^-1 mod 2^64 */
    uint64_t one[4]; /* R mod m: 1 in Montgomery form */
    uint64_t rr[4];  /* R^2 mod m: converts into Montgomery form */
} bp256_mod;

/* An all-ones mask when BIT (0 or 1) is 1, else 0; the empty asm keeps the compiler from
 * turning the mask back into a branch. */
static inline uint64_t bp256_mask(uint64_t bit)
{
    uint64_t m = 0 - bit;
    __asm__("" : "+r"(m));
    return m;
}

/* 1 when the 256-bit A is zero, else 0 (constant time). */
static inline uint64_t bp256_is_zero(const uint64_t a[4])
{
    uint64_t v = a[0] | a[1] | a[2] | a[3];
    return 1 ^ ((v | (0 - v)) >> 63);
}

/* 1 when A == B, else 0 (constant time). */
static inline uint64_t bp256_eq(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    return 1 ^ ((x | (0 - x)) >> 63);
}

/* Clears N bytes at P (secrets on the stack); the empty asm keeps the stores. */
static inline void bp256_wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* R = MASK ? A : B (MASK all-ones or zero). */
static inline void bp256_select(uint64_t r[4], uint64_t mask, const uint64_t a[4],
                                const uint64_t b[4])
{
    BP256_UNROLL
    for (int i = 0; i < 4; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* R = T - m when T (the 256-bit T plus HI * 2^256, T < 2m) is >= m, else T. */
static inline void bp256_mont_final_sub(uint64_t r[4], const uint64_t t[4], uint64_t hi,
                                        const bp256_mod *M)
{
    uint64_t s[4], borrow = 0;
    BP256_UNROLL
    for (int i = 0; i < 4; i++) {
        bp256_u128 d = (bp256_u128)t[i] - M->m[i] - borrow;
        s[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* T >= m exactly when the top word is set or the subtraction did not borrow */
    bp256_select(r, bp256_mask(hi | (borrow ^ 1)), s, t);
}

/* R = A + B mod m. */
static inline void bp256_mont_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                  const bp256_mod *M)
{
    uint64_t t[4];
    bp256_u128 c = 0;
    BP256_UNROLL
    for (int i = 0; i < 4; i++) {
        c += (bp256_u128)a[i] + b[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    bp256_mont_final_sub(r, t, (uint64_t)c, M);
}

/* R = A - B mod m. */
static inline void bp256_mont_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                  const bp256_mod *M)
{
    uint64_t t[4], borrow = 0, mask;
    bp256_u128 c = 0;
    BP256_UNROLL
    for (int i = 0; i < 4; i++) {
        bp256_u128 d = (bp256_u128)a[i] - b[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    mask = bp256_mask(borrow); /* A < B: add m back */
    BP256_UNROLL
    for (int i = 0; i < 4; i++) {
        c += (bp256_u128)t[i] + (M->m[i] & mask);
        r[i] = (uint64_t)c;
        c >>= 64;
    }
}

/* One row of the CIOS Montgomery product: T += A * BI, then T = (T + q m) / 2^64 with
 * q = T mod 2^64 * n0 mod 2^64, so that the division is exact. T is t0..t4 (t4 < 2: the
 * running value stays < 2m); every intermediate fits 128 bits, since a limb product plus
 * two limbs is at most 2^128 - 1. Written out on scalars: gcc -O2 keeps an array in memory. */
#define BP256_MUL_ROW(bi)                                                                          \
    do {                                                                                           \
        bp256_u128 c_;                                                                             \
        uint64_t t5_, q_;                                                                          \
        c_ = (bp256_u128)a0 * (bi) + t0;                                                           \
        t0 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)a1 * (bi) + t1;                                              \
        t1 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)a2 * (bi) + t2;                                              \
        t2 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)a3 * (bi) + t3;                                              \
        t3 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + t4;                                                                      \
        t4 = (uint64_t)c_;                                                                         \
        t5_ = (uint64_t)(c_ >> 64);                                                                \
        q_ = t0 * n0;                                                                              \
        c_ = ((bp256_u128)q_ * m0 + t0) >> 64;                                                     \
        c_ += (bp256_u128)q_ * m1 + t1;                                                            \
        t0 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)q_ * m2 + t2;                                                \
        t1 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)q_ * m3 + t3;                                                \
        t2 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + t4;                                                                      \
        t3 = (uint64_t)c_;                                                                         \
        t4 = t5_ + (uint64_t)(c_ >> 64);                                                           \
    } while (0)

/* R = A * B * R^-1 mod m (Montgomery product; CIOS: four rows, then one conditional
 * subtraction). A, B < m. */
static inline void bp256_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                  const bp256_mod *M)
{
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], b0 = b[0], b1 = b[1], b2 = b[2],
                   b3 = b[3];
    const uint64_t m0 = M->m[0], m1 = M->m[1], m2 = M->m[2], m3 = M->m[3], n0 = M->n0;
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t[4];
    BP256_MUL_ROW(b0);
    BP256_MUL_ROW(b1);
    BP256_MUL_ROW(b2);
    BP256_MUL_ROW(b3);
    t[0] = t0;
    t[1] = t1;
    t[2] = t2;
    t[3] = t3;
    bp256_mont_final_sub(r, t, t4, M);
}

/* One Montgomery reduction step of the 512-bit X (x0..x8 in scope): X = (X + q m) / 2^64
 * with q = x0 n0 mod 2^64, written back shifted by one limb (x0 = old x1 + ..., x8 = 0). */
#define BP256_REDC_STEP()                                                                          \
    do {                                                                                           \
        uint64_t q_ = x0 * n0;                                                                     \
        bp256_u128 c_ = ((bp256_u128)q_ * m0 + x0) >> 64;                                          \
        c_ += (bp256_u128)q_ * m1 + x1;                                                            \
        x0 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)q_ * m2 + x2;                                                \
        x1 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + (bp256_u128)q_ * m3 + x3;                                                \
        x2 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + x4;                                                                      \
        x3 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + x5;                                                                      \
        x4 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + x6;                                                                      \
        x5 = (uint64_t)c_;                                                                         \
        c_ = (c_ >> 64) + x7;                                                                      \
        x6 = (uint64_t)c_;                                                                         \
        x7 = x8 + (uint64_t)(c_ >> 64);                                                            \
        x8 = 0;                                                                                    \
    } while (0)

/* R = A^2 * R^-1 mod m: the 512-bit square (6 cross products doubled, 4 squares: 10
 * multiplications instead of 16), then four reduction steps; the result is < 2m
 * ((A^2 + Q m) / R with A, Q < m, R) before the conditional subtraction. */
static inline void bp256_mont_sqr(uint64_t r[4], const uint64_t a[4], const bp256_mod *M)
{
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    const uint64_t m0 = M->m[0], m1 = M->m[1], m2 = M->m[2], m3 = M->m[3], n0 = M->n0;
    uint64_t x0, x1, x2, x3, x4, x5, x6, x7, x8 = 0, t[4];
    bp256_u128 c;
    /* cross products a_i a_j, i < j, at limb i + j */
    c = (bp256_u128)a0 * a1;
    x1 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a0 * a2;
    x2 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a0 * a3;
    x3 = (uint64_t)c;
    x4 = (uint64_t)(c >> 64);
    c = (bp256_u128)a1 * a2 + x3;
    x3 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a1 * a3 + x4;
    x4 = (uint64_t)c;
    x5 = (uint64_t)(c >> 64);
    c = (bp256_u128)a2 * a3 + x5;
    x5 = (uint64_t)c;
    x6 = (uint64_t)(c >> 64);
    /* doubled */
    x7 = x6 >> 63;
    x6 = (x6 << 1) | (x5 >> 63);
    x5 = (x5 << 1) | (x4 >> 63);
    x4 = (x4 << 1) | (x3 >> 63);
    x3 = (x3 << 1) | (x2 >> 63);
    x2 = (x2 << 1) | (x1 >> 63);
    x1 = x1 << 1;
    /* plus the squares a_i^2 at limb 2i */
    c = (bp256_u128)a0 * a0;
    x0 = (uint64_t)c;
    c = (c >> 64) + x1;
    x1 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a1 * a1 + x2; /* fits: (2^64-1)^2 + 2 (2^64-1) */
    x2 = (uint64_t)c;
    c = (c >> 64) + x3;
    x3 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a2 * a2 + x4;
    x4 = (uint64_t)c;
    c = (c >> 64) + x5;
    x5 = (uint64_t)c;
    c = (c >> 64) + (bp256_u128)a3 * a3 + x6;
    x6 = (uint64_t)c;
    x7 += (uint64_t)(c >> 64);
    BP256_REDC_STEP();
    BP256_REDC_STEP();
    BP256_REDC_STEP();
    BP256_REDC_STEP();
    t[0] = x0;
    t[1] = x1;
    t[2] = x2;
    t[3] = x3;
    bp256_mont_final_sub(r, t, x4, M);
}

/* R = A^E * R^-(E-1) mod m, i.e. the power in Montgomery form when A is in Montgomery form.
 * E (four limbs) is PUBLIC: the sequence of operations depends on it (4-bit fixed windows:
 * 252 squarings and at most 64 multiplications, plus 14 for the window table). */
static inline void bp256_mont_pow(uint64_t r[4], const uint64_t a[4], const uint64_t e[4],
                                  const bp256_mod *M)
{
    uint64_t tab[16][4], acc[4];
    memcpy(tab[0], M->one, sizeof(tab[0]));
    memcpy(tab[1], a, sizeof(tab[1]));
    for (int i = 2; i < 16; i++)
        bp256_mont_mul(tab[i], tab[i - 1], a, M);
    memcpy(acc, M->one, sizeof(acc));
    for (int nib = 63; nib >= 0; nib--) {
        unsigned w = (unsigned)(e[nib / 16] >> (4 * (nib % 16))) & 15;
        if (nib != 63)
            for (int s = 0; s < 4; s++)
                bp256_mont_sqr(acc, acc, M);
        if (w != 0)
            bp256_mont_mul(acc, acc, tab[w], M);
    }
    memcpy(r, acc, sizeof(acc));
}

/* R = A^-1 in Montgomery form (A in Montgomery form, m prime): Fermat, A^(m-2). The
 * inverse of 0 comes out as 0. Constant time: the exponent m-2 is public. */
static inline void bp256_mont_inv(uint64_t r[4], const uint64_t a[4], const bp256_mod *M)
{
    uint64_t e[4];
    bp256_u128 d = (bp256_u128)M->m[0] - 2;
    e[0] = (uint64_t)d;
    for (int i = 1; i < 4; i++) {
        d = (bp256_u128)M->m[i] - ((uint64_t)(d >> 64) & 1);
        e[i] = (uint64_t)d;
    }
    bp256_mont_pow(r, a, e, M);
}

/* Into Montgomery form (R = A * R mod m; A < m) and out of it. */
static inline void bp256_mont_to(uint64_t r[4], const uint64_t a[4], const bp256_mod *M)
{
    bp256_mont_mul(r, a, M->rr, M);
}

static inline void bp256_mont_from(uint64_t r[4], const uint64_t a[4], const bp256_mod *M)
{
    static const uint64_t one[4] = {1, 0, 0, 0};
    bp256_mont_mul(r, a, one, M);
}

/* Fills M for the modulus MOD (odd, 2^255 < MOD < 2^256): n0 by Newton's iteration
 * x <- x(2 - m x), which doubles the number of correct low bits each round (1 -> 64 in six
 * rounds); R mod m = 2^256 - m (one subtraction, since m > 2^255); R^2 mod m by 256
 * modular doublings of R mod m. */
static inline void bp256_mont_init(bp256_mod *M, const uint64_t mod[4])
{
    uint64_t inv = 1;
    bp256_u128 d = 0;
    memcpy(M->m, mod, sizeof(M->m));
    for (int i = 0; i < 6; i++)
        inv *= 2 - mod[0] * inv;
    M->n0 = 0 - inv;
    for (int i = 0; i < 4; i++) { /* 0 - m mod 2^256 */
        d = (bp256_u128)0 - mod[i] - ((uint64_t)(d >> 64) & 1);
        M->one[i] = (uint64_t)d;
    }
    memcpy(M->rr, M->one, sizeof(M->rr));
    for (int i = 0; i < 256; i++)
        bp256_mont_add(M->rr, M->rr, M->rr, M);
}

/* The 32 big-endian bytes B as four limbs, and back. */
static inline void bp256_from_bytes(uint64_t r[4], const uint8_t b[32])
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | b[(3 - i) * 8 + j];
        r[i] = v;
    }
}

static inline void bp256_to_bytes(uint8_t b[32], const uint64_t a[4])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            b[(3 - i) * 8 + j] = (uint8_t)(a[i] >> (56 - 8 * j));
}

/* 1 when A < M (the 256-bit integers; constant time), else 0. */
static inline uint64_t bp256_lt(const uint64_t a[4], const uint64_t m[4])
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        bp256_u128 d = (bp256_u128)a[i] - m[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

#endif
