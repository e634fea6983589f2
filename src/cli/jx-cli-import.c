/* jx-cli-import.c — `junipr import` (waiting for jx-import.h). */
#include "jx-cli-commands.h"
#include "jx-cli-common.h"

int
jx_cli_import (int argc, char **argv)
{
  return jx_cli_fail ("not implemented yet (import): wait for jx-import");
}
