"""Who may do what: roles mapped from e-mail addresses and domains (einklang.toml [einklang.roles])."""
from __future__ import annotations

ROLES = ("sop", "vertrieb", "betrieb", "viewer")
# what each role may change; reading is open to everyone logged in
UPLOADS: dict[str, frozenset[str]] = {
    "vertrieb": frozenset({"forecast", "actuals", "markets"}),
    "betrieb": frozenset({"capacity", "plan", "products", "alternates"}),
    "sop": frozenset({"forecast", "actuals", "markets", "capacity", "plan", "products", "alternates"}),
    "viewer": frozenset(),
}
ACTIONS: dict[str, frozenset[str]] = {
    "sop": frozenset({"upload", "strategy", "meeting", "agreement"}),
    "vertrieb": frozenset({"upload", "agreement"}),
    "betrieb": frozenset({"upload", "agreement"}),
    "viewer": frozenset(),
}
# without a login configured, Einklang is the single local user's tool: everything is allowed
LOCAL_ROLE = "sop"


def role_for(email: str | None, roles: dict[str, list[str]] | tuple) -> str:
    """The role of an e-mail address: an exact address wins over a domain ("@vertrieb.alpenhof.de"),
    a longer domain over a shorter one; anyone not named is a viewer."""
    if not email:
        return "viewer"
    address = email.strip().casefold()
    best, best_len = "viewer", -1
    for role, entries in dict(roles).items():
        for entry in entries:
            entry = str(entry).strip().casefold()
            if entry == address:
                return role if role in ROLES else "viewer"
            if entry.startswith("@") and address.endswith(entry) and len(entry) > best_len:
                best, best_len = role, len(entry)
    return best if best in ROLES else "viewer"


def may(role: str, action: str) -> bool:
    return action in ACTIONS.get(role, frozenset())


def may_upload(role: str, kind: str) -> bool:
    return kind in UPLOADS.get(role, frozenset())


def check_roles(roles: dict) -> list[str]:
    """Problems with a [einklang.roles] table: unknown role names, entries that are no address."""
    problems = [f"unknown role {name!r} (known: {', '.join(ROLES)})" for name in roles if name not in ROLES]
    for name, entries in roles.items():
        if not isinstance(entries, (list, tuple)):
            problems.append(f"{name}: expected a list of addresses or @domains")
            continue
        problems += [f"{name}: {e!r} is neither an address nor an @domain" for e in entries
                     if "@" not in str(e)]
    return problems
