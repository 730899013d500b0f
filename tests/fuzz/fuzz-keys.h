/* fuzz-keys.h — the fixed key set of fuzz-jws and fuzz-jwks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Public test keys only: RFC 7515 A.2 (RSA, no kid) and A.3 (EC P-256, no
 * kid; its private half is in the RFC), plus a throwaway P-384 key made for
 * these targets (kid "fuzz-es384"); the private halves of both EC keys are
 * below so that fuzz-jws can sign fuzzed claims. None of them protects
 * anything.
 */
#pragma once

#define FUZZ_ISSUER    "https://login.example.test/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0"
#define FUZZ_CLIENT_ID "6731de76-14a6-49ae-97bc-6eba6914391e"
#define FUZZ_NONCE     "n-0S6_WzA2Mj"

#define FUZZ_JWKS \
  "{\"keys\":[" \
  "{\"kty\":\"RSA\",\"use\":\"sig\"," \
  "\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx" \
  "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs" \
  "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH" \
  "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV" \
  "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8" \
  "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"," \
  "\"e\":\"AQAB\"}," \
  "{\"kty\":\"EC\",\"crv\":\"P-256\"," \
  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}," \
  "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"fuzz-es384\",\"alg\":\"ES384\",\"use\":\"sig\"," \
  "\"x\":\"uc-PqWH89Fr_dq1nJib46j7G77U-Ws66O4QUGxg4iKrROWcdN8v_AkoUSZoyHj2m\"," \
  "\"y\":\"A3wKPfxUL4Sp1XIuzyFwH7qWHxPgQ_agiDIvLWgre8aJaW6EpujtT4Av4tD6_M9k\"}" \
  "]}"

/* The private half of "fuzz-es384". */
#define FUZZ_ES384_PRIVATE_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAkgzBWB8LUuetsZyOk\n" \
  "Sw/5pKWF+tVXqX1IOdSPSddMjdRhdS6SU8KtxSmdoYSr97ShZANiAAS5z4+pYfz0\n" \
  "Wv92rWcmJvjqPsbvtT5azro7hBQbGDiIqtE5Zx03y/8CShRJmjIePaYDfAo9/FQv\n" \
  "hKnVci7PIXAfupYfE+BD9qCIMi8taCt7xolpboSm6O1PgC/i0Pr8z2Q=\n" \
  "-----END PRIVATE KEY-----\n"

/* The private half of RFC 7515 A.3's P-256 key (the set's key without a
 * kid), as printed in the RFC. */
#define FUZZ_ES256_PRIVATE_PEM \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff\n" \
  "H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp\n" \
  "7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt\n" \
  "-----END PRIVATE KEY-----\n"

/* The headers fuzz-jws puts on claims it signs itself. */
#define FUZZ_ES256_HEADER "{\"alg\":\"ES256\",\"typ\":\"JWT\"}"
#define FUZZ_ES384_HEADER "{\"alg\":\"ES384\",\"kid\":\"fuzz-es384\",\"typ\":\"JWT\"}"

/* RFC 7515 A.2 (RS256) and A.3 (ES256), and an ID token signed with "fuzz-es384". */
#define FUZZ_RFC7515_PAYLOAD \
  "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
  "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
#define FUZZ_RS256_JWS \
  "eyJhbGciOiJSUzI1NiJ9." FUZZ_RFC7515_PAYLOAD "." \
  "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7" \
  "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4" \
  "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K" \
  "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv" \
  "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB" \
  "p0igcN_IoypGlUPQGe77Rw"
#define FUZZ_ES256_JWS \
  "eyJhbGciOiJFUzI1NiJ9." FUZZ_RFC7515_PAYLOAD "." \
  "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA" \
  "pmWQxfKTUJqPP3-Kg6NU1Q"
#define FUZZ_ES384_JWS \
  "eyJhbGciOiJFUzM4NCIsImtpZCI6ImZ1enotZXMzODQiLCJ0eXAiOiJKV1QifQ.eyJhdWQiO" \
  "iI2NzMxZGU3Ni0xNGE2LTQ5YWUtOTdiYy02ZWJhNjkxNDM5MWUiLCJpc3MiOiJodHRwczovL" \
  "2xvZ2luLmV4YW1wbGUudGVzdC85MTIyMDQwZC02YzY3LTRjNWItYjExMi0zNmEzMDRiNjZkY" \
  "WQvdjIuMCIsImlhdCI6MTcwMDAwMDAwMCwibmJmIjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwM" \
  "DM2MDAsIm5vbmNlIjoibi0wUzZfV3pBMk1qIiwibmFtZSI6IkFsZXggV2lsYmVyIiwib2lkI" \
  "joiMDAwMDAwMDAtMDAwMC0wMDAwLTY2ZjMtMzMzMmVjYTdlYTgxIiwicHJlZmVycmVkX3VzZ" \
  "XJuYW1lIjoiYWxleEBjb250b3NvLmV4YW1wbGUiLCJzdWIiOiJBQUFBQUFBQUFBQUFBQUFBQ" \
  "UFBQUFJa3pxRlZyU2FTYUZIeTc4MmJidGFRIiwidGlkIjoiOTEyMjA0MGQtNmM2Ny00YzViL" \
  "WIxMTItMzZhMzA0YjY2ZGFkIiwidmVyIjoiMi4wIn0.WGyV79riKaEOxiuriKHWdQUMh0pYr" \
  "P0_6yWrSCYjd3lq2YJQUFp_ODolaAJnZ_P4g1CtzAUOXN6qjsgaXRunpKatkr41hGpTd4E0G" \
  "u0EGTBW3bXjNbMALn4btYqrfBMs"
