#!/usr/bin/python3
"""compare.py: read each real supervisord configuration of the corpus
(tests/fixtures/real-world/) with supervisord's own parser and with
`tendd -t`, and say, file by file, whether tend reads it the same way.

Usage: /usr/bin/python3 tests/compat/compare.py [--tendd PATH] [-v] [FIXTURE...]
  FIXTURE  a name under tests/fixtures/real-world/ (NN-name.conf, or NN-name
           for an include set, whose main file is NN-name/supervisord.conf);
           default: all of them
  -v       list every differing field (by default the first four)

It must run under Debian's /usr/bin/python3, which has the `supervisor`
package (4.2.5); pyenv's python3 does not.

What "supervisord accepts the file" means here.  Each file is read by
supervisord's ServerOptions().realize(['-c', FILE]), exactly as supervisord
starts, in a child Python process (one per file: ServerOptions reads
os.environ and keeps state).  A usage error (realize prints it and raises
SystemExit) or any exception is reported as SUP-REFUSED with supervisord's
message, and the file is not compared.  The configuration is then taken
from options.process_group_configs, which realize() has filled in.

realize() also checks things that belong to the machine, not to the file;
those checks are neutralised, the same way for both parsers:
  * Log files and directories: supervisord refuses a logfile/pidfile whose
    directory does not exist here and a childlogdir/directory that does not
    exist (datatypes.existing_dirpath / existing_directory).  Those two are
    replaced by os.path.expanduser, in this child process only.  tendd -t
    does not look at the file system for them.
  * Users: both parsers resolve user= with getpwnam(3) when they read the
    file, and the users of container images (sail, www-data, node, ...) do
    not exist here.  Both run under nss_wrapper (Debian's libnss-wrapper)
    with the fixed passwd and group files of tests/fixtures/real-world/env/.
    Without libnss_wrapper.so the script exits 77 (skip) saying so.  (An
    ASan tendd is told verify_asan_link_order=0, as the preload comes
    before its runtime.)
  * Absolute [include] paths (/etc/supervisor/conf.d/*.conf) would read the
    machine's own files: the file set is copied to a private temporary
    directory and REWRITES below replaces those paths, in the copy, by the
    set's own conf.d/.  The stored fixtures stay byte for byte as published.
  * Python modules: an [eventlistener:] result_handler names a callable
    supervisord imports while it reads the file (supervisor_stdout's
    event_handler, from PyPI, not Debian): tests/compat/stubs/ stands in
    for it on the parser's PYTHONPATH.
  * The environment: both parsers run with the fixed environment BASE_ENV
    plus the per-file variables of FIXTURE_ENV (the values the images'
    entrypoints or compose files would set), in the temporary directory as
    current directory.  tendd inherits exactly that environment.

What is compared, per process (supervisord's group:name namespec, the bare
name when a group holds one process of its own name, as both print it):
  priority, autostart, argv (supervisord splits `command` with shlex when it
  spawns; tend prints the argv it will execute, shell-quoted, which shlex
  splits back), and the stdout/stderr log: "auto" (AUTO: supervisord picks a
  random name in childlogdir; tend prints the fixed one it picks there,
  childlogdir/NAME-stdout.log (GROUP:NAME-stdout.log when two groups have a
  process NAME), which counts as "auto" where supervisord's
  is AUTO: an explicit path equal to it is a path), "none" (NONE),
  "redirect" (stderr with redirect_stderr=true), or the path.  The processes
  of [eventlistener:] pools are compared the same way (tend prints them among
  the processes, with the pool's priority, as supervisord orders them by
  it); a tend that does not list them gives "listener X missing".

Verdicts: SAME, DELIBERATE (differs only as DELIBERATE_FIELDS below allows),
DIFFERENT (with the fields that differ), TEND-REFUSED (with tend's first
error), SUP-REFUSED (supervisord's message: not compared).  Exit status: 1
when a file supervisord accepts is DIFFERENT or TEND-REFUSED and is not in
DELIBERATE below (DELIBERATE and DELIBERATE_FIELDS are the list the README
shows), 77 when the harness cannot run here, else 0.
"""

