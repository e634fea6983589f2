// jx-fastjet-shim.cc — see jx-fastjet-shim.h. Written against FastJet's public API only.
#include "jx-fastjet-shim.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fastjet/ClusterSequence.hh>
#include <fastjet/JetDefinition.hh>
#include <fastjet/PseudoJet.hh>

namespace {

// FastJet prints a banner on its first clustering; the tests and benches print numbers.
void
quiet ()
{
  static bool done = false;
  if (!done)
    fastjet::ClusterSequence::set_fastjet_banner_stream (nullptr);
  done = true;
}

std::vector<fastjet::PseudoJet>
to_pseudojets (const double *p, int n)
{
  quiet ();
  std::vector<fastjet::PseudoJet> v;
  v.reserve (n);
  for (int i = 0; i < n; i++)
    {
      fastjet::PseudoJet j (p[4 * i + 1], p[4 * i + 2], p[4 * i + 3], p[4 * i]);
      j.set_user_index (i);
      v.push_back (j);
    }
  return v;
}

void
store (const fastjet::PseudoJet &j, double *row)
{
  row[0] = j.E ();
  row[1] = j.px ();
  row[2] = j.py ();
  row[3] = j.pz ();
}

double
genkt_p (int algorithm)
{
  return algorithm == 0 ? 0.0 : (algorithm == 1 ? 1.0 : -1.0);
}

// Opening angle from unit vectors: 2 atan2(|â − b̂|, |â + b̂|), accurate at all angles.
double
angle (const fastjet::PseudoJet &a, const fastjet::PseudoJet &b)
{
  double na = a.modp (), nb = b.modp ();
  if (na == 0 || nb == 0)
    return 0.0;
  double d[3] = { a.px () / na - b.px () / nb, a.py () / na - b.py () / nb,
                  a.pz () / na - b.pz () / nb };
  double s[3] = { a.px () / na + b.px () / nb, a.py () / na + b.py () / nb,
                  a.pz () / na + b.pz () / nb };
  return 2 * std::atan2 (std::sqrt (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]),
                         std::sqrt (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]));
}

// Azimuth of v around axis: e_z = axis, e_x ∝ (0,1,0) × e_z (or (1,0,0) × e_z), e_y = e_z × e_x.
double
azimuth (const fastjet::PseudoJet &axis, const fastjet::PseudoJet &v)
{
  double n = axis.modp ();
  if (n == 0)
    return 0.0;
  double ez[3] = { axis.px () / n, axis.py () / n, axis.pz () / n };
  double ex[3] = { ez[2], 0.0, -ez[0] };  // (0,1,0) × e_z
  double l = std::sqrt (ex[0] * ex[0] + ex[2] * ex[2]);
  if (l < 1e-12)
    {
      ex[0] = 0.0;  // (1,0,0) × e_z = (0, −e_z.z, e_z.y)
      ex[1] = -ez[2];
      ex[2] = ez[1];
      l = std::sqrt (ex[1] * ex[1] + ex[2] * ex[2]);
    }
  for (double &c : ex)
    c /= l;
  double ey[3] = { ez[1] * ex[2] - ez[2] * ex[1], ez[2] * ex[0] - ez[0] * ex[2],
                   ez[0] * ex[1] - ez[1] * ex[0] };
  double x = v.px () * ex[0] + v.py () * ex[1] + v.pz () * ex[2];
  double y = v.px () * ey[0] + v.py () * ey[1] + v.pz () * ey[2];
  double f = std::atan2 (y, x);
  if (f < 0)
    f += 2 * M_PI;
  if (f >= 2 * M_PI)
    f = 0;
  return f;
}

// Inclusive jets in the order of their beam steps. FastJet resolves equal distances in its
// own internal order; runs of consecutive beam steps with the same d_iB (all of them for
// C/A) are put in the order of their lowest constituent index, the documented tie rule.
std::vector<fastjet::PseudoJet>
beam_jets (const fastjet::ClusterSequence &cs)
{
  struct Entry {
    double dij;
    int lowest;
    fastjet::PseudoJet jet;
  };
  std::vector<Entry> e;
  const auto &h = cs.history ();
  for (size_t i = 0; i < h.size (); i++)
    if (h[i].parent2 == fastjet::ClusterSequence::BeamJet)
      {
        const fastjet::PseudoJet &j = cs.jets ()[h[h[i].parent1].jetp_index];
        int lowest = -1;
        for (const fastjet::PseudoJet &c : j.constituents ())
          if (lowest < 0 || c.user_index () < lowest)
            lowest = c.user_index ();
        e.push_back ({ h[i].dij, lowest, j });
      }
  for (size_t a = 0; a < e.size ();)
    {
      size_t b = a + 1;
      while (b < e.size () && e[b].dij == e[a].dij)
        b++;
      std::sort (e.begin () + a, e.begin () + b,
                 [] (const Entry &x, const Entry &y) { return x.lowest < y.lowest; });
      a = b;
    }
  std::vector<fastjet::PseudoJet> out;
  for (const Entry &x : e)
    out.push_back (x.jet);
  return out;
}

