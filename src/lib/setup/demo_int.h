/* Shared by the demo seed's files (src/lib/setup/demo*.c); not part of the public API. */
#ifndef KHOMUN_SETUP_DEMO_INT_H
#define KHOMUN_SETUP_DEMO_INT_H

#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/store.h>

/* One file of the demo catalog (demo_files.c): synthetic, made in memory by make() from a fixed
 * seed, so every installation gets the same bytes. */
typedef struct {
    const char *dataset;     /* demo dataset name */
    const char *name;        /* the resource's name; its extension gives the format */
    const char *description; /* GD-Catalog resource description */
    int (*make)(khm_buf *out);
} khm_demo_file;

/* The demo files, in the order they are attached; *n receives how many. */
const khm_demo_file *khm_setup__demo_files(size_t *n);

/* Largest demo file (the cap of the buffer make() writes into). */
#define KHM_DEMO_FILE_MAX ((size_t)256 << 10)

/* Make the demo datasets (demo_catalog.c) that are not there yet; some confirmed at once by
 * their owner. An operator's dataset of a demo name is kept. */
int khm_setup__demo_datasets(khm_tx *tx, int64_t now, khm_arena *a);

/* 1 when @p d is the demo's own dataset of its name: made by the demo (its creator is the demo
 * user the demo table names), not an operator's dataset that happens to share the name. */
int khm_setup__demo_owns(khm_tx *tx, const khm_dataset *d, khm_arena *a);

#endif
