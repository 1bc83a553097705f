"""The intake API's layers, as in Flask's own tutorial: blueprints reach the app through accessors
(intake_api/store.py), never by importing the app module, and never import another blueprint's modules;
a referral's life is intake_api/referrals.py's, which both the API and the console call."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "intake_api"
BLUEPRINTS = {"api": PACKAGE / "api", "staff": PACKAGE / "staff", "voice": PACKAGE / "voice",
              "chat": PACKAGE / "chat.py"}


def _modules(where: Path) -> list[Path]:
    return sorted(where.glob("*.py")) if where.is_dir() else [where]


def _imported(path: Path, blueprint: str) -> set[str]:
    """Every intake_api module the file imports, as a dotted name under intake_api."""
    inside = [] if blueprint == "chat" else [blueprint]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = inside[:len(inside) - (node.level - 1)] if node.level > 1 else inside
                module = ".".join([*base, *([node.module] if node.module else [])])
                found |= {f"{module}.{alias.name}".strip(".") for alias in node.names} | {module}
            elif (node.module or "").startswith("intake_api"):
                found.add(node.module.removeprefix("intake_api").strip("."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("intake_api").strip(".") for a in node.names
                      if a.name.startswith("intake_api")}
    return found


@pytest.mark.parametrize("blueprint", sorted(BLUEPRINTS))
def test_a_blueprint_imports_neither_the_app_module_nor_another_blueprint(blueprint):
    others = [name for name in BLUEPRINTS if name != blueprint]
    wrong = []
    for path in _modules(BLUEPRINTS[blueprint]):
        for module in _imported(path, blueprint):
            if module == "app" or module.startswith("app.") or module.split(".")[0] in others:
                wrong.append(f"{path.relative_to(PACKAGE.parent)} imports intake_api.{module}")
    assert not wrong, "\n".join(wrong)


def _top_level_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
    return found


@pytest.mark.parametrize("package, forbidden", [
    ("actions", {"intake_api", "flask", "sqlalchemy"}),         # the action server runs in Rasa's environment
    ("bot", {"intake_api", "flask"}),
    ("referral_rules", {"intake_api", "actions", "bot", "flask", "sqlalchemy", "rasa", "rasa_sdk"}),
])
def test_the_shared_rules_stand_alone_and_the_bot_imports_nothing_of_the_api(package, forbidden):
    root = PACKAGE.parent / package
    wrong = [f"{path.relative_to(root.parent)} imports {name}"
             for path in sorted(root.rglob("*.py")) for name in _top_level_imports(path) & forbidden]
    assert not wrong, "\n".join(wrong)
