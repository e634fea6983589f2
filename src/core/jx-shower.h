/* jx-shower.h — placeholder, being written. */
