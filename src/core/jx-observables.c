/* jx-observables.c — placeholder, being written. */
