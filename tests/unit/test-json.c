/* test-json.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-json"

#include "config.h"

#include <string.h>

#include "lanyard-json.h"
#include "lanyard-output.h"
#include "lanyard-test-utils.h"

static JsonObject *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = lanyard_json_parse_object (text, -1, "Test", LANYARD_ERROR_INVALID_RESPONSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

/* Returns the error message for checks on its wording. */
static char *
parse_refused_len (const char *text,
                   gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = lanyard_json_parse_object (text, len, "Test", LANYARD_ERROR_INVALID_TOKEN, &error);

  g_assert_null (object);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  g_assert_true (g_str_has_prefix (error->message, "Test is not valid JSON: "));
  return g_strdup (error->message);
}

static void
assert_refused (const char *text,
                const char *why)
{
  g_autofree char *message = parse_refused_len (text, -1);

  if (why != NULL && strstr (message, why) == NULL)
    g_error ("“%s” refused with “%s”, expected “%s”", text, message, why);
}

static void
test_valid (void)
{
  g_autoptr(JsonObject) o =
    parse_ok (" {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\", \"i\": -42, \"big\": 12345678901234567890,"
              " \"d\": 1.5e2, \"t\": true, \"f\": false, \"n\": null,"
              " \"a\": [1, \"x\", [], {}], \"o\": {\"k\": {\"k\": 1}}, \"e\": \"\", \"é\": 1}\r\n\t ");
  JsonArray *a;
  gint64 v = 0;

  g_assert_cmpstr (lanyard_json_get_string (o, "s"), ==, "a\"b\\c/d\né😀");
  g_assert_cmpstr (lanyard_json_get_string (o, "e"), ==, "");
  g_assert_true (lanyard_json_get_int (o, "i", &v));
  g_assert_cmpint (v, ==, -42);
  g_assert_true (lanyard_json_get_int (o, "d", &v));
  g_assert_cmpint (v, ==, 150);
  g_assert_true (lanyard_json_get_int (o, "é", &v));
  g_assert_false (lanyard_json_get_int (o, "big", &v));
  g_assert_true (json_object_get_boolean_member (o, "t"));
  g_assert_false (json_object_get_boolean_member (o, "f"));
  g_assert_true (json_object_get_null_member (o, "n"));
  a = json_object_get_array_member (o, "a");
  g_assert_cmpuint (json_array_get_length (a), ==, 4);
  g_assert_nonnull (json_object_get_object_member (json_object_get_object_member (o, "o"), "k"));

  {
    g_autoptr(JsonObject) empty = parse_ok ("{}");
    g_assert_cmpuint (json_object_get_size (empty), ==, 0);
  }
}

static void
test_duplicates (void)
{
  assert_refused ("{\"a\":1,\"a\":2}", "duplicate member name");
  assert_refused ("{\"a\":1,\"b\":{\"c\":1,\"c\":1}}", "duplicate member name");
  assert_refused ("{\"a\":[{\"x\":1,\"y\":2,\"x\":3}]}", "duplicate member name");
  /* The same name spelt differently is still the same name. */
  assert_refused ("{\"a\":1,\"\\u0061\":2}", "duplicate member name");
  assert_refused ("{\"é\":1,\"\\u00e9\":2}", "duplicate member name");
  assert_refused ("{\"/\":1,\"\\/\":2}", "duplicate member name");

  /* The same name in different objects is fine. */
  {
    g_autoptr(JsonObject) o = parse_ok ("{\"a\":{\"a\":1},\"b\":{\"a\":2},\"c\":[{\"a\":1},{\"a\":2}]}");
    g_assert_cmpuint (json_object_get_size (o), ==, 3);
  }
}

