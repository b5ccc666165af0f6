/*
 * index.c - opening, validating and searching compiled threat-intel indexes.
 *
 * An index file is memory-mapped read-only, so loading ten million
 * indicators costs a header check, not a parse, and every scanning process
 * shares the same pages. Loading checks the header, every section's bounds
 * and the checksum over the small sections (meta, strings); the large key
 * sections are not read at load (that would cost a full pass over the file)
 * but every read during a lookup is bounds-checked, so a corrupt index gives
 * an error or no match, never a crash. bw_intel_verify checks everything.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intel/index.h"
#include "util/error.h"

void bw_intel_index_close(bw_intel_index *x) {
  if (x->mapped)
    munmap((void *)x->base, x->size);
  else
    free((void *)x->base);
  memset(x, 0, sizeof(*x));
}

/* off + len within size, without overflow. */
static int fits(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

static int check_sections(const bw_intel_header *h, size_t size, bw_error *err) {
  if (h->file_size != size)
    return bw_error_set(err, BW_EFORMAT, "index size %zu does not match its header (%llu)", size,
                        (unsigned long long)h->file_size);
  if (h->n_slots > UINT32_MAX * 2ull || h->n_meta > UINT32_MAX || h->n_keys > h->n_slots)
    return bw_error_set(err, BW_EFORMAT, "index counts out of range");
  if (h->slots_off % 4 || h->meta_off % 4 || !fits(h->slots_off, h->n_slots * 4, size) ||
      !fits(h->fp_off, h->n_slots, size) || !fits(h->keys_off, h->keys_len, size) ||
      !fits(h->meta_off, h->n_meta * sizeof(bw_intel_meta), size) ||
      !fits(h->strings_off, h->strings_len, size))
    return bw_error_set(err, BW_EFORMAT, "index section outside the file");
  if (h->strings_len == 0 || h->keys_len == 0)
    return bw_error_set(err, BW_EFORMAT, "index without string or key section");
  if (h->keys_len > UINT32_MAX) return bw_error_set(err, BW_EFORMAT, "index key section too large");
  return BW_OK;
}

static uint64_t meta_checksum(const bw_intel_index *x) {
  bw_intel_header h = x->h;
  h.meta_checksum = h.body_checksum = 0;
  uint64_t c = bw_intel_fnv(BW_INTEL_FNV_SEED, &h, sizeof(h));
  c = bw_intel_fnv(c, x->meta, x->h.n_meta * sizeof(bw_intel_meta));
  return bw_intel_fnv(c, x->strings, x->h.strings_len);
}

/* Every meta record's strings must start inside the strings section. */
static int check_meta(const bw_intel_index *x, bw_error *err) {
  if (x->strings[x->h.strings_len - 1] != 0)
    return bw_error_set(err, BW_EFORMAT, "index strings section is not NUL-terminated");
  for (uint64_t i = 0; i < x->h.n_meta; i++) {
    bw_intel_meta m;
    memcpy(&m, &x->meta[i], sizeof(m));
    uint64_t n = x->h.strings_len;
    if (m.feed >= n || m.label >= n || m.refs >= n || m.actors >= n || m.term >= 64 ||
        m.n_terms > 64)
      return bw_error_set(err, BW_EFORMAT, "index meta record %llu out of range",
                          (unsigned long long)i);
  }
  return BW_OK;
}

int bw_intel_index_open_memory(bw_intel_index *x, const unsigned char *base, size_t size,
                               int mapped, bw_error *err) {
  memset(x, 0, sizeof(*x));
  x->base = base;
  x->size = size;
  x->mapped = mapped;
  if (size < sizeof(bw_intel_header) || memcmp(base, BW_INTEL_MAGIC, BW_INTEL_MAGIC_LEN) != 0)
    return bw_error_set(err, BW_EFORMAT, "not a beaconwatch intel index (bad magic)");
  memcpy(&x->h, base, sizeof(x->h));
  if (x->h.version != BW_INTEL_VERSION || x->h.header_size != sizeof(bw_intel_header))
    return bw_error_set(err, BW_EFORMAT, "intel index version %u is not supported (want %d)",
                        x->h.version, BW_INTEL_VERSION);
  int rc = check_sections(&x->h, size, err);
  if (rc != BW_OK) return rc;
  x->slots = (const uint32_t *)(base + x->h.slots_off);
  x->fp = base + x->h.fp_off;
  x->keys = base + x->h.keys_off;
  x->meta = (const bw_intel_meta *)(base + x->h.meta_off);
  x->strings = (const char *)base + x->h.strings_off;
  if (meta_checksum(x) != x->h.meta_checksum)
    return bw_error_set(err, BW_EFORMAT, "intel index checksum mismatch (corrupt file)");
  return check_meta(x, err);
}

int bw_intel_index_open_file(bw_intel_index *x, const char *path, bw_error *err) {
  memset(x, 0, sizeof(*x));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bw_error_set(err, BW_EIO, "%s: cannot open", path);
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(bw_intel_header)) {
    close(fd);
    return bw_error_set(err, BW_EFORMAT, "%s: too small to be an intel index", path);
  }
  void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return bw_error_set(err, BW_EIO, "%s: cannot map", path);
  madvise(p, (size_t)st.st_size, MADV_RANDOM);
  bw_error local = {0};
  int rc = bw_intel_index_open_memory(x, p, (size_t)st.st_size, 1, &local);
  if (rc != BW_OK) {
    bw_intel_index_close(x);
    return bw_error_set(err, rc, "%s: %s", path, local.message);
  }
  return BW_OK;
}

