"""Store keys and atom names are matched by value: they must be unique."""

import collections

from octavia_maint.common import constants


def test_constant_values_are_unique():
    values = collections.defaultdict(list)
    for name, value in vars(constants).items():
        if name.isupper() and isinstance(value, str):
            values[value].append(name)
    # Job states and target outcomes share words on purpose
    # (a target can be 'failed' like a job), so compare within families.
    families = collections.defaultdict(list)
    for value, names in values.items():
        for name in names:
            families[name.split('_')[0]].append(value)
    for family, members in families.items():
        duplicates = [v for v, c in collections.Counter(members).items()
                      if c > 1]
        assert not duplicates, (family, duplicates)
