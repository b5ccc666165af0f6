/*
 * index_format.h - the on-disk layout of a compiled threat-intel index.
 *
 * One file, little-endian, memory-mapped read-only by every scanning
 * process. A fixed header (magic, version, counts, section offsets and two
 * checksums) is followed by five sections:
 *
 *   slots    uint32[n_slots]  offset of a key record in `keys`, 0 = empty
 *   fp       uint8[n_slots]   fingerprint of the key in that slot (1..255), 0 = empty
 *   keys     records: varint key_len, key bytes (type byte + payload), varint meta id
 *   meta     bw_intel_meta[n_meta]: where an indicator came from and who it is attributed to
 *   strings  NUL-terminated strings the meta records point to (offsets)
 *
 * Slots form an open-addressing hash table with linear probing over the FNV-1a
 * hash of the key; slot = (hash * n_slots) >> 64. The fingerprint lets a probe
 * skip a slot without touching the key records. IP networks are keys too (the
 * prefix length is part of the key); the header's prefix masks say which
 * lengths occur, so an address is looked up once per length in use.
 */
#ifndef BW_INTEL_INDEX_FORMAT_H
#define BW_INTEL_INDEX_FORMAT_H

#include <stdint.h>

#define BW_INTEL_MAGIC "BWINTEL\0"
enum { BW_INTEL_MAGIC_LEN = 8, BW_INTEL_VERSION = 1 };

typedef struct bw_intel_header {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t file_size;
  uint64_t n_keys;
  uint64_t n_slots;
  uint64_t n_meta;
  uint64_t slots_off, fp_off, keys_off, keys_len, meta_off, strings_off, strings_len;
  uint64_t n_by_type[16];
  uint64_t v4_prefixes;    /* bit p: some IPv4 network has prefix length p (0..32) */
  uint32_t v6_prefixes[5]; /* bit p of the 129-bit set: IPv6 prefix lengths in use */
  uint32_t reserved;
  uint64_t meta_checksum; /* FNV-1a over the header (checksums zeroed), meta and strings */
  uint64_t body_checksum; /* FNV-1a over slots, fp and keys (checked by bw_intel_verify) */
} bw_intel_header;

/* Where one indicator came from: offsets into `strings`. */
typedef struct bw_intel_meta {
  uint32_t feed, label, refs, actors;
  uint32_t group; /* 0, or the AND-group this term belongs to */
  uint16_t n_terms, term;
} bw_intel_meta;

_Static_assert(sizeof(bw_intel_header) == 280, "index header layout");
_Static_assert(sizeof(bw_intel_meta) == 24, "index meta layout");

/* FNV-1a continued over more bytes. */
static inline uint64_t bw_intel_fnv(uint64_t h, const void *p, uint64_t n) {
  const unsigned char *b = p;
  for (uint64_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
#define BW_INTEL_FNV_SEED 0xcbf29ce484222325ull

static inline uint64_t bw_intel_slot_of(uint64_t hash, uint64_t n_slots) {
  return (uint64_t)(((unsigned __int128)hash * n_slots) >> 64);
}

static inline uint8_t bw_intel_fp_of(uint64_t hash) {
  return (uint8_t)((hash >> 24) | 1);
}

#endif
