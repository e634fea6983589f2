/* jx-cli-mpi.h — `junipr train|eval|sample` under mpirun (built with -Dmpi).
 *
 *   mpirun -np 4 junipr train data.h5 -o model.h5
 *
 * starts four processes; each is one rank of the job (jx-comm.h) and runs the command on its
 * share of the jets. Rank 0 speaks for the job: it shows the progress, prints the summary and
 * writes the output files. The others print nothing: a failing step of any rank (a file it
 * cannot read, a bad jet in its share) is agreed on by all (jx_cli_agree), and rank 0 prints
 * the first failing rank's one line, so the job ends on every rank with one clear line. Other
 * commands run in one process and are refused under mpirun with more than one rank.
 */
#pragma once

#include <stdbool.h>

#include "jx-comm.h"

/* Before the command runs: under mpirun (and for the commands above) MPI is started and this
 * process becomes a rank; otherwise nothing happens. Returns 0 or the exit status to end with
 * (one line printed by rank 0). */
int jx_cli_mpi_begin (const char *command);

/* After the command: MPI_Finalize when it was started. Returns rc. */
int jx_cli_mpi_end (int rc);

/* The job's ranks: &jx_comm_solo for one process. */
const JxComm *jx_cli_comm (void);

/* Rank 0, or one process: the one that prints and writes. */
bool jx_cli_is_root (void);

/* Collective (every rank calls it after the same step): every rank's rc → the first failing
 * rank's, whose error line rank 0 prints if it has not printed one itself. Identity for one
 * process. */
int jx_cli_agree (int rc);
