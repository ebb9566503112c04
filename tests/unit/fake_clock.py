"""A clock for unit tests of waits: time passes only when the code sleeps."""


class FakeClock:
    """Call it for the time; pass its ``sleep`` as the code's sleep."""

    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
