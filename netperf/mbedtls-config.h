/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mbedtls 2.28 configuration of embnet's musl sysroot (scripts/sysroot
 * installs it as the sysroot's mbedtls/config.h, so the library and netperf
 * are compiled against the same one).  It enables only what netperf uses:
 *
 *   auth.c     RSA with OAEP over SHA-1 (OpenSSL's, so iperf3 3.13's
 *              default) and PKCS#1 v1.5 (--use-pkcs1-padding), keys in
 *              PEM or DER files; base64;
 *              the CTR-DRBG seeded from the kernel's entropy
 *   authfmt.c  SHA-256
 *   tls.c      TLS 1.2 with ephemeral ECDHE on P-256, an ECDSA P-256
 *              server key and its self-signed certificate, the AES-GCM
 *              suites; mbedtls_strerror()
 *
 * Where mbedtls offers a choice, the smaller code wins (tables computed at
 * start rather than kept in the program, the smaller SHA-2 loops, no NIST
 * fast reduction): netperf's --tls measures the cost of encryption, and
 * the static program is what goes on a small board's flash.
 *
 * Debian's glibc builds use Debian's libmbedtls and its configuration.
 */
#ifndef EMBNET_MBEDTLS_CONFIG_H
#define EMBNET_MBEDTLS_CONFIG_H

/* system */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_FS_IO

/* randomness */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C

/* hashes, ciphers */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C /* OAEP's hash */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_SHA512_C /* entropy pool; SHA-384 suites */
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_AES_C
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C

/* public keys: RSA for auth, ECDSA P-256 for the TLS server */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C

/* the TLS server's self-signed certificate */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CRT_WRITE_C

/* TLS 1.2, both ends */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0

/* messages */
#define MBEDTLS_ERROR_C

#include "mbedtls/check_config.h"

#endif
