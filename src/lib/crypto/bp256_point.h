/*
 * bp256_point.h (private to src/lib/crypto/bp256*.c and their tests): the brainpoolP256r1
 * curve (RFC 5639 §3.4) and multiplications of its generator G. Scalars and coordinates
 * cross this interface as plain integers on four 64-bit limbs, least significant first;
 * Montgomery form stays inside bp256_point.c.
 */
#ifndef RSPG_BP256_POINT_H
#define RSPG_BP256_POINT_H

#include <stdint.h>

#include "crypto/bp256_mont.h"

/* The domain parameters of brainpoolP256r1, RFC 5639 §3.4 (cofactor h = 1), as plain
 * integers: the prime p, the curve coefficients A and B of y^2 = x^3 + A x + B, the base
 * point G = (x, y), and its prime order q (called n here, as in SEC 1). */
extern const uint64_t bp256_p[4], bp256_a[4], bp256_b[4], bp256_gx[4], bp256_gy[4], bp256_n[4];

/* The Montgomery contexts mod p (field) and mod n (scalars). Thread-safe; the first call
 * also builds the generator table (once per process, pthread_once). */
const bp256_mod *bp256_field(void);
const bp256_mod *bp256_order(void);

/* K*G for 1 <= K <= n-1 (the caller checks the range): the affine X and, when Y is not
 * NULL, Y, as plain integers < p. Constant time in K: a fixed-base signed-window
 * multiplication over a table of G's multiples with every table row read in full. */
void bp256_base_mul(const uint64_t k[4], uint64_t x[4], uint64_t y[4]);

/* The same by plain double-and-add with every special case of the group law handled by
 * branches: NOT constant time. The reference that bp256_base_mul falls back on should its
 * exceptional-case detector ever fire (it cannot for 1 <= K <= n-1; see bp256_point.c), and
 * that the tests compare against. K = 0 (mod n) gives X = Y = 0. */
void bp256_base_mul_ref(const uint64_t k[4], uint64_t x[4], uint64_t y[4]);

/* How many times bp256_base_mul took the fallback since the process started (tests). */
unsigned long bp256_fallbacks(void);

#endif
