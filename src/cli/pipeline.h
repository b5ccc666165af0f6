/*
 * pipeline.h - run work items on N threads, hand results back in input order.
 *
 * The reader is sequential and the output must be deterministic, but the
 * scans in between are independent: items go into a bounded window, workers
 * take them in any order, and the submitting thread emits finished items
 * strictly in submission order. The window bounds memory.
 */
#ifndef BW_CLI_PIPELINE_H
#define BW_CLI_PIPELINE_H

#include <stddef.h>

typedef void (*bw_pipeline_fn)(void *item, void *ctx);

typedef struct bw_pipeline bw_pipeline;

/* work runs on a worker thread; emit runs on the submitting thread, in order. */
bw_pipeline *bw_pipeline_new(int threads, size_t window, bw_pipeline_fn work, bw_pipeline_fn emit,
                             void *ctx);
/* Queues an item; blocks while the window is full, emitting finished items meanwhile. */
void bw_pipeline_submit(bw_pipeline *p, void *item);
/* Waits for every item, emits the rest, stops the threads and frees the pipeline. */
void bw_pipeline_finish(bw_pipeline *p);

#endif
