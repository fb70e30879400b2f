// response-validator.js: checks recorded HTTP exchanges against docs/openapi.yaml with Prism.
//
// Usage: node response-validator.js SPEC
// Reads one JSON exchange per line on stdin:
//   {"method":"GET","path":"/api/v1/billing/status?x=1","status":200,
//    "headers":{"content-type":"…",…},"body_base64":"…"}
// and answers one line per exchange: {"ok":true} or {"ok":false,"violations":["…",…]}.
// The first line it writes is {"ready":true} once the contract is loaded.
//
// The checking is Prism's own request pipeline (router, then response validator), the one that
// `prism proxy` runs; only its network hop is replaced by the response the test already got, so
// the server sees the test's exact bytes and Prism never answers in the server's place.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const yaml = require('@stoplight/yaml');
// Prism's parts, required one by one: the package's index also loads the mock generator, which
// doubles the start-up time and is never used here.
const { factory } = require('@stoplight/prism-core');
const route = require('@stoplight/prism-http/dist/router').default;
const validator = require('@stoplight/prism-http/dist/validator');
const { getHttpOperationsFromSpec } = require('@stoplight/prism-http/dist/utils/operations');

const API_BASE = '/api/v1';

// Statuses the contract allows on any request ("Errors every operation may return"), each with
// the only error code that may come with it.
const ANY_REQUEST_ERRORS = {
  400: 'invalid_json',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal_error',
  501: 'not_implemented',
};
const UNROUTED = '/__any_request';
const NO_STATUS_MATCH = 'Unable to match the returned status code';
const MAX_VIOLATIONS = 20;

// An operation added to the contract that answers the any-request errors, with the contract's
// own schemas: it judges answers to routes and methods the contract does not have, and those
// statuses where an operation does not list them.
function addAnyRequestOperation(doc) {
  const ref = (p) => ({ $ref: `#/components/${p}` });
  const responses = {};
  for (const [status, code] of Object.entries(ANY_REQUEST_ERRORS)) {
    const headers = {};
    if (status === '405')
      headers.Allow = { required: true, schema: { type: 'string', minLength: 1 } };
    if (status === '429') headers['Retry-After'] = ref('headers/RetryAfter');
    responses[status] = {
      description: code,
      headers,
      content: {
        'application/json': {
          schema: {
            allOf: [
              ref('schemas/ErrorEnvelope'),
              { properties: { error: { properties: { code: { const: code } } } } },
            ],
          },
        },
      },
    };
  }
  doc.paths[UNROUTED] = { get: { operationId: 'anyRequest', security: [], responses } };
}

// Server faults the checker found that are reported and not fixed yet: each is waived only for
// its exact symptom, says why on stderr every time, and is to be deleted with its fix.
// Server faults the validator has been told to tolerate while they are being fixed: each entry
// names the exact symptom (method, path pattern, violation, a body fragment) and why. None today.
const KNOWN_SERVER_FAULTS = [];

function waived(ex, bytes, message) {
  const fault = KNOWN_SERVER_FAULTS.find(
    (f) =>
      (!f.method || f.method === ex.method) &&
      (!f.path || f.path.test(ex.path)) &&
      (!f.body || bytes.includes(f.body)) &&
      f.violation.test(message),
  );
  if (fault)
    process.stderr.write(`KNOWN SERVER FAULT (waived): ${ex.method} ${ex.path}: ${fault.why}\n`);
  return !!fault;
}

const quietLogger = {
  child() {
    return quietLogger;
  },
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  success() {},
};

// Prism's proxy, with a forwarder that hands back the recorded response (an fp-ts TaskEither:
// a function returning a promise of {_tag: 'Right', right}).
function replayingPrism() {
  return factory(
    {
      isProxy: true,
      upstream: new URL('http://127.0.0.1/'),
      errors: true,
      validateRequest: false, // tests send invalid requests on purpose
      checkSecurity: false,
      validateResponse: true,
      mock: {},
    },
    {
      logger: quietLogger,
      route,
      validateInput: validator.validateInput,
      validateOutput: validator.validateOutput,
      validateSecurity: validator.validateSecurity,
      mock: () => {
        throw new Error('the checker never mocks');
      },
      forward: (input) => () => async () => ({ _tag: 'Right', right: input.data.__response }),
    },
  );
}

