/* stats.h: what tendd tells the world about its processes besides
 * `status`: the Prometheus metrics (`tendctl metrics`, metrics_file=) and
 * systemd's STATUS= line. */
#ifndef TEND_STATS_H
#define TEND_STATS_H

#include <stdbool.h>

#include "util.h"

struct supervisor;
struct stats;

/* Start watching sv for changes (one libev prepare watcher). */
struct stats	*stats_new(struct supervisor *sv);
/* Write the last metrics file (tend_up 0) and stop watching. NULL is
 * accepted. */
void		 stats_free(struct stats *);
/* Something changed: before the loop next sleeps, rewrite metrics_file=
 * and send STATUS= if it differs from the last one. NULL is accepted. */
void		 stats_changed(struct stats *);
/* Append the metrics of sv (tend_up as up) to b. */
void		 stats_metrics(struct supervisor *sv, bool up, struct buf *b);

#endif
