/* api_error.h: the error codes the billing API answers with, their HTTP status and default message.
 */
#ifndef SETT_BILLING_API_ERROR_H
#define SETT_BILLING_API_ERROR_H

/* X-macro: enum, wire code, HTTP status and default message come from one list. */
#define API_ERRORS(X)                                                                              \
    X(API_OK, "ok", 200, "OK.")                                                                    \
    X(API_ERR_NOT_FOUND, "not_found", 404, "Not found.")                                           \
    X(API_ERR_METHOD_NOT_ALLOWED, "method_not_allowed", 405,                                       \
      "This method is not allowed on this resource.")                                              \
    X(API_ERR_INVALID_JSON, "invalid_json", 400, "The request body must be a JSON object.")        \
    X(API_ERR_PAYLOAD_TOO_LARGE, "payload_too_large", 413,                                         \
      "The request body is larger than 64 KiB.")                                                   \
    X(API_ERR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415,                               \
      "The request body must be sent as application/json.")                                        \
    X(API_ERR_UNAUTHENTICATED, "unauthenticated", 401, "Sign in to continue.")                     \
    X(API_ERR_INVALID_TOKEN, "invalid_token", 401, "The token is invalid or has expired.")         \
    X(API_ERR_INVALID_CREDENTIALS, "invalid_credentials", 401,                                     \
      "The email or password is incorrect.")                                                       \
    X(API_ERR_BILLING_NOT_LICENSED, "billing_not_licensed", 403,                                   \
      "Billing is not available: this panel has no billing licence.")                              \
    X(API_ERR_BILLING_DISABLED, "billing_disabled", 403, "Billing is switched off on this panel.") \
    X(API_ERR_VALIDATION_FAILED, "validation_failed", 422, "The given data was invalid.")          \
    X(API_ERR_NOT_IMPLEMENTED, "not_implemented", 501,                                             \
      "This part of the billing API is not available yet.")                                        \
    X(API_ERR_INTERNAL, "internal_error", 500, "Something went wrong on the server.")

enum api_error {
#define X(name, code, status, msg) name,
    API_ERRORS(X)
#undef X
        API_ERROR_COUNT
};

const char *api_error_code(enum api_error e);    /* "not_found" */
unsigned api_error_status(enum api_error e);     /* 404 */
const char *api_error_message(enum api_error e); /* "Not found." */

#endif
