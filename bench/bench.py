#!/usr/bin/env python3
"""bench.py - tend side by side with supervisord, runit and s6 (issues 8, 15).

Run it through bench/run (which installs the peers, builds tend and the floor
program); see bench/README.md. This file adds to the reference harness
peers.py (copied unchanged from the project's shared bench material):

  * `tend`   - a first-class adapter: tendd -n with the same [program:x] keys
               that supervisord gets, status through `tendctl status`;
  * `floor`  - the physical floor of a cold start: spawnfloor.c, a bare C
               loop of N posix_spawn(/bin/sleep) calls;
  * the bash-loop restart floor (peers' `shloop`) and `cat > file` for log
    throughput (peers' baseline) are run in the same repetitions, with the
    log capture floors splicefloor.c and relayfloor.c;
  * `fanin`  - N programs (fanwriter.c) writing at once, each into its own
               log, for tend and the peers (a `fanin` kind added here to
               peers' supervisord, runit and s6 adapters); every line of
               every log checked afterwards;
  * `big`    - tend (and the floor) alone at N = 10000;
  * a summary: medians (min-max), tend's ratio to each peer, the issue's
    targets met or missed, bench/results.json and a PNG plot (gnuplot).

  bench.py run [--quick|--log-only] --tendd P --tendctl P --spawnfloor P
               [--splicefloor P --relayfloor P --fanwriter P] [--out-dir D]
  bench.py report RESULTS.json [--plot OUT.png] [--markdown OUT.md]
  bench.py selftest [--fanwriter P]
"""

import argparse
import json
import os
import resource
import signal
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402

# --------------------------------------------------------------------------
# adapters
# --------------------------------------------------------------------------

EXTRA = {}          # per-run extra fields an adapter wants recorded