import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(SRCDIR, 'tests', 'fixtures', 'real-world')
ENVDIR = os.path.join(CORPUS, 'env')

# Differences tend keeps on purpose: fixture -> reason.  The README lists the
# same ones.  A file here may come out DIFFERENT or TEND-REFUSED without
# failing the check; it is still compared and reported.
DELIBERATE = {
}

# Field differences tend keeps on purpose, whatever the file: (what, test of
# (supervisord's process, field), reason).  A file whose only differences
# match one comes out DELIBERATE (a pass) naming it.  The README lists them.
DELIBERATE_FIELDS = [
]

# The environment both parsers see, whatever the caller's is.
BASE_ENV = {
    'PATH': '/usr/local/bin:/usr/bin:/bin',
    'HOME': '/root',
    'LANG': 'C.UTF-8',
    'TZ': 'UTC',
}

# %(ENV_X)s the files use, with the values their images set (or a plausible
# one where the image takes it from the user).
FIXTURE_ENV = {
    '15-misp': {
        'SUPERVISOR_USERNAME': 'supervisor',
        'SUPERVISOR_PASSWORD': 'supervisor',
        'NUM_WORKERS_DEFAULT': '5',
        'NUM_WORKERS_PRIO': '5',
        'NUM_WORKERS_EMAIL': '5',
        'NUM_WORKERS_UPDATE': '1',
        'NUM_WORKERS_CACHE': '5',
        'STUNNEL': 'false',
        'STUNNEL_CONFIG': '/etc/stunnel/stunnel.conf',
    },
    '16-docker-mailserver': {
        'POSTGREY_DELAY': '300',
        'POSTGREY_MAX_AGE': '35',
        'POSTGREY_AUTO_WHITELIST_CLIENTS': '5',
        'POSTGREY_TEXT': 'Delayed by Postgrey',
        'FETCHMAIL_POLL': '300',
        'API_PORT': '8000',
    },
    '28-frappe-lms.conf': {
        'ENABLE_SOCKETIO': 'true',
    },
    '29-hermes-agent-railway.conf': {
        'PORT': '8080',
    },
}

# Absolute include paths replaced, in the private copy only, by the set's
# own directory.
REWRITES = {
    '14-selenium-node': [('files = /etc/supervisor/conf.d/*.conf',
                          'files = conf.d/*.conf')],
    '15-misp': [('files = /etc/supervisor/conf.d/*.conf',
                 'files = conf.d/*.conf')],
    '16-docker-mailserver': [('files = /etc/supervisor/conf.d/*.conf',
                              'files = conf.d/*.conf')],
}

NSS_WRAPPER_CANDIDATES = [
    '/usr/lib/x86_64-linux-gnu/libnss_wrapper.so',
    '/usr/lib/aarch64-linux-gnu/libnss_wrapper.so',
    '/usr/lib/libnss_wrapper.so',
    '/usr/lib64/libnss_wrapper.so',
]


def find_nss_wrapper():
    for p in NSS_WRAPPER_CANDIDATES:
        if os.path.exists(p):
            return p
    try:
        out = subprocess.run(['ldconfig', '-p'], capture_output=True,
                             text=True).stdout
    except OSError:
        return None
    m = re.search(r'libnss_wrapper\.so\b.*=> (\S+)', out)
    return m.group(1) if m else None


def fixtures(names):
    """(name, main file relative to the set) of each fixture."""
    if not names:
        names = sorted(n for n in os.listdir(CORPUS)
                       if re.match(r'^\d\d-', n))
    out = []
    for n in names:
        n = n.rstrip('/')
        path = os.path.join(CORPUS, n)
        if os.path.isdir(path):
            out.append((n, 'supervisord.conf'))
        elif os.path.isfile(path):
            out.append((n, n))
        else:
            raise SystemExit('compare.py: no fixture %s in %s' % (n, CORPUS))
    return out


