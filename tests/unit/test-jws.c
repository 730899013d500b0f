/* test-jws.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-jws"

#include "config.h"

#include <string.h>

#include "lanyard-base64url.h"
#include "lanyard-error.h"
#include "lanyard-jws.h"
#include "lanyard-test-jwt.h"
#include "lanyard-test-utils.h"

/* The payload of RFC 7515 A.1–A.3: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true} */
#define RFC7515_PAYLOAD \
  "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
  "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

/* RFC 7515 Appendix A.1 (HS256) */
#define RFC7515_A1_JWS \
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." RFC7515_PAYLOAD "." \
  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

/* RFC 7515 Appendix A.2 (RS256) */
#define RFC7515_A2_JWK \
  "{\"kty\":\"RSA\"," \
  "\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx" \
  "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs" \
  "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH" \
  "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV" \
  "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8" \
  "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"," \
  "\"e\":\"AQAB\"}"
#define RFC7515_A2_JWS \
  "eyJhbGciOiJSUzI1NiJ9." RFC7515_PAYLOAD "." \
  "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7" \
  "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4" \
  "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K" \
  "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv" \
  "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB" \
  "p0igcN_IoypGlUPQGe77Rw"

/* RFC 7515 Appendix A.3 (ES256) */
#define RFC7515_A3_JWK \
  "{\"kty\":\"EC\",\"crv\":\"P-256\"," \
  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}"
#define RFC7515_A3_JWS \
  "eyJhbGciOiJFUzI1NiJ9." RFC7515_PAYLOAD "." \
  "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA" \
  "pmWQxfKTUJqPP3-Kg6NU1Q"

/* RFC 7520 §4.1 (RS256) with the §3.4 key; the payload is §4's Tolkien quote */
#define RFC7520_PAYLOAD \
  "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9h" \
  "ZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3" \
  "ZXB0IG9mZiB0by4"
#define RFC7520_RSA_JWK \
  "{\"kty\":\"RSA\",\"kid\":\"bilbo.baggins@hobbiton.example\",\"use\":\"sig\"," \
  "\"n\":\"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqV" \
  "wGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw\"," \
  "\"e\":\"AQAB\"}"
#define RFC7520_4_1_JWS \
  "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." RFC7520_PAYLOAD "." \
  "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84w" \
  "nB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXF" \
  "xnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_f" \
  "cIe8u9ipH84ogoree7vjbU5y18kDquDg"

/* RFC 7520 §4.3 (ES512) */
#define RFC7520_4_3_JWS \
  "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." RFC7520_PAYLOAD "." \
  "AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDy" \
  "YjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2"
#define RFC7520_EC_P521_JWK \
  "{\"kty\":\"EC\",\"kid\":\"bilbo.baggins@hobbiton.example\",\"use\":\"sig\",\"crv\":\"P-521\"," \
  "\"x\":\"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt\"," \
  "\"y\":\"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1\"}"

static LanyardJwks *
jwks_new (const char *text)
{
  g_autoptr(GError) error = NULL;
  LanyardJwks *jwks = lanyard_jwks_new_from_data (text, strlen (text), &error);

  g_assert_no_error (error);
  return jwks;
}

static LanyardJws *
parse_ok (const char *compact)
{
  g_autoptr(GError) error = NULL;
  LanyardJws *jws = lanyard_jws_parse (compact, &error);

  g_assert_no_error (error);
  g_assert_nonnull (jws);
  return jws;
}

static void
assert_parse_refused (const char *compact,
                      const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardJws) jws = lanyard_jws_parse (compact, &error);

  g_assert_null (jws);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  if (strstr (error->message, why) == NULL)
    g_error ("parse refused with “%s”, expected “%s”", error->message, why);
}

static void
assert_verify_ok (const char  *compact,
                  LanyardJwks *jwks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardJws) jws = parse_ok (compact);

  g_assert_true (lanyard_jws_verify (jws, jwks, &error));
  g_assert_no_error (error);
}

