/* jx-cli-commands.h — the entry point of each `junipr` subcommand (one file each).
 *
 * Each run(argc, argv) gets argv[0] = the subcommand name and returns the process exit
 * status (0, or 1 after printing one error line). Adding a subcommand: write
 * jx-cli-<name>.c, declare it here and add one row to the table in junipr.c.
 */
#pragma once

int jx_cli_generate (int argc, char **argv);
int jx_cli_import (int argc, char **argv);
int jx_cli_export (int argc, char **argv);
int jx_cli_info (int argc, char **argv);
int jx_cli_cluster (int argc, char **argv);
int jx_cli_observables (int argc, char **argv);
int jx_cli_demo (int argc, char **argv);
int jx_cli_train (int argc, char **argv);
int jx_cli_train_binary (int argc, char **argv);
int jx_cli_eval (int argc, char **argv);
int jx_cli_sample (int argc, char **argv);
int jx_cli_discriminate (int argc, char **argv);
int jx_cli_reweight (int argc, char **argv);
int jx_cli_validate (int argc, char **argv);
int jx_cli_render (int argc, char **argv);
int jx_cli_import_model (int argc, char **argv);