/* An object holding arrays nested so that the whole is @depth deep. */
static char *
nested_arrays (guint depth)
{
  GString *s = g_string_new ("{\"x\":");
  guint i;

  for (i = 1; i < depth; i++)
    g_string_append_c (s, '[');
  g_string_append_c (s, '1');
  for (i = 1; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

static char *
nested_objects (guint depth)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append (s, "{\"k\":");
  g_string_append_c (s, '1');
  for (i = 0; i < depth; i++)
    g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *arrays_ok = nested_arrays (32);
  g_autofree char *arrays_deep = nested_arrays (33);
  g_autofree char *objects_ok = nested_objects (32);
  g_autofree char *objects_deep = nested_objects (33);

  json_object_unref (parse_ok (arrays_ok));
  assert_refused (arrays_deep, "nested deeper than 32");
  json_object_unref (parse_ok (objects_ok));
  assert_refused (objects_deep, "nested deeper than 32");
}

static void
test_utf8 (void)
{
  assert_refused ("{\"a\":\"\xff\"}", "invalid UTF-8");
  assert_refused ("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8");       /* overlong '/' */
  assert_refused ("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8");   /* encoded surrogate */
  assert_refused ("{\"\xe2\x82\":1}", "invalid UTF-8");           /* truncated */

  /* An embedded NUL inside the given length */
  {
    g_autofree char *message = parse_refused_len ("{\"a\":\"b\0\"}", 9);
    g_assert_nonnull (strstr (message, "invalid UTF-8"));
  }
}

static void
test_trailing (void)
{
  assert_refused ("{} {}", "after the object");
  assert_refused ("{}x", "after the object");
  assert_refused ("{}}", "after the object");
  assert_refused ("{},", "after the object");
  json_object_unref (parse_ok ("\n{}\n"));

  /* @len limits what is read: the rest is not looked at */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) o = lanyard_json_parse_object ("{\"a\":1}garbage", 7, "Test",
                                                         LANYARD_ERROR_INVALID_RESPONSE, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (o, "a"));
  }
}

static void
test_not_an_object (void)
{
  assert_refused ("[]", "not an object");
  assert_refused ("\"s\"", "not an object");
  assert_refused ("1", "not an object");
  assert_refused ("null", "not an object");
  assert_refused ("", "empty");
  assert_refused ("   ", "not an object");
}

static void
test_grammar (void)
{
  static const char *bad[] = {
    "{\"a\":1,}",
    "{\"a\":[1,]}",
    "{\"a\":[1 2]}",
    "{,}",
    "{'a':1}",
    "{a:1}",
    "{\"a\" 1}",
    "{\"a\":}",
    "{\"a\"",
    "{\"a\":1",
    "{\"a\":01}",
    "{\"a\":-}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":1e}",
    "{\"a\":+1}",
    "{\"a\":NaN}",
    "{\"a\":Infinity}",
    "{\"a\":tru}",
    "{\"a\":True}",
    "{\"a\":nul}",
    "{\"a\":1 /* c */}",
    "{\"a\":\"x\ny\"}",
    "{\"a\":\"x\ty\"}",
    "{\"a\":\"\\x\"}",
    "{\"a\":\"\\u12\"}",
    "{\"a\":\"\\u12g4\"}",
    "{\"a\":\"\\ud800\"}",
    "{\"a\":\"\\ud800\\u0041\"}",
    "{\"a\":\"\\udc00\"}",
    "{\"a\":\"\\u0000\"}",
    "{\"a\\u0000b\":1}",
    "{\"a\":1e999}",
    "{\"a\":\"unterminated}",
    "\xef\xbb\xbf{}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], NULL);

  /* Numbers that are fine */
  {
    g_autoptr(JsonObject) o = parse_ok ("{\"a\":0,\"b\":-0,\"c\":1E+2,\"d\":1e-2,\"e\":-0.0}");
    g_assert_cmpuint (json_object_get_size (o), ==, 5);
  }
}