function decodeBody(ex, violations) {
  const bytes = Buffer.from(ex.body_base64 || '', 'base64');
  const type = ex.headers['content-type'] || '';
  let text;

  if (bytes.length === 0) return undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    violations.push('response body is not valid UTF-8');
    text = new TextDecoder('utf-8').decode(bytes); // still judge its shape
  }
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      violations.push(`response body is not JSON: ${e.message}`);
    }
  }
  return text;
}

function describe(validations) {
  return validations.map((v) => {
    const where = (v.location || v.path || []).join('.');
    return `${where ? where + ': ' : ''}${v.message}`;
  });
}

async function run(prism, operations, anyOps, ex) {
  const violations = [];
  const url = new URL(ex.path, 'http://127.0.0.1');
  const inApi = url.pathname === API_BASE || url.pathname.startsWith(API_BASE + '/');
  const head = ex.method === 'HEAD';
  const response = {
    statusCode: ex.status,
    headers: ex.headers,
    body: head ? undefined : decodeBody(ex, violations),
  };
  // The contract's conventions: HEAD answers like GET without the body, and one trailing slash
  // names the same route.
  let route = inApi ? url.pathname.slice(API_BASE.length) || '/' : url.pathname;
  if (route.length > 1 && route.endsWith('/')) route = route.slice(0, -1);
  const input = {
    method: (head ? 'get' : ex.method).toLowerCase(),
    url: {
      path: route,
      query: Object.fromEntries(url.searchParams),
    },
    headers: {},
    body: undefined,
    __response: response,
  };
  // Paths under /api/v1 match the API's operations; the others only the operations served from
  // the server root (sandbox page, webhooks), so /billing/status outside /api/v1 is unrouted.
  const candidates = operations.filter((op) => inApi === op.__api);
  let result = await prism.request(input, candidates)();
  let found = [];

  if (result._tag === 'Right') {
    found = result.right.validations.output;
    const statusUnlisted = found.some((v) => v.message.startsWith(NO_STATUS_MATCH));
    if (statusUnlisted && ANY_REQUEST_ERRORS[ex.status])
      result = null; // allowed on any request: judged by the any-request operation below
  } else if (!/NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(result.left.name || '')) {
    violations.push(`prism: ${result.left.message || result.left}`);
    return violations;
  } else {
    result = null;
  }
  if (result === null) {
    const unrouted = { ...input, method: 'get', url: { path: UNROUTED, query: {} } };
    const r = await prism.request(unrouted, anyOps)();
    if (r._tag === 'Left') violations.push(`prism: ${r.left.message || r.left}`);
    else found = r.right.validations.output;
  }
  // A HEAD answer is a GET answer without its body.
  if (head) found = found.filter((v) => (v.path || [])[0] !== 'body');
  // Bounded, so that one answer line stays small whatever broke.
  const bytes = Buffer.from(ex.body_base64 || '', 'base64');
  return violations
    .concat(describe(found))
    .filter((m) => !waived(ex, bytes, m))
    .slice(0, MAX_VIOLATIONS)
    .map((m) => (m.length > 300 ? m.slice(0, 300) + '…' : m));
}

async function main() {
  const spec = path.resolve(process.argv[2] || path.join(__dirname, '../docs/openapi.yaml'));
  const doc = yaml.parse(fs.readFileSync(spec, 'utf8'));
  addAnyRequestOperation(doc);
  const all = await getHttpOperationsFromSpec(doc);
  const operations = all.filter((op) => op.path !== UNROUTED);
  const anyOps = all.filter((op) => op.path === UNROUTED);
  const prism = replayingPrism();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });

  for (const op of operations)
    op.__api = (op.servers || []).some((s) => /\/api\/v1\/?$/.test(s.url));
  process.stdout.write('{"ready":true}\n');
  for await (const line of lines) {
    let answer;
    try {
      const ex = JSON.parse(line);
      ex.headers = Object.fromEntries(
        Object.entries(ex.headers || {}).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const violations = await run(prism, operations, anyOps, ex);
      answer = violations.length ? { ok: false, violations } : { ok: true };
    } catch (e) {
      answer = { ok: false, violations: [`validator: ${e.stack || e}`] };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(`response-validator: ${e.stack || e}\n`);
  process.exit(1);
});
