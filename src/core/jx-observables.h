/* jx-observables.h — placeholder, being written. */
