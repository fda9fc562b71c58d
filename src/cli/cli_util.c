/*
 * cli_util.c: what the subcommands share: diagnostics printing and exit codes, reading an
 * input that may be '-' (standard input), writing an output (a file or stdout, JSON), and
 * password sources (env:VAR, file:PATH, the terminal) for the files a build encrypts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "rspg/base/file.h"
#include "rspg/base/suggest.h"
#include "rspg/rsp/role.h"

/* Reads one line on the terminal without echo, after PROMPT. */
static int read_hidden(const char *prompt, char *buf, size_t cap)
{
    if (!isatty(STDIN_FILENO) || cap < 2)
        return -1;
    struct termios old, quiet;
    fputs(prompt, stderr);
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

int cli_pin_prompt(void *ctx, const char *uri, char *buf, size_t cap)
{
    (void)ctx;
    char *prompt = rspg_xasprintf("PIN for %s: ", uri);
    int rc = read_hidden(prompt, buf, cap);
    free(prompt);
    return rc;
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

int cli_write_output(const char *path, const rspg_buf *data)
{
    int to_stdout = path == NULL || strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (f == NULL)
        return -1;
    int bad = fwrite(data->data, 1, data->len, f) != data->len || fflush(f) != 0 || ferror(f);
    int saved = errno;
    if (!to_stdout && fclose(f) != 0)
        bad = 1;
    errno = saved;
    return bad ? -1 : 0;
}

void cli_print_json(json_t *root, size_t flags)
{
    char *text = root ? json_dumps(root, flags) : NULL;
    if (text)
        puts(text);
    free(text);
    json_decref(root);
}

void cli_print_diag_prefixed(rspg_diag *sub, const char *prefix)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_diag_take_prefixed(&d, sub, prefix);
    cli_print_diag(&d);
    rspg_diag_fini(&d);
}

const char *cli_input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Standard input to its end, at most MAX bytes; -1 with errno set. */
static int read_stdin(size_t max, rspg_buf *out)
{
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        if (out->len + n > max) {
            errno = EFBIG;
            return -1;
        }
        rspg_buf_append(out, chunk, n);
    }
    if (ferror(stdin)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int cli_read_input(const char *path, size_t max, const char *what, rspg_buf *out)
{
    int rc = strcmp(path, "-") == 0 ? read_stdin(max, out) : rspg_read_file(path, max, out);
    if (rc != 0) {
        int err = errno;
        fprintf(stderr, "rsp-pkigen: error: %s: cannot read the %s: %s\n", cli_input_name(path),
                what, err == EFBIG ? "too large" : rspg_read_error(err));
    }
    return rc;
}

/* Reads a password twice on the terminal, without echo. */
static char *ask_password(const char *option)
{
    char a[256], b[256];
    if (!isatty(STDIN_FILENO)) {
        cli_usage_error("%s needs a password source when standard input is not a terminal: "
                        "%s=env:VAR or %s=file:PATH",
                        option, option, option);
        return NULL;
    }
    if (read_hidden("Password for the PKCS#12 files: ", a, sizeof(a)) != 0 ||
        read_hidden("The same password again: ", b, sizeof(b)) != 0) {
        cli_usage_error("%s: no password read", option);
        return NULL;
    }
    int same = strcmp(a, b) == 0;
    char *out = same ? rspg_xstrdup(a) : NULL;
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    if (!same)
        cli_usage_error("%s: the two passwords differ", option);
    return out;
}

/* The first line of FILE:PATH's file. */
static char *password_file(const char *path, const char *option)
{
    rspg_buf b;
    rspg_buf_init(&b);
    if (cli_read_input(path, 4096, "password file", &b) != 0) {
        rspg_buf_free(&b);
        return NULL;
    }
    size_t n = 0;
    while (n < b.len && b.data[n] != '\n' && b.data[n] != '\r')
        n++;
    char *out = rspg_xstrndup(b.data ? (const char *)b.data : "", n);
    OPENSSL_cleanse(b.data, b.len);
    rspg_buf_free(&b);
    (void)option;
    return out;
}

char *cli_password(const char *source, const char *option)
{
    if (source == NULL)
        return ask_password(option);
    if (strncmp(source, "env:", 4) == 0) {
        const char *v = getenv(source + 4);
        if (v == NULL || source[4] == '\0') {
            cli_usage_error("%s=%s: the environment variable '%s' is not set", option, source,
                            source + 4);
            return NULL;
        }
        return rspg_xstrdup(v);
    }
    if (strncmp(source, "file:", 5) == 0 && source[5] != '\0')
        return password_file(source + 5, option);
    if (strncmp(source, "pass:", 5) == 0)
        cli_usage_error("%s: a password on the command line is visible to every user (ps); "
                        "use %s=env:VAR or %s=file:PATH",
                        option, option, option);
    else
        cli_usage_error("%s: unknown password source '%s' (expected env:VAR or file:PATH)", option,
                        source);
    return NULL;
}

int cli_bad_role(const char *bad)
{
    const char *names[RSPG_ROLE_EIM_TLS + 1];
    for (int r = 0; r <= RSPG_ROLE_EIM_TLS; r++)
        names[r] = rspg_role_name((rspg_role)r);
    char *hint = rspg_suggest_hint(bad, names, RSPG_ROLE_EIM_TLS + 1);
    cli_usage_error("unknown role '%s'%s", bad, hint);
    free(hint);
    return EXIT_USAGE;
}

int cli_bad_variant(const char *bad)
{
    static const char *const variants[] = {"O", "Ov3", "A", "B", "C"};
    char *hint = rspg_suggest_hint(bad, variants, 5);
    cli_usage_error("unknown variant '%s'%s", bad, hint);
    free(hint);
    return EXIT_USAGE;
}
