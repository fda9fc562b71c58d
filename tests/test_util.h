/*
 * test_util.h: helpers shared by the unit tests (paths to the source tree and shared/).
 */
#ifndef RSPG_TEST_UTIL_H
#define RSPG_TEST_UTIL_H
#endif
