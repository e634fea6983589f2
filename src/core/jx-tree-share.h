/* jx-tree-share.h — the trees of a training set spread over the ranks of a job (jx-comm.h),
 * and the pieces of a batch each rank works on.
 *
 * Each rank holds the trees of one contiguous range of the dataset's jets (the jets it read
 * and clustered), never the whole set. Every rank knows how many RNN steps each jet's tree
 * has (n: its n − 1 branchings plus the end step; 0 for a jet that is not scored), which is
 * what a jet costs to train on. A batch — jets in the epoch's shuffled order, the same on
 * every rank — is cut into one contiguous piece per rank with about equal steps, so the ranks
 * finish their pieces together whatever jets the shuffle put in the batch. The trees of a
 * piece that another rank holds are sent over before use, for a window of many batches at
 * once (jx_tree_share_fetch), so there are a few large messages per epoch, not one per step.
 *
 * With one process everything here is local: a piece is the whole batch and fetching only
 * collects pointers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jx-comm.h"
#include "jx-error.h"
#include "jx-eval.h"
#include "jx-tree.h"

typedef struct {
  const JxComm *comm;
  const JxTreeSet *own;   /* this rank's trees: jet g is own->trees[g − first] */
  size_t first;           /* this rank's first jet */
  size_t n_jets;          /* in the whole dataset */
  size_t *starts;         /* [size + 1]: rank r holds jets starts[r] .. starts[r+1] − 1 */
  int32_t *steps;         /* [n_jets]: tree n of every jet, 0 when it is not scored */
} JxTreeShare;

/* Collective: learns the other ranks' ranges and every jet's steps. own: this rank's trees,
 * jets first .. first + own->n_jets − 1 of the dataset; the ranges of all ranks must tile it
 * in rank order. */
int jx_tree_share_init (JxTreeShare *s, const JxComm *comm, const JxTreeSet *own, size_t first,
                        JxError *err);
void jx_tree_share_free (JxTreeShare *s);

/* Which rank holds jet g. */
int jx_tree_share_owner (const JxTreeShare *s, size_t g);

/* Cut jets[0..n) (scored jets) into `parts` contiguous pieces of about equal steps: piece r
 * is jets[cut[r] .. cut[r+1]), cut[0] = 0, cut[parts] = n. Piece r ends at the jet boundary
 * nearest to where the steps so far reach (r+1)/parts of the batch's, so the split depends
 * only on the jets, never on timing; a piece may be empty when the batch has fewer jets than
 * parts. */
void jx_tree_share_cut (const JxTreeShare *s, const size_t *jets, size_t n, int parts,
                        size_t *cut);

/* This rank's trees of a window of batches. */
typedef struct {
  const JxTree **trees;   /* [n]: in the order of the window's jets */
  size_t n;
  JxTree *received;       /* trees other ranks sent, pointing into storage */
  void *storage;
} JxTreeWindow;

/* Collective: jets[0..n) are a window's jets (scored ones) in order (the same on every rank) and dest[i]
 * the rank that works on jets[i]; every rank sends the trees it holds to the ranks that need
 * them. w->trees then lists this rank's jets (dest[i] == rank) in order. */
int jx_tree_share_fetch (const JxTreeShare *s, const size_t *jets, const int *dest, size_t n,
                         JxTreeWindow *w, JxError *err);
void jx_tree_window_free (JxTreeWindow *w);
