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
    X(API_ERR_IDEMPOTENCY_KEY_REQUIRED, "idempotency_key_required", 400,                           \
      "This request moves money: send an Idempotency-Key header.")                                 \
    X(API_ERR_INVALID_SIGNATURE, "invalid_signature", 400,                                         \
      "The webhook signature is missing or does not match its body.")                              \
    X(API_ERR_INSUFFICIENT_CREDITS, "insufficient_credits", 402,                                   \
      "Your credit balance does not cover this payment.")                                          \
    X(API_ERR_FORBIDDEN, "forbidden", 403, "You are not allowed to do this.")                      \
    X(API_ERR_SIGNUP_DISABLED, "signup_disabled", 403, "New accounts cannot be created here.")     \
    X(API_ERR_CREDITS_DISABLED, "credits_disabled", 403,                                           \
      "Credits are switched off on this panel.")                                                   \
    X(API_ERR_CART_EMPTY, "cart_empty", 409, "Your cart is empty.")                                \
    X(API_ERR_OUT_OF_STOCK, "out_of_stock", 409, "A product in your cart is out of stock.")        \
    X(API_ERR_PRICE_CHANGED, "price_changed", 409,                                                 \
      "The total changed since you last saw your cart; nothing was charged.")                      \
    X(API_ERR_INVOICE_NOT_PAYABLE, "invoice_not_payable", 409,                                     \
      "This invoice is not awaiting payment.")                                                     \
    X(API_ERR_INVOICE_NOT_REFUNDABLE, "invoice_not_refundable", 409,                               \
      "This invoice has nothing paid left to refund.")                                             \
    X(API_ERR_CANCELLATION_PENDING, "cancellation_pending", 409,                                   \
      "This service already has a cancellation request.")                                          \
    X(API_ERR_CHANGE_PENDING, "change_pending", 409,                                               \
      "This service already has a plan change waiting.")                                           \
    X(API_ERR_RENEWAL_EXISTS, "renewal_exists", 409,                                               \
      "The renewal invoice for this period already exists.")                                       \
    X(API_ERR_DEPOSIT_PENDING, "deposit_pending", 409,                                             \
      "You already have an unpaid deposit invoice.")                                               \
    X(API_ERR_INVALID_STATUS, "invalid_status", 409, "The record's status does not allow this.")   \
    X(API_ERR_ALREADY_EXISTS, "already_exists", 409, "A record with that value already exists.")   \
    X(API_ERR_IDEMPOTENCY_KEY_REUSED, "idempotency_key_reused", 409,                               \
      "This Idempotency-Key was used with a different request.")                                   \
    X(API_ERR_IDEMPOTENCY_KEY_IN_PROGRESS, "idempotency_key_in_progress", 409,                     \
      "The first request with this Idempotency-Key is still running.")                             \
    X(API_ERR_PRECONDITION_FAILED, "precondition_failed", 412,                                     \
      "Your cart changed since you last loaded it.")                                               \
    X(API_ERR_PAYMENT_METHOD_UNAVAILABLE, "payment_method_unavailable", 422,                       \
      "This payment method is not available here.")                                                \
    X(API_ERR_COUPON_NOT_FOUND, "coupon_not_found", 422, "No coupon has this code.")               \
    X(API_ERR_COUPON_EXPIRED, "coupon_expired", 422, "This coupon has expired.")                   \
    X(API_ERR_COUPON_NOT_STARTED, "coupon_not_started", 422, "This coupon is not valid yet.")      \
    X(API_ERR_COUPON_EXHAUSTED, "coupon_exhausted", 422, "This coupon has been used up.")          \
    X(API_ERR_COUPON_ALREADY_USED, "coupon_already_used", 422,                                     \
      "You have already used this coupon.")                                                        \
    X(API_ERR_COUPON_NOT_APPLICABLE, "coupon_not_applicable", 422,                                 \
      "This coupon does not apply to anything in your cart.")                                      \
    X(API_ERR_COUPON_MINIMUM_NOT_MET, "coupon_minimum_not_met", 422,                               \
      "Your cart is below this coupon's minimum.")                                                 \
    X(API_ERR_COUPON_DISABLED, "coupon_disabled", 422,                                             \
      "This coupon is switched off at the moment.")                                                \
    X(API_ERR_PRECONDITION_REQUIRED, "precondition_required", 428,                                 \
      "Send If-Match with the cart's version to check out.")                                       \
    X(API_ERR_RATE_LIMITED, "rate_limited", 429, "Too many attempts; try again later.")            \
    X(API_ERR_GATEWAY_ERROR, "gateway_error", 502,                                                 \
      "The payment gateway could not be reached or refused the request; nothing was charged.")     \
    X(API_ERR_NOT_IMPLEMENTED, "not_implemented", 501,                                             \
      "This part of the billing API is not available yet.")                                        \
    X(API_ERR_SERVER_BUSY, "server_busy", 503,                                                     \
      "The server is too busy to check a password right now; try again shortly.")                  \
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