/* The message must never quote the input: it may hold a token. */
static void
test_message_does_not_quote_input (void)
{
  static const char secret[] = "s3cr3t-refresh-token-value";
  g_autofree char *dup = g_strdup_printf ("{\"refresh_token\":\"%s\",\"refresh_token\":\"%s\"}", secret, secret);
  g_autofree char *bad = g_strdup_printf ("{\"refresh_token\":\"%s\" \"x\":1}", secret);
  g_autofree char *m1 = parse_refused_len (dup, -1);
  g_autofree char *m2 = parse_refused_len (bad, -1);

  g_assert_null (strstr (m1, secret));
  g_assert_null (strstr (m1, "refresh_token"));
  g_assert_null (strstr (m2, secret));
}

static void
test_typed_access (void)
{
  g_autoptr(JsonObject) o =
    parse_ok ("{\"s\":\"x\",\"i\":7,\"d\":3600.0,\"f\":1.5,\"huge\":1e300,\"b\":true,\"n\":null,"
              "\"a\":[1],\"o\":{},\"is\":\"7\",\"max\":9223372036854775807,\"min\":-9223372036854775808}");
  gint64 v = 0;

  g_assert_cmpstr (lanyard_json_get_string (o, "s"), ==, "x");
  g_assert_null (lanyard_json_get_string (o, "i"));
  g_assert_null (lanyard_json_get_string (o, "b"));
  g_assert_null (lanyard_json_get_string (o, "n"));
  g_assert_null (lanyard_json_get_string (o, "a"));
  g_assert_null (lanyard_json_get_string (o, "o"));
  g_assert_null (lanyard_json_get_string (o, "missing"));

  g_assert_true (lanyard_json_get_int (o, "i", &v));
  g_assert_cmpint (v, ==, 7);
  g_assert_true (lanyard_json_get_int (o, "d", &v));
  g_assert_cmpint (v, ==, 3600);
  g_assert_true (lanyard_json_get_int (o, "max", &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (lanyard_json_get_int (o, "min", &v));
  g_assert_cmpint (v, ==, G_MININT64);
  g_assert_true (lanyard_json_get_int (o, "i", NULL));

  v = 99;
  g_assert_false (lanyard_json_get_int (o, "f", &v));
  g_assert_false (lanyard_json_get_int (o, "huge", &v));
  g_assert_false (lanyard_json_get_int (o, "s", &v));
  g_assert_false (lanyard_json_get_int (o, "is", &v));
  g_assert_false (lanyard_json_get_int (o, "b", &v));
  g_assert_false (lanyard_json_get_int (o, "n", &v));
  g_assert_false (lanyard_json_get_int (o, "a", &v));
  g_assert_false (lanyard_json_get_int (o, "o", &v));
  g_assert_false (lanyard_json_get_int (o, "missing", &v));
  g_assert_cmpint (v, ==, 99);
}

static void
test_error_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = lanyard_json_parse_object ("[", -1, "Discovery document",
                                                       LANYARD_ERROR_INVALID_RESPONSE, &error);

  g_assert_null (o);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "Discovery document is not valid JSON: "));
}

/* Pretty output for people, read back as the same tree; 1e22 stays a number. */
static void
test_write_pretty (void)
{
  static const char input[] =
    "{\"a\":1e22,\"b\":[1,2.5,\"x\",[],{}],\"c\":{\"d\":true,\"e\":null},\"f\":-3}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = lanyard_json_parse_object (input, -1, "test", LANYARD_ERROR_FAILED, &error);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *compact_again = NULL;
  g_autoptr(JsonNode) node_again = json_node_new (JSON_NODE_OBJECT);

  g_assert_no_error (error);
  json_node_set_object (node, object);
  pretty = lanyard_output_json (node, TRUE);
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"a\": 1e+22,\n"
                   "  \"b\": [\n"
                   "    1,\n"
                   "    2.5,\n"
                   "    \"x\",\n"
                   "    [],\n"
                   "    {}\n"
                   "  ],\n"
                   "  \"c\": {\n"
                   "    \"d\": true,\n"
                   "    \"e\": null\n"
                   "  },\n"
                   "  \"f\": -3\n"
                   "}");

  again = lanyard_json_parse_object (pretty, -1, "test", LANYARD_ERROR_FAILED, &error);
  g_assert_no_error (error);
  json_node_set_object (node_again, again);
  compact = lanyard_output_json (node, FALSE);
  compact_again = lanyard_json_to_string (node_again);
  g_assert_cmpstr (compact, ==, compact_again);
  g_assert_cmpstr (compact, ==, "{\"a\":1e+22,\"b\":[1,2.5,\"x\",[],{}],\"c\":{\"d\":true,\"e\":null},\"f\":-3}");
}

