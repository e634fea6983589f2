/* jx-import.h — placeholder. */
