"""The private library names we rely on are still there, as recorded.

``jobs/taskflow_private.py`` and ``cloud/sdk_private.py`` each record the
private names they override or call. A TaskFlow or openstacksdk release
that renames one, or changes its parameters, would otherwise break a
conductor silently (a renamed hook is simply never called). These tests
fail naming the attribute, and keep the private names inside those two
modules.
"""

import ast
import importlib
import inspect
import pathlib
import re
from unittest import mock

import pytest
from taskflow.conductors.backends import impl_nonblocking
from taskflow.jobs.backends import impl_zookeeper

import octavia_maint
from octavia_maint.cloud import sdk_private
from octavia_maint.jobs import taskflow_private

PRIVATE_MODULES = {
    'taskflow': taskflow_private,
    'openstacksdk': sdk_private,
}
METHODS = [entry for module in PRIVATE_MODULES.values()
           for entry in module.PRIVATE_METHODS]
ATTRIBUTES = [entry for module in PRIVATE_MODULES.values()
              for entry in module.PRIVATE_ATTRIBUTES]

# How to build an owner whose private attribute is set by ``__init__``
# (nothing is connected: the fakes stand in for the board and client).
INSTANCES = {
    impl_nonblocking.NonBlockingConductor: lambda: (
        impl_nonblocking.NonBlockingConductor(
            'probe', mock.Mock(), persistence=mock.Mock())),
    impl_zookeeper.ZookeeperJobBoard: lambda: (
        impl_zookeeper.ZookeeperJobBoard('probe', {}, client=mock.Mock())),
}

PACKAGE = pathlib.Path(octavia_maint.__file__).parent
CONSTRAINTS = PACKAGE.parent / 'constraints.txt'


def _label(owner, name):
    return '%s.%s.%s' % (owner.__module__, owner.__qualname__, name)


@pytest.mark.parametrize('owner, name, parameters', METHODS,
                         ids=lambda v: v if isinstance(v, str) else '')
def test_each_private_method_is_there_with_its_parameters(owner, name,
                                                          parameters):
    label = _label(owner, name)
    method = getattr(owner, name, None)
    assert callable(method), '%s is gone' % label
    found = tuple(
        str(parameter.replace(annotation=inspect.Parameter.empty))
        for parameter in inspect.signature(method).parameters.values())
    assert found == parameters, '%s now takes %s, recorded %s' % (
        label, found, parameters)


@pytest.mark.parametrize('owner, name', ATTRIBUTES,
                         ids=lambda v: v if isinstance(v, str) else '')
def test_each_private_attribute_is_there(owner, name):
    label = _label(owner, name)
    holder = owner
    if not hasattr(owner, name):
        builders = [build for cls, build in INSTANCES.items()
                    if issubclass(cls, owner)]
        assert builders, 'no way to build a %s to look for %s' % (
            owner.__qualname__, label)
        holder = builders[0]()
    assert hasattr(holder, name), '%s is gone' % label


@pytest.mark.parametrize('library, module', PRIVATE_MODULES.items())
def test_the_pinned_version_is_the_one_checked(library, module):
    pins = dict(re.findall(r'^([\w.-]+)==(\S+)$', CONSTRAINTS.read_text(),
                           re.MULTILINE))
    assert pins.get(library) == module.CHECKED_AGAINST, (
        '%s checks %s %s; constraints.txt pins %s: check each private name '
        'against the pinned version, then update CHECKED_AGAINST' % (
            module.__name__, library, module.CHECKED_AGAINST,
            pins.get(library)))


def _private(name):
    return name.startswith('_') and not name.endswith('__')


def _defined_and_used(tree):
    """Private names a piece of code defines or reads, as two sets: on
    ``self``/``super()`` (or defined), and on anything else."""
    own, other = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            own.add(node.name)
        elif isinstance(node, ast.Attribute):
            value = node.value
            on_self = (isinstance(value, ast.Name) and
                       value.id in ('self', 'cls')) or (
                isinstance(value, ast.Call) and
                isinstance(value.func, ast.Name) and
                value.func.id == 'super')
            (own if on_self else other).add(node.attr)
    return ({n for n in own if _private(n)},
            {n for n in other if _private(n)})


def test_every_private_name_of_a_module_is_recorded():
    for module in PRIVATE_MODULES.values():
        recorded = {name for _owner, name, *_rest in
                    module.PRIVATE_METHODS + module.PRIVATE_ATTRIBUTES}
        tree = ast.parse(pathlib.Path(module.__file__).read_text())
        used = set.union(*_defined_and_used(tree))
        assert used <= recorded, '%s uses %s without recording it' % (
            module.__name__, sorted(used - recorded))


def _product_modules():
    private_files = {pathlib.Path(m.__file__)
                     for m in PRIVATE_MODULES.values()}
    for path in sorted(PACKAGE.rglob('*.py')):
        if path not in private_files and 'simulator' not in path.parts:
            parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
            yield path, '.'.join(p for p in parts if p != '__init__')


def test_no_other_module_touches_a_recorded_private_name():
    """Outside the private modules, a recorded name appears neither on
    another object nor in a class that inherits its owner."""
    recorded = METHODS + ATTRIBUTES
    leaks = []
    for path, name in _product_modules():
        tree = ast.parse(path.read_text())
        _own, other = _defined_and_used(tree)
        leaks += ['%s: %s' % (name, attr) for _o, attr, *_r in recorded
                  if attr in other]
        module = importlib.import_module(name)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name)
            own, _other = _defined_and_used(node)
            leaks += ['%s.%s: %s' % (name, node.name, attr)
                      for owner, attr, *_r in recorded
                      if attr in own and issubclass(cls, owner)]
    assert not leaks, 'private library names outside %s: %s' % (
        sorted(m.__name__ for m in PRIVATE_MODULES.values()), leaks)
