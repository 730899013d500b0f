/* lanyard-json.c — strict JSON parsing for what comes from the network or disk
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * json-glib's parser silently keeps the last of duplicate member names and
 * is lenient in places, so this is a small RFC 8259 recursive-descent parser
 * that builds json-glib nodes itself. Whatever it accepts is exactly what the
 * caller sees: one object, no duplicate names (compared after unescaping),
 * bounded depth, valid UTF-8 and nothing after the closing brace.
 */
#define G_LOG_DOMAIN "lanyard-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-json.h"
#include "lanyard-output.h"

#define MAX_DEPTH 32

typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
  char       *why;
} Parser;

static JsonNode *parse_value (Parser *p,
                              guint   depth);

G_GNUC_PRINTF (2, 3)
static void
fail (Parser     *p,
      const char *format,
      ...)
{
  va_list args;

  if (p->why != NULL)
    return;

  va_start (args, format);
  p->why = g_strdup_vprintf (format, args);
  va_end (args);
}

static inline gboolean
at_end (Parser *p)
{
  return p->pos >= p->len;
}

static inline char
peek (Parser *p)
{
  return at_end (p) ? '\0' : p->data[p->pos];
}

static void
skip_ws (Parser *p)
{
  while (!at_end (p))
    {
      char c = p->data[p->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      p->pos++;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Parser   *p,
           gunichar *out)
{
  gunichar v = 0;
  guint i;

  if (p->len - p->pos < 4)
    return FALSE;

  for (i = 0; i < 4; i++)
    {
      int h = hex_value (p->data[p->pos + i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (gunichar) h;
    }

  p->pos += 4;
  *out = v;
  return TRUE;
}

/* Called with p->pos on the opening quote; returns the unescaped string. */
static char *
parse_string (Parser *p)
{
  g_autoptr(GString) out = NULL;
  gsize start = p->pos;
  gsize run;

  g_assert (peek (p) == '"');
  p->pos++;

  /* Most strings have no escape: one copy, no growing buffer. */
  for (run = p->pos; run < p->len; run++)
    {
      guchar c = (guchar) p->data[run];

      if (c == '"')
        {
          char *plain = g_strndup (p->data + p->pos, run - p->pos);

          p->pos = run + 1;
          return plain;
        }
      if (c == '\\' || c < 0x20)
        break;
    }

  out = g_string_sized_new (run - p->pos + 16);
  g_string_append_len (out, p->data + p->pos, run - p->pos);
  p->pos = run;

  for (;;)
    {
      guchar c;

      if (at_end (p))
        {
          fail (p, "unterminated string starting at byte %" G_GSIZE_FORMAT, start);
          return NULL;
        }

      c = (guchar) p->data[p->pos];

      if (c == '"')
        {
          p->pos++;
          break;
        }

      if (c < 0x20)
        {
          fail (p, "unescaped control character at byte %" G_GSIZE_FORMAT, p->pos);
          return NULL;
        }

      if (c != '\\')
        {
          /* The whole input was UTF-8 validated up front: copy the run of
           * plain bytes up to the next quote, escape or control byte. */
          run = p->pos + 1;
          while (run < p->len && p->data[run] != '"' && p->data[run] != '\\' &&
                 (guchar) p->data[run] >= 0x20)
            run++;
          g_string_append_len (out, p->data + p->pos, run - p->pos);
          p->pos = run;
          continue;
        }

      p->pos++;
      if (at_end (p))
        {
          fail (p, "unterminated string starting at byte %" G_GSIZE_FORMAT, start);
          return NULL;
        }

      switch (p->data[p->pos++])
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gsize esc = p->pos - 2;
            gunichar cp;

            if (!read_hex4 (p, &cp))
              {
                fail (p, "bad \\u escape at byte %" G_GSIZE_FORMAT, esc);
                return NULL;
              }

            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                gunichar lo;

                if (p->len - p->pos < 2 ||
                    p->data[p->pos] != '\\' || p->data[p->pos + 1] != 'u')
                  {
                    fail (p, "lone surrogate at byte %" G_GSIZE_FORMAT, esc);
                    return NULL;
                  }
                p->pos += 2;
                if (!read_hex4 (p, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                  {
                    fail (p, "lone surrogate at byte %" G_GSIZE_FORMAT, esc);
                    return NULL;
                  }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              }
            else if (cp >= 0xDC00 && cp <= 0xDFFF)
              {
                fail (p, "lone surrogate at byte %" G_GSIZE_FORMAT, esc);
                return NULL;
              }
            else if (cp == 0)
              {
                /* json-glib keeps strings as C strings: "a\u0000b" would
                 * silently become "a" and could collide with another name. */
                fail (p, "\\u0000 at byte %" G_GSIZE_FORMAT, esc);
                return NULL;
              }

            g_string_append_unichar (out, cp);
          }
          break;
        default:
          fail (p, "bad escape at byte %" G_GSIZE_FORMAT, p->pos - 2);
          return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
skip_digits (Parser *p)
{
  gsize start = p->pos;

  while (!at_end (p) && g_ascii_isdigit (p->data[p->pos]))
    p->pos++;

  return p->pos > start;
}

static JsonNode *
parse_number (Parser *p)
{
  g_autofree char *text = NULL;
  gsize start = p->pos;
  gboolean integral = TRUE;
  JsonNode *node;

  if (peek (p) == '-')
    p->pos++;

  if (peek (p) == '0')
    {
      p->pos++;
      if (g_ascii_isdigit (peek (p)))
        {
          fail (p, "number with a leading zero at byte %" G_GSIZE_FORMAT, start);
          return NULL;
        }
    }
  else if (!skip_digits (p))
    {
      fail (p, "bad number at byte %" G_GSIZE_FORMAT, start);
      return NULL;
    }

  if (peek (p) == '.')
    {
      integral = FALSE;
      p->pos++;
      if (!skip_digits (p))
        {
          fail (p, "bad number at byte %" G_GSIZE_FORMAT, start);
          return NULL;
        }
    }

  if (peek (p) == 'e' || peek (p) == 'E')
    {
      integral = FALSE;
      p->pos++;
      if (peek (p) == '+' || peek (p) == '-')
        p->pos++;
      if (!skip_digits (p))
        {
          fail (p, "bad number at byte %" G_GSIZE_FORMAT, start);
          return NULL;
        }
    }

  text = g_strndup (p->data + start, p->pos - start);
  node = json_node_new (JSON_NODE_VALUE);

  if (integral)
    {
      char *end = NULL;
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && end != NULL && *end == '\0')
        {
          json_node_set_int (node, v);
          return node;
        }
      /* Too big for gint64: fall back to a double, as json-glib does. */
    }

  {
    double d = g_ascii_strtod (text, NULL);

    if (!isfinite (d))
      {
        json_node_unref (node);
        fail (p, "number out of range at byte %" G_GSIZE_FORMAT, start);
        return NULL;
      }
    json_node_set_double (node, d);
  }

  return node;
}

static gboolean
parse_literal (Parser     *p,
               const char *word)
{
  gsize n = strlen (word);

  if (p->len - p->pos < n || memcmp (p->data + p->pos, word, n) != 0)
    return FALSE;

  p->pos += n;
  return TRUE;
}

static JsonObject *
parse_object (Parser *p,
              guint   depth)
{
  g_autoptr(JsonObject) object = NULL;

  g_assert (peek (p) == '{');

  if (depth > MAX_DEPTH)
    {
      fail (p, "nested deeper than %d at byte %" G_GSIZE_FORMAT, MAX_DEPTH, p->pos);
      return NULL;
    }

  object = json_object_new ();
  p->pos++;
  skip_ws (p);

  if (peek (p) == '}')
    {
      p->pos++;
      return g_steal_pointer (&object);
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      gsize name_pos;
      JsonNode *value;

      skip_ws (p);
      name_pos = p->pos;
      if (peek (p) != '"')
        {
          fail (p, "expected a member name at byte %" G_GSIZE_FORMAT, p->pos);
          return NULL;
        }

      if (!(name = parse_string (p)))
        return NULL;

      if (json_object_has_member (object, name))
        {
          fail (p, "duplicate member name at byte %" G_GSIZE_FORMAT, name_pos);
          return NULL;
        }

      skip_ws (p);
      if (peek (p) != ':')
        {
          fail (p, "expected ':' at byte %" G_GSIZE_FORMAT, p->pos);
          return NULL;
        }
      p->pos++;

      if (!(value = parse_value (p, depth)))
        return NULL;
      json_object_set_member (object, name, value);

      skip_ws (p);
      if (peek (p) == ',')
        {
          p->pos++;
          continue;
        }
      if (peek (p) == '}')
        {
          p->pos++;
          return g_steal_pointer (&object);
        }

      fail (p, "expected ',' or '}' at byte %" G_GSIZE_FORMAT, p->pos);
      return NULL;
    }
}

static JsonArray *
parse_array (Parser *p,
             guint   depth)
{
  g_autoptr(JsonArray) array = NULL;

  g_assert (peek (p) == '[');

  if (depth > MAX_DEPTH)
    {
      fail (p, "nested deeper than %d at byte %" G_GSIZE_FORMAT, MAX_DEPTH, p->pos);
      return NULL;
    }

  array = json_array_new ();
  p->pos++;
  skip_ws (p);

  if (peek (p) == ']')
    {
      p->pos++;
      return g_steal_pointer (&array);
    }

  for (;;)
    {
      JsonNode *value;

      if (!(value = parse_value (p, depth)))
        return NULL;
      json_array_add_element (array, value);

      skip_ws (p);
      if (peek (p) == ',')
        {
          p->pos++;
          continue;
        }
      if (peek (p) == ']')
        {
          p->pos++;
          return g_steal_pointer (&array);
        }

      fail (p, "expected ',' or ']' at byte %" G_GSIZE_FORMAT, p->pos);
      return NULL;
    }
}

/* @depth is the nesting of the container the value sits in. */
static JsonNode *
parse_value (Parser *p,
             guint   depth)
{
  JsonNode *node;
  char c;

  skip_ws (p);
  c = peek (p);

  if (at_end (p))
    {
      fail (p, "unexpected end at byte %" G_GSIZE_FORMAT, p->pos);
      return NULL;
    }

  if (c == '{')
    {
      JsonObject *object = parse_object (p, depth + 1);

      if (object == NULL)
        return NULL;
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, object);
      return node;
    }

  if (c == '[')
    {
      JsonArray *array = parse_array (p, depth + 1);

      if (array == NULL)
        return NULL;
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }

  if (c == '"')
    {
      g_autofree char *str = parse_string (p);

      if (str == NULL)
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, str);
      return node;
    }

  if (c == '-' || g_ascii_isdigit (c))
    return parse_number (p);

  if (parse_literal (p, "true"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, TRUE);
      return node;
    }

  if (parse_literal (p, "false"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, FALSE);
      return node;
    }

  if (parse_literal (p, "null"))
    return json_node_new (JSON_NODE_NULL);

  fail (p, "unexpected character at byte %" G_GSIZE_FORMAT, p->pos);
  return NULL;
}

JsonObject *
lanyard_json_parse_object (const char    *data,
                           gssize         len,
                           const char    *what,
                           LanyardError   code,
                           GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  Parser p = { 0 };
  const char *bad = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (what == NULL)
    what = "Data";

  p.data = data;
  p.len = len < 0 ? strlen (data) : (gsize) len;

  if (p.len == 0)
    {
      fail (&p, "empty");
      goto out;
    }

  /* This also refuses NUL bytes, which JSON never allows unescaped. */
  if (!g_utf8_validate_len (data, p.len, &bad))
    {
      fail (&p, "invalid UTF-8 at byte %" G_GSIZE_FORMAT, (gsize) (bad - data));
      goto out;
    }

  skip_ws (&p);
  if (peek (&p) != '{')
    {
      fail (&p, "not an object");
      goto out;
    }

  object = parse_object (&p, 1);
  if (object == NULL)
    goto out;

  skip_ws (&p);
  if (!at_end (&p))
    {
      fail (&p, "unexpected data after the object at byte %" G_GSIZE_FORMAT, p.pos);
      g_clear_pointer (&object, json_object_unref);
    }

out:
  if (object == NULL)
    {
      g_assert (p.why != NULL);
      g_set_error (error, LANYARD_ERROR, code, _("%s is not valid JSON: %s"), what, p.why);
      g_free (p.why);
      return NULL;
    }

  g_assert (p.why == NULL);
  return g_steal_pointer (&object);
}

/* Characters a terminal or a text view could be fooled by: C0 and C1
 * controls, DEL, and the bidi overrides and isolates. In JSON they are
 * written as \u escapes, which every parser reads back as the same text. */
gboolean
lanyard_json_is_hostile_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static void
write_string (GString    *out,
              const char *text)
{
  g_autofree char *valid = NULL;

  /* Parsed text is valid UTF-8 already; text set by hand may not be. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      text = valid;
    }

  g_string_append_c (out, '"');

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (lanyard_json_is_hostile_char (c))
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }

  g_string_append_c (out, '"');
}

/* @indent < 0: compact; else pretty, at this depth (two spaces a level). */
static void
write_newline (GString *out,
               int      indent)
{
  if (indent < 0)
    return;

  g_string_append_c (out, '\n');
  for (int i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            int       indent)
{
  int inner = indent < 0 ? -1 : indent + 1;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_newline (out, inner);
            write_string (out, name);
            g_string_append (out, indent < 0 ? ":" : ": ");
            write_node (out, member, inner);
          }
        if (!first)
          write_newline (out, indent);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint len = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_newline (out, inner);
            write_node (out, json_array_get_element (array, i), inner);
          }
        if (len > 0)
          write_newline (out, indent);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double d = json_node_get_double (node);

            /* The parser never makes a non-finite one; JSON has no such number. */
            if (!isfinite (d))
              {
                g_string_append (out, "null");
                break;
              }

            g_ascii_dtostr (buf, sizeof buf, d);
            g_string_append (out, buf);
            /* "3" would come back as an integer */
            if (strpbrk (buf, ".eE") == NULL)
              g_string_append (out, ".0");
          }
          break;

        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;

        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;

        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
lanyard_json_to_string (JsonNode *node)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  write_node (out, node, -1);

  return g_string_free (out, FALSE);
}

/**
 * lanyard_output_json:
 * @node: the JSON tree to write
 * @pretty: whether to indent (two spaces a level), for people
 *
 * Writes @node as JSON text that any JSON parser reads back as the same
 * tree (json-glib's generator writes 1e22 as "1e+22.0"), with the
 * characters lanyard_clean_text() replaces written as \u escapes, so that
 * the text can go to a terminal as it is.
 *
 * Returns: (transfer full): the JSON text
 */
char *
lanyard_output_json (JsonNode *node,
                    gboolean  pretty)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  write_node (out, node, pretty ? 0 : -1);

  return g_string_free (out, FALSE);
}

static JsonNode *
get_value_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  return node;
}

const char *
lanyard_json_get_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_value_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
lanyard_json_get_int (JsonObject *object,
                      const char *member,
                      gint64     *out_value)
{
  JsonNode *node = get_value_member (object, member);
  GType type;

  if (node == NULL)
    return FALSE;

  type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    {
      if (out_value != NULL)
        *out_value = json_node_get_int (node);
      return TRUE;
    }

  /* 3600.0 or 1e3 are still whole numbers; 1.5 or 1e300 are not. */
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (isfinite (d) && d == floor (d) &&
          d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        {
          if (out_value != NULL)
            *out_value = (gint64) d;
          return TRUE;
        }
    }

  return FALSE;
}