static void
assert_verify_refused (const char  *compact,
                       LanyardJwks *jwks,
                       const char  *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardJws) jws = parse_ok (compact);

  g_assert_false (lanyard_jws_verify (jws, jwks, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  if (strstr (error->message, why) == NULL)
    g_error ("verify refused with “%s”, expected “%s”", error->message, why);
}

/* Changes one character of the payload segment, so one payload byte differs. */
static char *
flip_payload (const char *compact)
{
  char *copy = g_strdup (compact);
  char *c = strchr (copy, '.') + 3;

  *c = *c == 'A' ? 'B' : 'A';
  return copy;
}

static void
test_rfc7515_a2_rs256 (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7515_A2_JWK "]}");
  g_autoptr(LanyardJws) jws = parse_ok (RFC7515_A2_JWS);
  g_autofree char *flipped = flip_payload (RFC7515_A2_JWS);
  g_autoptr(GError) error = NULL;
  static const char payload[] =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

  g_assert_cmpstr (lanyard_jws_get_alg (jws), ==, "RS256");
  g_assert_null (lanyard_jws_get_kid (jws));
  g_assert_cmpmem (g_bytes_get_data (lanyard_jws_get_payload (jws), NULL),
                   g_bytes_get_size (lanyard_jws_get_payload (jws)),
                   payload, strlen (payload));
  g_assert_cmpuint (json_object_get_size (lanyard_jws_get_header (jws)), ==, 1);

  g_assert_true (lanyard_jws_verify_with_key (jws, lanyard_jwks_find_key (jwks, NULL, "RS256", NULL), &error));
  g_assert_no_error (error);

  assert_verify_ok (RFC7515_A2_JWS, jwks);
  assert_verify_refused (flipped, jwks, "signature does not verify");
}

static void
test_rfc7515_a3_es256 (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7515_A3_JWK "]}");
  g_autofree char *flipped = flip_payload (RFC7515_A3_JWS);

  assert_verify_ok (RFC7515_A3_JWS, jwks);
  assert_verify_refused (flipped, jwks, "signature does not verify");
}

static void
test_rfc7520_4_1_rs256 (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7515_A2_JWK "," RFC7520_RSA_JWK "]}");
  g_autoptr(LanyardJws) jws = parse_ok (RFC7520_4_1_JWS);
  g_autofree char *flipped = flip_payload (RFC7520_4_1_JWS);

  g_assert_cmpstr (lanyard_jws_get_kid (jws), ==, "bilbo.baggins@hobbiton.example");
  assert_verify_ok (RFC7520_4_1_JWS, jwks);
  assert_verify_refused (flipped, jwks, "signature does not verify");
}

/* A correct ES512 signature, but ES512 is not on the list. */
static void
test_rfc7520_4_3_es512_refused (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7520_EC_P521_JWK "," RFC7520_RSA_JWK "]}");

  g_assert_false (lanyard_jws_alg_is_allowed ("ES512"));
  assert_verify_refused (RFC7520_4_3_JWS, jwks, "alg “ES512” is not allowed");
}

