/* jx-shower.c — placeholder, being written. */
