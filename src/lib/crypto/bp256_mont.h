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

typedef unsigned __int128 bp256_u128;

/* Full unrolling of the 4-limb loops (gcc -O2 keeps them as loops, with the limbs in
 * memory: 3x slower). */
#if defined(__clang__)
#define BP256_UNROLL _Pragma("unroll")
#else
#define BP256_UNROLL _Pragma("GCC unroll 4")
#endif

/* A modulus and its Montgomery constants (filled by bp256_mont_init). */
typedef struct {
    uint64_t m[4];    /* the modulus, odd, 2^255 < m < 2^256 */
    uint64_t n0;      /* -m^-1 mod 2^64 */
    uint64_t one[4];  /* R mod m: 1 in Montgomery form */
    uint64_t rr[4];   /* R^2 mod m: converts into Montgomery form */
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
    for (int i = 0; i < 4; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* R = T - m when T (the 256-bit T plus HI * 2^256, T < 2m) is >= m, else T. */
static inline void bp256_mont_final_sub(uint64_t r[4], const uint64_t t[4], uint64_t hi,
                                        const bp256_mod *M)
{
    uint64_t s[4], borrow = 0;
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
    for (int i = 0; i < 4; i++) {
        bp256_u128 d = (bp256_u128)a[i] - b[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    mask = bp256_mask(borrow); /* A < B: add m back */
    for (int i = 0; i < 4; i++) {
        c += (bp256_u128)t[i] + (M->m[i] & mask);
        r[i] = (uint64_t)c;
        c >>= 64;
    }
}

/* R = A * B * R^-1 mod m (Montgomery product; CIOS). With A, B < m every intermediate fits:
 * a limb product plus two limbs is at most 2^128 - 1, and the running value stays < 2m. */
static inline void bp256_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                  const bp256_mod *M)
{
    uint64_t t[4] = {0, 0, 0, 0}, t4 = 0, t5, q;
    bp256_u128 c;
    BP256_UNROLL
    for (int i = 0; i < 4; i++) {
        const uint64_t bi = b[i];
        c = 0;
        BP256_UNROLL
        for (int j = 0; j < 4; j++) {
            c += (bp256_u128)a[j] * bi + t[j];
            t[j] = (uint64_t)c;
            c >>= 64;
        }
        c += t4;
        t4 = (uint64_t)c;
        t5 = (uint64_t)(c >> 64);
        /* add q*m so that the low word becomes zero, and shift one word down */
        q = t[0] * M->n0;
        c = ((bp256_u128)q * M->m[0] + t[0]) >> 64;
        BP256_UNROLL
        for (int j = 1; j < 4; j++) {
            c += (bp256_u128)q * M->m[j] + t[j];
            t[j - 1] = (uint64_t)c;
            c >>= 64;
        }
        c += t4;
        t[3] = (uint64_t)c;
        t4 = t5 + (uint64_t)(c >> 64);
    }
    bp256_mont_final_sub(r, t, t4, M);
}

static inline void bp256_mont_sqr(uint64_t r[4], const uint64_t a[4], const bp256_mod *M)
{
    bp256_mont_mul(r, a, a, M);
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