/* Controls and bidi overrides are escaped, so JSON output is safe on a
 * terminal and still says exactly what the provider sent. */
static void
test_write_hostile (void)
{
  static const char text[] = "a\x1b[2J\x07\x7f\xc2\x9b\xe2\x80\xae" "b\xe2\x81\xa9\t\"\\\xc3\xa9\xe2\x80\x8f";
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  json_node_set_string (node, text);
  json_object_set_member (object, "t", g_steal_pointer (&node));
  json_node_set_object (wrapper, object);
  json = lanyard_output_json (wrapper, FALSE);
  /* é and U+200F (a mark, not an override) stay as they are. */
  g_assert_cmpstr (json, ==,
                   "{\"t\":\"a\\u001b[2J\\u0007\\u007f\\u009b\\u202eb\\u2069\\t\\\"\\\\\xc3\xa9\xe2\x80\x8f\"}");

  back = lanyard_json_parse_object (json, -1, "test", LANYARD_ERROR_FAILED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_json_get_string (back, "t"), ==, text);
}

static void
test_clean_text (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "Ada Lovelace", "Ada Lovelace" },
    { "u\x1b[1Aser", "u\xef\xbf\xbd[1Aser" },
    { "t\x1b]0;owned\x07", "t\xef\xbf\xbd]0;owned\xef\xbf\xbd" },
    { "x\xc2\x9b" "31m\x7f", "x\xef\xbf\xbd" "31m\xef\xbf\xbd" },
    { "\xe2\x80\xaagnp.exe\xe2\x80\xac", "\xef\xbf\xbdgnp.exe\xef\xbf\xbd" },
    { "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "\xe2\x80\xab\xe2\x80\xad\xe2\x80\xae", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "a\tb\nc\rd", "a b c d" },
    { "bad \xff utf8", "bad \xef\xbf\xbd utf8" },
    { "\xc3\xa9\xe2\x80\x8f\xe2\x80\xa9\xe2\x81\xaa", "\xc3\xa9\xe2\x80\x8f\xe2\x80\xa9\xe2\x81\xaa" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = lanyard_clean_text (cases[i].in);

      g_assert_cmpstr (clean, ==, cases[i].out);
    }

  g_assert_null (lanyard_clean_text (NULL));
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/json/write-pretty", test_write_pretty);
  g_test_add_func ("/lanyard/json/write-hostile", test_write_hostile);
  g_test_add_func ("/lanyard/output/clean-text", test_clean_text);
  g_test_add_func ("/lanyard/json/valid", test_valid);
  g_test_add_func ("/lanyard/json/duplicates", test_duplicates);
  g_test_add_func ("/lanyard/json/depth", test_depth);
  g_test_add_func ("/lanyard/json/utf8", test_utf8);
  g_test_add_func ("/lanyard/json/trailing", test_trailing);
  g_test_add_func ("/lanyard/json/not-an-object", test_not_an_object);
  g_test_add_func ("/lanyard/json/grammar", test_grammar);
  g_test_add_func ("/lanyard/json/message-does-not-quote-input", test_message_does_not_quote_input);
  g_test_add_func ("/lanyard/json/typed-access", test_typed_access);
  g_test_add_func ("/lanyard/json/error-code", test_error_code);

  return g_test_run ();
}