def private_copy(name, tmp):
    """Copy the fixture into tmp, apply REWRITES; return the main file."""
    src = os.path.join(CORPUS, name)
    if os.path.isdir(src):
        dst = os.path.join(tmp, name)
        shutil.copytree(src, dst)
        main = os.path.join(dst, 'supervisord.conf')
    else:
        dst = tmp
        main = os.path.join(tmp, name)
        shutil.copyfile(src, main)
    for old, new in REWRITES.get(name, []):
        with open(main, 'rb') as f:
            data = f.read()
        if old.encode() not in data:
            raise SystemExit('compare.py: %s: rewrite %r matches nothing'
                             % (name, old))
        with open(main, 'wb') as f:
            f.write(data.replace(old.encode(), new.encode()))
    return main


def environment(name, nss):
    env = dict(BASE_ENV)
    env.update(FIXTURE_ENV.get(name, {}))
    env['LD_PRELOAD'] = nss
    env['NSS_WRAPPER_PASSWD'] = os.path.join(ENVDIR, 'passwd')
    env['NSS_WRAPPER_GROUP'] = os.path.join(ENVDIR, 'group')
    # tendd may be an ASan build: its runtime must come first, unless told.
    asan = os.environ.get('ASAN_OPTIONS', '')
    env['ASAN_OPTIONS'] = (asan + ':' if asan else '') + \
        'verify_asan_link_order=0'
    for k in ('UBSAN_OPTIONS', 'LSAN_OPTIONS'):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


# ---- supervisord's side (runs in a child: compare.py --sup-dump FILE) ----

def sup_dump(path):
    """Print supervisord's reading of path as JSON on stdout."""
    import io
    from supervisor import datatypes, options

    def no_dir_check(v):
        return os.path.expanduser(v)

    datatypes.existing_dirpath = no_dir_check
    datatypes.existing_directory = no_dir_check
    options.existing_dirpath = no_dir_check
    options.existing_directory = no_dir_check

    err = io.StringIO()
    saved = sys.stderr, sys.stdout
    sys.stderr = sys.stdout = err
    try:
        opts = options.ServerOptions()
        opts.stderr = opts.stdout = err  # class attributes bound at import
        opts.realize(['-c', path])
    except SystemExit:
        sys.stderr, sys.stdout = saved
        msg = [l for l in err.getvalue().splitlines()
               if l.startswith('Error:')] or err.getvalue().splitlines()[-1:]
        print(json.dumps({'refused': ' '.join(msg).strip()}))
        return
    except Exception as e:  # noqa: BLE001 (any failure is a refusal)
        sys.stderr, sys.stdout = saved
        print(json.dumps({'refused': '%s: %s' % (type(e).__name__, e)}))
        return
    sys.stderr, sys.stdout = saved

    def log(v, redirected=False):
        if redirected:
            return 'redirect'
        if v is None:
            return 'none'
        if v is datatypes.Automatic:
            return 'auto'
        return str(v)

    procs = []
    for g in opts.process_group_configs:
        listener = isinstance(g, options.EventListenerPoolConfig)
        for p in g.process_configs:
            if g.name == p.name and len(g.process_configs) == 1:
                full = p.name
            else:
                full = '%s:%s' % (g.name, p.name)
            procs.append({
                'name': full,
                'listener': listener,
                # a listener pool's priority (default -1) orders it; its
                # processes' own (999) only order them within the pool
                'priority': g.priority if listener else p.priority,
                'autostart': bool(p.autostart),
                'argv': shlex.split(p.command),
                'stdout': log(p.stdout_logfile),
                'stderr': log(p.stderr_logfile, p.redirect_stderr),
            })
    print(json.dumps({'procs': procs,
                      'warnings': list(opts.parse_warnings)}))


def supervisord_view(main, env, cwd):
    env = dict(env, PYTHONPATH=os.path.join(HERE, 'stubs'),
               PYTHONDONTWRITEBYTECODE='1')
    r = subprocess.run([sys.executable, os.path.abspath(__file__),
                        '--sup-dump', main], env=env, cwd=cwd,
                       capture_output=True, text=True, timeout=60)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {'refused': 'compare.py --sup-dump failed: %s'
                % (r.stderr.strip() or r.stdout.strip())}


