/* command.c: an exec request checked byte by byte, split at blanks (no shell, no quoting), and
 * held to the shop's commands and the options sett gives them. */
#include "ssh/command.h"
#include "ssh/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define COMMAND_EXAMPLE  "ssh HOST services --json"
#define COMMAND_ECHO_MAX 32 /* a refused word is repeated only when short and plain ASCII */

/* The options each command takes, as sett names them (screens/cli.c); "name=" takes a value.
 * Any other (--api, --api-key-file, --data-dir, abbreviations) would reach past the session. */
struct command_spec {
    const char *name;
    const char *options[3];
    const char *help; /* the options, for the refusal */
};

static const struct command_spec command_specs[] = {
    {"products", {"category=", "search="}, "--category SLUG, --search TEXT, --json, --help"},
    {"services", {"status="}, "--status STATUS, --json, --help"},
    {"invoices", {"status="}, "--status STATUS, --json, --help"},
    {"credits", {"transactions"}, "--transactions, --json, --help"},
};
#define N_SPECS (sizeof command_specs / sizeof command_specs[0])

static const char *const command_common[] = {"json", "help"};

/* Length of the UTF-8 sequence at s (of n bytes), 0 when it is not one or is a C1 control. */
static size_t command_utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] == 0xC2 && n > 1 && s[1] < 0xA0)
        return 0; /* U+0080-U+009F */
    return text_utf8_len(s, n);
}

/* 0 when every byte is a printable character, a blank or UTF-8 text; else the refusal's line. */
static int command_check_bytes(const char *text, size_t len, char *msg, size_t msgsz)
{
    const unsigned char *s = (const unsigned char *)text;

    for (size_t i = 0; i < len; i++) {
        if (s[i] >= 0x80) {
            size_t n = command_utf8_len(s + i, len - i);
            if (n == 0) {
                snprintf(msg, msgsz,
                         "settd: the command is not UTF-8 text or holds control characters");
                return -1;
            }
            i += n - 1;
        } else if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F) {
            snprintf(msg, msgsz,
                     "settd: the command holds control characters (or a NUL byte); send plain "
                     "words, as in `" COMMAND_EXAMPLE "`");
            return -1;
        } else if (strchr("'\"`\\$;&|<>()*?[]{}~!#", s[i])) {
            snprintf(msg, msgsz,
                     "settd: no shell runs commands here: quotes and characters such as ; | $ * "
                     "are not taken; send plain words, as in `" COMMAND_EXAMPLE "`");
            return -1;
        }
    }
    return 0;
}

/* `word` in quotes when it is short plain ASCII (it passed command_check_bytes), else "it". */
static const char *command_echo(const char *word, char *buf, size_t n)
{
    size_t len = strlen(word);

    for (size_t i = 0; i < len; i++)
        if ((unsigned char)word[i] >= 0x80)
            return "that word";
    if (len > COMMAND_ECHO_MAX)
        return "that word";
    snprintf(buf, n, "'%s'", word);
    return buf;
}

/* True when `word` is an option the command takes ("--json", "--status=paid", "--status"), with
 * `next_value` set when its value is the next word. */
static bool command_option_ok(const struct command_spec *spec, const char *word, bool *next_value)
{
    const char *name, *eq;
    size_t nlen;

    *next_value = false;
    if (strncmp(word, "--", 2) != 0 || !word[2])
        return false;
    name = word + 2;
    eq = strchr(name, '=');
    nlen = eq ? (size_t)(eq - name) : strlen(name);
    for (size_t i = 0; i < sizeof command_common / sizeof command_common[0]; i++)
        if (!eq && strcmp(name, command_common[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof spec->options / sizeof spec->options[0]; i++) {
        const char *o = spec->options[i];
        size_t olen;
        bool valued;
        if (!o)
            break;
        olen = strcspn(o, "=");
        valued = o[olen] == '=';
        if (olen != nlen || strncmp(o, name, olen) != 0)
            continue;
        if (!valued)
            return !eq;
        *next_value = !eq;
        return true;
    }
    return false;
}

/* Splits `out->words` (a copy of the request) at blanks. 0, or -1 when there are too many. */
static int command_split(struct command *out)
{
    char *p = out->words;

    out->argc = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (out->argc >= COMMAND_MAX_WORDS)
            return -1;
        out->argv[out->argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    out->argv[out->argc] = NULL;
    return 0;
}

int command_parse(const char *text, size_t len, struct command *out, char *msg, size_t msgsz)
{
    const struct command_spec *spec = NULL;
    char echo[COMMAND_ECHO_MAX + 3];

    memset(out, 0, sizeof *out);
    if (len > COMMAND_MAX_LEN) {
        snprintf(msg, msgsz, "settd: the command is too long (at most %d bytes)", COMMAND_MAX_LEN);
        return COMMAND_NOT_FOUND;
    }
    if (command_check_bytes(text, len, msg, msgsz) != 0)
        return COMMAND_NOT_FOUND;
    memcpy(out->words, text, len);
    out->words[len] = '\0';
    if (command_split(out) != 0) {
        snprintf(msg, msgsz, "settd: the command is too long (at most %d words)",
                 COMMAND_MAX_WORDS);
        return COMMAND_NOT_FOUND;
    }
    for (size_t i = 0; out->argc > 0 && i < N_SPECS; i++)
        if (strcmp(out->argv[0], command_specs[i].name) == 0)
            spec = &command_specs[i];
    if (!spec) {
        snprintf(msg, msgsz,
                 "settd: %s%s the shop's commands are products, services, invoices and "
                 "credits, as in `" COMMAND_EXAMPLE "`",
                 out->argc ? command_echo(out->argv[0], echo, sizeof echo) : "no command:",
                 out->argc ? " is not a shop command;" : "");
        return COMMAND_NOT_FOUND;
    }
    for (int i = 1; i < out->argc; i++) {
        bool next_value;
        if (!command_option_ok(spec, out->argv[i], &next_value)) {
            snprintf(msg, msgsz, "settd: %s does not take %s over SSH; it takes %s", spec->name,
                     command_echo(out->argv[i], echo, sizeof echo), spec->help);
            return COMMAND_USAGE;
        }
        if (next_value && i + 1 < out->argc)
            i++; /* the value, whatever it says: sett's option parser reads it the same way */
    }
    msg[0] = '\0';
    return COMMAND_OK;
}
