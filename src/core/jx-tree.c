/* jx-tree.c — placeholder, being written. */
