/* jx-fastjet-shim.h — a plain C interface to FastJet 3.4, the independent reference for the
 * clustering tests and benches. Momenta are double arrays of n rows (E, px, py, pz).
 * Algorithm codes: 0 C/A, 1 kt, 2 anti-kt (ee_genkt, or genkt for the pp functions, with
 * p = 0, 1, −1).
 * Nothing here uses libjunipr: the JUNIPR sequence is rebuilt from FastJet's history. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* ee_genkt_algorithm(R, p) inclusive jets in the order of their beam steps in the history
 * (forward), their 4-momenta into jets (n rows), and for each input the index of its jet.
 * Returns the number of jets, or −1 on a FastJet error. */
int jxfj_genkt_inclusive (const double *p, int n, double p_exp, double R, double *jets,
                          int *assign);

/* The same for the pp metric: genkt_algorithm(R, p) (longitudinally invariant, E scheme). */
int jxfj_pp_genkt_inclusive (const double *p, int n, double p_exp, double R, double *jets,
                             int *assign);

/* ee_kt_algorithm exclusive_jets(njets): the jets ordered by their lowest constituent
 * index, and for each input the index of its jet. Returns the number of jets or −1. */
int jxfj_durham_exclusive (const double *p, int n, int njets, double *jets, int *assign);

/* The JUNIPR declustering sequence: subjet step (ee_genkt p = 0 at R = rsub, rsub > 0;
 * then E ≥ esub when esub > 0), then one tree by ee_genkt with R = 4 > π for the algorithm.
 * subjets (optional, n rows) receives the kept subjets (forward history order), mother
 * (n−1) the mother index sequence, branch ((n−1) rows) (z, θ, φ, δ), merges (optional,
 * 2(n−1)) the two history indices merged at each step. Returns the number of kept subjets
 * (the tree has that many leaves), or −1. */
int jxfj_junipr (const double *p, int n, int algorithm, double rsub, double esub,
                 double *subjets, int *mother, double *branch, int *merges);

/* jxfj_junipr for the pp metric, as the JUNIPR authors' converter: subjet step genkt p = 0 at
 * R = rsub, then one tree by genkt_algorithm with R = tree_R (the authors use 7) read from
 * the full history. Returns −1 also when FastJet's history has a beam step before the last
 * merge (the particles do not all fit into one jet of radius tree_R). */
int jxfj_junipr_pp (const double *p, int n, int algorithm, double rsub, double esub,
                    double tree_R, double *subjets, int *mother, double *branch, int *merges);

/* Only the tree clustering (ClusterSequence construction) for timing; returns the root's
 * energy so the work cannot be optimized away. */
double jxfj_cluster_only (const double *p, int n, int algorithm);
/* The same for the pp tree: genkt_algorithm at R = 7. */
double jxfj_cluster_only_pp (const double *p, int n, int algorithm);

/* The primary Lund plane of the C/A tree after the subjet step (as jxfj_junipr): declustered
 * from the jet following the more energetic parent, Δ = angle between the parents and
 * k_t = E_softer sin Δ of each declustering into delta and kt (capacity cap). Returns the
 * number of emissions, or −1 (FastJet error, or no subjet left). */
int jxfj_lund_primary (const double *p, int n, double rsub, double esub, double *delta,
                       double *kt, int cap);

#ifdef __cplusplus
}
#endif