# ---- tend's side ----

# "  group:name (priority N, autostart" / "..., started by hand"
PROC_RE = re.compile(r'^  (\S+) \(priority (-?\d+), (autostart|started by hand)')
SUBKEY_RE = re.compile(r'^    (command|after|user|cwd|stdout|stderr|events'
                       r'|buffer|listener|ready)\s*:')
ROTATION_RE = re.compile(r' \((never rotated|rotated at [^)]*)\)$')


def tend_log(text):
    text = text.strip()
    if text.endswith(', and syslog'):
        text = text[:-len(', and syslog')]
    if text.startswith('with stdout'):
        return 'redirect'
    if text.startswith('discarded') or text == 'none':
        return 'none'
    return ROTATION_RE.sub('', text)


def tend_auto(path, name, stream, childlogdir):
    """Is path the file tend picks for an AUTO log of process name (GROUP:NAME
    or NAME): childlogdir/NAME-stream.log, or GROUP:NAME-stream.log when two
    groups have a process NAME?"""
    if childlogdir is None:
        return False
    short = name.split(':', 1)[-1]
    return path in ('%s/%s-%s.log' % (childlogdir, short, stream),
                    '%s/%s-%s.log' % (childlogdir, name, stream))


def parse_tend(out):
    """Processes of a `tendd -t` summary."""
    childlogdir = None
    procs = []
    cur = None
    key = None
    for line in out.splitlines():
        m = re.match(r'^child logs:\s+(.*?) \(childlogdir', line)
        if m:
            childlogdir = m.group(1)
            continue
        m = PROC_RE.match(line)
        if m:
            cur = {'name': m.group(1), 'priority': int(m.group(2)),
                   'autostart': m.group(3) == 'autostart',
                   'command': None, 'stdout': None, 'stderr': None,
                   'listener': 'listener' in line}
            procs.append(cur)
            key = None
            continue
        if cur is None:
            continue
        m = SUBKEY_RE.match(line)
        if m:
            key = m.group(1)
            val = line[m.end():].lstrip(' ')
            if key in ('command', 'stdout', 'stderr'):
                cur[key] = val
            continue
        if key == 'command' and not re.match(r'^\S', line):
            # a command printed over several lines (older format)
            cur['command'] += '\n' + line
            continue
        if re.match(r'^\S', line):
            cur = None
            key = None
    for p in procs:
        try:
            p['argv'] = shlex.split(p['command'] or '')
        except ValueError as e:
            p['argv'] = ['<shlex: %s>' % e, p['command']]
        p['stdout'] = tend_log(p['stdout'] or '')
        p['stderr'] = tend_log(p['stderr'] or '')
        p['childlogdir'] = childlogdir
    return procs


