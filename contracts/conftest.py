"""The contract suite's target: the sandbox (default) or each vendor's real site.

    pytest contracts                                   # against a served sandbox
    SURPASS_USERNAME=u SURPASS_PASSWORD=p \\
        pytest contracts/test_surpass_agreement.py --surpass-url https://x.surpass.com

Each vendor's ``contracts/<vendor>_site.py`` says how its scenarios reach a site: its
``--<vendor>-url`` option (``add_option``), the environment it then needs
(``check_environment``), and its ``<vendor>_site`` fixture (with the others it lists in
``FIXTURES``). This file loops over the vendors the sandbox lists, so adding one touches
only its own site module. Against a real site, tests marked ``sandbox_only`` are skipped:
they need the sandbox's ``/_sandbox`` controls, which a real site does not have.
"""

from __future__ import annotations

from importlib import import_module

import pytest

from exam_sandbox.providers import all_descriptions

# Each vendor's site module (contracts/<vendor>_site.py), in the sandbox's order.
SITE_MODULES = {d.name: import_module(f"{d.name}_site") for d in all_descriptions()}
# The fixtures each one defines, exposed here so every contract test can ask for them.
for _module in SITE_MODULES.values():
    for _fixture in _module.FIXTURES:
        globals()[_fixture] = getattr(_module, _fixture)


def pytest_addoption(parser: pytest.Parser) -> None:
    for module in SITE_MODULES.values():
        module.add_option(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sandbox_only: needs the sandbox's /_sandbox controls (skipped on a real site)"
    )
    for module in SITE_MODULES.values():
        module.check_environment(config)


# The fixture through which each vendor's scenarios reach their site, and its option.
SITES = {f"{name}_site": module.OPTION for name, module in SITE_MODULES.items()}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    urls = {f: url for f, option in SITES.items() if (url := config.getoption(option, None))}
    if not urls:
        return
    for item in items:
        if "sandbox_only" not in item.keywords:
            continue
        # A test is on a real site if its vendor's is given (or any is, if it names none).
        used = [f for f in SITES if f in getattr(item, "fixturenames", ())]
        url = next((urls[f] for f in used if f in urls), None)
        if url is None and not used:
            url = next(iter(urls.values()))
        if url is not None:
            item.add_marker(pytest.mark.skip(
                reason=f"needs the sandbox's /_sandbox controls, which {url} does not have"
            ))