/* HS256 is refused before any key is looked at: the set is even empty. */
static void
test_rfc7515_a1_hs256_refused (void)
{
  g_autoptr(LanyardJwks) empty = jwks_new ("{\"keys\":[]}");
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7515_A2_JWK "]}");
  g_autoptr(LanyardJws) jws = parse_ok (RFC7515_A1_JWS);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (lanyard_jws_get_alg (jws), ==, "HS256");
  assert_verify_refused (RFC7515_A1_JWS, empty, "alg “HS256” is not allowed");
  assert_verify_refused (RFC7515_A1_JWS, jwks, "alg “HS256” is not allowed");

  /* Even handed a key directly */
  g_assert_false (lanyard_jws_verify_with_key (jws, lanyard_jwks_find_key (jwks, NULL, "RS256", NULL), &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
}

static void
test_allow_list (void)
{
  static const char *allowed[] = { "RS256", "RS384", "RS512", "PS256", "ES256", "ES384" };
  static const char *refused[] = { "none", "None", "NONE", "HS256", "HS384", "HS512", "ES512",
                                   "PS384", "PS512", "EdDSA", "RSA-OAEP", "rs256", "RS256 ", "" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (allowed); i++)
    g_assert_true (lanyard_jws_alg_is_allowed (allowed[i]));
  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_false (lanyard_jws_alg_is_allowed (refused[i]));
  g_assert_false (lanyard_jws_alg_is_allowed (NULL));
}

static void
test_alg_none (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_new ("{\"keys\":[" RFC7515_A2_JWK "]}");
  g_autofree char *unsigned_token = lanyard_test_jws_assemble ("{\"alg\":\"none\"}", "{\"iss\":\"joe\"}", NULL, 0);
  g_autofree char *with_sig = lanyard_test_jws_assemble ("{\"alg\":\"none\"}", "{\"iss\":\"joe\"}",
                                                         (const guint8 *) "x", 1);

  assert_parse_refused (unsigned_token, "unsigned");
  assert_verify_refused (with_sig, jwks, "alg “none” is not allowed");
}

/* The classic key-confusion attack: HMAC keyed with the RSA public key. */
static void
test_hs256_with_public_key_as_secret (void)
{
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  g_autofree char *pem = lanyard_test_key_get_public_pem (rsa);
  g_autofree char *jwk = lanyard_test_key_to_jwk (rsa, "k1", NULL, NULL);
  g_autofree char *jwk_alg = lanyard_test_key_to_jwk (rsa, "k2", "HS256", NULL);
  g_autofree char *text = lanyard_test_jwks_build (jwk, jwk_alg, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_new (text);
  g_autofree char *token = lanyard_test_jws_sign_hmac ((const guint8 *) pem, strlen (pem),
                                                       "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
                                                       "{\"iss\":\"joe\"}");
  g_autofree char *token2 = lanyard_test_jws_sign_hmac ((const guint8 *) pem, strlen (pem),
                                                        "{\"alg\":\"HS256\",\"kid\":\"k2\"}",
                                                        "{\"iss\":\"joe\"}");

  assert_verify_refused (token, jwks, "alg “HS256” is not allowed");
  assert_verify_refused (token2, jwks, "alg “HS256” is not allowed");
}

static void
test_key_selection (void)
{
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) ec = lanyard_test_key_new_ec ("P-256");
  g_autofree char *j1 = lanyard_test_key_to_jwk (rsa, "rsa", "RS256", "sig");
  g_autofree char *j2 = lanyard_test_key_to_jwk (ec, "ec", NULL, "sig");
  g_autofree char *text = lanyard_test_jwks_build (j1, j2, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_new (text);
  g_autofree char *good = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\"}", "{}");
  g_autofree char *unknown = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"other\"}", "{}");
  /* kid names the EC key but the alg is RSA */
  g_autofree char *kty = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"ec\"}", "{}");
  /* the RSA key is pinned to RS256 */
  g_autofree char *key_alg = lanyard_test_jws_sign (rsa, "PS256", "{\"alg\":\"PS256\",\"kid\":\"rsa\"}", "{}");
  /* signed with the RSA key, presented as ES256 under the EC key's kid */
  g_autofree char *cross = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"ES256\",\"kid\":\"ec\"}", "{}");

  assert_verify_ok (good, jwks);
  assert_verify_refused (unknown, jwks, "no key with kid “other”");
  assert_verify_refused (kty, jwks, "does not fit alg RS256");
  assert_verify_refused (key_alg, jwks, "does not fit alg PS256");
  assert_verify_refused (cross, jwks, "signature does not verify");
}

