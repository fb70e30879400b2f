/* cli_users.c: the operators' command: customer accounts found by e-mail, name, id or key. */
#include "screens/cli_run.h"

#include <inttypes.h>
#include <stdio.h>

#include "client/types_admin.h"

static const struct cli_column user_cols[] = {
    {"ID", true, false},      {"EMAIL", false, true},    {"NAME", false, true},
    {"ROLE", false, false},   {"SERVICES", true, false}, {"UNPAID", true, false},
    {"BALANCE", true, false},
};

static int user_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                     struct client_error *err)
{
    struct admin_user_page *pg = NULL;
    int rc = 0;
    if (decode_admin_users(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct admin_user *u = &pg->items[i];
        char id[24], services[16], unpaid[16], balance[64];
        snprintf(id, sizeof id, "%" PRId64, u->id);
        snprintf(services, sizeof services, "%d", u->active_services);
        snprintf(unpaid, sizeof unpaid, "%d", u->unpaid_invoices);
        money_format(&u->credit_balance, c->status ? &c->status->currency : NULL, balance,
                     sizeof balance);
        const char *cells[] = {
            id, u->email[0] ? u->email : "-", u->name, u->role, services, unpaid, balance};
        enum cli_tone tones[] = {0, 0, 0, 0, 0, u->unpaid_invoices ? CLI_TONE_WARN : 0, 0};
        rc = cli_table_add(t, cells, tones);
    }
    admin_user_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_users(struct cli *c, const struct cli_args *a)
{
    char path[1024] = "/admin/users";
    if (a->search && a->search[0])
        cli_query_add(path, sizeof path, "q", a->search);
    struct cli_list l = {path, true, user_cols, 7, user_rows};
    return cli_list_print(c, &l);
}
