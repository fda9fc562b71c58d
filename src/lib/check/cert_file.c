/*
 * cert_file.c: one certificate file through a check (cert_file.h): what rspg_lint_file and
 * rspg_show_file share.
 */
#include "rspg/check/cert_file.h"

#include "rspg/base/buf.h"
#include "rspg/base/file.h"

rspg_status rspg_cert_file_check(const char *path, rspg_cert_check_fn check, const void *opts,
                                 void *out, rspg_diag *d)
{
    rspg_buf raw;
    rspg_buf_init(&raw);
    if (rspg_read_file(path, RSPG_CERT_FILE_MAX, &raw) != 0) {
        rspg_buf_free(&raw);
        return rspg_fail(d, RSPG_E_IO, "%s: cannot be read (or larger than 16 MiB)", path);
    }
    rspg_diag sub;
    rspg_diag_init(&sub);
    rspg_status rc = check(opts, out, raw.data, raw.len, &sub);
    rspg_diag_take_prefixed(d, &sub, path);
    rspg_buf_free(&raw);
    return rc;
}
