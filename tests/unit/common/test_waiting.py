"""The one wait helper, on a fake clock: each case runs in microseconds."""

import pytest

from octavia_maint.common import exceptions
from octavia_maint.common import waiting
from tests.unit import fake_clock


class Stop(Exception):
    pass


class Looks:
    """``look()`` answering ``answers`` in turn, counting the looks."""

    def __init__(self, answers):
        self._answers = iter(answers)
        self.count = 0

    def __call__(self):
        self.count += 1
        answer = next(self._answers)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _stop_at_second_check():
    calls = []

    def check():
        calls.append(1)
        if len(calls) == 2:
            raise Stop()
    return check


# (case, answers, options, expected result or exception, looks, sleeps)
CASES = [
    ('returns at once', [True], {}, True, 1, []),
    ('polls until true', [False, 0, 'ready'], {'interval': 2}, 'ready', 3,
     [2, 2]),
    ('until judges the result', [1, 2, 3],
     {'until': lambda n: n >= 2, 'interval': 1}, 2, 2, [1]),
    ('interval from a callable', [False] * 3 + [True],
     {'interval': iter([1, 2, 3]).__next__}, True, 4, [1, 2, 3]),
    ('times out with the given exception', [False] * 10,
     {'interval': 2, 'timeout': 5,
      'timeout_error': lambda last: exceptions.InvalidInput(
          reason='last %r' % last)},
     exceptions.InvalidInput, 4, [2, 2, 1]),
    ('times out with WaitTimeout by default', [None] * 10,
     {'interval': 3, 'timeout': 3}, exceptions.WaitTimeout, 2, [3]),
    ('timeout zero still looks once', [False], {'timeout': 0},
     exceptions.WaitTimeout, 1, []),
    ('the check raises to stop', [False] * 10,
     {'interval': 1, 'check': _stop_at_second_check}, Stop, 1, [1]),
    ('what look raises ends the wait', [False, Stop()], {'interval': 1},
     Stop, 2, [1]),
    ('a delay comes before the first look, outside the timeout',
     [False] * 10, {'delay': 7, 'interval': 2, 'timeout': 2},
     exceptions.WaitTimeout, 2, [7, 2]),
]


@pytest.mark.parametrize('case, answers, options, expected, looks, sleeps',
                         CASES, ids=[case[0] for case in CASES])
def test_wait_until(case, answers, options, expected, looks, sleeps):
    clock = fake_clock.FakeClock()
    look = Looks(answers)
    if 'check' in options:
        options = dict(options, check=options['check']())

    def wait():
        return waiting.wait_until(look, clock=clock, sleep=clock.sleep,
                                  **options)
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected):
            wait()
    else:
        assert wait() == expected
    assert (look.count, clock.sleeps) == (looks, sleeps)


def test_the_timeout_error_gets_the_last_result():
    clock = fake_clock.FakeClock()
    with pytest.raises(exceptions.InvalidInput, match='still 3'):
        waiting.wait_until(
            Looks([1, 2, 3]).__call__, until=lambda n: False, interval=1,
            timeout=2, clock=clock, sleep=clock.sleep,
            timeout_error=lambda last: exceptions.InvalidInput(
                reason='still %s' % last))


def test_the_check_comes_before_every_look():
    events = []

    def look():
        events.append('look')
        return len(events) > 4

    waiting.wait_until(look, interval=0, check=lambda: events.append('check'),
                       sleep=lambda seconds: events.append('sleep'))
    assert events == ['check', 'look', 'sleep', 'check', 'look']
