/* jx-generator.h — placeholder, being written. */
