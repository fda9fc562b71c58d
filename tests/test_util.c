/* test_util.c: helpers shared by the unit tests. */
#include "test_util.h"
