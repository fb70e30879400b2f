// phone.js: a phone's browser for the browser tests: headless Chromium (Debian's) driven over the
// DevTools protocol by puppeteer-core, answering one JSON command per line on stdin with one JSON
// line on stdout. The C test (browser_pages.c) starts it once per program.
//
//   node phone.js TOOLS_DIR CHROMIUM PROFILE_DIR
//
// First line out: {"ok":true,"ready":true,"browser":"Chrome/…"} or {"ok":false,"error":"…"}.
// Commands:
//   {"op":"open","url":U,"shot":PNG}          a new phone tab at U
//   {"op":"tap","button":"Pay","shot":PNG}    taps the button with that text, waits for the page
//   {"op":"quit"}
// Both page commands answer what the customer sees: the HTTP status, title, the body's text, the
// buttons, the widths that tell whether the page fits the screen (scrollWidth, innerWidth,
// screen.width, elements reaching past the screen's edge), requests that left loopback,
// and script errors; the screenshot (whole page, at the phone's pixel ratio) is written to PNG.
'use strict';

const path = require('path');
const readline = require('readline');
const { createRequire } = require('module');

const [toolsDir, chromium, profileDir] = process.argv.slice(2);
const STEP_MS = 15000; // any one navigation, tap or screenshot

// A phone: 390 x 844 CSS pixels at 3x (an iPhone 12-15 class screen), touch, a mobile browser's
// user agent, portrait.
const PHONE = {
  viewport: { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
              isLandscape: false },
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
             'Chrome/124.0.0.0 Mobile Safari/537.36',
};

function say(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

let browser = null;
let page = null;
let status = 0;
let foreign = [];
let errors = [];

async function newTab() {
  if (page) await page.close().catch(() => {});
  page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  await page.emulate(PHONE);
  foreign = [];
  errors = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.protocol !== 'data:')
      foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // The browser's own request for /favicon.ico (the pages name none) is not the page's error.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/\/favicon\.ico$/.test((m.location() || {}).url || ''))
      errors.push(m.text());
  });
}

// What the customer sees now.
async function describe(shot) {
  const seen = await page.evaluate(() => {
    const se = document.scrollingElement || document.documentElement;
    const meta = document.querySelector('meta[name=viewport]');
    // Held to the screen's width, not innerWidth: on a phone's viewport Chromium widens the
    // layout viewport to content that does not fit, so innerWidth grows with it.
    const wide = [];
    for (const el of document.body ? document.body.querySelectorAll('*') : []) {
      const r = el.getBoundingClientRect();
      if (r.right > screen.width + 0.5 || r.left < -0.5)
        wide.push(`${el.tagName.toLowerCase()} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return {
      title: document.title,
      h1: (document.querySelector('h1') || {}).innerText || '',
      text: document.body ? document.body.innerText : '',
      buttons: [...document.querySelectorAll('button')].map((b) => ({
        text: b.innerText.trim(),
        width: Math.round(b.getBoundingClientRect().width),
        height: Math.round(b.getBoundingClientRect().height),
      })),
      scrollWidth: se.scrollWidth,
      innerWidth: window.innerWidth,
      screenWidth: screen.width,
      viewportMeta: meta ? meta.content : '',
      wide,
    };
  });
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  return { ok: true, status, url: page.url(), ...seen, foreign, errors, shot: shot || '' };
}

async function open(cmd) {
  await newTab();
  const resp = await page.goto(cmd.url, { waitUntil: 'load' });
  status = resp ? resp.status() : 0;
  return describe(cmd.shot);
}

async function tap(cmd) {
  let target = null;
  for (const b of await page.$$('button')) {
    if ((await b.evaluate((e) => e.innerText.trim())) === cmd.button) target = b;
  }
  if (!target) return { ok: false, error: `no button "${cmd.button}" on ${page.url()}` };
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.tap()]);
  status = resp ? resp.status() : 0;
  return describe(cmd.shot);
}

async function main() {
  let puppeteer;
  try {
    puppeteer = createRequire(path.join(toolsDir, 'package.json'))('puppeteer-core');
  } catch (e) {
    say({ ok: false, error: `puppeteer-core is not installed in ${toolsDir}/node_modules ` +
                            `(scripts/install-deps --test): ${e.message}` });
    process.exit(1);
  }
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      userDataDir: profileDir,
      timeout: STEP_MS,
      // Without the background-networking flags Chromium's own connections are refused by a
      // closed network and it stalls; --disable-quic keeps it on TCP to the loopback server.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    say({ ok: false, error: `cannot start Chromium at ${chromium} (apt-get install chromium): ` +
                            e.message });
    process.exit(1);
  }
  say({ ok: true, ready: true, browser: await browser.version() });

  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (e) {
      say({ ok: false, error: `not JSON: ${line}` });
      continue;
    }
    if (cmd.op === 'quit') break;
    try {
      if (cmd.op === 'open') say(await open(cmd));
      else if (cmd.op === 'tap') say(await tap(cmd));
      else say({ ok: false, error: `unknown op ${cmd.op}` });
    } catch (e) {
      say({ ok: false, error: String(e && e.message ? e.message : e) });
    }
  }
  // stdin closed or "quit": the test is over (or gone); the browser goes with it.
  await browser.close().catch(() => {});
  process.exit(0);
}

main();