int
inclusive_with (const double *p, int n, const fastjet::JetDefinition &def, double *jets,
                int *assign)
{
  try
    {
      std::vector<fastjet::PseudoJet> in = to_pseudojets (p, n);
      fastjet::ClusterSequence cs (in, def);
      int nj = 0;
      for (const fastjet::PseudoJet &j : beam_jets (cs))
        {
          store (j, jets + 4 * nj);
          for (const fastjet::PseudoJet &c : j.constituents ())
            assign[c.user_index ()] = nj;
          nj++;
        }
      return nj;
    }
  catch (const fastjet::Error &)
    {
      return -1;
    }
}

}  // namespace

extern "C" int
jxfj_genkt_inclusive (const double *p, int n, double p_exp, double R, double *jets, int *assign)
{
  return inclusive_with (p, n, fastjet::JetDefinition (fastjet::ee_genkt_algorithm, R, p_exp),
                         jets, assign);
}

extern "C" int
jxfj_pp_genkt_inclusive (const double *p, int n, double p_exp, double R, double *jets,
                         int *assign)
{
  return inclusive_with (p, n, fastjet::JetDefinition (fastjet::genkt_algorithm, R, p_exp),
                         jets, assign);
}

extern "C" int
jxfj_durham_exclusive (const double *p, int n, int njets, double *jets, int *assign)
{
  try
    {
      std::vector<fastjet::PseudoJet> in = to_pseudojets (p, n);
      fastjet::JetDefinition def (fastjet::ee_kt_algorithm);
      fastjet::ClusterSequence cs (in, def);
      std::vector<fastjet::PseudoJet> ex = cs.exclusive_jets (njets);
      std::vector<std::pair<int, int>> order;  // (lowest constituent, jet)
      for (size_t k = 0; k < ex.size (); k++)
        {
          int lo = n;
          for (const fastjet::PseudoJet &c : ex[k].constituents ())
            lo = std::min (lo, c.user_index ());
          order.push_back ({ lo, (int) k });
        }
      std::sort (order.begin (), order.end ());
      for (size_t r = 0; r < order.size (); r++)
        {
          const fastjet::PseudoJet &j = ex[order[r].second];
          store (j, jets + 4 * r);
          for (const fastjet::PseudoJet &c : j.constituents ())
            assign[c.user_index ()] = (int) r;
        }
      return (int) ex.size ();
    }
  catch (const fastjet::Error &)
    {
      return -1;
    }
}

namespace {

// The JUNIPR sequence with a subjet definition (used when rsub > 0) and a tree definition.
int
junipr_with (const double *p, int n, const fastjet::JetDefinition &sdef, double rsub, double esub,
             const fastjet::JetDefinition &def, double *subjets, int *mother, double *branch,
             int *merges)
{
  try
    {
      std::vector<fastjet::PseudoJet> parts = to_pseudojets (p, n);
      if (rsub > 0)
        {
          fastjet::ClusterSequence scs (parts, sdef);
          parts = beam_jets (scs);
        }
      if (esub > 0)
        {
          std::vector<fastjet::PseudoJet> kept;
          for (const fastjet::PseudoJet &j : parts)
            if (j.E () >= esub)
              kept.push_back (j);
          parts = kept;
        }
      int k = (int) parts.size ();
      if (subjets != nullptr)
        for (int i = 0; i < k; i++)
          store (parts[i], subjets + 4 * i);
      if (k <= 1)
        return k;
      // Plain momenta for the tree, so that the history indices are 0..k−1 for the leaves.
      std::vector<fastjet::PseudoJet> leaves;
      for (const fastjet::PseudoJet &j : parts)
        leaves.push_back (fastjet::PseudoJet (j.px (), j.py (), j.pz (), j.E ()));
      fastjet::ClusterSequence cs (leaves, def);
      const auto &h = cs.history ();
      // Node momenta by history index; merges are history entries k..2k−2.
      std::vector<fastjet::PseudoJet> node (2 * k - 1);
      std::vector<int> d1 (2 * k - 1, -1), d2 (2 * k - 1, -1);
      for (int i = 0; i < 2 * k - 1; i++)
        {
          if (i >= k)
            {
              if (h[i].parent2 < 0)
                return -1;  // a beam step before the end: not one tree
              d1[i] = h[i].parent1;
              d2[i] = h[i].parent2;
            }
          node[i] = cs.jets ()[h[i].jetp_index];
        }
      auto harder = [&] (int a, int b) {
        return node[a].E () > node[b].E () || (node[a].E () == node[b].E () && a < b);
      };
      std::vector<int> state = { 2 * k - 2 };
      for (int t = 1; t < k; t++)
        {
          int m = 2 * k - 1 - t;
          std::sort (state.begin (), state.end (), harder);
          int pos = (int) (std::find (state.begin (), state.end (), m) - state.begin ());
          mother[t - 1] = pos;
          int a = d1[m], b = d2[m];
          if (harder (b, a))
            std::swap (a, b);
          if (merges != nullptr)
            {
              merges[2 * (t - 1)] = a;
              merges[2 * (t - 1) + 1] = b;
            }
          double *x = branch + 4 * (t - 1);
          x[0] = node[b].E () / node[m].E ();
          x[1] = angle (node[b], node[m]);
          x[2] = azimuth (node[m], node[b]);
          x[3] = angle (node[a], node[m]);
          state.erase (state.begin () + pos);
          state.push_back (a);
          state.push_back (b);
        }
      return k;
    }
  catch (const fastjet::Error &)
    {
      return -1;
    }
}

// A radius for the subjet definition, which is used only when rsub > 0.
double
sub_R (double rsub)
{
  return rsub > 0 ? rsub : 1.0;
}

}  // namespace

