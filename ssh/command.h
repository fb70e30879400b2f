/* command.h: the shop's commands over SSH (`ssh HOST services --json`): which exec requests settd
 * runs as `sett COMMAND …`, split into words without a shell. */
#ifndef SETT_SSH_COMMAND_H
#define SETT_SSH_COMMAND_H

#include <stddef.h>

#define COMMAND_MAX_LEN   512 /* bytes of the request */
#define COMMAND_MAX_WORDS 16

/* Exit statuses of a refused request, documented in settd(8). */
enum command_refusal {
    COMMAND_OK = 0,
    COMMAND_USAGE = 2, /* a shop command with an option settd does not pass: sett's usage */
    COMMAND_NOT_FOUND =
        127, /* not a shop command: a shell line, an unknown word, empty, too long */
};

struct command {
    char words[COMMAND_MAX_LEN + 1];         /* the words, each ended by a NUL */
    const char *argv[COMMAND_MAX_WORDS + 1]; /* into words; NULL-terminated; argv[0] the command */
    int argc;
};

/* Parses an exec request of `len` bytes. Returns COMMAND_OK with `out` filled, or the exit status
 * of the refusal with one line for the client's stderr (no newline, no byte of the request that
 * is not plain printable text) in `msg`. */
int command_parse(const char *text, size_t len, struct command *out, char *msg, size_t msgsz);

#endif
