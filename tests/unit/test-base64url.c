/* test-base64url.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-base64url"

#include "config.h"

#include <string.h>

#include "lanyard-base64url.h"
#include "lanyard-error.h"
#include "lanyard-test-utils.h"

static void
assert_decodes_to (const char   *text,
                   const guint8 *expected,
                   gsize         expected_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lanyard_base64url_decode (text, -1, &error);
  gsize len = 0;
  const guint8 *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

static void
assert_refused (const char *text,
                gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lanyard_base64url_decode (text, len, &error);

  g_assert_null (bytes);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
}

/* RFC 4648 §10, with the padding dropped as base64url in JOSE does. */
static void
test_rfc4648_vectors (void)
{
  static const struct {
    const char *plain;
    const char *encoded;
  } vectors[] = {
    { "", "" },
    { "f", "Zg" },
    { "fo", "Zm8" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg" },
    { "fooba", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *encoded = lanyard_base64url_encode ((const guint8 *) vectors[i].plain,
                                                           strlen (vectors[i].plain));

      g_assert_cmpstr (encoded, ==, vectors[i].encoded);
      assert_decodes_to (vectors[i].encoded, (const guint8 *) vectors[i].plain,
                         strlen (vectors[i].plain));
    }
}

/* The two characters that differ from standard base64: '-' and '_'. */
static void
test_url_alphabet (void)
{
  static const guint8 bytes[] = { 0xfb, 0xff, 0xbf, 0xf8 };
  g_autofree char *encoded = lanyard_base64url_encode (bytes, sizeof bytes);

  g_assert_cmpstr (encoded, ==, "-_-_-A");
  assert_decodes_to ("-_-_-A", bytes, sizeof bytes);
}

static void
test_roundtrip (void)
{
  guint8 buf[70];
  gsize len;

  for (len = 0; len < sizeof buf; len++)
    {
      g_autofree char *encoded = NULL;
      gsize i;

      for (i = 0; i < len; i++)
        buf[i] = (guint8) g_test_rand_int_range (0, 256);

      encoded = lanyard_base64url_encode (buf, len);
      g_assert_cmpuint (strlen (encoded), ==, (len * 4 + 2) / 3);
      g_assert_null (strchr (encoded, '='));
      assert_decodes_to (encoded, buf, len);
    }
}

static void
test_refuses_padding (void)
{
  assert_refused ("Zg==", -1);
  assert_refused ("Zm8=", -1);
  assert_refused ("Zm9v====", -1);
  assert_refused ("=", -1);
}

static void
test_refuses_standard_alphabet (void)
{
  assert_refused ("+_-_", -1);
  assert_refused ("-_-/", -1);
  assert_refused ("ab+c", -1);
}

static void
test_refuses_whitespace (void)
{
  assert_refused ("Zm9v Yg", -1);
  assert_refused ("Zm9v\nYg", -1);
  assert_refused (" Zm9v", -1);
  assert_refused ("Zm9v\t", -1);
  assert_refused ("Zm9v\r\n", -1);
}

static void
test_refuses_impossible_length (void)
{
  assert_refused ("Z", -1);
  assert_refused ("Zm9vY", -1);
}

/* "Zh" would also decode to "f" if the unused bits were ignored. */
static void
test_refuses_non_canonical (void)
{
  assert_refused ("Zh", -1);
  assert_refused ("Zm9", -1);
  assert_decodes_to ("Zm8", (const guint8 *) "fo", 2);
}

static void
test_explicit_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lanyard_base64url_decode ("Zm9vYmFy", 4, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "foo", 3);

  /* A NUL inside the given length is just another bad character. */
  assert_refused ("Zm\0v", 4);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/base64url/rfc4648-vectors", test_rfc4648_vectors);
  g_test_add_func ("/lanyard/base64url/url-alphabet", test_url_alphabet);
  g_test_add_func ("/lanyard/base64url/roundtrip", test_roundtrip);
  g_test_add_func ("/lanyard/base64url/refuses-padding", test_refuses_padding);
  g_test_add_func ("/lanyard/base64url/refuses-standard-alphabet", test_refuses_standard_alphabet);
  g_test_add_func ("/lanyard/base64url/refuses-whitespace", test_refuses_whitespace);
  g_test_add_func ("/lanyard/base64url/refuses-impossible-length", test_refuses_impossible_length);
  g_test_add_func ("/lanyard/base64url/refuses-non-canonical", test_refuses_non_canonical);
  g_test_add_func ("/lanyard/base64url/explicit-length", test_explicit_length);

  return g_test_run ();
}
