"""Following a job to its end: run it here (local mode) or watch it.

Polls ``JobService.show`` about once a second and writes one progress
line to stderr: rewritten in place on a terminal, one line per change
otherwise (logs, CI). stdout is left to the final result, so ``-f json``
output stays parseable. A command that followed a job ending unsuccessfully
sets the app's exit code to 1 and says how to continue it.
"""

import threading

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from octavia_maint.cli import shell
from octavia_maint.common import constants as common_constants
from octavia_maint.common import waiting

POLL_SECONDS = 1.0
CLEAR_TO_END_OF_LINE = '\x1b[K'


def follow(app, job_id, wait):
    """Run the job in this process (local mode) or, with ``wait``, watch it.

    :returns: the job's final full view, or None if it was left to the
              conductors (board mode without ``wait``).
    """
    if shell.job_service(app).backend.local:
        return run_here(app, job_id)
    if wait:
        return watch(app, job_id)
    return None


def run_here(app, job_id):
    """Run the job in a thread of this process until it ends.

    Ctrl-C suspends the job after its running step (the saved state lets
    ``job resume`` continue it with no step repeated).
    """
    runner = shell.job_service(app).local_runner()
    worker = threading.Thread(target=runner.run, args=(job_id,),
                              name='octavia-maint-job-' + job_id, daemon=True)
    worker.start()
    try:
        _poll(app, job_id, ended=lambda view: not worker.is_alive(),
              sleep=worker.join)
    except KeyboardInterrupt:
        _stop(app, job_id, runner)
        return _ended(app, shell.job_service(app).show(job_id), stopped=True)
    # Read again: the worker's last save may come after the last poll.
    return _ended(app, shell.job_service(app).show(job_id))


def watch(app, job_id):
    """Watch a job that runs elsewhere until it ends.

    Ctrl-C stops only the watching (exit 130): the job runs on a
    conductor, or in the process waiting at its gate, and goes on.
    """
    try:
        view = _poll(
            app, job_id,
            ended=lambda view: view['state'] in constants.ENDED_STATES)
    except KeyboardInterrupt:
        app.stderr.write('Interrupted: the job goes on; `octavia-maint job '
                         'watch %s` to follow it again\n' % job_id)
        raise
    return _ended(app, view)


def describe(view):
    """The one-line progress of a full job view.

    Running targets say how many fail over and how many wait for a slot
    of the throttle: a campaign that mostly waits is throttled, not slow.
    """
    phases = ', '.join('%d %s' % (n, phase) for phase, n in
                       (view.get('phases') or {}).items() if n)
    counts = ', '.join(
        '%d %s' % (n, outcome) + (
            ' (%s)' % phases
            if outcome == common_constants.OUTCOME_RUNNING and phases
            else '')
        for outcome, n in view['counts'].items() if n)
    text = 'job %s %s' % (view['id'], view['state'])
    if counts:
        text += ': ' + counts
    if view['eta_seconds'] is not None:
        text += '; ETA ' + formatters.DurationColumn(
            view['eta_seconds']).human_readable()
    if view['waiting_for']:
        text += '; waiting for: %s' % view['waiting_for']
    return text


class ProgressLine:
    """A progress line on a stream: in place on a tty, else one per change."""

    def __init__(self, stream):
        self.stream = stream
        self.in_place = stream.isatty()
        self.last = None

    def show(self, text):
        if text == self.last:
            return
        self.last = text
        if self.in_place:
            self.stream.write('\r' + text + CLEAR_TO_END_OF_LINE)
        else:
            self.stream.write(text + '\n')
        self.stream.flush()

    def note(self, text):
        """A line of its own, below the progress line."""
        self.close()
        self.stream.write(text + '\n')
        self.stream.flush()
        self.last = None

    def close(self):
        if self.in_place and self.last is not None:
            self.stream.write('\n')


def _poll(app, job_id, ended, sleep=None):
    """Show the job's progress every ``POLL_SECONDS`` until ``ended(view)``.

    :param sleep: how to pass the time between two looks (``time.sleep``
        when None; a worker thread's ``join`` ends it early).
    :returns: the last view.
    """
    line = ProgressLine(app.stderr)
    gate = None

    def look():
        nonlocal gate
        view = shell.job_service(app).show(job_id)
        line.show(describe(view))
        if view['waiting_for'] and view['waiting_for'] != gate:
            gate = view['waiting_for']
            line.note(continue_hint(view) + ' (from another terminal)')
        return view

    try:
        return waiting.wait_until(look, until=ended, interval=POLL_SECONDS,
                                  sleep=sleep)
    finally:
        line.close()


def _stop(app, job_id, runner):
    """Suspend the job's engines; the running steps end as the process
    exits (the saved state is resumable whatever they were doing)."""
    app.stderr.write('Interrupted: stopping job %s after its running '
                     'steps...\n' % job_id)
    runner.stop()


def continue_hint(view):
    """What to do for a job that waits at a gate."""
    return ('Job %s waits for you: %s\nWhen done, run: octavia-maint job '
            'continue %s' % (view['id'], view['waiting_for'], view['id']))


def _ended(app, view, stopped=False):
    """Exit 1, saying how to continue, unless the job succeeded (or, not
    stopped here, is still on its way) or waits at a gate."""
    state = view['state']
    if state == common_constants.JOB_WAITING:
        app.stderr.write(continue_hint(view) + '\n')
        return view
    if state == common_constants.JOB_SUCCEEDED or (
            state not in constants.UNSUCCESSFUL_STATES and not stopped):
        return view
    app.exit_code = constants.EXIT_FAILED
    if state == common_constants.JOB_FAILED and not stopped:
        # It stopped and kept what succeeded (job show: next_steps).
        app.stderr.write('Job %s is failed. Finish it with: octavia-maint '
                         'job resume %s; or revert it with: octavia-maint '
                         'job cancel %s\n' % ((view['id'],) * 3))
        return view
    app.stderr.write('Job %s %s. Continue it with: octavia-maint job resume '
                     '%s\n' % (view['id'],
                               'was stopped' if stopped else 'is ' + state,
                               view['id']))
    return view
