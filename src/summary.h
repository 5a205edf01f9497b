/* summary.h: what a configuration sets up, in words, for `tendd -t`. */
#ifndef TEND_SUMMARY_H
#define TEND_SUMMARY_H

#include "config.h"
#include "util.h"

/* Append to b the summary of c: the daemon's files (control FIFO, pid
 * file, its log, childlogdir, metrics file), the [group:]s, then every
 * process in start order with its command, identity and where its output
 * goes. */
void	 summary_format(struct buf *b, const struct config *c);

#endif
