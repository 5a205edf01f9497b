/* remote.h: tendctl -H: the command run on other hosts through ssh. */
#ifndef TEND_REMOTE_H
#define TEND_REMOTE_H

/* Run tendctl FWD... ARGV... on every host of specs ([user@]host[:port])
 * with ssh ($TEND_SSH, default ssh; the remote command $TENDCTL_REMOTE,
 * default tendctl): one host's output as it comes, several hosts' in
 * parallel with each line prefixed "HOST: " (status --json: one array,
 * a "host" field in each object). Returns the worst exit status. */
int	 remote_run(char *const *specs, int nspecs, char *const *fwd, int nfwd,
	    int argc, char **argv);

#endif
