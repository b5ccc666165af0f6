/*
 * engine_fixture.h - one default engine shared by the tests of a cmocka group.
 *
 * Included by test files that scan through the public API; pass the two
 * functions as the group's setup and teardown.
 */
#ifndef BW_TEST_ENGINE_FIXTURE_H
#define BW_TEST_ENGINE_FIXTURE_H

#include "beaconwatch.h"

static bw_engine *engine;

static int setup_engine(void **state) {
  (void)state;
  bw_error err;
  return bw_engine_new(NULL, &engine, &err) == BW_OK ? 0 : -1;
}

static int teardown_engine(void **state) {
  (void)state;
  bw_engine_free(engine);
  return 0;
}

#endif
