// The test runner: every TEST of tests/unit/*_test.cpp, in link order.
#include "check.h"

int main() { return unit::run_all(); }
