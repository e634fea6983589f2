/* jx-generator.c — placeholder, being written. */
