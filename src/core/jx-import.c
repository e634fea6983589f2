/* jx-import.c — placeholder, being written. */
