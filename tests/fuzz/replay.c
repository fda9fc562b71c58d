/*
 * replay.c: runs a fuzz target's LLVMFuzzerTestOneInput over files and folders without
 * libFuzzer, so that the seed corpora and every crash input added to them are regression
 * tests of the ordinary (gcc, and ASan + UBSan) builds: `fuzz_TARGET_replay PATH...`.
 * Prints "N passed, 0 failed" (an input "passes" when the target returns; a bug aborts).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path, size_t *n)
{
    /* plain stdio: fuzz_profile wraps rspg_read_file to refuse every path. The input is
     * read into a buffer of exactly its size, as libFuzzer gives it (ASan sees overreads). */
    FILE *f = fopen(path, "rb");
    long len = -1;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || len > (1L << 20) ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    uint8_t *data = malloc(len ? (size_t)len : 1);
    if (data == NULL)
        abort();
    if (fread(data, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        fclose(f);
        free(data);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(data, (size_t)len);
    free(data);
    printf("ok     %s\n", path);
    (*n)++;
    return 0;
}

static int run_path(const char *path, size_t *n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: no such file or folder: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path, n);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (count + 1) * sizeof(*names));
        if (names == NULL)
            abort();
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[count] = malloc(len);
        if (names[count] == NULL)
            abort();
        snprintf(names[count++], len, "%s/%s", path, e->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof(*names), cmp);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        rc |= run_path(names[i], n);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    int rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        rc |= run_path(argv[i], &n);
    if (n == 0)
        rc = -1; /* an empty corpus is a mistake, not a pass */
    printf("%zu passed, %d failed\n", n, rc ? 1 : 0);
    return rc ? 1 : 0;
}
