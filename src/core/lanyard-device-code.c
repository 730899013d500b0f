/* lanyard-device-code.c — what the user needs to approve a device sign-in
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-device-code"

#include "config.h"

#include "lanyard-device-code.h"

struct _LanyardDeviceCode
{
  GObject  parent_instance;

  char    *user_code;
  char    *verification_uri;
  char    *verification_uri_complete;
  gint64   expires_at;
  guint    interval;
};

G_DEFINE_FINAL_TYPE (LanyardDeviceCode, lanyard_device_code, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER_CODE,
  PROP_VERIFICATION_URI,
  PROP_VERIFICATION_URI_COMPLETE,
  PROP_EXPIRES_AT,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lanyard_device_code_finalize (GObject *object)
{
  LanyardDeviceCode *self = (LanyardDeviceCode *) object;

  g_free (self->user_code);
  g_free (self->verification_uri);
  g_free (self->verification_uri_complete);

  G_OBJECT_CLASS (lanyard_device_code_parent_class)->finalize (object);
}

static void
lanyard_device_code_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LanyardDeviceCode *self = LANYARD_DEVICE_CODE (object);

  switch (prop_id)
    {
    case PROP_USER_CODE:
      g_value_set_string (value, self->user_code);
      break;
    case PROP_VERIFICATION_URI:
      g_value_set_string (value, self->verification_uri);
      break;
    case PROP_VERIFICATION_URI_COMPLETE:
      g_value_set_string (value, self->verification_uri_complete);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_device_code_class_init (LanyardDeviceCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lanyard_device_code_finalize;
  object_class->get_property = lanyard_device_code_get_property;

  /**
   * LanyardDeviceCode:user-code:
   *
   * The code the user types on the other device.
   */
  properties[PROP_USER_CODE] =
    g_param_spec_string ("user-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LanyardDeviceCode:verification-uri:
   *
   * Where the user types the code.
   */
  properties[PROP_VERIFICATION_URI] =
    g_param_spec_string ("verification-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LanyardDeviceCode:verification-uri-complete:
   *
   * The verification page with the code in it, or %NULL.
   */
  properties[PROP_VERIFICATION_URI_COMPLETE] =
    g_param_spec_string ("verification-uri-complete", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LanyardDeviceCode:expires-at:
   *
   * When the code expires, in seconds since the Unix epoch.
   */
  properties[PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LanyardDeviceCode:interval:
   *
   * The seconds between polls.
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, 5,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_device_code_init (LanyardDeviceCode *self)
{
}

/**
 * lanyard_device_code_new:
 * @user_code: the code the user types on the other device
 * @verification_uri: where to type it
 * @verification_uri_complete: (nullable): the same page with the code in it
 * @expires_at: when the code expires, in seconds since the epoch
 * @interval: the seconds between polls the provider asked for
 *
 * What a device authorization response said, for a UI to show; the client
 * makes these, and tests and custom UIs may too.
 *
 * Returns: (transfer full): a new #LanyardDeviceCode
 */
LanyardDeviceCode *
lanyard_device_code_new (const char *user_code,
                         const char *verification_uri,
                         const char *verification_uri_complete,
                         gint64      expires_at,
                         guint       interval)
{
  LanyardDeviceCode *self;

  g_return_val_if_fail (user_code != NULL, NULL);
  g_return_val_if_fail (verification_uri != NULL, NULL);

  self = g_object_new (LANYARD_TYPE_DEVICE_CODE, NULL);
  self->user_code = g_strdup (user_code);
  self->verification_uri = g_strdup (verification_uri);
  self->verification_uri_complete = g_strdup (verification_uri_complete);
  self->expires_at = expires_at;
  self->interval = interval;

  return self;
}

/**
 * lanyard_device_code_get_user_code:
 * @self: a #LanyardDeviceCode
 *
 * The code the user types on the other device.
 *
 * Returns: (transfer none): the user code
 */
const char *
lanyard_device_code_get_user_code (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), NULL);
  return self->user_code;
}

/**
 * lanyard_device_code_get_verification_uri:
 * @self: a #LanyardDeviceCode
 *
 * The page where the user types the code, on a phone or another computer.
 *
 * Returns: (transfer none): the verification URI
 */
const char *
lanyard_device_code_get_verification_uri (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), NULL);
  return self->verification_uri;
}

/**
 * lanyard_device_code_get_verification_uri_complete:
 * @self: a #LanyardDeviceCode
 *
 * The verification page with the user code already filled in.
 *
 * Returns: (transfer none) (nullable): the verification URI with the user code in it, or
 *   %NULL when the provider sent none
 */
const char *
lanyard_device_code_get_verification_uri_complete (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), NULL);
  return self->verification_uri_complete;
}

/**
 * lanyard_device_code_get_qr_uri:
 * @self: a #LanyardDeviceCode
 *
 * What to put in a QR code for the user's phone.
 *
 * Returns: (transfer none): the URI a QR code should carry: the complete one when the
 *   provider sent it, else the verification URI
 */
const char *
lanyard_device_code_get_qr_uri (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), NULL);
  return self->verification_uri_complete ? self->verification_uri_complete
                                         : self->verification_uri;
}

/**
 * lanyard_device_code_get_expires_at:
 * @self: a #LanyardDeviceCode
 *
 * When the code stops working.
 *
 * Returns: the expiry, in seconds since the Unix epoch
 */
gint64
lanyard_device_code_get_expires_at (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), 0);
  return self->expires_at;
}

/**
 * lanyard_device_code_get_interval:
 * @self: a #LanyardDeviceCode
 *
 * How often the client asks the provider whether the user is done, as the
 * provider asked at the start.
 *
 * Returns: the seconds between polls
 */
guint
lanyard_device_code_get_interval (LanyardDeviceCode *self)
{
  g_return_val_if_fail (LANYARD_IS_DEVICE_CODE (self), 0);
  return self->interval;
}
