/* jx-image.h — placeholder, being written. */
