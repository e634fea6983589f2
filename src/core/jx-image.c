/* jx-image.c — placeholder, being written. */
