/* jx-dataset.c — placeholder, being written. */
