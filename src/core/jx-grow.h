/* jx-grow.h — scratch arrays that grow by doubling and never shrink (the generator's per-worker
 * and per-event buffers: no heap allocation once they hold a typical event). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The capacity to hold n items: cap (at least floor) doubled until it does. */
size_t jx_grow_cap (size_t cap, size_t floor, size_t n);

/* Reallocates the array whose pointer is at ptr_addr (any T **) to n items of size bytes.
 * On failure the array and its pointer are left as they were and false is returned. */
bool jx_grow_array (void *ptr_addr, size_t n, size_t size);
