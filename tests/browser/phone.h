/* phone.h: a phone's browser for a test: tests/browser/phone.js (puppeteer-core driving headless
 * Chromium at a phone's viewport) as a child process, one JSON command and answer per line. */
#ifndef SETT_TEST_PHONE_H
#define SETT_TEST_PHONE_H

#include <cjson/cJSON.h>

struct phone;

/* Starts `node script tools_dir chromium profile_dir` and waits (at most timeout_ms) for the
 * browser to be up. NULL on failure, with the reason on stderr (no Node.js, no puppeteer-core,
 * no Chromium: each a failure, never a skip). */
struct phone *phone_start(const char *node, const char *script, const char *tools_dir,
                          const char *chromium, const char *profile_dir, int timeout_ms);
/* Opens `url` in a new phone tab and writes a screenshot to `shot`. What the page shows (see
 * phone.js: status, title, h1, text, buttons, scrollWidth, innerWidth, viewportMeta, wide,
 * foreign, errors), free with cJSON_Delete; NULL on failure (reason on stderr). */
cJSON *phone_open(struct phone *p, const char *url, const char *shot, int timeout_ms);
/* Taps the button whose text is `button`, waits for the page it leads to, screenshot to `shot`.
 */
cJSON *phone_tap(struct phone *p, const char *button, const char *shot, int timeout_ms);
/* Closes the browser (then SIGKILL to the driver's process group if it lingers). Takes NULL,
 * clears the pointer. */
void phone_stop(struct phone **p);

#endif