static void
test_verify_with_wrong_key_type (void)
{
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) ec = lanyard_test_key_new_ec ("P-256");
  g_autoptr(LanyardTestKey) ec384 = lanyard_test_key_new_ec ("P-384");
  g_autofree char *rs = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\"}", "{}");
  g_autofree char *es = lanyard_test_jws_sign (ec, "ES256", "{\"alg\":\"ES256\"}", "{}");
  g_autoptr(LanyardJws) rs_jws = parse_ok (rs);
  g_autoptr(LanyardJws) es_jws = parse_ok (es);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;

  g_assert_false (lanyard_jws_verify_with_key (rs_jws, lanyard_test_key_get_pkey (ec), &e1));
  g_assert_error (e1, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  g_assert_false (lanyard_jws_verify_with_key (es_jws, lanyard_test_key_get_pkey (rsa), &e2));
  g_assert_error (e2, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  g_assert_false (lanyard_jws_verify_with_key (es_jws, lanyard_test_key_get_pkey (ec384), &e3));
  g_assert_error (e3, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
}

static void
test_short_rsa_key (void)
{
  g_autoptr(LanyardTestKey) weak = lanyard_test_key_new_rsa (1024);
  g_autofree char *token = lanyard_test_jws_sign (weak, "RS256", "{\"alg\":\"RS256\"}", "{}");
  g_autoptr(LanyardJws) jws = parse_ok (token);
  g_autoptr(GError) error = NULL;

  g_assert_false (lanyard_jws_verify_with_key (jws, lanyard_test_key_get_pkey (weak), &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  g_assert_nonnull (strstr (error->message, "2048"));
}

static void
test_all_algs_roundtrip (void)
{
  static const char *rsa_algs[] = { "RS256", "RS384", "RS512", "PS256" };
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) p256 = lanyard_test_key_new_ec ("P-256");
  g_autoptr(LanyardTestKey) p384 = lanyard_test_key_new_ec ("P-384");
  g_autofree char *j1 = lanyard_test_key_to_jwk (rsa, "rsa", NULL, NULL);
  g_autofree char *j2 = lanyard_test_key_to_jwk (p256, "p256", NULL, NULL);
  g_autofree char *j3 = lanyard_test_key_to_jwk (p384, "p384", NULL, NULL);
  g_autofree char *text = lanyard_test_jwks_build (j1, j2, j3, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_new (text);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rsa_algs); i++)
    {
      g_autofree char *header = g_strdup_printf ("{\"alg\":\"%s\",\"kid\":\"rsa\"}", rsa_algs[i]);
      g_autofree char *token = lanyard_test_jws_sign (rsa, rsa_algs[i], header, "{\"n\":1}");
      g_autofree char *flipped = flip_payload (token);

      assert_verify_ok (token, jwks);
      assert_verify_refused (flipped, jwks, "signature does not verify");
    }

  {
    g_autofree char *es256 = lanyard_test_jws_sign (p256, "ES256", "{\"alg\":\"ES256\",\"kid\":\"p256\"}", "{\"n\":1}");
    g_autofree char *es384 = lanyard_test_jws_sign (p384, "ES384", "{\"alg\":\"ES384\",\"kid\":\"p384\"}", "{\"n\":1}");
    /* A PKCS#1 v1.5 signature presented as PSS, and the other way round */
    g_autofree char *rs_as_ps = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"PS256\",\"kid\":\"rsa\"}", "{}");
    g_autofree char *ps_as_rs = lanyard_test_jws_sign (rsa, "PS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\"}", "{}");
    g_autofree char *rs384_as_rs256 = lanyard_test_jws_sign (rsa, "RS384", "{\"alg\":\"RS256\",\"kid\":\"rsa\"}", "{}");

    assert_verify_ok (es256, jwks);
    assert_verify_ok (es384, jwks);
    assert_verify_refused (rs_as_ps, jwks, "signature does not verify");
    assert_verify_refused (ps_as_rs, jwks, "signature does not verify");
    assert_verify_refused (rs384_as_rs256, jwks, "signature does not verify");
  }
}

/* ES signatures are raw R||S of exactly twice the coordinate size. */
static void
test_es_signature_form (void)
{
  g_autoptr(LanyardTestKey) p256 = lanyard_test_key_new_ec ("P-256");
  g_autofree char *jwk = lanyard_test_key_to_jwk (p256, "p256", NULL, NULL);
  g_autofree char *text = lanyard_test_jwks_build (jwk, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_new (text);
  g_autofree char *token = lanyard_test_jws_sign (p256, "ES256", "{\"alg\":\"ES256\"}", "{}");
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GError) error = NULL;
  const char *dot = strrchr (token, '.');
  g_autofree char *input = g_strndup (token, dot - token);
  g_autofree guint8 *longer = NULL;
  g_autofree char *t_long = NULL;
  g_autofree char *t_short = NULL;
  g_autofree char *t_zero = NULL;
  guint8 zeros[64] = { 0 };
  gsize len;

  sig = lanyard_base64url_decode (dot + 1, -1, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (sig);
  g_assert_cmpuint (len, ==, 64);

  longer = g_malloc0 (len + 1);
  memcpy (longer + 1, g_bytes_get_data (sig, NULL), len);
  {
    g_autofree char *enc_long = lanyard_base64url_encode (longer, len + 1);
    g_autofree char *enc_short = lanyard_base64url_encode (longer + 1, len - 1);
    g_autofree char *enc_zero = lanyard_base64url_encode (zeros, sizeof zeros);

    t_long = g_strconcat (input, ".", enc_long, NULL);
    t_short = g_strconcat (input, ".", enc_short, NULL);
    t_zero = g_strconcat (input, ".", enc_zero, NULL);
  }

  assert_verify_ok (token, jwks);
  assert_verify_refused (t_long, jwks, "signature does not verify");
  assert_verify_refused (t_short, jwks, "signature does not verify");
  assert_verify_refused (t_zero, jwks, "signature does not verify");
}

static void
test_malformed (void)
{
  static const char *h = "eyJhbGciOiJSUzI1NiJ9"; /* {"alg":"RS256"} */
  g_autofree char *two = g_strdup_printf ("%s.e30", h);
  g_autofree char *four = g_strdup_printf ("%s.e30.c2ln.c2ln", h);
  g_autofree char *empty_header = g_strdup (".e30.c2ln");
  g_autofree char *empty_sig = g_strdup_printf ("%s.e30.", h);
  g_autofree char *bad_header = g_strdup ("eyJhbGciOiJSUzI1NiJ9=.e30.c2ln");
  g_autofree char *bad_payload = g_strdup_printf ("%s.e30=.c2ln", h);
  g_autofree char *bad_payload2 = g_strdup_printf ("%s.e+30.c2ln", h);
  g_autofree char *bad_sig = g_strdup_printf ("%s.e30.c2l/", h);
  g_autofree char *spaces = g_strdup_printf (" %s.e30.c2ln", h);
  g_autofree char *not_json = lanyard_test_jws_assemble ("alg:RS256", "{}", (const guint8 *) "s", 1);
  g_autofree char *array = lanyard_test_jws_assemble ("[\"RS256\"]", "{}", (const guint8 *) "s", 1);
  g_autofree char *no_alg = lanyard_test_jws_assemble ("{\"typ\":\"JWT\"}", "{}", (const guint8 *) "s", 1);
  g_autofree char *num_alg = lanyard_test_jws_assemble ("{\"alg\":256}", "{}", (const guint8 *) "s", 1);
  g_autofree char *null_alg = lanyard_test_jws_assemble ("{\"alg\":null}", "{}", (const guint8 *) "s", 1);
  g_autofree char *num_kid = lanyard_test_jws_assemble ("{\"alg\":\"RS256\",\"kid\":1}", "{}", (const guint8 *) "s", 1);
  g_autofree char *crit = lanyard_test_jws_assemble ("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}", "{}", (const guint8 *) "s", 1);
  g_autofree char *b64 = lanyard_test_jws_assemble ("{\"alg\":\"RS256\",\"b64\":false,\"crit\":[\"b64\"]}", "{}", (const guint8 *) "s", 1);
  g_autofree char *dup_alg = lanyard_test_jws_assemble ("{\"alg\":\"none\",\"alg\":\"RS256\"}", "{}", (const guint8 *) "s", 1);
  g_autofree char *dup_kid = lanyard_test_jws_assemble ("{\"alg\":\"RS256\",\"kid\":\"a\",\"kid\":\"b\"}", "{}", (const guint8 *) "s", 1);
  g_autofree char *trailing = lanyard_test_jws_assemble ("{\"alg\":\"RS256\"}x", "{}", (const guint8 *) "s", 1);

  assert_parse_refused ("", "three");
  assert_parse_refused ("abc", "three");
  assert_parse_refused (two, "three");
  assert_parse_refused (four, "three");
  assert_parse_refused ("..", "header is empty");
  assert_parse_refused (empty_header, "header is empty");
  assert_parse_refused (empty_sig, "unsigned");
  assert_parse_refused (bad_header, "header is not valid base64url");
  assert_parse_refused (bad_payload, "payload is not valid base64url");
  assert_parse_refused (bad_payload2, "payload is not valid base64url");
  assert_parse_refused (bad_sig, "signature is not valid base64url");
  assert_parse_refused (spaces, "header is not valid base64url");
  assert_parse_refused (not_json, "header is not valid JSON");
  assert_parse_refused (array, "header is not valid JSON");
  assert_parse_refused (no_alg, "no string alg");
  assert_parse_refused (num_alg, "no string alg");
  assert_parse_refused (null_alg, "no string alg");
  assert_parse_refused (num_kid, "kid is not a string");
  assert_parse_refused (crit, "crit");
  assert_parse_refused (b64, "crit");
  assert_parse_refused (dup_alg, "duplicate member name");
  assert_parse_refused (dup_kid, "duplicate member name");
  assert_parse_refused (trailing, "header is not valid JSON");
}

static void
test_huge_token (void)
{
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  GString *payload = g_string_new ("{\"pad\":\"");
  g_autofree char *small = NULL;
  g_autofree char *big = NULL;
  g_autofree char *text G_GNUC_UNUSED = NULL;

  while (payload->len < 40 * 1024)
    g_string_append (payload, "aaaaaaaaaaaaaaaa");
  g_string_append (payload, "\"}");

  /* 40 KiB of JSON is ~54 KiB encoded: fine */
  small = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\"}", payload->str);
  g_assert_cmpuint (strlen (small), <, 64 * 1024);
  lanyard_jws_free (parse_ok (small));

  g_string_insert (payload, 8, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  while (payload->len < 64 * 1024)
    g_string_insert (payload, 8, "cccccccccccccccc");
  big = lanyard_test_jws_sign (rsa, "RS256", "{\"alg\":\"RS256\"}", payload->str);
  g_assert_cmpuint (strlen (big), >, 64 * 1024);
  assert_parse_refused (big, "larger than 64 KiB");

  g_string_free (payload, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/jws/rfc7515-a2-rs256", test_rfc7515_a2_rs256);
  g_test_add_func ("/lanyard/jws/rfc7515-a3-es256", test_rfc7515_a3_es256);
  g_test_add_func ("/lanyard/jws/rfc7520-4-1-rs256", test_rfc7520_4_1_rs256);
  g_test_add_func ("/lanyard/jws/rfc7520-4-3-es512-refused", test_rfc7520_4_3_es512_refused);
  g_test_add_func ("/lanyard/jws/rfc7515-a1-hs256-refused", test_rfc7515_a1_hs256_refused);
  g_test_add_func ("/lanyard/jws/allow-list", test_allow_list);
  g_test_add_func ("/lanyard/jws/alg-none", test_alg_none);
  g_test_add_func ("/lanyard/jws/hs256-with-public-key-as-secret", test_hs256_with_public_key_as_secret);
  g_test_add_func ("/lanyard/jws/key-selection", test_key_selection);
  g_test_add_func ("/lanyard/jws/wrong-key-type", test_verify_with_wrong_key_type);
  g_test_add_func ("/lanyard/jws/short-rsa-key", test_short_rsa_key);
  g_test_add_func ("/lanyard/jws/all-algs-roundtrip", test_all_algs_roundtrip);
  g_test_add_func ("/lanyard/jws/es-signature-form", test_es_signature_form);
  g_test_add_func ("/lanyard/jws/malformed", test_malformed);
  g_test_add_func ("/lanyard/jws/huge-token", test_huge_token);

  return g_test_run ();
}
