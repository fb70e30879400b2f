/* migrate.c: the schema as an ordered list of migrations; PRAGMA user_version counts those applied.
 */
#include "billing/migrate.h"

#include <stdio.h>
#include <string.h>

#include "billing/db.h"

#define GENERATION_TRIGGER(table, event)                                                           \
    "CREATE TRIGGER " table "_" event "_generation AFTER " event " ON " table                      \
    " BEGIN UPDATE catalog_generation SET n = n + 1 WHERE id = 1; END;"
#define GENERATION_TRIGGERS(table)                                                                 \
    GENERATION_TRIGGER(table, "insert")                                                            \
    GENERATION_TRIGGER(table, "update") GENERATION_TRIGGER(table, "delete")

/* Append only: a released migration never changes, later work adds the next entry. Money columns
 * hold integer minor units of the shop's one currency; times are Unix seconds. */
static const char *const migrations[] = {
    /* 1: settings, catalog, users and their tokens. */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE categories ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE products ("
    "  id INTEGER PRIMARY KEY,"
    "  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  short_description TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  pricing_model TEXT NOT NULL"
    "    CHECK (pricing_model IN ('fixed', 'per_gb_memory', 'per_gb_disk', 'configurable')),"
    "  memory_mb INTEGER NOT NULL DEFAULT 0 CHECK (memory_mb >= 0),"
    "  disk_mb INTEGER NOT NULL DEFAULT 0 CHECK (disk_mb >= 0),"
    "  cpu_percent INTEGER NOT NULL DEFAULT 0 CHECK (cpu_percent >= 0),"
    "  databases INTEGER NOT NULL DEFAULT 0 CHECK (databases >= 0),"
    "  backups INTEGER NOT NULL DEFAULT 0 CHECK (backups >= 0),"
    "  allocations INTEGER NOT NULL DEFAULT 0 CHECK (allocations >= 0),"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1,"
    "  stock_limited INTEGER NOT NULL DEFAULT 0,"
    "  stock_available INTEGER CHECK (stock_available IS NULL OR stock_available >= 0),"
    "  created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
    ");"
    "CREATE INDEX products_by_category ON products(category_id, sort_order);"
    "CREATE TABLE product_cycles ("
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
    "  cycle TEXT NOT NULL CHECK (cycle IN"
    "    ('one_time', 'monthly', 'quarterly', 'semi_annual', 'annual', 'biennial')),"
    "  months INTEGER NOT NULL CHECK (months > 0),"
    "  price INTEGER NOT NULL CHECK (price >= 0),"
    "  setup_fee INTEGER NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),"
    "  PRIMARY KEY (product_id, cycle)"
    ");"
    "CREATE TABLE product_options ("
    "  id INTEGER PRIMARY KEY,"
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
    "  resource TEXT NOT NULL CHECK (resource IN"
    "    ('memory_mb', 'disk_mb', 'cpu_percent', 'databases', 'backups', 'allocations')),"
    "  label TEXT NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  unit_size INTEGER NOT NULL CHECK (unit_size > 0),"
    "  min_value INTEGER NOT NULL,"
    "  max_value INTEGER NOT NULL,"
    "  step INTEGER NOT NULL CHECK (step > 0),"
    "  default_value INTEGER NOT NULL,"
    "  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (product_id, resource),"
    "  CHECK (min_value >= 0 AND min_value <= default_value AND default_value <= max_value)"
    ");"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  password_hash TEXT," /* NULL: no password sign-in (e.g. an SSH-key-only account) */
    "  role TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
    ");"
    /* Tokens are stored as SHA-256 hashes: a copy of the database signs nobody in. A refresh
     * token's family is the chain of rotations since sign-in, revoked as one on reuse. */
    "CREATE TABLE refresh_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  family_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);"
    "CREATE TABLE access_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  family_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX access_tokens_by_family ON access_tokens(family_id);",

    /* 2: commerce: carts, coupons, orders, invoices, payments, credits, services, idempotency,
     * operators' keys and audit log. Dates that follow the calendar (due dates, periods) are
     * 'YYYY-MM-DD' text; instants are Unix seconds. */
    "ALTER TABLE users ADD COLUMN credit_balance INTEGER NOT NULL DEFAULT 0"
    "  CHECK (credit_balance >= 0);"
    "CREATE TABLE carts ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  version INTEGER NOT NULL DEFAULT 1," /* the ETag: bumped by every change */
    "  coupon_id INTEGER REFERENCES coupons(id) ON DELETE SET NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE cart_items ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
    "  cycle TEXT NOT NULL,"
    "  options TEXT NOT NULL DEFAULT '{}'," /* JSON {resource: value} */
    "  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 10),"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX cart_items_by_user ON cart_items(user_id, id);"
    "CREATE TABLE coupons ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  type TEXT NOT NULL CHECK (type IN ('percent', 'fixed')),"
    "  percent_bps INTEGER NOT NULL DEFAULT 0 CHECK (percent_bps BETWEEN 0 AND 10000),"
    "  amount_off INTEGER NOT NULL DEFAULT 0 CHECK (amount_off >= 0),"
    "  duration TEXT NOT NULL DEFAULT 'once' CHECK (duration IN ('once', 'repeating', 'forever')),"
    "  duration_cycles INTEGER NOT NULL DEFAULT 0 CHECK (duration_cycles >= 0),"
    "  starts_at INTEGER," /* NULL: no bound */
    "  ends_at INTEGER,"
    "  max_uses INTEGER CHECK (max_uses IS NULL OR max_uses >= 0),"
    "  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),"
    "  once_per_customer INTEGER NOT NULL DEFAULT 0,"
    "  product_ids TEXT NOT NULL DEFAULT '[]'," /* JSON array; [] means every product */
    "  cycles TEXT NOT NULL DEFAULT '[]',"      /* JSON array; [] means every cycle */
    "  min_subtotal INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  CHECK (max_uses IS NULL OR uses <= max_uses)"
    ");"
    "CREATE TABLE coupon_redemptions ("
    "  id INTEGER PRIMARY KEY,"
    "  coupon_id INTEGER NOT NULL REFERENCES coupons(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  order_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX coupon_redemptions_by_user ON coupon_redemptions(coupon_id, user_id);"
    "CREATE TABLE orders ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('pending_payment', 'paid', 'pending_approval', 'completed', 'cancelled')),"
    "  coupon_id INTEGER REFERENCES coupons(id) ON DELETE SET NULL,"
    "  subtotal INTEGER NOT NULL, discount INTEGER NOT NULL, tax INTEGER NOT NULL,"
    "  total INTEGER NOT NULL, credits_applied INTEGER NOT NULL DEFAULT 0,"
    "  invoice_id INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX orders_by_user ON orders(user_id, id);"
    "CREATE TABLE services ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,"
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE RESTRICT,"
    "  name TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('pending', 'active', 'suspended', 'cancelled', 'terminated')),"
    "  cycle TEXT NOT NULL,"
    "  months INTEGER NOT NULL,"
    "  options TEXT NOT NULL DEFAULT '{}',"
    "  recurring_amount INTEGER NOT NULL," /* per cycle, before any recurring discount */
    "  coupon_id INTEGER REFERENCES coupons(id) ON DELETE SET NULL,"
    "  coupon_cycles_left INTEGER," /* NULL: forever; 0: none left */
    "  anchor_day INTEGER NOT NULL CHECK (anchor_day BETWEEN 1 AND 31)," /* day of first due */
    "  next_due_date TEXT,"                                              /* NULL for one_time */
    "  server_name TEXT, server_address TEXT, server_node TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  activated_at INTEGER, suspended_at INTEGER, cancelled_at INTEGER, terminated_at INTEGER"
    ");"
    "CREATE INDEX services_by_user ON services(user_id, id);"
    "CREATE INDEX services_by_due ON services(status, next_due_date);"
    "CREATE TABLE service_cancellations ("
    "  service_id INTEGER PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL CHECK (type IN ('end_of_period', 'immediate')),"
    "  reason TEXT NOT NULL,"
    "  requested_at INTEGER NOT NULL,"
    "  effective_date TEXT NOT NULL"
    ");"
    "CREATE TABLE invoices ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('order', 'renewal', 'deposit')),"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('draft', 'pending', 'paid', 'overdue', 'cancelled', 'refunded')),"
    "  order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,"
    "  service_id INTEGER REFERENCES services(id) ON DELETE SET NULL," /* renewals */
    "  period_start TEXT, period_end TEXT,"
    "  subtotal INTEGER NOT NULL, discount INTEGER NOT NULL DEFAULT 0,"
    "  tax INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL CHECK (total >= 0),"
    "  amount_paid INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),"
    "  amount_refunded INTEGER NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),"
    "  issued_at INTEGER NOT NULL,"
    "  due_date TEXT NOT NULL,"
    "  paid_at INTEGER,"
    "  CHECK (amount_refunded <= amount_paid)"
    ");"
    "CREATE INDEX invoices_by_user ON invoices(user_id, id);"
    /* One renewal invoice per service and period, however many paths try to create it. */
    "CREATE UNIQUE INDEX invoices_one_renewal ON invoices(service_id, period_start)"
    "  WHERE kind = 'renewal';"
    /* One unpaid deposit per customer at a time. */
    "CREATE UNIQUE INDEX invoices_one_open_deposit ON invoices(user_id)"
    "  WHERE kind = 'deposit' AND status IN ('pending', 'overdue');"
    "CREATE TABLE invoice_lines ("
    "  id INTEGER PRIMARY KEY,"
    "  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('item', 'setup_fee', 'discount', 'deposit')),"
    "  description TEXT NOT NULL,"
    "  product_id INTEGER, service_id INTEGER,"
    "  cycle TEXT,"
    "  quantity INTEGER NOT NULL DEFAULT 1,"
    "  unit_amount INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL," /* negative for discounts */
    "  period_start TEXT, period_end TEXT"
    ");"
    "CREATE TABLE invoice_taxes ("
    "  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  rate_bps INTEGER NOT NULL,"
    "  inclusive INTEGER NOT NULL,"
    "  taxable INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL"
    ");"
    "CREATE TABLE payments ("
    "  id INTEGER PRIMARY KEY,"
    "  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  gateway TEXT NOT NULL CHECK (gateway IN ('stripe', 'paypal', 'credits')),"
    "  amount INTEGER NOT NULL CHECK (amount >= 0),"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('pending', 'requires_action', 'paid', 'failed', 'expired', 'not_required')),"
    "  token TEXT UNIQUE," /* the sandbox page's token */
    "  gateway_ref TEXT UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  settled_at INTEGER"
    ");"
    "CREATE INDEX payments_by_invoice ON payments(invoice_id);"
    "CREATE TABLE refunds ("
    "  id INTEGER PRIMARY KEY,"
    "  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,"
    "  amount INTEGER NOT NULL CHECK (amount > 0),"
    "  to_credits INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT NOT NULL,"
    "  actor_id INTEGER,"
    "  created_at INTEGER NOT NULL"
    ");"
    /* Append-only: every change of a balance is a row; the balance is the last balance_after. */
    "CREATE TABLE credit_ledger ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL CHECK (type IN ('deposit', 'spend', 'refund', 'adjustment')),"
    "  amount INTEGER NOT NULL CHECK (amount <> 0),"
    "  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),"
    "  description TEXT NOT NULL,"
    "  invoice_id INTEGER,"
    "  actor_id INTEGER,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX credit_ledger_by_user ON credit_ledger(user_id, id);"
    "CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger"
    "  BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END;"
    "CREATE TRIGGER credit_ledger_no_delete BEFORE DELETE ON credit_ledger"
    "  BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END;"
    "CREATE TABLE idempotency_keys ("
    "  user_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  method TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  body_hash BLOB NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  response TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, key)"
    ");"
    "CREATE TABLE webhook_events ("
    "  gateway TEXT NOT NULL,"
    "  event_id TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  PRIMARY KEY (gateway, event_id)"
    ");"
    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  prefix TEXT NOT NULL," /* 'bp_' and a few characters, shown in lists */
    "  key_hash BLOB NOT NULL UNIQUE,"
    "  scopes TEXT NOT NULL," /* space-separated: billing ssh admin */
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER,"
    "  revoked_at INTEGER"
    ");"
    "CREATE TABLE ssh_keys ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  fingerprint TEXT NOT NULL UNIQUE," /* 'SHA256:…' as ssh-keygen -lf prints */
    "  public_key TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER"
    ");"
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  actor_id INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  target_type TEXT NOT NULL,"
    "  target_id INTEGER NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  details TEXT NOT NULL DEFAULT '{}',"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

    /* 3: API keys may expire (NULL: never). */
    "ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;",

    /* 4: real gateways. A payment keeps its hosted page's URL, the gateway's charge (Stripe's
     * payment intent, for refunds), when the server last asked the gateway about it, and may be
     * "held" for an operator (paid at the gateway, but not the amount it was for). SQLite cannot
     * change a CHECK, so the table is rebuilt; nothing references it. */
    "CREATE TABLE payments_v4 ("
    "  id INTEGER PRIMARY KEY,"
    "  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  gateway TEXT NOT NULL CHECK (gateway IN ('stripe', 'paypal', 'credits')),"
    "  amount INTEGER NOT NULL CHECK (amount >= 0),"
    "  status TEXT NOT NULL CHECK (status IN ('pending', 'requires_action', 'paid', 'failed',"
    "    'expired', 'not_required', 'held')),"
    "  token TEXT UNIQUE,"
    "  gateway_ref TEXT UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  settled_at INTEGER,"
    "  redirect_url TEXT,"
    "  charge_ref TEXT,"
    "  checked_at INTEGER,"
    "  held_reason TEXT"
    ");"
    "INSERT INTO payments_v4(id, invoice_id, user_id, gateway, amount, status, token, gateway_ref,"
    "  created_at, settled_at) SELECT id, invoice_id, user_id, gateway, amount, status, token,"
    "  gateway_ref, created_at, settled_at FROM payments;"
    "DROP TABLE payments;"
    "ALTER TABLE payments_v4 RENAME TO payments;"
    "CREATE INDEX payments_by_invoice ON payments(invoice_id);"
    /* The gateway's own id of a refund sent back to the card. */
    "ALTER TABLE refunds ADD COLUMN gateway_ref TEXT;",
    /* A waiting payment given up on (superseded, expired here) whose page is still open at its
     * gateway: the tries left to close it there (NULL or 0: nothing to close). */
    "ALTER TABLE payments ADD COLUMN gateway_close INTEGER;"
    "CREATE INDEX payments_to_close ON payments(id) WHERE gateway_close > 0;",

    /* 5: operators run the catalog. A product or category's version is its ETag, bumped by
     * every operator change; a retired product is hidden for good (services and orders still
     * point at it, so nothing is ever deleted). A disabled coupon is refused until it is
     * enabled again, keeping its dates and uses (active = 0 still means deleted). */
    "ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE products ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE categories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE coupons ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;",

    /* 6: product search by index. Trigrams of name, slug and both descriptions, so a search of
     * three or more characters is a substring match without reading every product; the index
     * holds hidden products too (visibility is the query's business) and triggers keep it in
     * step with every write. Indexes to list (and count) a category's visible products in
     * their order without reading the rest. */
    "CREATE INDEX categories_by_order ON categories(sort_order, id);"
    "CREATE INDEX products_listed ON products(category_id, visible, sort_order);"
    "CREATE VIRTUAL TABLE products_fts USING fts5(name, slug, short_description, description,"
    "  content='products', content_rowid='id', tokenize='trigram');"
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild');"
    "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN"
    "  INSERT INTO products_fts(rowid, name, slug, short_description, description)"
    "  VALUES (new.id, new.name, new.slug, new.short_description, new.description);"
    "END;"
    "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN"
    "  INSERT INTO products_fts(products_fts, rowid, name, slug, short_description, description)"
    "  VALUES ('delete', old.id, old.name, old.slug, old.short_description, old.description);"
    "END;"
    "CREATE TRIGGER products_fts_update AFTER UPDATE OF name, slug, short_description, description"
    "  ON products BEGIN"
    "  INSERT INTO products_fts(products_fts, rowid, name, slug, short_description, description)"
    "  VALUES ('delete', old.id, old.name, old.slug, old.short_description, old.description);"
    "  INSERT INTO products_fts(rowid, name, slug, short_description, description)"
    "  VALUES (new.id, new.name, new.slug, new.short_description, new.description);"
    "END;",

    /* 7: the catalog generation. Every row written to what the public catalog shows (settings
     * for currency and tax, categories, products with their stock, cycles and options) bumps one
     * counter, whoever writes it, so answers kept in memory know when they are stale. */
    "CREATE TABLE catalog_generation ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  n INTEGER NOT NULL"
    ");"
    "INSERT INTO catalog_generation(id, n) VALUES (1, 1);" GENERATION_TRIGGERS("settings")
        GENERATION_TRIGGERS("categories") GENERATION_TRIGGERS("products")
            GENERATION_TRIGGERS("product_cycles") GENERATION_TRIGGERS("product_options"),

    /* 8: every request with an Idempotency-Key forgets the caller's keys past their age; by age,
     * not by reading all of a busy API client's keys each time. */
    "CREATE INDEX idempotency_keys_by_age ON idempotency_keys(user_id, created_at);",

    /* 9: changes of a service's plan. A change keeps the plan it replaced (to reverse it) and
     * the prorated amounts it was quoted; one open change (waiting for payment, or scheduled)
     * per service. Its invoice is of a new kind, "change", with a "credit" line for the unused
     * part of the period: SQLite cannot change a CHECK and invoices is referenced by four
     * tables, so the two CHECKs are edited in the schema text in place (SQLite's documented
     * procedure for changes that leave the stored rows valid) and migrate_run bumps the schema
     * version so that every connection reads the new text. */
    "CREATE TABLE plan_changes ("
    "  id INTEGER PRIMARY KEY,"
    "  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('pending_payment', 'scheduled', 'applied', 'cancelled', 'reversed')),"
    "  direction TEXT NOT NULL CHECK (direction IN ('upgrade', 'downgrade')),"
    "  timing TEXT NOT NULL CHECK (timing IN ('on_payment', 'now', 'next_renewal')),"
    "  from_product_id INTEGER NOT NULL, from_cycle TEXT NOT NULL, from_months INTEGER NOT NULL,"
    "  from_options TEXT NOT NULL, from_amount INTEGER NOT NULL,"
    "  from_coupon_id INTEGER, from_coupon_cycles_left INTEGER,"
    "  from_next_due TEXT NOT NULL, from_anchor_day INTEGER NOT NULL,"
    "  to_product_id INTEGER NOT NULL, to_cycle TEXT NOT NULL, to_months INTEGER NOT NULL,"
    "  to_options TEXT NOT NULL, to_amount INTEGER NOT NULL,"
    "  keeps_coupon INTEGER NOT NULL,"
    "  to_next_due TEXT NOT NULL, to_anchor_day INTEGER NOT NULL,"
    "  period_start TEXT NOT NULL, seconds_left INTEGER NOT NULL,"
    "  period_seconds INTEGER NOT NULL,"
    "  credit INTEGER NOT NULL, charge INTEGER NOT NULL,"
    "  subtotal INTEGER NOT NULL, tax INTEGER NOT NULL, total INTEGER NOT NULL,"
    "  balance_credit INTEGER NOT NULL DEFAULT 0,"
    "  stock_held INTEGER NOT NULL DEFAULT 0,"
    "  invoice_id INTEGER REFERENCES invoices(id) ON DELETE SET NULL,"
    "  effective_date TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  applied_at INTEGER, cancelled_at INTEGER, reversed_at INTEGER"
    ");"
    "CREATE UNIQUE INDEX plan_changes_one_open ON plan_changes(service_id)"
    "  WHERE status IN ('pending_payment', 'scheduled');"
    "CREATE INDEX plan_changes_by_service ON plan_changes(service_id, id);"
    "CREATE INDEX plan_changes_by_invoice ON plan_changes(invoice_id);"
    "CREATE INDEX plan_changes_scheduled ON plan_changes(effective_date)"
    "  WHERE status = 'scheduled';"
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql, '''renewal'', ''deposit''))',"
    "  '''renewal'', ''deposit'', ''change''))') WHERE type = 'table' AND name = 'invoices';"
    "UPDATE sqlite_schema SET sql = replace(sql, '''discount'', ''deposit''))',"
    "  '''discount'', ''deposit'', ''credit''))')"
    "  WHERE type = 'table' AND name = 'invoice_lines';"
    "PRAGMA writable_schema = OFF;",
};

