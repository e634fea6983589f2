/* jx-shower.h — pT-ordered Catani–Seymour dipole final-state parton shower (PHYSICS.md §1).
 *
 * One colour-singlet system (a q q̄ pair) is showered at a time inside a shared event record:
 * put the q and q̄ at the end of the record (jx_shower_event_add_pair) and call
 * jx_shower_system on them. Emissions are appended to the record; nothing connects two
 * systems. Partons are massless; every branching maps two on-shell momenta to three with the
 * same sum (CS final–final local recoil), so Σp is conserved to rounding.
 *
 * Hot path: no heap allocation once the event record has grown to the typical size; one
 * JxShowerEvent per thread, reused with jx_shower_event_clear.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-momentum.h"
#include "jx-rng.h"

/* Colour factors and flavours (PHYSICS.md §0). */
#define JX_SHOWER_CF (4.0 / 3.0)
#define JX_SHOWER_CA 3.0
#define JX_SHOWER_TR 0.5
#define JX_SHOWER_NF 5
#define JX_SHOWER_MZ 91.1876

/* Indices of the kernel knobs in JxShowerParams.kernel (PHYSICS.md §1.5). */
enum {
  JX_KNOB_D_QQ = 0, JX_KNOB_F_QQ, JX_KNOB_C_QQ,
  JX_KNOB_D_GG, JX_KNOB_F_GG, JX_KNOB_C_GG,
  JX_KNOB_F_GQ, JX_KNOB_C_GQ,
  JX_N_KNOBS
};

typedef enum {
  JX_PARTON_QUARK = 0,
  JX_PARTON_ANTIQUARK = 1,
  JX_PARTON_GLUON = 2,
} JxPartonKind;

typedef struct {
  JxP4 p;
  int col;         /* c(i): the parton whose anticolour closes i's colour line; −1 for q̄ */
  int acol;        /* a(i): the parton whose colour closes i's anticolour line; −1 for q */
  int8_t kind;     /* JxPartonKind */
  int8_t flavour;  /* 1..5 = d u s c b for (anti)quarks, 0 for gluons; a label only */
  int16_t system;  /* which colour singlet the parton belongs to */
} JxParton;

/* The event record plus the per-end trial scratch of the veto loop (end e = 2·parton + side,
 * side 0 = colour end, 1 = anticolour end). Grows as needed, never shrinks. */
typedef struct {
  JxParton *partons;
  size_t n, cap;
  double *trial;   /* [2·cap] trial t of each end, 0 = none above the cutoff */
  double *q2;      /* [2·cap] dipole mass² 2 p_i·p_k at the time of the trial */
} JxShowerEvent;

void jx_shower_event_init (JxShowerEvent *ev);
void jx_shower_event_free (JxShowerEvent *ev);
static inline void
jx_shower_event_clear (JxShowerEvent *ev)
{
  ev->n = 0;
}
/* Make room for at least n partons. */
int jx_shower_event_reserve (JxShowerEvent *ev, size_t n, JxError *err);
/* Append a colour-connected q (momentum q) and q̄ (momentum qbar) of the given flavour as a new
 * system; returns the index of the quark (the q̄ follows it) or a negative JxStatus. */
int jx_shower_event_add_pair (JxShowerEvent *ev, JxP4 q, JxP4 qbar, int flavour, int system,
                              JxError *err);

typedef struct {
  double alpha_s_mz;          /* αs(m_Z), 1-loop, n_f = 5 */
  double pt_min;              /* cutoff t_c = pt_min² */
  bool mec;                   /* first-emission matrix-element correction */
  double kernel[JX_N_KNOBS];  /* D_qq,F_qq,C_qq,D_gg,F_gg,C_gg,F_gq,C_gq */
} JxShowerParams;

/* Defaults: αs(m_Z) = 0.1365, pT_min = 1 GeV, MEC on, kernels 1,1,0,1,1,0,1,0. */
void jx_shower_params_default (JxShowerParams *params);

/* Parameters with the derived constants of the veto algorithm. */
typedef struct {
  JxShowerParams params;
  double b0;         /* (33 − 2 n_f)/(12π) */
  double lambda2;    /* Λ² = m_Z² exp(−1/(b0 αs(m_Z))) */
  double t_c;        /* pt_min² */
  double a_qq, a_gg, a_gq;       /* kernel bounds A (PHYSICS.md §1.6) */
  double i_q, i_gsoft, i_gsplit; /* overestimate integrals: I = i_q·L_c, i_gsoft·L_c + i_gsplit */
} JxShower;

/* Derive the constants. Refuses αs(t_c) > 2, t_c ≤ Λ², negative or non-finite knobs, and MEC
 * with non-default kernels; the message names the option (--alpha-s, --pt-min, --kernel, --mec). */
int jx_shower_init (JxShower *sh, const JxShowerParams *params, JxError *err);

/* 1-loop αs(t) = 1/(b0 ln(t/Λ²)). */
double jx_shower_alpha_s (const JxShower *sh, double t);

typedef enum {
  JX_CHANNEL_Q_QG = 0,  /* q → q g (also q̄ → q̄ g) */
  JX_CHANNEL_G_GG = 1,
  JX_CHANNEL_G_QQ = 2,
} JxChannel;

/* One accepted branching, as passed to the hook. */
typedef struct {
  int emitter, emitted, spectator;  /* i, j, k in the event record after the branching */
  int side;                         /* 0 colour end, 1 anticolour end */
  JxChannel channel;
  double t, z, y, phi, q2;          /* evolution variable kT², CS variables, dipole Q² */
  bool first;                       /* the system's first emission (MEC applied if on) */
} JxShowerEmission;

/* Called after every accepted branching (tests: colour invariants, first-emission spectra). */
typedef void (*JxShowerHook) (void *user, const JxShowerEvent *ev, const JxShowerEmission *em);

typedef struct {
  uint64_t emissions, trials, g_to_qq;
} JxShowerCounts;

/* Shower the system whose q is at index first (its q̄ at first + 1, both the last partons in the
 * record) from t = Q²/4 down to t_c. max_emissions > 0 stops after that many emissions.
 * hook may be NULL. counts (may be NULL) are incremented. Returns 0 or JX_ERR_NOMEM. */
int jx_shower_system (const JxShower *sh, JxShowerEvent *ev, size_t first, JxRng *rng,
                      int max_emissions, JxShowerHook hook, void *hook_user,
                      JxShowerCounts *counts, JxError *err);

/* Building blocks, exposed for the tests. */

/* Transverse unit vectors of PHYSICS.md §1.4: e1·P = e1·K = e2·P = e2·K = e1·e2 = 0,
 * e1² = e2² = −1. */
void jx_shower_transverse (JxP4 P, JxP4 K, JxP4 *e1, JxP4 *e2);

/* The CS final–final map of §1.3: (P, K) with variables (z, y, φ) → (p_i, p_j, p_k). */
void jx_shower_map (JxP4 P, JxP4 K, double z, double y, double phi,
                    JxP4 *pi, JxP4 *pj, JxP4 *pk);

/* Matrix-element correction factor R_ME(z, y) of §1.8 for a q → q g emission off a
 * q q̄ dipole; lies in [1/2, 1]. */
double jx_shower_mec_ratio (double z, double y);
