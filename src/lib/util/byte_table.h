/*
 * byte_table.h - 256-entry lookup tables written at compile time.
 *
 * BW_BYTE_TABLE(F, ...) expands to the initializer {F(0, ...), F(1, ...),
 * ..., F(255, ...)}: a table is derived from one constant expression of the
 * byte (and the extra arguments) rather than listed by hand, so the table
 * and the rule it encodes cannot drift apart. The scanners use such tables
 * to test a byte with one load in their inner loops.
 */
#ifndef BW_BYTE_TABLE_H
#define BW_BYTE_TABLE_H

#define BW_BYTES4(F, k, ...)                                                                       \
  F((k), __VA_ARGS__), F((k) + 1, __VA_ARGS__), F((k) + 2, __VA_ARGS__), F((k) + 3, __VA_ARGS__)
#define BW_BYTES16(F, k, ...)                                                                      \
  BW_BYTES4(F, (k), __VA_ARGS__), BW_BYTES4(F, (k) + 4, __VA_ARGS__),                              \
      BW_BYTES4(F, (k) + 8, __VA_ARGS__), BW_BYTES4(F, (k) + 12, __VA_ARGS__)
#define BW_BYTES64(F, k, ...)                                                                      \
  BW_BYTES16(F, (k), __VA_ARGS__), BW_BYTES16(F, (k) + 16, __VA_ARGS__),                           \
      BW_BYTES16(F, (k) + 32, __VA_ARGS__), BW_BYTES16(F, (k) + 48, __VA_ARGS__)
#define BW_BYTE_TABLE(F, ...)                                                                      \
  {                                                                                                \
    BW_BYTES64(F, 0, __VA_ARGS__), BW_BYTES64(F, 64, __VA_ARGS__),                                 \
        BW_BYTES64(F, 128, __VA_ARGS__), BW_BYTES64(F, 192, __VA_ARGS__)                           \
  }

#endif
