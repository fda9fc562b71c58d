/*
 * bp256.h: fast brainpoolP256r1 (RFC 5639 §3.4) key generation and ECDSA signing for bulk
 * minting (issue 15): a public point from a private scalar, and an ECDSA signature from a
 * private scalar, a nonce and a hash. Both are fixed-base multiplications with a table of
 * G's multiples built once per process, in constant time in the secret scalars.
 *
 * Scope: this module only replaces libcrypto's brainpoolP256r1 arithmetic in the per-card
 * hot loop (end-entity key pairs and their signatures). It never replaces libcrypto for
 * verification, CA keys, other curves or PKCS#11 keys. The nonce k is an input: RFC 6979
 * (rfc6979.h) stays the one source of deterministic nonces, and for the same k the
 * signature is byte-identical to the libcrypto path of rfc6979.c.
 *
 * Byte strings are big-endian, 32 bytes per integer. Thread safety: every function may be
 * called from any thread (the table is built under pthread_once); no state is kept.
 */
#ifndef RSPG_BP256_H
#define RSPG_BP256_H

#include <stddef.h>
#include <stdint.h>

/* PUB = 0x04 || X || Y (SEC 1 §2.3.3 uncompressed point) of D*G. Returns 0, or -1 (PUB
 * zeroed) when D is not in [1, n-1]. */
int rspg_bp256_public(const uint8_t d[32], uint8_t pub[65]);

/* ECDSA signature (SEC 1 §4.1.3) of the message hash HASH (HASH_LEN bytes; e = its
 * leftmost 256 bits, as bits2int of RFC 6979 §2.3.2) with private scalar D and nonce K:
 * r = x(K*G) mod n, s = K^-1 (e + D r) mod n. Returns 0, or -1 (R and S zeroed) when D or
 * K is not in [1, n-1], HASH is NULL with HASH_LEN > 0, or r or s is 0 (the caller then
 * takes the next nonce candidate, as RFC 6979 §3.4 says). */
int rspg_bp256_sign(const uint8_t d[32], const uint8_t k[32], const uint8_t *hash, size_t hash_len,
                    uint8_t r[32], uint8_t s[32]);

#endif
