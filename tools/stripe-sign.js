// stripe-sign.js: signs a webhook payload the way Stripe does, with Stripe's own Node library,
// so the billing server's signature check can be tested against Stripe's code rather than ours.
//
// Usage: node stripe-sign.js SECRET TIMESTAMP PAYLOAD
// Prints the Stripe-Signature header value for PAYLOAD (the exact body bytes, as UTF-8) signed
// with SECRET (whsec_...) at TIMESTAMP (Unix seconds), then a line "verified" when Stripe's own
// constructEvent accepts it back at that time.
'use strict';

const Stripe = require('stripe');

function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write('usage: node stripe-sign.js SECRET TIMESTAMP PAYLOAD\n');
    return 2;
  }
  const [secret, timestamp, payload] = argv;
  // The key is never used: the webhook helpers work offline.
  const stripe = new Stripe('sk_test_unused');
  const header = stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: Number(timestamp),
  });
  process.stdout.write(header + '\n');
  // Stripe's own check of what it signed, with its default tolerance against the clock.
  try {
    stripe.webhooks.constructEvent(payload, header, secret);
    process.stdout.write('verified\n');
  } catch (e) {
    process.stdout.write('not verified by stripe: ' + e.message + '\n');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