extern "C" int
jxfj_junipr (const double *p, int n, int algorithm, double rsub, double esub, double *subjets,
             int *mother, double *branch, int *merges)
{
  return junipr_with (p, n, fastjet::JetDefinition (fastjet::ee_genkt_algorithm, sub_R (rsub), 0.0), rsub,
                      esub, fastjet::JetDefinition (fastjet::ee_genkt_algorithm, 4.0,
                                                    genkt_p (algorithm)),
                      subjets, mother, branch, merges);
}

extern "C" int
jxfj_junipr_pp (const double *p, int n, int algorithm, double rsub, double esub, double tree_R,
                double *subjets, int *mother, double *branch, int *merges)
{
  return junipr_with (p, n, fastjet::JetDefinition (fastjet::genkt_algorithm, sub_R (rsub), 0.0), rsub,
                      esub, fastjet::JetDefinition (fastjet::genkt_algorithm, tree_R,
                                                    genkt_p (algorithm)),
                      subjets, mother, branch, merges);
}

namespace {

double
cluster_only_with (const double *p, int n, const fastjet::JetDefinition &def)
{
  quiet ();
  std::vector<fastjet::PseudoJet> in;
  in.reserve (n);
  for (int i = 0; i < n; i++)
    in.push_back (fastjet::PseudoJet (p[4 * i + 1], p[4 * i + 2], p[4 * i + 3], p[4 * i]));
  fastjet::ClusterSequence cs (in, def);
  return cs.jets ().back ().E ();
}

}  // namespace

extern "C" double
jxfj_cluster_only (const double *p, int n, int algorithm)
{
  return cluster_only_with (p, n,
                            fastjet::JetDefinition (fastjet::ee_genkt_algorithm, 4.0,
                                                    genkt_p (algorithm)));
}

extern "C" double
jxfj_cluster_only_pp (const double *p, int n, int algorithm)
{
  return cluster_only_with (p, n,
                            fastjet::JetDefinition (fastjet::genkt_algorithm, 7.0,
                                                    genkt_p (algorithm)));
}

extern "C" int
jxfj_lund_primary (const double *p, int n, double rsub, double esub, double *delta, double *kt,
                   int cap)
{
  try
    {
      std::vector<fastjet::PseudoJet> parts = to_pseudojets (p, n);
      if (rsub > 0)
        {
          fastjet::JetDefinition sdef (fastjet::ee_genkt_algorithm, rsub, 0.0);
          fastjet::ClusterSequence scs (parts, sdef);
          parts = beam_jets (scs);
        }
      std::vector<fastjet::PseudoJet> kept;
      for (const fastjet::PseudoJet &j : parts)
        if (esub <= 0 || j.E () >= esub)
          kept.push_back (fastjet::PseudoJet (j.px (), j.py (), j.pz (), j.E ()));
      if (kept.empty ())
        return -1;
      fastjet::JetDefinition def (fastjet::ee_genkt_algorithm, 4.0, 0.0);
      fastjet::ClusterSequence cs (kept, def);
      std::vector<fastjet::PseudoJet> jets = cs.inclusive_jets ();
      if (jets.size () != 1)
        return -1;
      // Decluster, following the more energetic parent each time.
      fastjet::PseudoJet j = jets[0], a, b;
      int k = 0;
      while (k < cap && j.has_parents (a, b))
        {
          if (b.E () > a.E ())
            std::swap (a, b);
          delta[k] = angle (a, b);
          kt[k] = b.E () * std::sin (delta[k]);
          k++;
          j = a;
        }
      return k;
    }
  catch (const fastjet::Error &)
    {
      return -1;
    }
}
