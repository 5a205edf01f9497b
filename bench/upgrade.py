#!/usr/bin/env python3
"""bench/upgrade.py: the costs of issue 16's features, measured on tend alone
(no peer can re-exec itself or probe its programs).

  reexec   N programs (sleep), all RUNNING; `tendctl reexec` K times in a row
           while a client asks `tendctl status NAME` in a loop. Reported: the
           time from the request to the new image's reply (median, max), the
           slowest client answer during the re-execs, client requests that
           failed (target 0), children whose pid changed (target 0).
  health   N programs, each with healthcheck=tcp:127.0.0.1:PORT every 10 s
           against one listener; after the first probes, tendd's CPU and
           wakeups over an idle window, as CPU-seconds per hour and wakeups
           per second; the same N with no health check as the reference
           (0 wakeups: nothing to do, nothing done).

Writes results-upgrade.json and results-upgrade.md in --out-dir. Run by
`bench/run --upgrade-only` (and at the end of a full bench/run).
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


class Tend:
    """One tendd -n in a private directory with N sleep programs."""

    def __init__(self, tendd, tendctl, base, n, extra=""):
        self.tendd, self.tendctl, self.dir, self.n = tendd, tendctl, base, n
        self.conf = os.path.join(base, "tend.ini")
        os.makedirs(os.path.join(base, "log"), exist_ok=True)
        with open(self.conf, "w") as f:
            f.write("[tend]\ncontrol=%s/control\npidfile=%s/tendd.pid\n"
                    "logfile=%s/tendd.log\nchildlogdir=%s/log\nloglevel=info\n\n"
                    % (base, base, base, base))
            for i in range(n):
                f.write("[program:p%d]\ncommand=/bin/sleep 100000\nstartsecs=0\n"
                        "stdout_logfile=NONE\nstderr_logfile=NONE\n%s\n" % (i, extra))
        self.proc = subprocess.Popen([tendd, "-n", "-c", self.conf],
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(base, "tendd.err"), "w"),
                                     start_new_session=True)

    def ctl(self, *args, timeout=120):
        return subprocess.run([self.tendctl, "-c", self.conf] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=timeout)

    def wait_running(self, timeout=300):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("tendd exited with %s" % self.proc.returncode)
            r = self.ctl("status")
            if r.stdout.count(" RUNNING ") == self.n:
                return
            time.sleep(0.1)
        raise RuntimeError("not all %d programs RUNNING within %d s" % (self.n, timeout))

    def pids(self):
        out = {}
        for line in self.ctl("status").stdout.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[1] == "RUNNING" and parts[2] == "pid":
                out[parts[0]] = int(parts[3].rstrip(","))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def cpu_ticks(pid):
    st = peers.read_stat(pid)
    return st["utime"] + st["stime"]


def wakeups(pid):
    st = peers.read_status(pid)
    return st["vcsw"] + st["ivcsw"]


def bench_reexec(a, base):
    t = Tend(a.tendd, a.tendctl, base, a.n)
    res = {"test": "reexec", "n": a.n, "reexecs": a.reexecs}
    try:
        t.wait_running()
        before = t.pids()
        stop = threading.Event()
        lat, fails = [], []

        def client():
            while not stop.is_set():
                t0 = time.monotonic()
                r = t.ctl("status", "p0", timeout=30)
                lat.append(time.monotonic() - t0)
                if r.returncode != 0 or " RUNNING " not in r.stdout:
                    fails.append((r.returncode, r.stdout.strip(), r.stderr.strip()))

        th = threading.Thread(target=client, daemon=True)
        th.start()
        time.sleep(0.5)
        n_before = len(lat)
        times, gaps, errors = [], [], []
        for _ in range(a.reexecs):
            t0 = time.monotonic()
            r = t.ctl("reexec", timeout=60)
            times.append(time.monotonic() - t0)
            if r.returncode != 0:
                errors.append(r.stdout.strip() + r.stderr.strip())
            # "tendd re-executed PATH (generation N, K processes running
            # kept, T ms)": T is the gap, from the old image writing its
            # state (its loop stops serving) to the new one having taken
            # everything over (serving again), as the new image measures it
            m = re.search(r"kept, ([0-9.]+) ms\)", r.stdout)
            if m:
                gaps.append(float(m.group(1)) / 1000)
            time.sleep(0.2)     # a few client requests between two re-execs
        stop.set()
        th.join(60)
        after = t.pids()
        res.update({
            "reexec_s": times,
            "reexec_median_s": statistics.median(times),
            "reexec_max_s": max(times),
            "gap_s": gaps,
            "gap_median_s": statistics.median(gaps) if gaps else None,
            "gap_max_s": max(gaps) if gaps else None,
            "reexec_errors": errors,
            "client_requests": len(lat) - n_before,
            "client_failures": len(fails),
            "client_failure_samples": fails[:5],
            "client_max_s": max(lat[n_before:]) if len(lat) > n_before else None,
            "client_median_s": statistics.median(lat[n_before:]) if len(lat) > n_before else None,
            "pids_changed": sum(1 for k, v in before.items() if after.get(k) != v),
            "tendd_pid_same": t.proc.poll() is None,
        })
    finally:
        t.stop()
    return res


def listener():
    """A TCP listener that accepts and closes, in a child process: the probes'
    server, whose CPU is not tendd's."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    pid = os.fork()
    if pid == 0:
        try:
            s.listen(4096)
            while True:
                c, _ = s.accept()
                c.close()
        finally:
            os._exit(0)
    s.close()
    return pid, port


