/* inproc_db_stmt.c: the kept prepared statements (billing/db_stmt.c): the same text on the same
 * connection gets its statement back reset and unbound, a held one is never handed out twice,
 * another connection has its own, and closing forgets them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "billing/db.h"

#define SQL_ONE "SELECT ?1 + 1"

static char dir[] = "/tmp/sett-db-stmt-XXXXXX";

static struct db *open_db(const char *name)
{
    char path[128], err[256];
    struct db *db;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    db = db_new(path, err, sizeof err);
    if (!db)
        fail_msg("db_new: %s", err);
    return db;
}

static int64_t step_one(sqlite3_stmt *st)
{
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    return sqlite3_column_int64(st, 0);
}

static void test_kept_and_reset(void **state)
{
    struct db *db = open_db("a.db");
    sqlite3 *conn = db_acquire(db);
    sqlite3_stmt *st = db_prepare(conn, SQL_ONE), *again;

    (void)state;
    assert_non_null(st);
    sqlite3_bind_int64(st, 1, 41);
    assert_int_equal(step_one(st), 42);
    /* Given back mid-step: the next user gets it from the start, with no value bound. */
    db_finalize(st);
    again = db_prepare(conn, SQL_ONE);
    assert_ptr_equal(again, st);
    assert_int_equal(sqlite3_stmt_busy(again), 0);
    assert_int_equal(sqlite3_step(again), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(again, 0), SQLITE_NULL);
    db_finalize(again);
    db_release(db);
    db_free(&db);
}

static void test_held_is_not_shared(void **state)
{
    struct db *db = open_db("b.db");
    sqlite3 *conn = db_acquire(db);
    sqlite3_stmt *outer = db_prepare(conn, SQL_ONE), *inner;

    (void)state;
    sqlite3_bind_int64(outer, 1, 1);
    assert_int_equal(step_one(outer), 2);
    /* A helper that runs the same text while the caller still steps its own. */
    inner = db_prepare(conn, SQL_ONE);
    assert_non_null(inner);
    assert_ptr_not_equal(inner, outer);
    sqlite3_bind_int64(inner, 1, 10);
    assert_int_equal(step_one(inner), 11);
    db_finalize(inner);
    assert_int_equal(sqlite3_column_int64(outer, 0), 2);
    db_finalize(outer);
    /* The text differs by one character: another statement. */
    inner = db_prepare(conn, "SELECT ?1 + 2");
    assert_ptr_not_equal(inner, outer);
    db_finalize(inner);
    db_release(db);
    db_free(&db);
}

static void test_connections_apart(void **state)
{
    struct db *a = open_db("c.db"), *b = open_db("d.db");
    sqlite3 *ca = db_acquire(a), *cb = db_acquire(b);
    sqlite3_stmt *sa, *sb;

    (void)state;
    assert_int_equal(db_exec(ca, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)"), 0);
    assert_int_equal(db_exec(cb, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (2)"), 0);
    sa = db_prepare(ca, "SELECT v FROM t");
    sb = db_prepare(cb, "SELECT v FROM t");
    assert_ptr_equal(sqlite3_db_handle(sa), ca);
    assert_ptr_equal(sqlite3_db_handle(sb), cb);
    assert_int_equal(step_one(sa), 1);
    assert_int_equal(step_one(sb), 2);
    db_finalize(sa);
    db_finalize(sb);
    db_release(a);
    db_release(b);
    /* Closing a forgets its statements; b's stay good. */
    db_free(&a);
    cb = db_acquire(b);
    sb = db_prepare(cb, "SELECT v FROM t");
    assert_int_equal(step_one(sb), 2);
    db_finalize(sb);
    db_release(b);
    db_free(&b);
}

static void test_many_texts(void **state)
{
    struct db *db = open_db("e.db");
    sqlite3 *conn = db_acquire(db);
    char sql[64];

    (void)state;
    /* More distinct texts than are kept: the rest are prepared and finalized as before. */
    for (int i = 0; i < 3000; i++) {
        sqlite3_stmt *st;

        snprintf(sql, sizeof sql, "SELECT %d", i);
        st = db_prepare(conn, sql);
        assert_non_null(st);
        assert_int_equal(step_one(st), i);
        db_finalize(st);
    }
    assert_null(db_prepare(conn, "SELEC nonsense"));
    db_finalize(NULL);
    db_release(db);
    db_free(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_and_reset),
        cmocka_unit_test(test_held_is_not_shared),
        cmocka_unit_test(test_connections_apart),
        cmocka_unit_test(test_many_texts),
    };
    int rc;
    char cmd[160];

    if (!mkdtemp(dir))
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0 && rc == 0)
        rc = 1;
    return rc;
}
