/*
 * address.h - plain address lists read without GMime objects (see address.c).
 */
#ifndef BW_MIME_ADDRESS_H
#define BW_MIME_ADDRESS_H

#include "mime/view.h"

enum { BW_ADDRESSES_NOT_PLAIN = 1 };

/*
 * Appends the mailboxes of value to out when the whole value is a plain
 * list ("a@b.example, Name <c@d.example>"). Returns BW_OK, BW_ENOMEM, or
 * BW_ADDRESSES_NOT_PLAIN (out untouched): then GMime must parse it.
 */
int bw_addresses_parse_plain(bw_arena *a, const char *value, bw_address_list *out);

/* 1 when value is a plain list: GMime reads it without a warning and as bw_addresses_parse_plain
 * does. */
int bw_addresses_are_plain(const char *value);

#endif