def tend_view(tendd, main, env, cwd):
    r = subprocess.run([tendd, '-t', '-c', main], env=env, cwd=cwd,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not r.stdout.startswith('configuration OK'):
        errs = [l for l in r.stderr.splitlines() if 'warning:' not in l]
        return {'refused': errs[0] if errs else
                'exit %d: %s' % (r.returncode, r.stderr.strip())[:300],
                'errors': errs}
    return {'procs': parse_tend(r.stdout), 'stderr': r.stderr}


# ---- comparison ----

FIELDS = ('priority', 'autostart', 'argv', 'stdout', 'stderr')


def compare(sup, tend, tmp):
    """(differences, deliberate ones) as lists of strings; both empty when
    tend reads it the same."""
    diffs = []
    kept = []

    def short(v):
        s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
        s = s.replace(tmp, '$TMP')
        return s if len(s) <= 90 else s[:87] + '...'

    sp = {p['name']: p for p in sup}
    tp = {p['name']: p for p in tend}
    for n in sp:
        if n not in tp:
            what = 'listener' if sp[n]['listener'] else 'process'
            diffs.append('%s %s missing in tend' % (what, n))
    for n in tp:
        if n not in sp:
            diffs.append('process %s only in tend' % n)
    for n, s in sp.items():
        t = tp.get(n)
        if t is None:
            continue
        for f in FIELDS:
            if f in ('stdout', 'stderr') and s[f] == 'auto' and \
                    tend_auto(t[f], n, f, t['childlogdir']):
                continue
            if s[f] == t[f]:
                continue
            rule = [w for w, test, _ in DELIBERATE_FIELDS if test(s, f)]
            if rule:
                kept.append(rule[0])
                continue
            diffs.append('%s %s: supervisord %s, tend %s'
                         % (n, f, short(s[f]), short(t[f])))
    return diffs, sorted(set(kept))


def main(argv):
    if len(argv) == 3 and argv[1] == '--sup-dump':
        sup_dump(argv[2])
        return 0
    tendd = None
    verbose = False
    names = []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == '--tendd':
            tendd = args.pop(0)
        elif a == '-v':
            verbose = True
        else:
            names.append(a)
    if tendd is None:
        b = os.environ.get('TEND_BUILDDIR', os.path.join(SRCDIR, 'build'))
        tendd = os.path.join(b, 'src', 'tendd')
    tendd = os.path.abspath(tendd)
    try:
        importlib.import_module('supervisor.options')
    except ImportError:
        print('compare.py: SKIP: %s cannot import supervisor (Debian package '
              '"supervisor")' % sys.executable)
        return 77
    nss = find_nss_wrapper()
    if nss is None:
        print('compare.py: SKIP: libnss_wrapper.so not found (Debian package '
              '"libnss-wrapper"): needed to give both parsers the users '
              'the files name')
        return 77
    if not os.access(tendd, os.X_OK):
        print('compare.py: %s is not executable' % tendd)
        return 99

    counts = {}
    failed = []
    for name, rel in fixtures(names):
        tmp = tempfile.mkdtemp(prefix='tend-compat.')
        try:
            main_file = private_copy(name, tmp)
            cwd = os.path.dirname(main_file)
            env = environment(name, nss)
            sup = supervisord_view(main_file, env, cwd)
            if 'refused' in sup:
                verdict, detail = 'SUP-REFUSED', sup['refused']
            else:
                tend = tend_view(tendd, main_file, env, cwd)
                if 'refused' in tend:
                    verdict = 'TEND-REFUSED'
                    detail = tend['refused'].replace(tmp, '$TMP')
                    if len(tend['errors']) > 1:
                        detail += ' (+%d more)' % (len(tend['errors']) - 1)
                else:
                    diffs, kept = compare(sup['procs'], tend['procs'], tmp)
                    if diffs:
                        verdict = 'DIFFERENT'
                        detail = '; '.join(diffs[:4])
                        if len(diffs) > 4:
                            detail += '; (+%d more)' % (len(diffs) - 4)
                        if verbose:
                            detail += '\n' + '\n'.join(
                                '      ' + d for d in diffs)
                    elif kept:
                        verdict = 'DELIBERATE'
                        detail = '%d processes; differs only in: %s' % (
                            len(sup['procs']), ', '.join(kept))
                    else:
                        verdict, detail = 'SAME', '%d processes' % \
                            len(sup['procs'])
                if verdict not in ('SAME', 'DELIBERATE'):
                    if name in DELIBERATE:
                        detail += ' [deliberate: %s]' % DELIBERATE[name]
                    else:
                        failed.append(name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        counts[verdict] = counts.get(verdict, 0) + 1
        print('%-30s %-12s %s' % (name, verdict, detail))
    total = sum(counts.values())
    print('summary: %d files: %s; supervisord accepts %d, tend reads %d the '
          'same way (%d more but for deliberate differences), %d '
          'unexplained' % (
              total, ', '.join('%d %s' % (v, k)
                               for k, v in sorted(counts.items())),
              total - counts.get('SUP-REFUSED', 0), counts.get('SAME', 0),
              counts.get('DELIBERATE', 0), len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
