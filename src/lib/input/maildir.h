/*
 * maildir.h - recognising a Maildir: a directory with cur/ and/or new/.
 */
#ifndef BW_INPUT_MAILDIR_H
#define BW_INPUT_MAILDIR_H

#include <stddef.h>

/*
 * Stores in names[] the message folders of dir ("cur", then "new") that
 * exist and returns how many; 0 means dir is not a Maildir. tmp/ holds
 * deliveries in progress and is never read.
 */
size_t bw_maildir_folders(const char *dir, const char *names[2]);

#endif
