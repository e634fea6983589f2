/* jx-cluster.c — placeholder, being written. */
