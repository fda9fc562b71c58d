#include "rspg/rsp/rulebook.h"
