/* test_journey.c: a customer in plain mode signs in, buys, applies a coupon, pays (the sandbox
 * gateway's page, or credits), then reads the new service and invoice and Home's figures; on a
 * pipe and on a pty. Every result is announced as a sentence and no escape byte is ever
 * printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "plain_support.h"

/* Store, Minecraft, Iron, quarterly, added; the coupon applied. */
static void buy(struct plain_run *r, const char *coupon)
{
    char cmd[64], said[128];
    PLAIN_STEP(r, "s", "Store. 5 categories.");
    PLAIN_STEP(r, "1", "Minecraft: 7 products.");
    assert_int_equal(plain_expect(r, "3. Iron, from $8.99 a month."), 0);
    PLAIN_STEP(r, "3", "Product: Iron.");
    assert_int_equal(plain_expect(r, "2. Quarterly"), 0);
    PLAIN_STEP(r, "2", "Cycle: Quarterly.");
    assert_int_equal(plain_expect(r, "Price: $"), 0);
    PLAIN_STEP(r, "a", "Added Iron, quarterly, to the cart. Cart: 1 item, $");
    PLAIN_STEP(r, "c", "Cart: 1 item, $");
    assert_int_equal(plain_expect(r, "1. Iron, Quarterly, quantity 1"), 0);
    PLAIN_STEP(r, "C NOSUCHCODE", "Could not apply the coupon NOSUCHCODE:");
    snprintf(cmd, sizeof cmd, "C %s", coupon);
    snprintf(said, sizeof said, "Coupon %s applied. Cart: 1 item, $", coupon);
    PLAIN_STEP(r, cmd, said);
    snprintf(said, sizeof said, "Coupon %s: ", coupon);
    PLAIN_STEP(r, "", said);
    assert_int_equal(plain_expect(r, "Discount: $"), 0);
    assert_int_equal(plain_expect(r, "Total: $"), 0);
}

/* The new service and its paid invoice. */
static void read_account(struct plain_run *r)
{
    PLAIN_STEP(r, "v", "Your services: 1.");
    assert_int_equal(plain_expect(r, "1. Iron, service "), 0);
    PLAIN_STEP(r, "1", "Status: ");
    assert_int_equal(plain_expect(r, "Billing: Quarterly"), 0);
    PLAIN_STEP(r, "i", "Your invoices: 1.");
    assert_int_equal(plain_expect(r, "Order, Paid"), 0);
    PLAIN_STEP(r, "1", "Invoice INV-");
    assert_int_equal(plain_expect(r, "Coupon: WELCOME10."), 0);
    assert_int_equal(plain_expect(r, "Amount due: $0.00."), 0);
}

static void test_pipe_sandbox(void **state)
{
    struct plain_run r;
    char url[600];
    (void)state;
    const char *args[] = {"--plain", "--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=xterm-256color", NULL};
    assert_int_equal(plain_start(&r, args, env, false), 0);
    assert_int_equal(plain_expect(&r, "sett, plain mode."), 0);
    assert_int_equal(plain_expect(&r, "SANDBOX"), 0);
    assert_int_equal(plain_sign_in_from_cart(&r), 0);
    buy(&r, "WELCOME10");
    PLAIN_STEP(&r, "o", "How would you like to pay?");
    assert_int_equal(plain_expect(&r, "1. Card (Stripe)"), 0);
    PLAIN_STEP(&r, "1", "Use your credit balance of $10.00 first?");
    PLAIN_STEP(&r, "n", "Place the order and pay $");
    assert_int_equal(plain_expect(&r, "with Card (Stripe)? Type y to confirm"), 0);
    PLAIN_STEP(&r, "y", "Order ORD-");
    assert_int_equal(plain_expect(&r, "To pay, open this link in a browser:"), 0);
    size_t link = r.seen;
    assert_int_equal(plain_expect(&r, "Waiting for the payment."), 0);
    r.seen = link;
    assert_non_null(plain_line_after(&r, "http://", url, sizeof url));
    assert_non_null(strstr(url, "/sandbox/pay/"));
    assert_int_equal(plain_expect(&r, "Waiting for the payment."), 0);
    assert_int_equal(plain_sandbox_pay(url), 200);
    assert_int_equal(plain_expect(&r, "Payment received: $"), 0);
    assert_int_equal(plain_expect(&r, "The invoice is paid."), 0);
    assert_int_equal(plain_expect(&r, ", Iron: "), 0);
    read_account(&r);
    /* the service: cancellation at the end of the period, withdrawn; an early renewal */
    PLAIN_STEP(&r, "v", "Your services: 1.");
    PLAIN_STEP(&r, "1", "Type X to request the cancellation, R to renew early");
    PLAIN_STEP(&r, "X", "When should the service end?");
    PLAIN_STEP(&r, "1", "Reason (optional):");
    PLAIN_STEP(&r, "Moving to a bigger plan", "Cancel service ");
    PLAIN_STEP(&r, "y", "Cancellation requested: At the end of the period.");
    PLAIN_STEP(&r, "", "Type X to withdraw the cancellation");
    PLAIN_STEP(&r, "X", "Withdraw the cancellation");
    PLAIN_STEP(&r, "y", "Cancellation withdrawn: the service carries on.");
    PLAIN_STEP(&r, "R", "Issue the next period's invoice now?");
    PLAIN_STEP(&r, "y", "Renewal invoice INV-");
    assert_int_equal(plain_expect(&r, "Invoice INV-"), 0);
    assert_int_equal(plain_expect(&r, "Renewal, Unpaid."), 0);
    assert_int_equal(plain_expect(&r, "Type p to pay it."), 0);
    /* the invoices, unpaid only */
    PLAIN_STEP(&r, "i", "Your invoices: 2.");
    PLAIN_STEP(&r, "f", "Which invoices?");
    PLAIN_STEP(&r, "2", "Your invoices, Unpaid only: 1.");
    assert_int_equal(plain_expect(&r, "Renewal, Unpaid"), 0);
    /* Home: the same figures as the full-screen Home */
    PLAIN_STEP(&r, "H", "Home. Signed in as Demo Customer.");
    assert_int_equal(plain_expect(&r, "Active services: 1."), 0);
    assert_int_equal(plain_expect(&r, "Unpaid invoices: 1, $"), 0);
    assert_int_equal(plain_expect(&r, "Next due date: 20"), 0);
    assert_int_equal(plain_expect(&r, "Credit balance: $"), 0);
    assert_int_equal(plain_end_clean(&r), 0);
    plain_free(&r);
}

