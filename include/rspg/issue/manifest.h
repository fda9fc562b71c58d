/*
 * manifest.h: manifest.json, the machine interface of a build: every file, what it is,
 * and how it must validate ({"schema": "rsp-pkigen/manifest/1", "artifacts": [...]}).
 * Written with jansson: a maintained JSON library gets escaping and number formatting
 * right, and reads the manifest back for `verify`.
 */
#ifndef RSPG_MANIFEST_H
#define RSPG_MANIFEST_H

#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

#define RSPG_MANIFEST_SCHEMA "rsp-pkigen/manifest/1"

/* Returns the manifest text (a new string, free with free()), keys in a fixed order and
 * artifacts sorted by path, so that equal builds give equal bytes. */
char *rspg_manifest_json(const rspg_build_result *r, const rspg_profile *p);

#endif