class TendAdapter(peers.Adapter):
    """tendd -n -c tend.ini; the [program:x] keys are supervisord's (same
    workload), minus keys this tendd does not know (found once with -t)."""

    name = "tend"
    kinds = ("sleep", "crash", "crash_slow", "log", "fanin")
    own_comms = ()              # tendd has no helper processes
    status_what = "tendctl -c CONF status"
    TENDD = "tendd"
    TENDCTL = "tendctl"
    _unknown = None

    @classmethod
    def version(cls):
        try:
            v = subprocess.run([cls.TENDD, "-v"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT).stdout.decode().strip()
        except OSError:
            return "?"
        try:
            rev = subprocess.run(["git", "-C", os.path.dirname(HERE), "describe", "--always",
                                  "--dirty"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL).stdout.decode().strip()
        except OSError:
            rev = ""
        return v + (" (git %s)" % rev if rev else "")

    @classmethod
    def available(cls):
        ok = all(os.access(p, os.X_OK) for p in (cls.TENDD, cls.TENDCTL))
        return ok, "tendd/tendctl not built (%s, %s)" % (cls.TENDD, cls.TENDCTL)

    @classmethod
    def unknown_keys(cls, keys, d):
        """Keys of this workload that tendd -t refuses as unknown (cached)."""
        if cls._unknown is None:
            cls._unknown = set()
        todo = [k for k in keys if k not in cls._unknown]
        p = os.path.join(d, "keyprobe.ini")
        with open(p, "w") as f:
            f.write("[tend]\ncontrol=%s\n[program:probe]\ncommand=/bin/true\n" %
                    os.path.join(d, "probe.control"))
            for k in todo:
                if k != "command":
                    f.write("%s=%s\n" % (k, keys[k]))
        r = subprocess.run([cls.TENDD, "-t", "-c", p], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        for ln in r.stdout.decode(errors="replace").splitlines():
            if ln.endswith(": unknown key"):
                cls._unknown.add(ln.rsplit(": unknown key", 1)[0].rsplit(" ", 1)[-1])
        os.unlink(p)
        return cls._unknown

    def write_config(self, n_programs, kind, dir):
        self._setup(n_programs, kind, dir)
        os.makedirs(os.path.join(dir, "childlog"), exist_ok=True)
        os.makedirs(os.path.join(dir, "logs"), exist_ok=True)
        sd = BenchSupervisordAdapter(log_bytes=self.log_bytes)
        sd.dir, sd.wl, sd.n = dir, self.wl, n_programs
        if kind == "fanin":
            per = [(nm, sd.fanin_keys(i)) for i, nm in enumerate(self.program_names(), 1)]
        else:
            keys = sd.program_keys(kind)
            per = [(nm, keys) for nm in self.program_names()]
        drop = self.unknown_keys(per[0][1], dir)
        self.conf = os.path.join(dir, "tend.ini")
        lines = ["[tend]",
                 "control=%s" % os.path.join(dir, "control"),
                 "childlogdir=%s" % os.path.join(dir, "childlog"),
                 "minfds=%d" % min(resource.getrlimit(resource.RLIMIT_NOFILE)[1],
                                   max(1024, 4 * n_programs + 256)),
                 ""]
        for nm, keys in per:
            lines.append("[program:%s]" % nm)
            lines += ["%s=%s" % kv for kv in keys.items() if kv[0] not in drop]
            lines.append("")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines))

    def start(self):
        self._spawn([self.TENDD, "-n", "-c", self.conf], cwd=self.dir)

    def _ctl(self, *args):
        r = subprocess.run([self.TENDCTL, "-c", self.conf] + list(args),
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        return r.returncode, r.stdout.decode(errors="replace")

    def wait_all_running(self, timeout=300):
        # Cheap while it starts: tendd's own log (its stderr, in
        # supervisor.out) says "success: NAME entered RUNNING state" for each
        # program; it is read incrementally, like runit's and s6's supervise
        # files (a tendctl every 10 ms would fork a client from this Python
        # process 100 times a second on 2 cores, which slows tendd down).
        # Then tendd's status must show all N RUNNING.
        path = os.path.join(self.dir, "supervisor.out")
        st = {"off": 0, "rest": b"", "seen": set(), "confirmed": False}

        def pred():
            if len(st["seen"]) < self.n:
                try:
                    with open(path, "rb") as f:
                        f.seek(st["off"])
                        data = f.read()
                except OSError:
                    return False
                st["off"] += len(data)
                lines = (st["rest"] + data).split(b"\n")
                st["rest"] = lines.pop()
                for ln in lines:
                    i = ln.find(b" success: ")
                    if i != -1 and b" entered RUNNING state" in ln:
                        st["seen"].add(ln[i + 10:].split(b" ", 1)[0])
                if len(st["seen"]) < self.n:
                    return False
            _rc, out = self._ctl("status")
            return self.count_running(out) == self.n
        return self._poll_until(pred, timeout, interval=0.01)

    def status_command(self):
        return [self.TENDCTL, "-c", self.conf, "status"]

    def count_running(self, output):
        return sum(1 for ln in output.splitlines() if " RUNNING " in ln)

    def log_files(self):
        return peers.glob.glob(os.path.join(self.dir, "logs", "writer.log*"))

    def fanin_files(self, i):
        return _rotated_logfiles(os.path.join(self.dir, "logs", "p%04d.log" % i))

    def fanin_main(self, i):
        return os.path.join(self.dir, "logs", "p%04d.log" % i)

    def fanin_stamps(self):
        return os.path.join(self.dir, "fanin-stamps.txt")

    def stop_all_and_exit(self, timeout=120):
        self._generic_stop(lambda: os.kill(self.proc.pid, signal.SIGTERM), timeout)

    def config_text(self):
        with open(self.conf) as f:
            return f.read()


class FloorAdapter(peers.Adapter):
    """Not a supervisor: spawnfloor N READY posix_spawns N /bin/sleep and
    writes READY when the loop is done; the floor of a cold start."""

    name = "floor"
    kinds = ("sleep",)
    own_comms = ()
    baseline = True
    SPAWNFLOOR = "spawnfloor"

    @classmethod
    def version(cls):
        return "spawnfloor.c (posix_spawn loop, cc -O2)"

    @classmethod
    def available(cls):
        return os.access(cls.SPAWNFLOOR, os.X_OK), "spawnfloor not built"

    def write_config(self, n_programs, kind, dir):
        self._setup(n_programs, kind, dir)
        self.ready = os.path.join(dir, "ready")

    def start(self):
        self._spawn([self.SPAWNFLOOR, str(self.n), self.ready] + self.wl.argv("sleep"),
                    cwd=self.dir)

    def wait_all_running(self, timeout=300):
        ok = self._poll_until(lambda: os.path.exists(self.ready), timeout, interval=0.01)
        if ok:
            with open(self.ready) as f:
                started, secs = f.read().split()
            EXTRA.update(floor_started=int(started), floor_loop_s=float(secs))
            ok = int(started) == self.n
        return ok

    def stop_all_and_exit(self, timeout=60):
        self._generic_stop(lambda: os.kill(self.proc.pid, signal.SIGTERM), timeout)


# --------------------------------------------------------------------------
# fan-in: N programs (fanwriter.c) write at once, each into its own log
# --------------------------------------------------------------------------
#
# peers.py stays the shared reference harness, unchanged: the `fanin` kind
# of its supervisord, runit and s6 adapters is added here, by subclasses
# registered under the same labels. Every program is `fanwriter ID BYTES
# GOFIFO STAMPS` (see fanwriter.c); its stdout goes to a log of its own:
# supervisord and tend logs/pNNNN.log (maxbytes 2GB: no rotation), runit and
# s6 one svlogd / s6-log per program, configured as in the log test.

FANWRITER = None    # path of the fanwriter binary (bench/run builds it)


def _rotated_logfiles(base):
    """supervisord-style BASE, BASE.1, BASE.2 ... oldest first."""
    old = []
    for p in peers.glob.glob(base + ".*"):
        suf = p[len(base) + 1:]
        if suf.isdigit():
            old.append((int(suf), p))
    return [p for _, p in sorted(old, reverse=True)] + (
        [base] if os.path.exists(base) else [])


class _Fanin:
    """What every fan-in adapter shares: the writer's command line."""

    def fanin_stamps(self):
        return os.path.join(self.dir, "fanin-stamps.txt")

    def fanin_argv(self, i):
        return [FANWRITER or "fanwriter", str(i), str(self.log_bytes), self.wl.go,
                self.fanin_stamps()]


class BenchSupervisordAdapter(_Fanin, peers.SupervisordAdapter):
    kinds = peers.SupervisordAdapter.kinds + ("fanin",)

    def fanin_keys(self, i):
        """supervisord's keys for fan-in program i (also tend's)."""
        return {"command": " ".join(self.fanin_argv(i)), "autostart": "true",
                "autorestart": "true", "redirect_stderr": "true", "startsecs": 0,
                "stdout_logfile": self.fanin_main(i), "stdout_logfile_maxbytes": "2GB",
                "stdout_logfile_backups": 1}

    def fanin_main(self, i):
        return os.path.join(self.dir, "logs", "p%04d.log" % i)

    def fanin_files(self, i):
        return _rotated_logfiles(self.fanin_main(i))

    def write_config(self, n_programs, kind, dir):
        if kind != "fanin":
            return super().write_config(n_programs, kind, dir)
        self._setup(n_programs, kind, dir)
        os.makedirs(os.path.join(dir, "childlog"), exist_ok=True)
        os.makedirs(os.path.join(dir, "logs"), exist_ok=True)
        self.conf = os.path.join(dir, "supervisord.conf")
        self.sock = os.path.join(dir, "supervisor.sock")
        text = peers.supervisord_ini(dir, n_programs, [
            (nm, self.fanin_keys(i)) for i, nm in enumerate(self.program_names(), 1)])
        with open(self.conf, "w") as f:
            f.write(text)


class _FaninServiceDir(_Fanin):
    """runit / s6: the log test's service dirs (a logger per program, same
    logger settings), with ./run exec'ing the fan-in writer."""

    def write_config(self, n_programs, kind, dir):
        if kind != "fanin":
            return super().write_config(n_programs, kind, dir)
        super().write_config(n_programs, "log", dir)
        self.kind = "fanin"
        for i, sd in enumerate(self.svcdirs, 1):
            self._write_exec(os.path.join(sd, "run"),
                             "#!/bin/sh\nexec %s\n" % " ".join(self.fanin_argv(i)))

    def fanin_main(self, i):
        return os.path.join(self.svcdirs[i - 1], "log", "main", "current")

    def fanin_files(self, i):
        main = os.path.dirname(self.fanin_main(i))
        out = sorted(peers.glob.glob(os.path.join(main, "@*")))
        out += [os.path.join(main, f) for f in ("previous", "current")]
        return [p for p in out if os.path.exists(p)]


class BenchRunitAdapter(_FaninServiceDir, peers.RunitAdapter):
    kinds = peers.RunitAdapter.kinds + ("fanin",)
    logger_comm = "svlogd"


class BenchS6Adapter(_FaninServiceDir, peers.S6Adapter):
    kinds = peers.S6Adapter.kinds + ("fanin",)
    logger_comm = "s6-log"


peers.register("tend", TendAdapter)
peers.register("floor", FloorAdapter)
peers.register("supervisord", BenchSupervisordAdapter)
peers.register("runit", BenchRunitAdapter)
peers.register("s6", BenchS6Adapter)

FILL = b"0123456789abcdef" * 5 + b"01"      # fanwriter.c's fill: 82 bytes
FANIN_LINE = 100
_TEMPLATE = {}


def fanin_expected(i, lines):
    """The exact bytes fanwriter i writes for `lines` lines."""
    t = _TEMPLATE.get(lines)
    if t is None:
        t = b"".join(b"00000 %010d %s\n" % (k, FILL) for k in range(lines))
        _TEMPLATE.clear()
        _TEMPLATE[lines] = t
    return (b"\n" + t).replace(b"\n00000 ", b"\n%05d " % i)[1:]


def fanin_verify(data, i, lines):
    """Count, in program i's captured bytes, what differs from the lines its
    fanwriter wrote (sequence numbers 0 .. lines-1, once each, in order):
      lost        sequence numbers never seen
      duplicated  occurrences of a sequence number after its first
      reordered   first occurrences that come after a higher sequence number
      corrupt     lines that are not a whole line of writer i (mangled,
                  truncated, another writer's, or a trailing partial line)
    The common case (everything intact) is one comparison."""
    res = {"lines": 0, "lost": 0, "duplicated": 0, "reordered": 0, "corrupt": 0}
    if data == fanin_expected(i, lines):
        res["lines"] = lines
        return res
    seen = bytearray(lines)
    top = -1
    prefix = b"%05d " % i
    parts = data.split(b"\n")
    tail = parts.pop()                  # b"" when data ends with a newline
    if tail:
        res["corrupt"] += 1
    for ln in parts:
        res["lines"] += 1
        if (len(ln) != FANIN_LINE - 1 or not ln.startswith(prefix) or ln[16:17] != b" "
                or ln[17:] != FILL or not ln[6:16].isdigit()):
            res["corrupt"] += 1
            continue
        k = int(ln[6:16])
        if k >= lines:
            res["corrupt"] += 1
            continue
        if seen[k]:
            res["duplicated"] += 1
            continue
        seen[k] = 1
        if k < top:
            res["reordered"] += 1
        top = max(top, k)
    res["lost"] = lines - sum(seen)
    return res


_BUF = {}


def fanin_check(paths, i, lines):
    """fanin_verify over program i's log files (oldest first). Fast path for
    the common case, one intact file: read into a reused buffer (a fresh
    10 MB object per program costs more in page faults than the check),
    check the 5 id columns, then compare with the template in place."""
    want = lines * FANIN_LINE
    sizes = [os.path.getsize(p) for p in paths]
    if len(paths) == 1 and sizes[0] == want:
        buf = _BUF.get(want)
        if buf is None:
            _BUF.clear()
            buf = _BUF[want] = bytearray(want + 1)
        with open(paths[0], "rb") as f:
            n = f.readinto(buf)
        ids = b"%05d" % i
        ok = n == want
        for col in range(5):
            if not ok:
                break
            ok = buf[col:n:FANIN_LINE] == ids[col:col + 1] * lines
            if ok:
                buf[col:n:FANIN_LINE] = b"0" * lines
        fanin_expected(1, lines)            # builds the template of this size
        if ok and memoryview(buf)[:n] == _TEMPLATE[lines]:
            return {"lines": lines, "lost": 0, "duplicated": 0, "reordered": 0, "corrupt": 0}
    data = b""
    for p in paths:
        with open(p, "rb") as f:
            data += f.read()
    return fanin_verify(data, i, lines)


def selftest(fanwriter=None):
    """The fan-in verifier against files with known faults; with a fanwriter
    binary, also that its output is what the verifier expects."""
    lines = 1000
    good = fanin_expected(7, lines)
    assert len(good) == lines * FANIN_LINE
    assert fanin_verify(good, 7, lines) == {"lines": 1000, "lost": 0, "duplicated": 0,
                                            "reordered": 0, "corrupt": 0}
    L = good.split(b"\n")[:-1]

    def check(ls, want, tail=b""):
        got = fanin_verify(b"".join(x + b"\n" for x in ls) + tail, 7, lines)
        for k, v in want.items():
            assert got[k] == v, "%s: got %s, want %s (%s)" % (k, got[k], v, got)
        for k in set(got) - set(want) - {"lines"}:
            assert got[k] == 0, "%s: got %s, want 0 (%s)" % (k, got[k], got)
    check(L[:500] + L[501:], {"lost": 1})                          # one line missing
    check(L[:500] + [L[499]] + L[500:], {"duplicated": 1})         # one line twice
    check(L[:10] + [L[11], L[10]] + L[12:], {"reordered": 1})      # two swapped
    check(L[:-1], {"lost": 1})                                     # the last one missing
    check(L[:-1], {"lost": 1, "corrupt": 1}, tail=L[-1][:40])      # cut mid-line
    check(L[:5] + [L[5].replace(b"00007 ", b"00008 ", 1)] + L[6:], # another writer's line
          {"lost": 1, "corrupt": 1})
    check(L[:5] + [L[5][:50] + L[6][60:]] + L[7:], {"lost": 2, "corrupt": 1})  # bytes lost
    check([], {"lost": lines})
    with tempfile.TemporaryDirectory(prefix="tendbench.selftest.") as d:
        a, b = os.path.join(d, "a"), os.path.join(d, "b")
        with open(a, "wb") as f:
            f.write(good)
        assert fanin_check([a], 7, lines)["lost"] == 0
        assert fanin_check([a], 8, lines)["corrupt"] == lines      # another writer's file
        with open(a, "wb") as f:
            f.write(good[:300 * FANIN_LINE])
        with open(b, "wb") as f:
            f.write(good[300 * FANIN_LINE:])
        assert fanin_check([a, b], 7, lines)["lost"] == 0           # rotated: two files
        assert fanin_check([b, a], 7, lines)["reordered"] == 300
        with open(b, "wb") as f:
            f.write(good[301 * FANIN_LINE:] + good[-FANIN_LINE:])
        r = fanin_check([a, b], 7, lines)
        assert (r["lost"], r["duplicated"]) == (1, 1), r
    assert fanin_expected(12345, 3).split(b"\n")[2] == b"12345 0000000002 " + FILL
    if fanwriter:
        out = subprocess.run([fanwriter, "-x", "7", str(lines * FANIN_LINE + 99), "-", "-"],
                             stdout=subprocess.PIPE, check=True).stdout
        assert out == good, "fanwriter's output is not what the verifier expects"
        out = subprocess.run([fanwriter, "-x", "42", str(5000 * FANIN_LINE), "-", "-"],
                             stdout=subprocess.PIPE, check=True).stdout
        assert fanin_verify(out, 42, 5000)["lines"] == 5000
        assert out == fanin_expected(42, 5000)
    print("fan-in verifier self-test: ok%s" % (" (and fanwriter's output)" if fanwriter
                                               else ""))

# --------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------


class Bench(peers.Harness):
    def rundir(self, name):
        # every test starts with no dirty pages of an earlier one still being
        # written back: the log tests write a GiB each, and writeback behind a
        # test (and its throttling) belongs to the test that caused it
        os.sync()
        return super().rundir(name)

    def record(self, rec):
        rec.update(EXTRA)
        EXTRA.clear()
        if rec.get("test") == "restart" and rec.get("gaps_s"):
            rec["gap_p99_s"] = peers.pct(rec["gaps_s"], 0.99)
        if rec.get("test") != "fanin":
            super().record(rec)
            return
        # as peers.Harness.record, but without the per-program lists on the terminal
        rec["time"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.results.append(rec)
        self.save()
        print("  " + json.dumps({k: v for k, v in rec.items()
                                 if k not in ("capture_s", "writer_s")}), flush=True)

    def scale(self, label, n, rep, test="scale"):
        a = self.args
        saved = (a.idle, a.settle, a.status_reps)
        if label == "floor":        # nothing to idle or ask: only the start time
            a.idle, a.settle = 0.0, 0.0
        try:
            EXTRA["test_name"] = test
            super().scale(label, n, rep)
        finally:
            a.idle, a.settle, a.status_reps = saved

    SPLICEFLOOR = None
    RELAYFLOOR = None
    FLOORS = {      # label -> (class attribute holding the binary, sink description)
        "baseline:splice": ("SPLICEFLOOR", "splicefloor FILE (splice in batches)"),
        "baseline:relay": ("RELAYFLOOR", "relayfloor FILE (splice to a private pipe, then "
                           "to the file)"),
    }

    def log_floor(self, label, rep):
        """The same writer into a bare C capture loop: splicefloor.c (splice(2)
        from the pipe into the file in batches: the kernel's own cost of
        capturing a pipe) or relayfloor.c (splice into a private pipe, then
        from it into the file: the writer's pipe lock is held only while page
        references move). Measured like `cat > file` (wall clock, rusage of
        the sink)."""
        attr, sink = self.FLOORS[label]
        nbytes = peers.whole_lines(self.args.log_bytes)
        d = self.rundir("%s-r%d" % (label.replace(":", "-"), rep))
        target = os.path.join(d, "out.log")
        rec = {"test": "log", "adapter": label, "bytes": nbytes, "rep": rep}
        t0 = time.time()
        w = subprocess.Popen(["sh", "-c", peers.writer_cmd(nbytes)], stdout=subprocess.PIPE)
        s = subprocess.Popen([getattr(self, attr), target], stdin=w.stdout,
                             stdout=subprocess.DEVNULL)
        w.stdout.close()
        _, status, ru = os.wait4(s.pid, 0)
        s.returncode = os.waitstatus_to_exitcode(status)
        t1 = time.time()
        w.wait()
        got = os.path.getsize(target) if os.path.exists(target) else 0
        rec.update(complete=(got == nbytes and s.returncode == 0), captured_bytes=got,
                   wall_s=t1 - t0, mb_per_s=nbytes / 1e6 / (t1 - t0),
                   cpu_s=ru.ru_utime + ru.ru_stime,
                   cpu_s_per_gib=(ru.ru_utime + ru.ru_stime) * (1 << 30) / nbytes,
                   sink=sink)
        self.record(rec)
        self.cleanup_rundir(d)

    # ---------------- fan-in ------------------------------------------------
    fanin_n, fanin_bytes = 100, 10 << 20

    def fanin_writer_check(self):
        """fanwriter alone into /dev/null, 3 times: its MB/s is recorded in
        meta, to show the writer is not what limits the fan-in figures. First
        the verifier's self-test: a verifier that saw no fault where there is
        one would report a lossless run."""
        selftest(FANWRITER)
        nbytes = peers.whole_lines(self.fanin_bytes)
        rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([FANWRITER, "-x", "1", str(nbytes), "-", "-"], check=True,
                           stdout=subprocess.DEVNULL)
            rates.append(nbytes / 1e6 / (time.perf_counter() - t0))
        self.meta["fanin_writer_devnull_mb_per_s"] = statistics.median(rates)
        print("  fanwriter alone > /dev/null: %.0f MB/s (median of 3, %d bytes, "
              "exec included)" % (statistics.median(rates), nbytes), flush=True)

    @staticmethod
    def _fanin_stamps(path):
        """{'R'|'S'|'E': {id: epoch seconds}} from fanwriter's stamp file."""
        out = {"R": {}, "S": {}, "E": {}}
        try:
            with open(path) as f:
                for line in f:
                    p = line.split()
                    if len(p) == 4 and p[0] in out:
                        out[p[0]][int(p[3])] = float(p[1])
        except FileNotFoundError:
            pass
        return out

    def _fanin_poll(self, mains, nbytes, check):
        """Poll every program's log file (mains[i-1]) every 10 ms until it
        holds nbytes; {i: time complete}, [i not complete by the timeout]."""
        done = {}
        pending = list(range(1, len(mains) + 1))
        deadline = time.monotonic() + self.args.log_timeout
        while pending and time.monotonic() < deadline:
            time.sleep(0.01)
            now = time.time()
            left = []
            for i in pending:
                try:
                    complete = os.stat(mains[i - 1]).st_size >= nbytes
                except FileNotFoundError:
                    complete = False
                if complete:
                    done[i] = now
                else:
                    left.append(i)
            pending = left
            check()
        return done, pending

    def _fanin_times(self, rec, stamps, t_go, done, pending):
        """Throughput, capture times and the slowdown into rec."""
        n, nbytes = rec["n"], rec["bytes_per_program"]
        st = self._fanin_stamps(stamps)
        starts = st["S"]
        t_first = min(starts.values()) if starts else t_go
        rec["complete"] = not pending
        rec["programs_complete"] = len(done)
        rec["writer_start_lag_s"] = t_first - t_go
        rec["start_spread_s"] = (max(starts.values()) - t_first) if starts else None
        if done:
            rec["wall_s"] = max(done.values()) - t_first
            rec["mb_per_s"] = n * nbytes / 1e6 / rec["wall_s"] if not pending else None
        cap = {i: done[i] - starts[i] for i in done if i in starts}
        rec["capture_s"] = [round(cap[i], 4) for i in sorted(cap)]
        rec["writer_s"] = [round(st["E"][i] - starts[i], 4) for i in sorted(starts)
                           if i in st["E"]]
        if cap and not pending:
            m = statistics.median(cap.values())
            rec["capture_median_s"] = m
            rec["capture_max_s"] = max(cap.values())
            rec["slowdown_worst"] = max(cap.values()) / m if m > 0 else None

    @staticmethod
    def _fanin_verify(rec, files, lines):
        """Every line of every program's files (files[i-1], oldest first)."""
        tot = {"lines": 0, "lost": 0, "duplicated": 0, "reordered": 0, "corrupt": 0}
        bad = []
        for i, paths in enumerate(files, 1):
            r = fanin_check(paths, i, lines)
            for k in tot:
                tot[k] += r[k]
            if r["lines"] != lines or r["lost"] or r["duplicated"] or r["reordered"] \
                    or r["corrupt"]:
                bad.append(i)
        rec["lines_expected"] = len(files) * lines
        rec["lines_captured"] = tot["lines"]
        rec["lines_lost"] = tot["lost"]
        rec["lines_duplicated"] = tot["duplicated"]
        rec["lines_reordered"] = tot["reordered"]
        rec["lines_corrupt"] = tot["corrupt"]
        rec["programs_with_faults"] = bad

    def fanin_cat(self, rep):
        """The fan-in's baseline: the same N fanwriters, released the same
        way, each piped into its own `cat > file` (no supervisor). What the
        machine does with N pipes into N files when each has a reader of its
        own; CPU = the cats' rusage."""
        n, nbytes = self.fanin_n, peers.whole_lines(self.fanin_bytes)
        lines = nbytes // FANIN_LINE
        d = self.rundir("baseline-cat-fanin-r%d" % rep)
        go, stamps = os.path.join(d, "go.fifo"), os.path.join(d, "fanin-stamps.txt")
        os.mkfifo(go, 0o600)
        mains = [os.path.join(d, "p%04d.log" % i) for i in range(1, n + 1)]
        rec = {"test": "fanin", "adapter": "baseline:cat", "n": n,
               "bytes_per_program": nbytes, "bytes": n * nbytes, "rep": rep,
               "sink": "fanwriter | cat > FILE, per program"}
        gofd = os.open(go, os.O_RDWR | os.O_CLOEXEC)
        procs, cats = [], {}
        try:
            for i in range(1, n + 1):
                with open(mains[i - 1], "wb") as out:
                    w = subprocess.Popen([FANWRITER, "-x", str(i), str(nbytes), go, stamps],
                                         stdout=subprocess.PIPE, start_new_session=True)
                    c = subprocess.Popen(["cat"], stdin=w.stdout, stdout=out,
                                         start_new_session=True)
                w.stdout.close()
                procs += [w, c]
                cats[c.pid] = c
            deadline = time.monotonic() + 120
            while len(self._fanin_stamps(stamps)["R"]) < n:
                if time.monotonic() > deadline:
                    raise RuntimeError("fan-in writers never all ready")
                time.sleep(0.05)
            time.sleep(1.0)
            t_go = time.time()
            os.close(gofd)
            gofd = None
            done, pending = self._fanin_poll(mains, nbytes, lambda: None)
            cpu = 0.0
            for pid, c in cats.items():
                _, status, ru = os.wait4(pid, 0)
                c.returncode = os.waitstatus_to_exitcode(status)
                cpu += ru.ru_utime + ru.ru_stime
            self._fanin_times(rec, stamps, t_go, done, pending)
            rec["cpu_s"] = cpu
            rec["cpu_s_per_gib"] = cpu * (1 << 30) / (n * nbytes)
            rec["cpu_by_comm"] = {"cat": cpu}
        finally:
            if gofd is not None:
                os.close(gofd)
            for p in procs:
                if p.returncode is None and p.poll() is None:
                    p.kill()
                    p.wait()
        self._fanin_verify(rec, [[m] for m in mains], lines)
        self.record(rec)
        self.cleanup_rundir(d)

    def fanin(self, label, rep):
        """N programs write fanin_bytes each at once, each into its own log.
        Released together: every fanwriter opens the go FIFO (the harness
        holds its only write end, opened before the supervisor starts),
        stamps R, and reads it until EOF; once all N have stamped R and every
        logger runs, the harness closes its end. Measured: aggregate MB/s
        (N x bytes from the first writer's start stamp until the last log
        file holds all its bytes), CPU-s of the supervisor (+ loggers) per
        GiB, each program's capture time (its start stamp until its file
        is complete, polled every 10 ms) and the worst of them relative to
        the median, and, after the stop, every line of every file checked."""
        n, nbytes = self.fanin_n, peers.whole_lines(self.fanin_bytes)
        lines = nbytes // FANIN_LINE
        a = peers.make_adapter(label, nbytes)
        d = self.rundir("%s-fanin-r%d" % (label, rep))
        a.write_config(n, "fanin", d)
        rec = {"test": "fanin", "adapter": label, "n": n, "bytes_per_program": nbytes,
               "bytes": n * nbytes, "rep": rep}
        gofd = os.open(a.wl.go, os.O_RDWR | os.O_CLOEXEC)     # held: no EOF yet
        self.current = a
        try:
            a.start()
            if not a.wait_all_running(120):
                raise RuntimeError("fan-in writers never all RUNNING")
            logger = getattr(a, "logger_comm", None)

            def ready():
                if len(self._fanin_stamps(a.fanin_stamps())["R"]) < n:
                    return False
                if logger is None:
                    return True
                tab = peers.proc_table()
                return sum(tab[p]["comm"] == logger for p in a.supervisor_pids(tab)
                           if p in tab) >= n
            if not a._poll_until(ready, 120, 0.05):
                raise RuntimeError("fan-in writers or loggers never all ready")
            time.sleep(1.0)
            sp = a.supervisor_pids()
            rec["supervisor_procs"] = len(sp)
            c0 = peers.snapshot(sp)
            mains = [a.fanin_main(i) for i in range(1, n + 1)]
            t_go = time.time()
            os.close(gofd)
            gofd = None

            def check_alive():
                if a.proc.poll() is not None:
                    raise RuntimeError("%s exited during the fan-in" % label)
            done, pending = self._fanin_poll(mains, nbytes, check_alive)
            c1 = peers.snapshot(sp)
            self._fanin_times(rec, a.fanin_stamps(), t_go, done, pending)
            rec["cpu_s"] = peers.snap_delta(c0, c1, "ticks") / peers.CLK_TCK
            rec["cpu_s_per_gib"] = rec["cpu_s"] * (1 << 30) / (n * nbytes)
            rec["cpu_by_comm"] = {}
            tab = peers.proc_table()
            for p in c0:
                if p in c1:
                    comm = tab.get(p, {}).get("comm", "?")
                    rec["cpu_by_comm"][comm] = rec["cpu_by_comm"].get(comm, 0) + \
                        (c1[p]["ticks"] - c0[p]["ticks"]) / peers.CLK_TCK
            rec["hwm_kb"] = sum(v["hwm_kb"] for v in c1.values())
        finally:
            if gofd is not None:
                os.close(gofd)
            a.stop_all_and_exit()
            rec["leftovers_killed"] = a.leftovers
            self.current = None
        # every line of every program, once the supervisor and loggers are gone
        self._fanin_verify(rec, [a.fanin_files(i) for i in range(1, n + 1)], lines)
        self.record(rec)
        self.cleanup_rundir(d)


FULL = dict(n="100,1000", reps=3, restart_reps=3, idle=10.0, settle=2.0, status_reps=20,
            log_bytes=1 << 30, big_n=10000, big_reps=2, fanin_n=100, fanin_bytes=10 << 20,
            restart_plan={"crash": (200, 8), "crash_slow": (10, 25), "crash_backoff": (5, 25)})
QUICK = dict(n="100", reps=1, restart_reps=1, idle=2.0, settle=0.5, status_reps=5,
             log_bytes=128 << 20, big_n=2000, big_reps=1, fanin_n=100, fanin_bytes=2 << 20,
             restart_plan={"crash": (50, 3), "crash_slow": (2, 6), "crash_backoff": (2, 6)})

SCALE_ADAPTERS = ["tend", "floor", "supervisord", "runit", "s6"]
RESTART_ADAPTERS = ["tend", "shloop", "supervisord", "runit", "s6-ready"]
LOG_ADAPTERS = ["tend", "supervisord", "runit", "s6"]
FANIN_ADAPTERS = ["tend", "supervisord", "runit", "s6"]


def rotate(labels, rep):
    k = rep % len(labels)
    return labels[k:] + labels[:k]


def cmd_run(args):
    prof = dict(QUICK if args.quick else FULL)
    if args.log_only:           # issue 15's acceptance run: log + fan-in, 5 repetitions
        prof["reps"] = 5
        if args.tests is None:
            args.tests = "log,fanin"
    if args.tests is None:
        args.tests = "scale,restart,log,fanin,big"
    for k in ("n", "reps", "restart_reps", "idle", "log_bytes", "big_n", "big_reps",
              "status_reps", "fanin_n", "fanin_bytes"):
        v = getattr(args, k, None)
        if v is not None:
            prof[k] = v
    TendAdapter.TENDD, TendAdapter.TENDCTL = args.tendd, args.tendctl
    FloorAdapter.SPAWNFLOOR = args.spawnfloor
    Bench.SPLICEFLOOR = args.splicefloor
    Bench.RELAYFLOOR = args.relayfloor
    global FANWRITER
    FANWRITER = args.fanwriter
    if os.geteuid() != 0:
        sys.exit("bench.py: run as root (the peers need it; /proc/PID/smaps_rollup of every "
                 "supervisor process must be readable)")
    # every supervisor may raise its own soft limit up to this (N=10000)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 65536:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, 65536))
        except (ValueError, OSError):
            pass            # no CAP_SYS_RESOURCE here: keep the hard limit
    if not peers.become_subreaper():
        print("warn: could not become a child subreaper", file=sys.stderr)
    tests = [t for t in args.tests.split(",") if t]
    unknown = set(tests) - {"scale", "restart", "log", "fanin", "big"}
    if unknown:
        sys.exit("bench.py: unknown test(s) %s (known: scale,restart,log,fanin,big)" %
                 ",".join(sorted(unknown)))
    if "fanin" in tests and not (args.fanwriter and os.access(args.fanwriter, os.X_OK)):
        sys.exit("bench.py: the fanin test needs --fanwriter (fanwriter.c, built by bench/run)")
    want = set()
    for t, labels in (("scale", SCALE_ADAPTERS), ("big", ["tend", "floor"]),
                      ("restart", RESTART_ADAPTERS), ("log", LOG_ADAPTERS),
                      ("fanin", FANIN_ADAPTERS)):
        if t in tests:
            want |= set(labels)
    if args.adapters:
        keep = set(args.adapters.split(",")) | {"tend"}
        want &= keep
    for lb in sorted(want):
        ok, why = peers.ADAPTERS[lb][0].available()
        if not ok:
            sys.exit("%s unavailable: %s" % (lb, why))
    os.makedirs(args.out_dir, exist_ok=True)
    out = os.path.join(args.out_dir, "results.json")
    h_args = argparse.Namespace(
        tmp=args.tmp, out=out, append=False, keep=args.keep, log_bytes=prof["log_bytes"],
        start_timeout=300, settle=prof["settle"], idle=prof["idle"],
        status_reps=prof["status_reps"], max_restarts=10 ** 6, log_timeout=300)
    h = Bench(h_args)
    h.RESTART_PLAN = prof["restart_plan"]
    h.fanin_n, h.fanin_bytes = prof["fanin_n"], prof["fanin_bytes"]
    h.meta["profile"] = {k: v for k, v in prof.items() if k != "restart_plan"}
    h.meta["profile"]["restart_plan"] = {k: list(v) for k, v in prof["restart_plan"].items()}
    h.meta["profile"]["mode"] = "quick" if args.quick else "full"
    h.meta["command"] = args.command or "bench/run"
    print("work dir %s, results -> %s" % (h.base, out), flush=True)
    t_start = time.monotonic()

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    ns = [int(x) for x in str(prof["n"]).split(",") if x]
    sel = lambda labels: [x for x in labels if x in want]     # noqa: E731
    interrupted = False
    try:
        for rep in range(max(prof["reps"], prof["restart_reps"])):
            if "scale" in tests and rep < prof["reps"]:
                for n in ns:
                    for lb in rotate(sel(SCALE_ADAPTERS), rep):
                        print("[rep %d] scale %s N=%d" % (rep, lb, n), flush=True)
                        h.scale(lb, n, rep)
            if "restart" in tests and rep < prof["restart_reps"]:
                for lb in rotate(sel(RESTART_ADAPTERS), rep):
                    for kind in ("crash", "crash_slow", "crash_backoff"):
                        if kind not in peers.ADAPTERS[lb][0].kinds:
                            continue
                        if kind == "crash_backoff" and rep > 0:
                            continue    # supervisord's backoff as shipped: once
                        print("[rep %d] restart %s %s" % (rep, lb, kind), flush=True)
                        h.restart(lb, kind, rep)
            if "log" in tests and rep < prof["reps"]:
                order = ["baseline:cat"] + [
                    lb for lb in ("baseline:splice", "baseline:relay")
                    if getattr(Bench, Bench.FLOORS[lb][0])] + sel(LOG_ADAPTERS)
                for lb in rotate(order, rep):
                    print("[rep %d] log %s" % (rep, lb), flush=True)
                    if lb == "baseline:cat":
                        h.log_baseline("cat", rep)
                    elif lb in Bench.FLOORS:
                        h.log_floor(lb, rep)
                    else:
                        h.log(lb, rep)
            if "fanin" in tests and rep < prof["reps"]:
                if rep == 0:
                    h.fanin_writer_check()
                for lb in rotate(["baseline:cat"] + sel(FANIN_ADAPTERS), rep):
                    print("[rep %d] fanin %s N=%d" % (rep, lb, h.fanin_n), flush=True)
                    if lb == "baseline:cat":
                        h.fanin_cat(rep)
                    else:
                        h.fanin(lb, rep)
        if "big" in tests:
            for rep in range(prof["big_reps"]):
                for lb in rotate(["tend", "floor"], rep):
                    print("[rep %d] big %s N=%d" % (rep, lb, prof["big_n"]), flush=True)
                    h.scale(lb, prof["big_n"], rep, test="big")
    except KeyboardInterrupt as e:
        interrupted = True
        print("interrupted: %s" % e, file=sys.stderr)
        if h.current is not None:
            try:
                h.current.stop_all_and_exit(30)
            except Exception:  # noqa: BLE001
                pass
    finally:
        n = peers.kill_my_tree()
        if n:
            print("cleanup: SIGKILLed %d leftover descendant(s)" % n, file=sys.stderr)
        h.meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        h.meta["duration_s"] = round(time.monotonic() - t_start, 1)
        h.meta["loadavg_end"] = open("/proc/loadavg").read().strip()
        h.meta["interrupted"] = interrupted
        h.save()
        if not args.keep:
            shutil.rmtree(h.base, ignore_errors=True)
    data = load(out)
    data["summary"] = summarize(data)
    with open(out + ".tmp", "w") as f:
        json.dump(data, f, indent=1)
    os.replace(out + ".tmp", out)
    md = report(data)
    with open(os.path.join(args.out_dir, "results.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    png = os.path.join(args.out_dir, "results.png")
    if plot(data, png):
        print("\nplot: %s" % png)
    print("raw figures: %s" % out)
    if interrupted:
        sys.exit(130)


# --------------------------------------------------------------------------
# summary: medians, ratios, targets
# --------------------------------------------------------------------------

def load(path):
    with open(path) as f:
        return json.load(f)


def stat(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals),
            "n": len(vals)}


def _scale(runs, test, ad, n, key, f=1.0):
    return stat([r[key] * f for r in runs if r["test"] == "scale" and
                  r.get("test_name", "scale") == test and r["adapter"] == ad and r["n"] == n
                  and r.get(key) is not None])


def summarize(data):
    runs = data["runs"]
    S = {"scale": {}, "big": {}, "restart": {}, "log": {}, "fanin": {}}
    for test in ("scale", "big"):
        keys = sorted({(r["adapter"], r["n"]) for r in runs if r["test"] == "scale"
                       and r.get("test_name", "scale") == test})
        for ad, n in keys:
            d = S[test].setdefault(str(n), {}).setdefault(ad, {})
            d["cold_start_s"] = _scale(runs, test, ad, n, "cold_start_s")
            d["last_fork_s"] = _scale(runs, test, ad, n, "last_fork_s")
            d["floor_loop_s"] = _scale(runs, test, ad, n, "floor_loop_s")
            d["pss_mib"] = _scale(runs, test, ad, n, "pss_kb", 1 / 1024)
            d["rss_mib"] = _scale(runs, test, ad, n, "rss_kb", 1 / 1024)
            d["uss_mib"] = _scale(runs, test, ad, n, "uss_kb", 1 / 1024)
            d["procs"] = _scale(runs, test, ad, n, "supervisor_procs")
            d["pss_bytes_per_program"] = _scale(runs, test, ad, n, "pss_kb", 1024 / n)
            d["start_us_per_program"] = _scale(runs, test, ad, n, "cold_start_s", 1e6 / n)
            d["idle_ctxsw"] = _scale(runs, test, ad, n, "idle_ctxsw")
            d["idle_ticks"] = _scale(runs, test, ad, n, "idle_ticks")
            d["status_ms"] = _scale(runs, test, ad, n, "status_median_s", 1000)
            d["stop_s"] = _scale(runs, test, ad, n, "stop_s")
            d["children_sleep"] = _scale(runs, test, ad, n, "children_sleep")
    for kind in ("crash", "crash_slow", "crash_backoff"):
        for ad in sorted({r["adapter"] for r in runs if r["test"] == "restart"
                          and r["kind"] == kind}):
            rs = [r for r in runs if r["test"] == "restart" and r["kind"] == kind
                  and r["adapter"] == ad]
            pooled = [g for r in rs for g in r.get("gaps_s", [])]
            S["restart"].setdefault(kind, {})[ad] = {
                "gap_median_ms": stat([r["gap_median_s"] * 1000 for r in rs
                                       if r.get("gap_median_s") is not None]),
                "gap_p99_ms_pooled": peers.pct(pooled, 0.99) * 1000 if pooled else None,
                "gap_median_ms_pooled": statistics.median(pooled) * 1000 if pooled else None,
                "gaps": len(pooled),
            }
    for ad in sorted({r["adapter"] for r in runs if r["test"] == "log"}):
        rs = [r for r in runs if r["test"] == "log" and r["adapter"] == ad]
        S["log"][ad] = {
            "mb_per_s": stat([r.get("mb_per_s") for r in rs]),
            "cpu_s_per_gib": stat([r.get("cpu_s_per_gib") for r in rs]),
            "hwm_mib": stat([r["hwm_kb"] / 1024 for r in rs if r.get("hwm_kb")]),
            "complete": all(r.get("complete") for r in rs),
            "bytes": rs[0].get("bytes"),
        }
    for ad in sorted({r["adapter"] for r in runs if r["test"] == "fanin"}):
        rs = [r for r in runs if r["test"] == "fanin" and r["adapter"] == ad]
        tot = lambda k: sum(r.get(k) or 0 for r in rs)      # noqa: E731
        S["fanin"][ad] = {
            "mb_per_s": stat([r.get("mb_per_s") for r in rs]),
            "cpu_s_per_gib": stat([r.get("cpu_s_per_gib") for r in rs]),
            "slowdown_worst": stat([r.get("slowdown_worst") for r in rs]),
            "capture_median_s": stat([r.get("capture_median_s") for r in rs]),
            "capture_max_s": stat([r.get("capture_max_s") for r in rs]),
            "start_spread_ms": stat([r["start_spread_s"] * 1000 for r in rs
                                     if r.get("start_spread_s") is not None]),
            "hwm_mib": stat([r["hwm_kb"] / 1024 for r in rs if r.get("hwm_kb")]),
            "lines_lost": tot("lines_lost"), "lines_duplicated": tot("lines_duplicated"),
            "lines_reordered": tot("lines_reordered"), "lines_corrupt": tot("lines_corrupt"),
            "lines_expected": tot("lines_expected"),
            "complete": all(r.get("complete") for r in rs), "reps": len(rs),
            "n": rs[0].get("n"), "bytes_per_program": rs[0].get("bytes_per_program"),
        }
    S["pairs"] = {
        "log_tend_vs_cat_mb": pair_ratios(runs, "log", "tend", "baseline:cat", "mb_per_s"),
        "fanin_tend_vs_supervisord_mb": pair_ratios(runs, "fanin", "tend", "supervisord",
                                                    "mb_per_s"),
        "fanin_tend_vs_supervisord_cpu": pair_ratios(runs, "fanin", "tend", "supervisord",
                                                     "cpu_s_per_gib"),
    }
    S["targets"] = targets(S)
    return S


def pair_ratios(runs, test, a, b, key):
    """a's figure ÷ b's, per repetition in which both ran (the order of the
    adapters rotates from one repetition to the next): the list, and its
    median, min and max."""
    by = {}
    for r in runs:
        if r["test"] == test and r["adapter"] in (a, b) and r.get(key) is not None:
            by.setdefault(r["rep"], {})[r["adapter"]] = r[key]
    rat = [v[a] / v[b] for _, v in sorted(by.items()) if a in v and b in v and v[b]]
    d = stat(rat)
    if d:
        d["ratios"] = rat
    return d


def _m(d, *path):
    for p in path:
        if d is None:
            return None
        d = d.get(p)
    if isinstance(d, dict):
        return d.get("median")
    return d


def targets(S):
    """The issue's targets, each as {what, measured, goal, met}."""
    out = []
    big = S["big"]
    nmax = max(S["scale"], key=int) if S["scale"] else None
    sc = S["scale"].get(nmax, {}) if nmax else {}

    def add(what, measured, goal, met):
        out.append({"what": what, "measured": measured, "goal": goal,
                    "met": (None if met is None else bool(met))})

    def ok(*xs):
        return all(x is not None for x in xs)
    if sc:
        tp, sp = _m(sc, "tend", "pss_mib"), _m(sc, "supervisord", "pss_mib")
        add("memory N=%s: tend PSS ≤ 1/10 of supervisord's" % nmax,
            "%s vs %s MiB (%s B/program)" % (f3(tp), f3(sp), f0(_m(sc, "tend", "pss_bytes_per_program"))),
            "≤ %s MiB" % f3(sp / 10 if sp else None), ok(tp, sp) and tp <= sp / 10)
        tc, fc = _m(sc, "tend", "cold_start_s"), _m(sc, "floor", "cold_start_s")
        add("cold start N=%s: ≤ 1.5× the posix_spawn floor" % nmax,
            "%s s vs floor %s s (%s×)" % (f3(tc), f3(fc), f2(tc / fc if ok(tc, fc) else None)),
            "≤ 1.5×", ok(tc, fc) and tc <= 1.5 * fc)
        for peer in ("supervisord", "s6"):
            pc = _m(sc, peer, "cold_start_s")
            add("cold start N=%s: ≥ 4× faster than %s" % (nmax, peer),
                "%s s vs %s s (%s× faster)" % (f3(tc), f3(pc), f2(pc / tc if ok(tc, pc) else None)),
                "≥ 4×", ok(tc, pc) and pc >= 4 * tc)
        for n in sorted(S["scale"], key=int):
            t = S["scale"][n].get("tend", {})
            add("idle N=%s: 0 context switches and 0 CPU ticks in %s" % (n, "the idle window"),
                "%s ctx-sw (max %s), %s ticks (max %s)" % (
                    f0(_m(t, "idle_ctxsw")), f0((t.get("idle_ctxsw") or {}).get("max")),
                    f0(_m(t, "idle_ticks")), f0((t.get("idle_ticks") or {}).get("max"))),
                "0 and 0", ok(_m(t, "idle_ctxsw")) and
                (t["idle_ctxsw"]["max"] == 0 and t["idle_ticks"]["max"] == 0))
    rs = S["restart"].get("crash_slow", {})
    if rs:
        tg, fg = _m(rs, "tend", "gap_median_ms"), _m(rs, "shloop", "gap_median_ms")
        add("restart gap (child up 1.5 s): median ≤ 1.3× the bash loop",
            "%s ms vs loop %s ms (%s×)" % (f2(tg), f2(fg), f2(tg / fg if ok(tg, fg) else None)),
            "≤ 1.3×", ok(tg, fg) and tg <= 1.3 * fg)
        for peer in ("runit", "s6-ready"):
            pg = _m(rs, peer, "gap_median_ms")
            add("restart gap (child up 1.5 s): below %s" % peer,
                "%s ms vs %s ms" % (f2(tg), f2(pg)), "<", ok(tg, pg) and tg < pg)
    lg = S["log"]
    pairs = S.get("pairs") or {}

    def pairs_note(d):
        k = (d or {}).get("n", 0)
        return "median of %d pair%s%s" % (k, "" if k == 1 else "s",
                                          "; the issue asks ≥ 5" if k < 5 else "")
    if lg:
        tm, cm = _m(lg, "tend", "mb_per_s"), _m(lg, "baseline:cat", "mb_per_s")
        pr = pairs.get("log_tend_vs_cat_mb")
        add("log, one writer: ≥ 0.95× `cat > file` throughput",
            "%s× (%s); medians %s vs %s MB/s; relay floor %s, splice floor %s MB/s" % (
                f2(_m(pr)), pairs_note(pr), f0(tm), f0(cm),
                f0(_m(lg, "baseline:relay", "mb_per_s")),
                f0(_m(lg, "baseline:splice", "mb_per_s"))),
            "≥ 0.95×", None if _m(pr) is None else _m(pr) >= 0.95)
        tcpu = _m(lg, "tend", "cpu_s_per_gib")
        add("log, one writer: tendd ≤ 0.5 CPU-s per GiB (below `cat`'s)",
            "%s s/GiB; `cat` %s, relay floor %s, splice floor %s" % (
                f2(tcpu), f2(_m(lg, "baseline:cat", "cpu_s_per_gib")),
                f2(_m(lg, "baseline:relay", "cpu_s_per_gib")),
                f2(_m(lg, "baseline:splice", "cpu_s_per_gib"))),
            "≤ 0.5", None if tcpu is None else tcpu <= 0.5)
        hw = (lg.get("tend") or {}).get("hwm_mib")
        add("log, one writer: tendd RSS flat (peak RSS during the run)",
            "%s MiB peak (%s–%s)" % (f2(_m(hw)), f2((hw or {}).get("min")),
                                     f2((hw or {}).get("max"))),
            "≈ idle RSS", None if _m(hw) is None else _m(hw) < 16)
    fi = S.get("fanin") or {}
    if fi:
        t, sd = fi.get("tend") or {}, fi.get("supervisord") or {}
        what = "fan-in (%s × %s)" % (t.get("n") or sd.get("n"), _human_bytes(
            t.get("bytes_per_program") or sd.get("bytes_per_program")))
        pr = pairs.get("fanin_tend_vs_supervisord_mb")
        add("%s: ≥ 3× supervisord's aggregate throughput" % what,
            "%s× (%s); medians %s vs %s MB/s (N × `cat > file` %s)" % (
                f2(_m(pr)), pairs_note(pr), f0(_m(t, "mb_per_s")), f0(_m(sd, "mb_per_s")),
                f0(_m(fi, "baseline:cat", "mb_per_s"))),
            "≥ 3×", None if _m(pr) is None else _m(pr) >= 3)
        pc = pairs.get("fanin_tend_vs_supervisord_cpu")
        add("%s: CPU-s per GiB ≤ 1/3 of supervisord's" % what,
            "%s (%s); medians %s vs %s s/GiB" % (
                f2(_m(pc)), pairs_note(pc), f2(_m(t, "cpu_s_per_gib")),
                f2(_m(sd, "cpu_s_per_gib"))),
            "≤ 0.33", None if _m(pc) is None else _m(pc) <= 1 / 3)
        if t:
            bad = {k: t.get(k) for k in ("lines_lost", "lines_duplicated", "lines_reordered",
                                         "lines_corrupt")}
            add("%s: 0 lines lost (nor duplicated, reordered, mangled)" % what,
                "%d lost, %d duplicated, %d reordered, %d mangled of %d lines (%d reps)" % (
                    bad["lines_lost"], bad["lines_duplicated"], bad["lines_reordered"],
                    bad["lines_corrupt"], t.get("lines_expected") or 0, t.get("reps") or 0),
                "0", not any(bad.values()) and t.get("complete"))
    if sc:
        ts = _m(sc, "tend", "status_ms")
        add("status of all N=%s: ≤ 5 ms median" % nmax, "%s ms" % f2(ts), "≤ 5 ms", ok(ts) and ts <= 5)
        ss, rv = _m(sc, "supervisord", "status_ms"), _m(sc, "runit", "status_ms")
        add("status of all N=%s: ≥ 50× faster than supervisorctl" % nmax,
            "%s× (%s vs %s ms)" % (f0(ss / ts if ok(ts, ss) else None), f2(ts), f0(ss)), "≥ 50×",
            ok(ts, ss) and ss >= 50 * ts)
        add("status of all N=%s: faster than `sv status`" % nmax, "%s vs %s ms" % (f2(ts), f2(rv)),
            "<", ok(ts, rv) and ts < rv)
    if big:
        bn = max(big, key=int)
        b = big[bn].get("tend", {})
        add("N=%s works (all RUNNING; start, memory, status reported)" % bn,
            "start %s s (%s µs/program), PSS %s MiB (%s B/program), status %s ms" % (
                f2(_m(b, "cold_start_s")), f0(_m(b, "start_us_per_program")),
                f2(_m(b, "pss_mib")), f0(_m(b, "pss_bytes_per_program")), f1(_m(b, "status_ms"))),
            "works, linear", ok(_m(b, "cold_start_s")))
    return out


def _human_bytes(n):
    if not n:
        return "?"
    for unit, f in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= f * 0.99:
            return "%.0f %s" % (n / f, unit) if n / f >= 10 else "%.1f %s" % (n / f, unit)
    return "%d B" % n


def fnum(x, p):
    return "-" if x is None else ("%." + str(p) + "f") % x


def f0(x):
    return fnum(x, 0)


def f1(x):
    return fnum(x, 1)


def f2(x):
    return fnum(x, 2)


def f3(x):
    return fnum(x, 3)


def auto(x):
    if x is None:
        return "-"
    if x == int(x) and abs(x) < 1e6:
        return "%d" % x
    a = abs(x)
    return fnum(x, 0 if a >= 100 or x == int(x) and a >= 10 else 1 if a >= 10 else 2 if a >= 1
                else 3)


def cell(d):
    if d is None:
        return "-"
    if isinstance(d, str):
        return d
    if isinstance(d, (int, float)):
        return auto(d)
    if d.get("n", 1) == 1 or d["min"] == d["max"]:
        return auto(d["median"])
    return "%s (%s–%s)" % (auto(d["median"]), auto(d["min"]), auto(d["max"]))


def ratio(t, p):
    if isinstance(t, str) or isinstance(p, str):
        return "-"
    t = t if isinstance(t, (int, float)) else _m(t)
    p = p if isinstance(p, (int, float)) else _m(p)
    if t is None or p is None:
        return "-"
    if p == 0:
        return "= (0)" if t == 0 else "∞"
    r = t / p
    if r == 0:
        return "0"
    if r < 0.1:
        return "1/%.0f" % (1 / r)
    return ("%.2f×" % r) if r < 10 else ("%.0f×" % r)


PEERS = ("supervisord", "runit", "s6")


def report(data):
    S = data.get("summary") or summarize(data)
    meta = data.get("meta", {})
    L = []
    L.append("Machine: %s, %s CPUs, %s RAM, %s, kernel %s; temp dir on %s. Run %s → %s (%s s, "
             "%s profile); load average at start %s." % (
                 meta.get("cpu_model", "?").split(":")[-1].strip(), meta.get("cpus"),
                 meta.get("mem", "").replace("MemTotal:", "").strip(), meta.get("os"),
                 meta.get("kernel"), meta.get("tmp_fs"), meta.get("started"),
                 meta.get("finished"), meta.get("duration_s"),
                 (meta.get("profile") or {}).get("mode", "?"),
                 " ".join((meta.get("loadavg_start") or "").split()[:3])))
    L.append("")
    L.append("Versions: " + "; ".join("%s" % v for k, v in sorted(
        (meta.get("versions") or {}).items()) if k not in ("coreutils",)) + ".")
    L.append("")
    L.append("Each cell: median (min–max) over repetitions. Ratio columns: tend ÷ peer "
             "(below 1 = tend uses less / is faster, except MB/s where above 1 is better).")
    L.append("")
    L.append("| workload | unit | floor / baseline | tend | supervisord | runit | s6 | "
             "tend ÷ supervisord | tend ÷ runit | tend ÷ s6 |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")

    def row(label, unit, base, t, peer_cells):
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, unit, cell(base), cell(t), *[cell(p) for p in peer_cells],
            *[ratio(t, p) for p in peer_cells]))
    for n in sorted(S["scale"], key=int):
        sc = S["scale"][n]
        g = lambda ad, k: (sc.get(ad) or {}).get(k)      # noqa: E731
        row("cold start → all RUNNING, N=%s" % n, "s", g("floor", "cold_start_s"),
            g("tend", "cold_start_s"), [g(p, "cold_start_s") for p in PEERS])
    for n in sorted(S["scale"], key=int):
        sc = S["scale"][n]
        g = lambda ad, k: (sc.get(ad) or {}).get(k)      # noqa: E731
        row("memory: PSS of the supervisor's own processes, N=%s" % n, "MiB", None,
            g("tend", "pss_mib"), [g(p, "pss_mib") for p in PEERS])
        row("memory: RSS sum, N=%s" % n, "MiB", None, g("tend", "rss_mib"),
            [g(p, "rss_mib") for p in PEERS])
    for n in sorted(S["scale"], key=int):
        sc = S["scale"][n]
        g = lambda ad, k: (sc.get(ad) or {}).get(k)      # noqa: E731
        row("idle: context switches / %g s, N=%s" % (
            (meta.get("profile") or {}).get("idle", 10), n), "count", None,
            g("tend", "idle_ctxsw"), [g(p, "idle_ctxsw") for p in PEERS])
        row("idle: CPU ticks (10 ms) / %g s, N=%s" % (
            (meta.get("profile") or {}).get("idle", 10), n), "ticks", None,
            g("tend", "idle_ticks"), [g(p, "idle_ticks") for p in PEERS])
    for n in sorted(S["scale"], key=int):
        sc = S["scale"][n]
        g = lambda ad, k: (sc.get(ad) or {}).get(k)      # noqa: E731
        row("status of all N (median of %s), N=%s" % (
            (meta.get("profile") or {}).get("status_reps", 20), n), "ms", None,
            g("tend", "status_ms"), [g(p, "status_ms") for p in PEERS])
    rs = S["restart"]
    for kind, label in (("crash_slow", "restart gap median, child up 1.5 s (no backoff)"),
                        ("crash", "restart gap median, child exits at once")):
        if kind not in rs:
            continue
        k = rs.get(kind) or {}
        g = lambda ad: (k.get(ad) or {}).get("gap_median_ms")     # noqa: E731
        row(label, "ms", g("shloop"), g("tend"), [g("supervisord"), g("runit"), g("s6-ready")])
        gp = lambda ad: (k.get(ad) or {}).get("gap_p99_ms_pooled")     # noqa: E731
        row(label.replace("median", "p99 (all gaps pooled)"), "ms", gp("shloop"), gp("tend"),
            [gp("supervisord"), gp("runit"), gp("s6-ready")])
    lg = S["log"]
    if lg:
        g = lambda ad, k: (lg.get(ad) or {}).get(k)      # noqa: E731
        nb = next(iter(lg.values())).get("bytes") or 0
        row("log: %s of 100-byte lines to stdout → file" % (
            "%.0f MiB" % (nb / 2 ** 20) if nb < 2 ** 30 - 200 else "%.0f GiB" % (nb / 2 ** 30)),
            "MB/s",
            g("baseline:cat", "mb_per_s"), g("tend", "mb_per_s"),
            [g(p, "mb_per_s") for p in PEERS])
        row("log: CPU of supervisor + loggers", "CPU-s/GiB", g("baseline:cat", "cpu_s_per_gib"),
            g("tend", "cpu_s_per_gib"), [g(p, "cpu_s_per_gib") for p in PEERS])
        for fl, what in (("baseline:relay", "relay floor (relayfloor.c)"),
                         ("baseline:splice", "splice floor (splicefloor.c)")):
            if lg.get(fl):
                row("log: %s vs tend" % what, "CPU-s/GiB", g(fl, "cpu_s_per_gib"),
                    g("tend", "cpu_s_per_gib"), [None for p in PEERS])
                row("log: %s throughput vs tend" % what, "MB/s", g(fl, "mb_per_s"),
                    g("tend", "mb_per_s"), [None for p in PEERS])
        row("log: peak RSS of supervisor + loggers", "MiB", None, g("tend", "hwm_mib"),
            [g(p, "hwm_mib") for p in PEERS])
    fi = S.get("fanin") or {}
    if fi:
        g = lambda ad, k: (fi.get(ad) or {}).get(k)      # noqa: E731
        any_ = next(iter(fi.values()))
        row("fan-in: %s programs × %s of 100-byte lines at once, aggregate" % (
            any_.get("n"), _human_bytes(any_.get("bytes_per_program"))), "MB/s",
            g("baseline:cat", "mb_per_s"),
            g("tend", "mb_per_s"), [g(p, "mb_per_s") for p in PEERS])
        row("fan-in: CPU of supervisor + loggers", "CPU-s/GiB", g("baseline:cat", "cpu_s_per_gib"),
            g("tend", "cpu_s_per_gib"), [g(p, "cpu_s_per_gib") for p in PEERS])
        row("fan-in: slowest program's capture time ÷ the median program's", "×",
            g("baseline:cat", "slowdown_worst"),
            g("tend", "slowdown_worst"), [g(p, "slowdown_worst") for p in PEERS])

        def faults(ad):
            d = fi.get(ad)
            if not d:
                return None
            return "%d / %d / %d / %d" % (d["lines_lost"], d["lines_duplicated"],
                                          d["lines_reordered"], d["lines_corrupt"])
        row("fan-in: lines lost / duplicated / reordered / mangled (all reps)", "lines",
            faults("baseline:cat"), faults("tend"), [faults(p) for p in PEERS])
        row("fan-in: peak RSS of supervisor + loggers", "MiB", None, g("tend", "hwm_mib"),
            [g(p, "hwm_mib") for p in PEERS])
    L.append("")
    L.append("Floor / baseline column: cold start = `spawnfloor` (a C loop of N posix_spawn of "
             "/bin/sleep); restart = a bash `while :; do child; done` loop; log = the same "
             "writer into `cat > file`, into `splicefloor` (a bare batched splice loop, pipe → "
             "file: the kernel's own cost of capturing a pipe) and into `relayfloor` (pipe → a "
             "private pipe, page moves only → file: the same copy, without holding the writer's "
             "pipe lock through it). Fan-in: every program is fanwriter.c (baseline: each piped "
             "into its own `cat > file`, no supervisor); capture time = its "
             "start stamp until its log file holds all its bytes; MB/s = all bytes ÷ (first "
             "start → last file complete); every line of every file is checked after the stop. "
             "Restart: s6 runs with a notification-fd (its shortest "
             "respawn delay); supervisord with startsecs=1 for the 1.5-s child and startsecs=0 "
             "for the exit-at-once child.")
    bo = rs.get("crash_backoff", {}).get("supervisord")
    if bo:
        L.append("supervisord with its default startsecs=1 (child exits at once → BACKOFF "
                 "1 s, 2 s, 3 s …): gap median %s ms over %d gaps." % (
                     f0(bo.get("gap_median_ms_pooled")), bo.get("gaps", 0)))
    if fi:
        L.append("")
        L.append("Fan-in, per supervisor (medians (min–max) over repetitions; fault counts "
                 "summed over them). Writer alone into /dev/null: %s MB/s per process." % (
                     f0(meta.get("fanin_writer_devnull_mb_per_s"))))
        L.append("")
        L.append("| supervisor | reps | aggregate MB/s | CPU-s/GiB | capture time, median "
                 "program | slowest program | slowest ÷ median | writers' start spread | "
                 "lost / dup / reordered / mangled lines | peak RSS |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for ad in ["baseline:cat", "tend"] + list(PEERS):
            d = fi.get(ad)
            if not d:
                continue
            L.append("| %s | %d | %s | %s | %s s | %s s | %s× | %s ms | %d / %d / %d / %d | "
                     "%s MiB |" % (
                         "baseline: N × `fanwriter \\| cat > file`" if ad == "baseline:cat"
                         else ad, d["reps"], cell(d["mb_per_s"]), cell(d["cpu_s_per_gib"]),
                         cell(d["capture_median_s"]), cell(d["capture_max_s"]),
                         cell(d["slowdown_worst"]), cell(d["start_spread_ms"]),
                         d["lines_lost"], d["lines_duplicated"], d["lines_reordered"],
                         d["lines_corrupt"], cell(d["hwm_mib"])))
    big = S.get("big") or {}
    if big:
        L.append("")
        L.append("Scale (tend alone, with the floor at the same N): how cost grows with N.")
        L.append("")
        L.append("| N | floor start | tend start | tend µs / program | tend ÷ floor | tend PSS | "
                 "PSS bytes / program | status of all | idle ctx-sw / ticks |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        allN = {}
        for src in (S["scale"], big):
            for n, d in src.items():
                if "tend" in d:
                    allN[int(n)] = d
        for n in sorted(allN):
            d = allN[n]
            t, fl = d.get("tend", {}), d.get("floor", {})
            L.append("| %d | %s s | %s s | %s | %s | %s MiB | %s | %s ms | %s / %s |" % (
                n, cell(fl.get("cold_start_s")), cell(t.get("cold_start_s")),
                f0(_m(t, "start_us_per_program")), ratio(t.get("cold_start_s"),
                                                         fl.get("cold_start_s")),
                cell(t.get("pss_mib")), f0(_m(t, "pss_bytes_per_program")),
                cell(t.get("status_ms")), f0(_m(t, "idle_ctxsw")), f0(_m(t, "idle_ticks"))))
    L.append("")
    L.append("Targets (issue 8; the log and fan-in ones: issue 15). Ratios against a peer or "
             "`cat` are the median of the per-repetition ratios (tend and the other measured "
             "in the same repetition, the order rotating).")
    L.append("")
    L.append("| target | measured (medians) | goal | met |")
    L.append("|---|---|---|---|")
    for t in S.get("targets", []):
        L.append("| %s | %s | %s | %s |" % (t["what"], t["measured"], t["goal"],
                                            {True: "yes", False: "**no**", None: "-"}[t["met"]]))
    return "\n".join(L)


# --------------------------------------------------------------------------
# plot
# --------------------------------------------------------------------------

def plot(data, png):
    if shutil.which("gnuplot") is None:
        print("no gnuplot: no plot (apt-get install gnuplot-nox)", file=sys.stderr)
        return False
    S = data.get("summary") or summarize(data)
    nmax = max(S["scale"], key=int) if S["scale"] else None
    panels = []
    if nmax:
        sc = S["scale"][nmax]
        panels.append(("cold start, N=%s (s)" % nmax,
                       [(ad, sc.get(ad, {}).get("cold_start_s")) for ad in
                        ("floor", "tend", "supervisord", "runit", "s6")], False))
        panels.append(("PSS of the supervisor, N=%s (MiB)" % nmax,
                       [(ad, sc.get(ad, {}).get("pss_mib")) for ad in
                        ("tend", "supervisord", "runit", "s6")], True))
        panels.append(("status of all, N=%s (ms)" % nmax,
                       [(ad, sc.get(ad, {}).get("status_ms")) for ad in
                        ("tend", "supervisord", "runit", "s6")], True))
    k = S["restart"].get("crash_slow") or {}
    if k:
        panels.append(("restart gap, child up 1.5 s (ms)",
                       [(lb, k.get(ad, {}).get("gap_median_ms")) for lb, ad in
                        (("bash loop", "shloop"), ("tend", "tend"),
                         ("supervisord", "supervisord"), ("runit", "runit"),
                         ("s6", "s6-ready"))], True))
    lg = S["log"]
    log_bars = (("cat", "baseline:cat"), ("relay", "baseline:relay"),
                ("splice", "baseline:splice"), ("tend", "tend"),
                ("supervisord", "supervisord"), ("runit", "runit"), ("s6", "s6"))
    if lg:
        bars = [(lb, ad) for lb, ad in log_bars if ad in lg or not ad.startswith("baseline:")]
        panels.append(("log, one writer (MB/s); cat > file, relay and splice floors",
                       [(lb, lg.get(ad, {}).get("mb_per_s")) for lb, ad in bars], False))
        panels.append(("log, one writer: CPU (s per GiB)",
                       [(lb, lg.get(ad, {}).get("cpu_s_per_gib")) for lb, ad in bars], True))
    fi = S.get("fanin") or {}
    if fi:
        n = next(iter(fi.values())).get("n")
        bars = [(lb, ad) for lb, ad in (("N × cat", "baseline:cat"), ("tend", "tend"),
                                        ("supervisord", "supervisord"), ("runit", "runit"),
                                        ("s6", "s6"))
                if ad in fi or ad != "baseline:cat"]
        panels.append(("fan-in, %s writers: aggregate MB/s" % n,
                       [(lb, fi.get(ad, {}).get("mb_per_s")) for lb, ad in bars], False))
        panels.append(("fan-in, %s writers: CPU (s per GiB)" % n,
                       [(lb, fi.get(ad, {}).get("cpu_s_per_gib")) for lb, ad in bars], True))
    if not panels:
        return False
    tmp = tempfile.mkdtemp(prefix="tendbench.plot.")
    try:
        rows = (len(panels) + 2) // 3
        cmds = ["set terminal pngcairo size 1500,%d font 'Sans,10'" % (450 * rows),
                "set output '%s'" % png,
                "set multiplot layout %d,3 title 'tend vs supervisord, runit, s6 — medians, "
                "bars = min–max (%s)' font 'Sans,12'" % (
                    rows, data.get("meta", {}).get("started", "")),
                "set style fill solid 0.6 border -1", "set boxwidth 0.6",
                "set grid ytics", "unset key", "set xtics nomirror", "set ytics nomirror"]
        for i, (title, vals, logy) in enumerate(panels):
            path = os.path.join(tmp, "p%d.dat" % i)
            with open(path, "w") as f:
                for j, (lb, d) in enumerate(vals):
                    if d and d.get("median") is not None:
                        f.write('%d "%s" %g %g %g %d\n' % (j, lb, d["median"], d["min"],
                                                          d["max"], 1 if lb == "tend" else 2))
                    else:
                        f.write('%d "%s" NaN NaN NaN 2\n' % (j, lb))
            cmds.append("set title '%s'" % title)
            cmds.append("set xrange [-0.6:%g]" % (len(vals) - 0.4))
            if logy:
                cmds.append("set logscale y")
                cmds.append("set yrange [*:*]")
            else:
                cmds.append("unset logscale y")
                cmds.append("set yrange [0:*]")
            cmds.append("plot '%s' using 1:3:($6==1?0x2a7ab0:0xb0b0b0):xtic(2) with boxes "
                        "lc rgb variable, '' using 1:3:4:5 with yerrorbars lc rgb 'black' pt 0, "
                        "'' using 1:3:(sprintf('%%.3g', $3)) with labels offset 0,0.8 "
                        "font 'Sans,9'" % path)
        cmds.append("unset multiplot")
        script = os.path.join(tmp, "plot.gp")
        with open(script, "w") as f:
            f.write("\n".join(cmds) + "\n")
        r = subprocess.run(["gnuplot", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            print("gnuplot failed:\n" + r.stdout.decode(errors="replace"), file=sys.stderr)
            return False
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="tend vs supervisord, runit, s6 (bench/run)")
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--quick", action="store_true", help="~3 min smoke run (N=100, 1 rep)")
    r.add_argument("--tendd", required=True)
    r.add_argument("--tendctl", required=True)
    r.add_argument("--spawnfloor", required=True)
    r.add_argument("--splicefloor", help="splicefloor.c binary: the log capture floor")
    r.add_argument("--relayfloor", help="relayfloor.c binary: the relay capture floor")
    r.add_argument("--fanwriter", help="fanwriter.c binary: the fan-in workload's writer")
    r.add_argument("--out-dir", default=HERE)
    r.add_argument("--tests", default=None,
                   help="comma list of scale,restart,log,fanin,big (default: all; with "
                   "--log-only: log,fanin)")
    r.add_argument("--log-only", action="store_true",
                   help="issue 15's acceptance profile: tests log,fanin, 5 repetitions")
    r.add_argument("--adapters", default="", help="subset of peers (tend always runs)")
    r.add_argument("--n", default=None, help="N list for scale, e.g. 100,1000")
    r.add_argument("--reps", type=int, default=None)
    r.add_argument("--restart-reps", type=int, default=None)
    r.add_argument("--idle", type=float, default=None)
    r.add_argument("--status-reps", type=int, default=None)
    r.add_argument("--log-bytes", type=peers.parse_size, default=None)
    r.add_argument("--big-n", type=int, default=None)
    r.add_argument("--big-reps", type=int, default=None)
    r.add_argument("--fanin-n", type=int, default=None,
                   help="fan-in: programs writing at once (default 100)")
    r.add_argument("--fanin-bytes", type=peers.parse_size, default=None,
                   help="fan-in: bytes each program writes (default 10M)")
    r.add_argument("--keep", action="store_true", help="keep the private temp dir")
    r.add_argument("--command", default=None, help="how it was invoked (for the record)")
    st = sub.add_parser("selftest", help="check the fan-in verifier (and fanwriter's output)")
    st.add_argument("--fanwriter", default=None)
    rp = sub.add_parser("report")
    rp.add_argument("results")
    rp.add_argument("--plot", default=None)
    rp.add_argument("--markdown", default=None)
    args = ap.parse_args(argv)
    if args.cmd == "run":
        cmd_run(args)
    elif args.cmd == "selftest":
        selftest(args.fanwriter)
    else:
        data = load(args.results)
        data["summary"] = summarize(data)
        md = report(data)
        print(md)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write(md + "\n")
        if args.plot and plot(data, args.plot):
            print("\nplot: %s" % args.plot)


if __name__ == "__main__":
    main()
