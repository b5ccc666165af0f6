/*
 * freemail.h - is a domain a free web-mail provider?
 *
 * Anyone can open an account at a free-mail provider under any display name,
 * so such a domain can never back a claim to be a news organisation, one of
 * its journalists or a politician. The list (data/freemail) is compiled in.
 */
#ifndef BW_DETECT_FREEMAIL_H
#define BW_DETECT_FREEMAIL_H

/*
 * 1 when registrable_domain (lowercase, public suffix plus one label) belongs
 * to a free-mail provider, else 0. NULL gives 0.
 */
int bw_freemail_is(const char *registrable_domain);

#endif