/* A migration that edits the schema text in place. */
#define MIGRATION_EDITS_SCHEMA(sql) (strstr((sql), "writable_schema") != NULL)

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int migrate_latest(void)
{
    return MIGRATION_COUNT;
}

static int migrate_version(sqlite3 *conn, int *version)
{
    sqlite3_stmt *st = db_prepare(conn, "PRAGMA user_version");
    int rc = -1;

    if (st && sqlite3_step(st) == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* After an edit of the schema text: the schema version moves on, so that this connection and
 * every other reads the new text; an edit that matched nothing fails the migration. */
static int migrate_schema_edited(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT (SELECT count(*) FROM sqlite_schema WHERE type ="
                                        " 'table' AND ((name = 'invoices' AND sql LIKE"
                                        " '%''change''))%') OR (name = 'invoice_lines' AND sql"
                                        " LIKE '%''credit''))%'))), schema_version FROM"
                                        " pragma_schema_version");
    char sql[64];
    int edited = 0, version = 0;

    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        edited = sqlite3_column_int(st, 0);
        version = sqlite3_column_int(st, 1);
    }
    db_finalize(st);
    if (edited != 2)
        return -1;
    snprintf(sql, sizeof sql, "PRAGMA schema_version = %d", version + 1);
    return db_exec(conn, sql);
}

int migrate_run(sqlite3 *conn, char *err, size_t errsz)
{
    char sql[64];
    int version = 0;

    if (db_begin(conn) != 0 || migrate_version(conn, &version) != 0) {
        snprintf(err, errsz, "cannot read the schema version: %s", sqlite3_errmsg(conn));
        goto fail;
    }
    if (version > MIGRATION_COUNT) {
        snprintf(err, errsz, "the database has schema version %d; this sett-billingd knows %d",
                 version, MIGRATION_COUNT);
        goto fail;
    }
    for (int v = version; v < MIGRATION_COUNT; v++) {
        if (db_exec(conn, migrations[v]) != 0 ||
            (MIGRATION_EDITS_SCHEMA(migrations[v]) && migrate_schema_edited(conn) != 0)) {
            snprintf(err, errsz, "migration %d failed: %s", v + 1, sqlite3_errmsg(conn));
            goto fail;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", MIGRATION_COUNT);
    if (db_exec(conn, sql) != 0 || db_commit(conn) != 0) {
        snprintf(err, errsz, "cannot record the schema version: %s", sqlite3_errmsg(conn));
        goto fail;
    }
    return 0;
fail:
    db_rollback(conn);
    return -1;
}
