/*
 * cli_util.c: diagnostics printing and exit codes for the subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

int cli_pin_prompt(void *ctx, const char *uri, char *buf, size_t cap)
{
    (void)ctx;
    if (!isatty(STDIN_FILENO) || cap < 2)
        return -1;
    struct termios old, quiet;
    fprintf(stderr, "PIN for %s: ", uri);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char *r = fgets(buf, (int)cap, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    if (r == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

void cli_print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        const rspg_diag_entry *e = &d->entries[i];
        char *msg = rspg_diag_format(e);
        const char *sev = e->severity == RSPG_SEV_ERROR     ? "error"
                          : e->severity == RSPG_SEV_WARNING ? "warning"
                                                            : "note";
        fprintf(stderr, "rsp-pkigen: %s: %s\n", sev, msg);
        free(msg);
    }
}

/* The one mapping from library statuses to exit codes (cli.h, README.md "Exit status"). A
 * profile file that cannot be read comes as RSPG_E_PROFILE (exit 2) from the flows. */
int cli_exit_code(rspg_status rc)
{
    switch (rc) {
    case RSPG_OK:
        return EXIT_OK;
    case RSPG_E_USAGE:
    case RSPG_E_PROFILE:
        return EXIT_USAGE;
    case RSPG_E_INPUT:
        return EXIT_INPUT;
    case RSPG_E_IO:
    case RSPG_E_CRYPTO:
    case RSPG_E_VERIFY:
    case RSPG_E_INTERRUPTED:
        return EXIT_FAILURE_RUN;
    }
    return EXIT_FAILURE_RUN;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("rsp-pkigen: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_USAGE;
}
