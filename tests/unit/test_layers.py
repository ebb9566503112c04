"""Every module imports only what its layer may (DESIGN.md section 2).

The table is encoded here, so a new import across layers fails this test
until the table (and DESIGN.md) say it may. Imports are read from the
source (``ast``), inside functions too, so a lazy import counts.
"""

import ast
import pathlib

import pytest

import octavia_maint

PACKAGE = 'octavia_maint'
ROOT = pathlib.Path(octavia_maint.__file__).parent

# Which layers (or single modules) a layer may import, DESIGN.md section 2.
# Its own modules it may always import.
TABLE = {
    'conf': set(),
    'common': set(),
    'cloud': {'conf', 'common'},
    'runtime': {'cloud', 'conf', 'common'},
    'tasks': {'runtime', 'cloud', 'common'},
    'flows': {'tasks'},
    'jobs': {'conf', 'flows.registry', 'runtime'},
    'conductor': {'jobs'},
    'cli': {'jobs', 'flows.registry', 'report'},
    'report': {'cloud'},
    'simulator': set(),
}
# Every layer but these may import ``common`` and ``conf`` as well.
SHARED = {'common', 'conf'}
# Where the code differs from the table, and why.
JUSTIFIED = {
    # Reading the configuration refuses a bad file with our ConfigError
    # and its exit code (common/refusal.py), as every other layer does;
    # common imports nothing of ours, so this makes no cycle.
    ('conf', 'common'),
}


def modules():
    for path in sorted(ROOT.rglob('*.py')):
        parts = path.relative_to(ROOT).with_suffix('').parts
        if len(parts) > 1:
            yield parts[0], path


def imported(path):
    """Dotted names of ``octavia_maint`` modules ``path`` imports, without
    the package prefix (``flows.registry``)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, '%s: relative import' % path
            if node.module == PACKAGE:
                names = [PACKAGE + '.' + a.name for a in node.names]
            else:
                names = [(node.module or '') + '.' + a.name
                         for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith(PACKAGE + '.'):
                yield name[len(PACKAGE) + 1:]


def allowed(layer, target):
    """Whether a module of ``layer`` may import ``target`` (dotted)."""
    target_layer = target.split('.')[0]
    if target_layer == layer or (layer, target_layer) in JUSTIFIED:
        return True
    if target_layer in SHARED and layer not in SHARED:
        return True
    return any(target == rule or target.startswith(rule + '.')
               for rule in TABLE[layer])


def test_every_package_is_in_the_table():
    packages = {p.name for p in ROOT.iterdir()
                if (p / '__init__.py').exists()}
    assert packages == set(TABLE)


@pytest.mark.parametrize('layer, path', list(modules()),
                         ids=lambda v: str(v.relative_to(ROOT))
                         if isinstance(v, pathlib.Path) else v)
def test_imports_follow_the_layer_table(layer, path):
    bad = sorted(t for t in imported(path) if not allowed(layer, t))
    assert not bad, '%s (%s/) may not import %s' % (
        path.relative_to(ROOT), layer, ', '.join(bad))


def test_nothing_outside_the_simulator_imports_it():
    importers = sorted(
        str(path.relative_to(ROOT)) for layer, path in modules()
        if layer != 'simulator' and any(
            t.split('.')[0] == 'simulator' for t in imported(path)))
    assert importers == []


def test_the_checker_sees_a_violation():
    assert not allowed('flows', 'runtime.throttle')
    assert not allowed('jobs', 'flows.campaign')
    assert allowed('jobs', 'flows.registry')
    assert allowed('tasks', 'conf')
    assert not allowed('common', 'conf')
