/* jx-test.h — a minimal check harness for the unit tests.
 *
 * Each test program runs its checks, prints one line per failed check (file:line and the
 * values), and exits non-zero if any failed, so meson (and CI) see the failure.
 * JX_TEST_MAIN() prints "name: N checks, M failed" at the end.
 */
#pragma once

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int jx_test_checks;
static int jx_test_failures;

#define JX_CHECK(cond)                                                                  \
  do {                                                                                  \
    jx_test_checks++;                                                                   \
    if (!(cond))                                                                        \
      {                                                                                 \
        jx_test_failures++;                                                             \
        fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      }                                                                                 \
  } while (0)

#define JX_CHECK_MSG(cond, ...)                                                         \
  do {                                                                                  \
    jx_test_checks++;                                                                   \
    if (!(cond))                                                                        \
      {                                                                                 \
        jx_test_failures++;                                                             \
        fprintf (stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);       \
        fprintf (stderr, __VA_ARGS__);                                                  \
        fputc ('\n', stderr);                                                           \
      }                                                                                 \
  } while (0)

#define JX_CHECK_INT(a, b)                                                              \
  do {                                                                                  \
    long long jx_a_ = (long long) (a), jx_b_ = (long long) (b);                         \
    JX_CHECK_MSG (jx_a_ == jx_b_, "%s = %lld, %s = %lld", #a, jx_a_, #b, jx_b_);        \
  } while (0)

/* |a − b| ≤ tol_abs + tol_rel·max(|a|, |b|) */
#define JX_CHECK_CLOSE(a, b, tol_rel, tol_abs)                                          \
  do {                                                                                  \
    double jx_a_ = (double) (a), jx_b_ = (double) (b);                                  \
    double jx_s_ = fmax (fabs (jx_a_), fabs (jx_b_));                                   \
    JX_CHECK_MSG (fabs (jx_a_ - jx_b_) <= (tol_abs) + (tol_rel) * jx_s_,                \
                  "%s = %.17g, %s = %.17g", #a, jx_a_, #b, jx_b_);                      \
  } while (0)

#define JX_TEST_MAIN_END(name)                                                          \
  do {                                                                                  \
    printf ("%s: %d checks, %d failed\n", name, jx_test_checks, jx_test_failures);      \
    return jx_test_failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                         \
  } while (0)
