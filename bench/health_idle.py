#!/usr/bin/env python3
"""health_idle.py: what health checks cost an idle tendd.

    python3 bench/health_idle.py --tendd BUILD/src/tendd --tendctl BUILD/src/tendctl
        [--n 1000] [--interval 10] [--window 60] [--out FILE.md]

Runs tendd -n with N programs (/bin/sleep, no log files) twice: without
health checks, then with healthcheck=tcp:127.0.0.1:PORT every INTERVAL s
for each (one listener of this script's, which accepts and closes). Once
every program is RUNNING (and, with checks, a whole interval has passed so
that the probes are spread as they will stay), it reads tendd's CPU time
(utime + stime, /proc/PID/stat) and its context switches (voluntary:
wake-ups; involuntary) before and after WINDOW seconds in which nothing
talks to tendd, and prints CPU seconds per hour and wake-ups per second,
as a Markdown table (also written to --out). Everything lives in a private
temp dir; only the processes it started are signalled, by pid.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HZ = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    """(CPU seconds, voluntary, involuntary context switches) of pid."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    vol = invol = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                vol = int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                invol = int(line.split()[1])
    return ticks / HZ, vol, invol


def listener():
    """A TCP listener on 127.0.0.1 that accepts and closes, in a thread."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4096)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.close()
    threading.Thread(target=serve, daemon=True).start()
    return srv


def run_one(a, tmp, port):
    """One tendd run: returns its figures."""
    conf = os.path.join(tmp, "tend.ini")
    ctl = os.path.join(tmp, "control")
    with open(conf, "w") as f:
        f.write("[tend]\ncontrol=%s\npidfile=%s/tendd.pid\nlogfile=%s/tendd.log\n"
                "childlogdir=%s\nloglevel=warn\n\n" % (ctl, tmp, tmp, tmp))
        for i in range(a.n):
            f.write("[program:p%d]\ncommand=/bin/sleep 100000\nstartsecs=0\n"
                    "stdout_logfile=NONE\nstderr_logfile=NONE\n" % i)
            if port:
                f.write("healthcheck=tcp:127.0.0.1:%d\nhealthcheck_interval=%d\n"
                        % (port, a.interval))
            f.write("\n")
    d = subprocess.Popen([a.tendd, "-n", "-c", conf], stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(tmp, "tendd.err"), "w"))
    try:
        deadline = time.monotonic() + 300
        while True:
            if d.poll() is not None:
                sys.exit("health_idle: tendd exited: %s" %
                         open(os.path.join(tmp, "tendd.err")).read())
            r = subprocess.run([a.tendctl, "-s", ctl, "status"], capture_output=True,
                               text=True)
            lines = r.stdout.splitlines()
            if len(lines) == a.n and all(" RUNNING " in l for l in lines):
                break
            if time.monotonic() > deadline:
                sys.exit("health_idle: not all RUNNING after 300 s")
            time.sleep(0.5)
        unhealthy = 0
        if port:
            # a whole interval, so that every program was probed once
            time.sleep(a.interval + 1)
            r = subprocess.run([a.tendctl, "-s", ctl, "status", "--json"],
                               capture_output=True, text=True)
            unhealthy = r.stdout.count('"healthy":false')
            healthy = r.stdout.count('"healthy":true')
            if healthy != a.n:
                sys.exit("health_idle: %d of %d healthy" % (healthy, a.n))
        else:
            time.sleep(2)
        c0, v0, i0 = proc_cpu(d.pid)
        t0 = time.monotonic()
        time.sleep(a.window)
        c1, v1, i1 = proc_cpu(d.pid)
        dt = time.monotonic() - t0
        return dict(cpu_s=c1 - c0, window=dt, vol=v1 - v0, invol=i1 - i0,
                    cpu_s_per_hour=(c1 - c0) * 3600 / dt,
                    wakeups_per_s=(v1 - v0) / dt, unhealthy=unhealthy)
    finally:
        d.send_signal(signal.SIGTERM)
        try:
            d.wait(120)
        except subprocess.TimeoutExpired:
            d.kill()
            d.wait()


def main():
    p = argparse.ArgumentParser(description="idle cost of health checks")
    p.add_argument("--tendd", required=True)
    p.add_argument("--tendctl", required=True)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--interval", type=int, default=10)
    p.add_argument("--window", type=float, default=60.0)
    p.add_argument("--out", default=None)
    p.add_argument("--keep", action="store_true")
    a = p.parse_args()
    srv = listener()
    port = srv.getsockname()[1]
    rows = []
    for label, prt in (("no health checks", 0),
                       ("tcp check every %d s" % a.interval, port)):
        tmp = tempfile.mkdtemp(prefix="tend-health-bench.")
        try:
            r = run_one(a, tmp, prt)
        finally:
            if not a.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        rows.append((label, r))
    srv.close()
    probes = a.n / a.interval
    out = ["| tendd, N=%d, idle %.0f s | CPU s | CPU-s per hour | wake-ups/s | "
           "involuntary switches | per probe |" % (a.n, a.window),
           "|---|---|---|---|---|---|"]
    for label, r in rows:
        per = ""
        if "every" in label:
            per = "%.1f µs CPU, %.2f wake-ups" % (
                r["cpu_s"] / (probes * r["window"]) * 1e6,
                r["vol"] / (probes * r["window"]))
        out.append("| %s | %.2f | %.1f | %.1f | %d | %s |" % (
            label, r["cpu_s"], r["cpu_s_per_hour"], r["wakeups_per_s"],
            r["invol"], per))
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
