"""One way to wait: look again and again until what is waited for holds.

Waiting for the cloud, the health manager, housekeeping, room in the
throttle, the operator at a gate, children or a job's end is the same
loop: check that the job may go on, look, stop when done or out of time,
pause, start again. Written once here, every wait has the same deadline
rule (the last pause is cut so that the deadline is not overshot), the
same cancel hook and a clock and sleep that tests replace, so a wait of
minutes runs in milliseconds in a unit test.

Why our own stop and wait functions on tenacity's loop: tenacity's
``stop_after_delay`` reads ``time.monotonic`` itself, which a test cannot
replace without replacing it for everything.
"""

import time

import tenacity

from octavia_maint.common import exceptions


def wait_until(look, until=bool, interval=1.0, timeout=None,
               timeout_error=None, check=None, delay=0.0, clock=None,
               sleep=None):
    """Call ``look()`` until ``until(result)`` holds; return that result.

    :param look: one look at what is waited for; an exception it raises
        ends the wait and reaches the caller as is.
    :param until: ``(result) -> bool``, whether the wait is over.
    :param interval: seconds between two looks, or a callable returning
        them (asked after each look that is not done).
    :param timeout: seconds from the first look; None waits for ever.
    :param timeout_error: ``(last result) -> exception`` raised once the
        timeout passed; :class:`exceptions.WaitTimeout` when None.
    :param check: called before every look, where a caller checks for a
        cancel or a lost claim: what it raises ends the wait. Before the
        look, not after it, so that no look (nor what a caller does with
        its result) follows a cancel.
    :param delay: seconds to pause before the first look (a quiet period:
        what surely is not done yet is not looked at); the timeout counts
        from the first look.
    :param clock: ``time.monotonic`` when None.
    :param sleep: ``time.sleep`` when None; any ``(seconds) -> None``
        (e.g. a thread's ``join``).
    :raises: what ``look``, ``check`` or ``timeout_error`` raise.
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    pause = interval if callable(interval) else lambda: interval
    if delay > 0:
        sleep(delay)
    deadline = None if timeout is None else clock() + timeout

    def next_pause(retry_state):
        if deadline is None:
            return pause()
        return max(0.0, min(pause(), deadline - clock()))

    def out_of_time(retry_state):
        return deadline is not None and clock() >= deadline

    def give_up(retry_state):
        last = retry_state.outcome.result()
        if timeout_error is None:
            raise exceptions.WaitTimeout(timeout=timeout)
        raise timeout_error(last)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_result(lambda result: not until(result)),
        stop=out_of_time, wait=next_pause, sleep=sleep,
        before=((lambda retry_state: check()) if check
                else tenacity.before_nothing),
        retry_error_callback=give_up)
    return retrying(look)
