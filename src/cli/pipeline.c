/*
 * pipeline.c - the ordered worker pool (see pipeline.h).
 *
 * One mutex guards a ring of `window` slots with three counters: head (next
 * to emit), claim (next to process) and tail (next free). With N threads,
 * N - 1 workers are started and the submitting thread is the N-th: between
 * reading messages it processes queued items itself. That keeps exactly N
 * threads busy on N cores (a separate reader thread would compete with the
 * workers for them), and -j 1 runs inline with no synchronisation at all.
 */
#include "pipeline.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct slot {
  void *item;
  int done;
} slot;

struct bw_pipeline {
  bw_pipeline_fn work, emit;
  void *ctx;
  int workers_n; /* threads started besides the submitting one */
  size_t window;
  slot *ring;
  size_t head, claim, tail;
  int stopping;
  pthread_mutex_t lock;
  pthread_cond_t work_ready; /* a slot can be claimed, or stopping */
  pthread_cond_t item_done;  /* some slot finished */
  pthread_t *workers;
};

/* Claims the next unprocessed slot and processes it with the lock released. Lock held. */
static void process_one(bw_pipeline *p) {
  assert(p->claim < p->tail);
  slot *s = &p->ring[p->claim++ % p->window];
  pthread_mutex_unlock(&p->lock);
  p->work(s->item, p->ctx);
  pthread_mutex_lock(&p->lock);
  s->done = 1;
  pthread_cond_signal(&p->item_done);
}

static void *worker_main(void *arg) {
  bw_pipeline *p = arg;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (p->claim == p->tail && !p->stopping) pthread_cond_wait(&p->work_ready, &p->lock);
    if (p->claim == p->tail) break;
    process_one(p);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

bw_pipeline *bw_pipeline_new(int threads, size_t window, bw_pipeline_fn work, bw_pipeline_fn emit,
                             void *ctx) {
  bw_pipeline *p = calloc(1, sizeof(*p));
  if (!p) return NULL;
  p->work = work;
  p->emit = emit;
  p->ctx = ctx;
  p->window = window < 1 ? 1 : window;
  if (threads <= 1) return p;
  p->ring = calloc(p->window, sizeof(slot));
  p->workers = calloc((size_t)threads - 1, sizeof(pthread_t));
  if (!p->ring || !p->workers) {
    free(p->ring);
    free(p->workers);
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->work_ready, NULL);
  pthread_cond_init(&p->item_done, NULL);
  for (int i = 0; i < threads - 1; i++) {
    if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0)
      break; /* run with those started */
    p->workers_n++;
  }
  return p;
}

/* Emits finished items at the head, releasing the lock around each callback. Lock held. */
static void emit_ready(bw_pipeline *p) {
  while (p->head < p->tail && p->ring[p->head % p->window].done) {
    void *item = p->ring[p->head % p->window].item;
    p->head++;
    pthread_mutex_unlock(&p->lock);
    p->emit(item, p->ctx);
    pthread_mutex_lock(&p->lock);
  }
}

/* Until the head is done: help with queued items, else wait for a worker. Lock held. */
static void drain_head(bw_pipeline *p) {
  emit_ready(p);
  while (p->head < p->tail && !p->ring[p->head % p->window].done) {
    if (p->claim < p->tail)
      process_one(p);
    else
      pthread_cond_wait(&p->item_done, &p->lock);
    emit_ready(p);
  }
}

void bw_pipeline_submit(bw_pipeline *p, void *item) {
  if (!p->ring) {
    p->work(item, p->ctx);
    p->emit(item, p->ctx);
    return;
  }
  pthread_mutex_lock(&p->lock);
  if (p->tail - p->head == p->window) drain_head(p);
  slot *s = &p->ring[p->tail % p->window];
  s->item = item;
  s->done = 0;
  p->tail++;
  assert(p->tail - p->head <= p->window);
  pthread_cond_signal(&p->work_ready);
  emit_ready(p);
  pthread_mutex_unlock(&p->lock);
}

void bw_pipeline_finish(bw_pipeline *p) {
  if (p->ring) {
    pthread_mutex_lock(&p->lock);
    while (p->head < p->tail) drain_head(p);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->workers_n; i++) pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work_ready);
    pthread_cond_destroy(&p->item_done);
  }
  free(p->ring);
  free(p->workers);
  free(p);
}
