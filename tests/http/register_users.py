"""What the register's page tests share: a demo server with an admin and a
curator (every role on every URL is test_register_roles.py's), and one-row
queries on the server's database."""
import os
import sqlite3

from admin_client import accounts_module, form_values

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
}
ROLES = {"quantri": "admin", "baotang": "curator"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)


def rows(s, sql, *args):
    """Every row of a query on the server's database (waits for a lock; a
    write is committed)."""
    db = sqlite3.connect(os.path.join(s.data, "sen.db"), timeout=10)
    try:
        with db:
            return db.execute(sql, args).fetchall()
    finally:
        db.close()


def relate(s, oid, pairs):
    """Links object oid to the related entities [(kind, name)] straight in
    the server's database (created when new)."""
    db = sqlite3.connect(os.path.join(s.data, "sen.db"))
    try:
        with db:
            for kind, name in pairs:
                db.execute("INSERT INTO related_entities (kind, name) VALUES (?, ?)"
                           " ON CONFLICT DO NOTHING", (kind, name))
                db.execute("INSERT OR IGNORE INTO object_related (object_id, entity_id) SELECT ?, id"
                           " FROM related_entities WHERE kind = ? AND name = ?", (oid, kind, name))
    finally:
        db.close()


def one(s, sql, *args):
    """The first row of a query on the server's database (None: no row)."""
    found = rows(s, sql, *args)
    return found[0] if found else None


def intake(b, name, **fields):
    """Posts the intake form as b (a curator or admin) for an object called
    name; fields override the defaults. Returns the reply (303 when stored)."""
    from admin_client import csrf_of
    page = b.get("/admin/so-dang-ky/nhap")
    form = {"csrf": csrf_of(page.text, "/admin/so-dang-ky/nhap"), "name": name,
            "kind": "hien_vat", "material_code": "KL", "mode": "hien_tang",
            "acquired_on": "02/05/2021", "donor": "", "handover_no": "", "height_cm": "",
            "weight_g": "", "dating": "", "origin_place": "", "description": "", "notes": ""}
    form.update(fields)
    return b.post("/admin/so-dang-ky/nhap", form)


def walk_pages(b, url, row):
    """Follows a list's rel="next" links from url as b: (every match of the
    regex row on every page, the number of pages). Each page must answer 200."""
    import html as htmllib
    import re
    seen, pages = [], 0
    while url:
        r = b.get(url)
        assert r.status == 200, (url, r.status)
        seen += re.findall(row, r.text)
        m = re.search(r'<a href="([^"]*)" rel="next">', r.text)
        url = htmllib.unescape(m.group(1)) if m else None
        pages += 1
    return seen, pages


def set_public(b, oid, public=True, **changes):
    """Shows (or hides) object oid on the public site through its card's edit
    form, every other field as the form shows it, as a curator does: the
    online collection's tables follow the flag by triggers that need the
    server's Vietnamese tokenizer, so a test's own sqlite3 cannot flip it."""
    path = f"/admin/so-dang-ky/{oid}/sua"
    page = b.get(path)
    assert page.status == 200, page.status
    form = form_values(page.text, action=path)
    form.update(changes)
    form["public"] = "1" if public else ""
    r = b.post(path, form)
    assert r.status == 303, (r.status, r.text[-800:])