def idle_cost(t, window):
    pid = t.proc.pid
    c0, w0, t0 = cpu_ticks(pid), wakeups(pid), time.monotonic()
    time.sleep(window)
    c1, w1, t1 = cpu_ticks(pid), wakeups(pid), time.monotonic()
    secs = t1 - t0
    return {"window_s": round(secs, 2),
            "cpu_s_per_hour": (c1 - c0) / CLK_TCK * 3600 / secs,
            "wakeups_per_s": (w1 - w0) / secs}


def bench_health(a, base):
    res = {"test": "health", "n": a.health_n, "interval_s": a.interval}
    lpid, port = listener()
    try:
        t = Tend(a.tendd, a.tendctl, os.path.join(base, "checks"), a.health_n,
                 "healthcheck=tcp:127.0.0.1:%d\nhealthcheck_interval=%d\n" % (port, a.interval))
        try:
            t.wait_running()
            time.sleep(a.interval + 2)          # every program probed once
            res["with_checks"] = idle_cost(t, a.idle)
            st = t.ctl("status").stdout
            res["unhealthy"] = st.count("unhealthy")
        finally:
            t.stop()
        t = Tend(a.tendd, a.tendctl, os.path.join(base, "plain"), a.health_n)
        try:
            t.wait_running()
            time.sleep(2)
            res["without_checks"] = idle_cost(t, a.idle)
        finally:
            t.stop()
    finally:
        os.kill(lpid, signal.SIGKILL)
        os.waitpid(lpid, 0)
    return res


def report(results, meta):
    L = ["# issue 16: re-exec and health-check costs (tend alone)", "",
         "Run %s, git %s, %d cores, load at start %s." % (
             meta["started"], meta["git"], os.cpu_count(), meta["loadavg"]), ""]
    for r in results:
        if r["test"] == "reexec":
            L += ["## Live re-exec at N=%d" % r["n"], "",
                  "| measure | value | target |", "|---|---|---|",
                  "| gap: the old image stops serving → the new one serves (median of %d, max) "
                  "| %.1f ms (%.1f) | ≤ 50 ms |" % (r["reexecs"], (r["gap_median_s"] or 0) * 1000,
                                                  (r["gap_max_s"] or 0) * 1000),
                  "| request → the new image's reply, checks of the new binary included "
                  "(median, max) | %.1f ms (%.1f) | |" % (r["reexec_median_s"] * 1000,
                                                       r["reexec_max_s"] * 1000),
                  "| `tendctl status p0` during the re-execs: answers / failures | %d / %d | 0 failures |"
                  % (r["client_requests"], r["client_failures"]),
                  "| slowest client answer during them (median) | %.1f ms (%.1f) | |"
                  % ((r["client_max_s"] or 0) * 1000, (r["client_median_s"] or 0) * 1000),
                  "| children whose pid changed | %d | 0 |" % r["pids_changed"],
                  "| re-execs refused or failed | %d | 0 |" % len(r["reexec_errors"]), ""]
        elif r["test"] == "health":
            w, wo = r["with_checks"], r["without_checks"]
            L += ["## Idle cost of %d tcp health checks every %d s" % (r["n"], r["interval_s"]), "",
                  "| N=%d programs | tendd CPU-s per hour | wakeups per s |" % r["n"], "|---|---|---|",
                  "| each with `healthcheck=tcp:` every %d s | %.2f | %.1f |"
                  % (r["interval_s"], w["cpu_s_per_hour"], w["wakeups_per_s"]),
                  "| no health check | %.2f | %.1f |" % (wo["cpu_s_per_hour"], wo["wakeups_per_s"]),
                  "", "Probes due per second: %.0f; programs reported unhealthy: %d (target 0)."
                  % (r["n"] / r["interval_s"], r["unhealthy"]), ""]
    return "\n".join(L)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tendd", required=True)
    ap.add_argument("--tendctl", required=True)
    ap.add_argument("--n", type=int, default=1000, help="programs for the re-exec test")
    ap.add_argument("--reexecs", type=int, default=10)
    ap.add_argument("--health-n", type=int, default=1000)
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--idle", type=float, default=60.0, help="idle window, seconds")
    ap.add_argument("--tests", default="reexec,health")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    a = ap.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(soft, min(hard if hard != resource.RLIM_INFINITY else 65536, 65536))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    peers.become_subreaper()
    try:
        git = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                              "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                             text=True).stdout.strip()
    except OSError:
        git = "?"
    meta = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "git": git,
            "loadavg": open("/proc/loadavg").read().split()[0]}
    base = tempfile.mkdtemp(prefix="tendupg.", dir=a.tmp)
    results = []
    try:
        for test in a.tests.split(","):
            print("upgrade bench: %s" % test, flush=True)
            if test == "reexec":
                r = bench_reexec(a, os.path.join(base, "reexec"))
            elif test == "health":
                r = bench_health(a, os.path.join(base, "health"))
            else:
                sys.exit("upgrade.py: unknown test %s (known: reexec, health)" % test)
            print("  " + json.dumps(r), flush=True)
            results.append(r)
    finally:
        peers.kill_my_tree()
        shutil.rmtree(base, ignore_errors=True)
    with open(os.path.join(a.out_dir, "results-upgrade.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    md = report(results, meta)
    with open(os.path.join(a.out_dir, "results-upgrade.md"), "w") as f:
        f.write(md + "\n")
    print(md)


if __name__ == "__main__":
    main()
