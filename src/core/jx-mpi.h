/* jx-mpi.h — the JxComm of an MPI job (jx-comm.h), built only with -Dmpi (Open MPI from
 * Debian: openmpi-bin, libopenmpi-dev) into the small library libjunipr-mpi, so libjunipr
 * and the app never link MPI.
 *
 * MPI runs in MPI_THREAD_FUNNELED mode: only the thread that called jx_mpi_init talks to the
 * other ranks; worker threads (jx-parallel.h) only compute. Collectives over MPI_COMM_WORLD
 * use MPI's default error handler, so a broken connection or a dead rank ends the whole job
 * (mpirun then kills every rank and names the one that died).
 */
#pragma once

#include "jx-comm.h"
#include "jx-error.h"

/* MPI_Init_thread (FUNNELED) and the world communicator. Call once, from the thread that
 * will do all communication. */
int jx_mpi_init (int *argc, char ***argv, JxComm **world, JxError *err);

/* Processes of this job on this node (for a default thread count); 1 when unknown. */
int jx_mpi_local_size (const JxComm *world);

/* MPI_Finalize; world is freed. */
void jx_mpi_finalize (JxComm *world);

/* Ends every rank at once with the exit status code (MPI_Abort). */
void jx_mpi_abort (JxComm *world, int code);
