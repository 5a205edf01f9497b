#!/usr/bin/env python3
"""promcheck.py FILE: a strict checker of the Prometheus text exposition
format, version 0.0.4, as Prometheus's own parser (expfmt) reads it.

Exits 0 and prints every sample as one normalized line
    NAME{LABEL="VALUE",...} VALUE
(labels in the order written, values unescaped as Python repr-free text)
or exits 1 and prints FILE:LINE: reason for the first error.

What it enforces, beyond the grammar:
- the text is UTF-8, ends with a line feed, has no CR and no blank line;
- "# HELP name text" and "# TYPE name type" at most once per name, TYPE
  before any sample of its family, type one of counter, gauge, histogram,
  summary, untyped; HELP text escapes only \\\\ and \\n;
- label values escape only \\\\, \\" and \\n; label names are unique in a
  sample and do not start with __;
- a family's samples are contiguous (no other family in between);
- no sample (name and label set) appears twice;
- counters are never negative, NaN or infinite;
- a value is a float as Go's ParseFloat reads it (also NaN, +Inf, -Inf);
  an optional timestamp is an integer of milliseconds.
"""
import math
import re
import sys

METRIC = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
FLOAT = re.compile(r'[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?'
                   r'|[Ii][Nn][Ff]|[Nn][Aa][Nn])\Z')
TIMESTAMP = re.compile(r'-?[0-9]+\Z')
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')
SUFFIXES = {'histogram': ('_bucket', '_sum', '_count'),
            'summary': ('_sum', '_count')}


class Bad(Exception):
    pass


def family_of(name, types):
    """The family a sample belongs to: itself, or a histogram/summary
    it is a _bucket/_sum/_count of."""
    for kind, sufs in SUFFIXES.items():
        for suf in sufs:
            if name.endswith(suf):
                base = name[:-len(suf)]
                if types.get(base) == kind:
                    return base
    return name


def parse_labels(s, i):
    """Parse {a="b",...} starting after the '{' at s[i]; return
    (list of (name, value), index after '}')."""
    labels = []
    while True:
        if i < len(s) and s[i] == '}':
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Bad('bad label name at column %d' % (i + 1))
        name = m.group(0)
        if name.startswith('__'):
            raise Bad('reserved label name %s' % name)
        if any(n == name for n, _ in labels):
            raise Bad('label %s given twice' % name)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Bad('expected =" after label %s' % name)
        i += 2
        val = []
        while True:
            if i >= len(s):
                raise Bad('unterminated value of label %s' % name)
            c = s[i]
            if c == '"':
                i += 1
                break
            if c == '\\':
                e = s[i + 1:i + 2]
                if e == '\\':
                    val.append('\\')
                elif e == '"':
                    val.append('"')
                elif e == 'n':
                    val.append('\n')
                else:
                    raise Bad('bad escape \\%s in label %s' % (e, name))
                i += 2
                continue
            val.append(c)
            i += 1
        labels.append((name, ''.join(val)))
        if i < len(s) and s[i] == ',':
            i += 1
            continue
        if i < len(s) and s[i] == '}':
            return labels, i + 1
        raise Bad('expected , or } after the value of label %s' % name)


def value_of(text):
    if not FLOAT.match(text):
        raise Bad('bad value %r' % text)
    return float(text)


def check(data):
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        raise Bad('not UTF-8: %s' % e) from None
    if text == '':
        raise Bad('empty')
    if not text.endswith('\n'):
        raise Bad('no line feed at the end')
    helps, types, seen, closed, out = {}, {}, set(), set(), []
    sampled = set()
    current = None
    for n, line in enumerate(text[:-1].split('\n'), 1):
        try:
            if '\r' in line:
                raise Bad('carriage return')
            if line.strip() == '':
                raise Bad('blank line')
            if line.startswith('#'):
                parts = line.split(' ', 3)
                if len(parts) >= 3 and parts[0] == '#' and \
                        parts[1] in ('HELP', 'TYPE'):
                    name = parts[2]
                    if not METRIC.fullmatch(name):
                        raise Bad('bad metric name %r' % name)
                    rest = parts[3] if len(parts) > 3 else ''
                    if parts[1] == 'HELP':
                        if name in helps:
                            raise Bad('second HELP for %s' % name)
                        if re.search(r'\\[^\\n]|\\$', rest):
                            raise Bad('bad escape in HELP of %s' % name)
                        helps[name] = rest
                    else:
                        if name in types:
                            raise Bad('second TYPE for %s' % name)
                        if rest not in TYPES:
                            raise Bad('unknown type %r' % rest)
                        if name in sampled:
                            raise Bad('TYPE of %s after its samples' % name)
                        types[name] = rest
                    if name != current and name in closed:
                        raise Bad('family %s split' % name)
                    if name != current and current is not None:
                        closed.add(current)
                    current = name
                elif line.startswith('# ') or line == '#':
                    pass    # a comment
                else:
                    raise Bad('a comment must start with "# "')
                continue
            m = METRIC.match(line)
            if not m:
                raise Bad('bad metric name')
            name = m.group(0)
            i = m.end()
            labels = []
            if i < len(line) and line[i] == '{':
                labels, i = parse_labels(line, i + 1)
            if i >= len(line) or line[i] != ' ':
                raise Bad('expected a space before the value')
            fields = line[i + 1:].split(' ')
            if len(fields) not in (1, 2) or '' in fields:
                raise Bad('expected VALUE [TIMESTAMP] after the labels')
            value = value_of(fields[0])
            if len(fields) == 2 and not TIMESTAMP.match(fields[1]):
                raise Bad('bad timestamp %r' % fields[1])
            fam = family_of(name, types)
            if fam != current:
                if fam in closed:
                    raise Bad('family %s split' % fam)
                if current is not None:
                    closed.add(current)
                current = fam
            sampled.add(fam)
            if types.get(fam) == 'counter':
                if math.isnan(value) or value < 0 or math.isinf(value):
                    raise Bad('counter %s is %s' % (name, fields[0]))
            key = (name, tuple(sorted(labels)))
            if key in seen:
                raise Bad('sample given twice')
            seen.add(key)
            lbl = ','.join('%s="%s"' % (k, v) for k, v in labels)
            out.append('%s%s %s' % (name, '{%s}' % lbl if labels else '',
                                    fields[0]))
        except Bad as e:
            raise Bad('%d: %s' % (n, e)) from None
    return out


def main():
    if len(sys.argv) != 2:
        print('usage: promcheck.py FILE', file=sys.stderr)
        return 2
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    try:
        samples = check(data)
    except Bad as e:
        where = '' if str(e)[:1].isdigit() else ' '
        print('%s:%s%s' % (sys.argv[1], where, e), file=sys.stderr)
        return 1
    for s in samples:
        print(s)
    return 0


if __name__ == '__main__':
    sys.exit(main())
