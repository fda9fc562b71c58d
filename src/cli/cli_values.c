/*
 * cli_values.c: option values several subcommands share (cli.h): dates (--clock, --at,
 * RFC 3339 as base/time.h reads them), a number of days (--days), and repeatable options
 * (--var, --ci, ...) and comma-separated lists (--only, --variant, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rspg/base/time.h"

int cli_parse_date(const char *option, const char *arg, int64_t *t, int *given)
{
    if (rspg_parse_rfc3339(arg, t) != 0)
        return cli_usage_error("%s '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", option, arg);
    *given = 1;
    return CLI_PROCEED;
}

int cli_parse_days(const char *arg, long long *days)
{
    char *end = NULL;
    long long n = strtoll(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || n < 1 || n > 36500)
        return cli_usage_error("--days takes a number of days from 1 to 36500, not '%s'", arg);
    *days = n;
    return CLI_PROCEED;
}

void cli_push(const char ***v, size_t *n, const char *arg)
{
    *v = rspg_xrealloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = arg;
}

void cli_push_list(char ***v, size_t *n, const char *arg)
{
    char *copy = rspg_xstrdup(arg), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        *v = rspg_xrealloc(*v, (*n + 1) * sizeof(char *));
        (*v)[(*n)++] = rspg_xstrdup(tok);
    }
    free(copy);
}

void cli_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