static void test_pty_credits(void **state)
{
    struct plain_run r;
    (void)state;
    /* TERM=dumb alone chooses plain mode */
    const char *args[] = {"--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=dumb", NULL};
    assert_int_equal(plain_start(&r, args, env, true), 0);
    assert_int_equal(plain_expect(&r, "sett, plain mode."), 0);
    assert_int_equal(plain_expect(&r, "You are not signed in"), 0);
    assert_int_equal(plain_expect(&r, "> "), 0);
    PLAIN_STEP(&r, "c", "E-mail (an empty line cancels):");
    PLAIN_STEP(&r, "demo@example.com", "Password:");
    size_t at = r.seen;
    PLAIN_STEP(&r, "demo", "Signed in as Demo Customer.");
    /* the password was not echoed: nothing but the line's end between the prompt and the answer */
    assert_null(strstr(r.text + at, "demo\r\n"));
    buy(&r, "MCONLY");
    /* the demo customer's $10.00 is not enough for Iron: add funds first, paid in the sandbox */
    PLAIN_STEP(&r, "$", "Your credits. Balance: $");
    PLAIN_STEP(&r, "F 50", "Deposit invoice INV-");
    assert_int_equal(plain_expect(&r, "Invoice INV-"), 0);
    PLAIN_STEP(&r, "p", "How would you like to pay?");
    assert_null(strstr(r.text + r.seen, "Account credits")); /* credits cannot buy credits */
    PLAIN_STEP(&r, "1", "Pay $50.00 for invoice INV-");
    PLAIN_STEP(&r, "y", "To pay, open this link in a browser:");
    char url[600];
    size_t link = r.seen;
    assert_int_equal(plain_expect(&r, "Waiting for the payment."), 0);
    r.seen = link;
    assert_non_null(plain_line_after(&r, "http://", url, sizeof url));
    assert_int_equal(plain_expect(&r, "Waiting for the payment."), 0);
    /* progress is an occasional sentence, never a spinner */
    assert_int_equal(plain_expect(&r, "Still waiting for the payment\xe2\x80\xa6"), 0);
    assert_int_equal(plain_sandbox_pay(url), 200);
    assert_int_equal(plain_expect(&r, "Payment received: $50.00."), 0);
    PLAIN_STEP(&r, "c", "Cart: 1 item");
    PLAIN_STEP(&r, "o", "3. Account credits");
    PLAIN_STEP(&r, "3", "from your credits? Type y to confirm");
    PLAIN_STEP(&r, "y", "Order ORD-");
    assert_int_equal(plain_expect(&r, "Payment received: $"), 0);
    assert_int_equal(plain_expect(&r, ", Iron: "), 0);
    PLAIN_STEP(&r, "v", "Your services: 1.");
    PLAIN_STEP(&r, "i", "Your invoices: 2."); /* the deposit and the order */
    assert_int_equal(plain_end_clean(&r), 0);
    plain_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* each customer on a server of their own: a fresh demo shop */
        cmocka_unit_test_setup_teardown(test_pipe_sandbox, plain_server_setup,
                                        plain_server_teardown),
        cmocka_unit_test_setup_teardown(test_pty_credits, plain_server_setup,
                                        plain_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