int bw_intel_index_verify(const bw_intel_index *x, bw_error *err) {
  uint64_t c = bw_intel_fnv(BW_INTEL_FNV_SEED, x->slots, x->h.n_slots * 4);
  c = bw_intel_fnv(c, x->fp, x->h.n_slots);
  c = bw_intel_fnv(c, x->keys, x->h.keys_len);
  if (c != x->h.body_checksum)
    return bw_error_set(err, BW_EFORMAT, "intel index body checksum mismatch (corrupt file)");
  for (uint64_t i = 0; i < x->h.n_slots; i++) {
    if (!x->fp[i]) continue;
    bw_intel_record r;
    if (!bw_intel_index_record(x, x->slots[i], &r))
      return bw_error_set(err, BW_EFORMAT, "intel index slot %llu points outside the keys",
                          (unsigned long long)i);
  }
  return BW_OK;
}

/* Decodes a varint at *p (before end); returns 0 when it runs past end or is too long. */
static int varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v) {
  *v = 0;
  for (int shift = 0; shift < 35 && *p < end; shift += 7) {
    unsigned char c = *(*p)++;
    *v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return 1;
  }
  return 0;
}

int bw_intel_index_record(const bw_intel_index *x, uint32_t off, bw_intel_record *r) {
  if (off == 0 || off >= x->h.keys_len) return 0;
  const unsigned char *p = x->keys + off, *end = x->keys + x->h.keys_len;
  uint64_t len, meta;
  if (!varint_get(&p, end, &len) || len == 0 || len > (uint64_t)(end - p)) return 0;
  r->key = p;
  r->key_len = (size_t)len;
  p += len;
  if (!varint_get(&p, end, &meta) || meta >= x->h.n_meta) return 0;
  memcpy(&r->meta, &x->meta[meta], sizeof(r->meta));
  return 1;
}

int bw_intel_index_find(const bw_intel_index *x, const unsigned char *key, size_t len,
                        bw_intel_record_fn fn, void *ctx) {
  uint64_t n = x->h.n_slots;
  if (n == 0) return 0;
  uint64_t h = bw_intel_fnv(BW_INTEL_FNV_SEED, key, len);
  uint8_t fp = bw_intel_fp_of(h);
  uint64_t i = bw_intel_slot_of(h, n);
  for (uint64_t step = 0; step < n && x->fp[i]; step++, i = i + 1 == n ? 0 : i + 1) {
    if (x->fp[i] != fp) continue;
    bw_intel_record r;
    if (!bw_intel_index_record(x, x->slots[i], &r)) continue;
    if (r.key_len != len || memcmp(r.key, key, len) != 0) continue;
    int rc = fn(x, &r, ctx);
    if (rc) return rc;
  }
  return 0;
}

const char *bw_intel_index_string(const bw_intel_index *x, uint32_t off) {
  return off < x->h.strings_len ? x->strings + off : "";
}
