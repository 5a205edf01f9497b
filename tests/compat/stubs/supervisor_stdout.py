"""Stand-in for the supervisor-stdout package, which is not in Debian.

Configurations name its event_handler as an [eventlistener:] result_handler,
and supervisord's parser imports that callable when it reads the file.
compare.py puts this directory on the parser's PYTHONPATH so that such a
file is judged on its syntax, not on what is installed here.  Never called.
"""


def event_handler(event, response):
    raise NotImplementedError('a parse-time stand-in; nothing runs it')
