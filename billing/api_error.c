/* api_error.c: tables behind api_error.h, generated from its X-macro. */
#include "billing/api_error.h"

static const struct {
    const char *code;
    unsigned status;
    const char *message;
} api_errors[] = {
#define X(name, code, status, msg) {code, status, msg},
    API_ERRORS(X)
#undef X
};

const char *api_error_code(enum api_error e)
{
    return (unsigned)e < API_ERROR_COUNT ? api_errors[e].code : "internal_error";
}

unsigned api_error_status(enum api_error e)
{
    return (unsigned)e < API_ERROR_COUNT ? api_errors[e].status : 500;
}

const char *api_error_message(enum api_error e)
{
    return (unsigned)e < API_ERROR_COUNT ? api_errors[e].message
                                         : api_errors[API_ERR_INTERNAL].message;
}
