/* test-option-ranges.c — the option range table (shared by `junipr` and the app's dialogs)
 * against the core's own checks: every value the table allows for the generator passes
 * jx_gen_config_validate (αs and the cutoff each with the other at its most lenient), and
 * where the core has a bound of its own the table's is the same;
 * the table's model sizes are accepted by jx_model_config_check. */
#include <math.h>
#include <string.h>

#include "jx-generator.h"
#include "jx-model.h"
#include "jx-option-ranges.h"
#include "jx-test.h"

typedef struct {
  const char *option;
  double *field;
  bool core_bounds_lo, core_bounds_hi;   /* does jx_gen_config_validate bound it there? */
} GenField;

/* αs(m_Z) and the shower cutoff are also checked together (the coupling at the cutoff must
 * stay below 2): each end of one is tried with the most lenient value of the other. */
static void
lenient_partner (JxGenConfig *cfg, const char *option)
{
  if (strcmp (option, "--alpha-s") == 0)
    cfg->pt_min = jx_option_range ("generate", "--pt-min")->hi;
  else if (strcmp (option, "--pt-min") == 0)
    cfg->alpha_s = jx_option_range ("generate", "--alpha-s")->lo;
}

static bool
gen_ok (const JxGenConfig *cfg)
{
  JxError err = { 0 };
  return jx_gen_config_validate (cfg, &err) == 0;
}

static void
check_generator (void)
{
  JxGenConfig cfg;
  GenField fields[] = {
    { "--alpha-s", &cfg.alpha_s, true, true },
    { "--sqrt-s", &cfg.sqrt_s, true, true },
    { "--pt-min", &cfg.pt_min, true, true },
    { "--esub", &cfg.esub, true, false },
    { "--rsub", &cfg.rsub, true, false },  /* the core allows up to π, the CLI 3.14159 */
    { "--f-long", &cfg.f_long, true, true },
  };

  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    {
      const JxOptionRange *r = jx_option_range ("generate", fields[i].option);
      JX_CHECK_MSG (r != NULL, "no range for generate %s", fields[i].option);
      if (r == NULL)
        continue;
      double step = 1e-6 * fmax (1.0, fabs (r->hi));
      jx_gen_config_default (&cfg);
      lenient_partner (&cfg, r->option);
      *fields[i].field = r->lo;
      JX_CHECK_MSG (gen_ok (&cfg), "%s = %g (the table's lowest) refused", r->option, r->lo);
      *fields[i].field = r->hi;
      JX_CHECK_MSG (gen_ok (&cfg), "%s = %g (the table's highest) refused", r->option, r->hi);
      JX_CHECK (jx_option_range_allows (r, r->lo) && jx_option_range_allows (r, r->hi));
      JX_CHECK (!jx_option_range_allows (r, r->lo - step) && !jx_option_range_allows (r, r->hi + step));
      if (fields[i].core_bounds_lo)
        {
          *fields[i].field = r->lo - step;
          JX_CHECK_MSG (!gen_ok (&cfg), "%s = %g below the table accepted by the core", r->option,
                        r->lo - step);
        }
      if (fields[i].core_bounds_hi)
        {
          *fields[i].field = r->hi + step;
          JX_CHECK_MSG (!gen_ok (&cfg), "%s = %g above the table accepted by the core", r->option,
                        r->hi + step);
        }
    }
}

static void
check_model (void)
{
  const char *options[] = { "--hidden", "--dense", "--max-mult" };

  for (size_t i = 0; i < 3; i++)
    {
      const JxOptionRange *r = jx_option_range ("train", options[i]);
      JX_CHECK (r != NULL && r->integer);
      if (r == NULL)
        continue;
      for (int end = 0; end < 2; end++)
        {
          JxModelConfig cfg;
          JxError err = { 0 };
          int v = (int) (end == 0 ? r->lo : r->hi);
          jx_model_config_default (&cfg);
          if (i == 0)
            cfg.hidden = v;
          else if (i == 1)
            cfg.dense = v;
          else
            cfg.max_mult = v;
          JX_CHECK_MSG (jx_model_config_check (&cfg, &err) == 0, "%s = %d: %s", r->option, v,
                        err.message);
        }
      JX_CHECK (!jx_option_range_allows (r, r->lo + 0.5));  /* counts are whole */
    }
}

int
main (void)
{
  check_generator ();
  check_model ();
  JX_CHECK (jx_option_range ("train", "--no-such-option") == NULL);
  JX_CHECK (jx_option_range ("reweight", "--clip") != NULL
            && jx_option_range_allows (jx_option_range ("reweight", "--clip"), 0.0));
  JX_CHECK (!jx_option_range_allows (jx_option_range ("sample", "--jets"), NAN));
  JX_TEST_MAIN_END ("option-ranges");
}
