"""Issue 12, acquisitions ("Đợt thu nhận") in the back office:
/admin/so-dang-ky/thu-nhan lists them (search that ignores marks over hand-over
number, source, giver and note; filters by mode and year; three orders; keyset
pages), /thu-nhan/them adds one (the source chosen or typed as a new one; a
value in đồng required for a purchase and refused otherwise), /thu-nhan/ID
shows its hand-over record and objects, links the print and the intake form
that adds an object to it, and edits it. Once one of its objects is registered
only empty fields and the note change. Every role on every URL:
test_register_roles.py (EXPECTED)."""
import html as htmllib
import re

from admin_client import accounts_module, csrf_of
from register_users import intake, one, walk_pages
from test_register_roles import PASSWORDS, ROLES

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/so-dang-ky/thu-nhan"
NEW = LIST + "/them"


def form(b, **fields):
    """The new-acquisition form, filled: fields override the defaults."""
    token = csrf_of(b.get(NEW).text, NEW)
    f = {"csrf": token, "mode": "hien_tang", "acquired_on": "12/03/2024", "donor_id": "",
         "donor_name": "", "donor_kind": "person", "handover_no": "", "giver": "",
         "receiver": "Phòng Nghiệp vụ", "value": "", "note": ""}
    f.update(fields)
    return f


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">([^<]*)', r.text))


def count(s):
    return one(s, "SELECT count(*) FROM acquisitions")[0]


def test_acquisition_add_checks_every_field_and_keeps_input(s):
    b = browser(s, "baotang")
    (donor,) = one(s, "SELECT id FROM donors ORDER BY id LIMIT 1")
    before = count(s)
    cases = [
        ({"mode": "cuop"}, "Phương thức thu nhận: không phải"),
        ({"acquired_on": ""}, "Ngày thu nhận (dd/mm/yyyy): bắt buộc"),
        ({"acquired_on": "31/02/2024"}, "Ngày thu nhận (dd/mm/yyyy): ngày không hợp lệ"),
        ({"acquired_on": "01/01/2999"}, "Ngày thu nhận (dd/mm/yyyy): ngày ở tương lai"),
        ({"donor_id": "abc"}, "Nguồn hiện vật: không có"),
        ({"donor_id": "999999"}, "Nguồn hiện vật: không có"),
        ({"donor_id": str(donor), "donor_name": "Ông Mới"},
         "Tên nguồn mới: chọn một nguồn đã có hoặc nhập tên nguồn mới"),
        ({"donor_name": "Ông Mới", "donor_kind": "robot"}, "Loại nguồn mới: không phải"),
        ({"donor_name": "x" * 201}, "Tên nguồn mới: quá dài"),
        ({"handover_no": "x" * 61}, "Số biên bản giao nhận: quá dài"),
        ({"giver": "x" * 201}, "Bên giao (người ký): quá dài"),
        ({"receiver": "x" * 201}, "Bên nhận: quá dài"),
        ({"note": "x" * 2001}, "Ghi chú: quá dài"),
        ({"mode": "mua", "value": ""}, "Giá trị (đồng): bắt buộc"),
        ({"mode": "mua", "value": "năm triệu"}, "Giá trị (đồng): không phải là số"),
        ({"mode": "hien_tang", "value": "500.000"},
         "Giá trị (đồng): chỉ ghi giá trị khi phương thức thu nhận là mua"),
    ]
    base = {"handover_no": "77/BB-TEST", "giver": "Bà Lò Thị Xuân", "note": "Giữ lại ghi chú"}
    for fields, message in cases:
        f = form(b, **base)
        f.update(fields)
        r = b.post(NEW, f)
        assert r.status == 400, (fields, r.status)
        assert message in alert(r), (fields, alert(r))
        text = htmllib.unescape(r.text)
        for key, kept in base.items():
            if key not in fields:
                assert kept in text, (fields, kept)
    assert count(s) == before
    # A purchase with its price, from a new source created in the same step.
    r = b.post(NEW, form(b, mode="mua", value="12.500.000 đ", donor_name="Ông Lò Văn Puốn <b>",
                         handover_no="05/BB-2024", giver="Ông Lò Văn Puốn", note="Mua của gia đình"))
    assert r.status == 303, alert(r)
    (qid, donor_id, value, day) = one(s, "SELECT id, donor_id, value, acquired_on FROM acquisitions"
                                         " WHERE handover_no = '05/BB-2024'")
    assert (value, day) == (12500000, "2024-03-12")
    assert one(s, "SELECT name FROM donors WHERE id = ?", donor_id) == ("Ông Lò Văn Puốn <b>",)
    assert r.header("location") == f"{LIST}/{qid}?ok=them"
    page = b.get(r.header("location"))
    text = htmllib.unescape(page.text)
    assert "Đã thêm đợt thu nhận." in text and "12.500.000" in text and "12/03/2024" in text
    assert "Ông Lò Văn Puốn <b>" not in page.text and "Ông Lò Văn Puốn &lt;b&gt;" in page.text
    assert one(s, "SELECT user_name, details FROM audit_log WHERE action = 'acquisition_change'"
                  " ORDER BY id DESC LIMIT 1") == ("baotang", "add")
    # A new source typed with the name of one already there: choose it instead.
    (name,) = one(s, "SELECT name FROM donors WHERE id = ?", donor)
    r = b.post(NEW, form(b, donor_name=name.upper()))
    assert r.status == 400 and "Tên nguồn mới: đã có nguồn cùng tên" in alert(r)
    # Preselected source from the source's page.
    assert f'<option value="{donor}" selected>' in b.get(f"{NEW}?nguon={donor}").text


def test_acquisition_detail_objects_and_intake_into_it(s):
    b = browser(s, "baotang")
    r = b.post(NEW, form(b, mode="suu_tam", handover_no="09/TN-2024", note="Sưu tầm ở Mường Phăng"))
    assert r.status == 303
    url = r.header("location").split("?")[0]
    qid = int(url.rsplit("/", 1)[1])
    page = b.get(url)
    assert "Đợt này chưa có hiện vật nào." in htmllib.unescape(page.text)
    assert f'href="{LIST}/{qid}/bien-ban"' in page.text
    # A field left empty says so instead of a label with nothing under it.
    shown = htmllib.unescape(page.text)
    assert "<dd>09/TN-2024</dd>" in shown and "<dd>Sưu tầm ở Mường Phăng</dd>" in shown
    none = '<span class="admin-muted">chưa ghi</span>'
    for label in ("Nguồn hiện vật", "Bên giao (người ký)", "Giá trị (đồng)"):   # left empty
        assert f"<dt>{label}</dt><dd>{none}</dd>" in shown, label
    assert "<dd>Phòng Nghiệp vụ</dd>" in shown and shown.count(none) == 3
    assert f'href="/admin/so-dang-ky/nhap?dot={qid}"' in page.text
    # The intake form with the acquisition chosen: no acquisition fields.
    r = b.get(f"/admin/so-dang-ky/nhap?dot={qid}")
    assert r.status == 200
    assert 'name="acquired_on"' not in r.text and f'name="acquisition_id" value="{qid}"' in r.text
    assert "09/TN-2024" in htmllib.unescape(r.text)
    assert b.get("/admin/so-dang-ky/nhap?dot=999999").status == 404
    assert b.get("/admin/so-dang-ky/nhap?dot=abc").status == 404
    before = count(s)
    r = intake(b, "Bát men ngọc <i>", acquisition_id=str(qid), acquired_on="", mode="")
    assert r.status == 303, alert(r)
    assert r.header("location") == f"{LIST}/{qid}?ok=nhap"
    r = intake(b, "", acquisition_id=str(qid))
    assert r.status == 400 and "Tên hiện vật: bắt buộc" in alert(r)
    assert f'name="acquisition_id" value="{qid}"' in r.text          # still into it
    r = intake(b, "Bình vôi", acquisition_id="999999")
    assert r.status == 400 and "Đợt thu nhận:" in alert(r)
    assert count(s) == before                                         # no new acquisition
    assert one(s, "SELECT count(*) FROM objects WHERE acquisition_id = ?", qid) == (1,)
    page = b.get(f"{url}?ok=nhap")
    text = htmllib.unescape(page.text)
    assert "Đã thêm hiện vật vào đợt này." in text
    assert re.search(r"NT-2024-\d+</td><td><a href=\"/admin/so-dang-ky/\d+\">Bát men ngọc &lt;i&gt;</a></td><td>Nhập tạm", page.text), page.text[-3000:]
    # The card links back to its acquisition.
    (oid,) = one(s, "SELECT id FROM objects WHERE acquisition_id = ?", qid)
    assert f'href="{url}"' in b.get(f"/admin/so-dang-ky/{oid}").text


def fixed_read_only(s, page, qid):
    """The edit form of acquisition qid (registered objects) shows each
    field that holds something read-only, with its stored value and the
    note why; an empty field stays an input, the note a textarea."""
    (mode, day, donor, number, giver, receiver, value) = one(
        s, "SELECT mode, acquired_on, ifnull(donor_id, 0), handover_no, giver, receiver, value"
           " FROM acquisitions WHERE id = ?", qid)
    assert 'id="q-fixed-note"' in page
    assert '<select id="q-mode"' not in page
    assert f'<input type="hidden" name="mode" value="{mode}">' in page
    assert re.search(r'<input id="q-mode" value="[^"]+" readonly aria-describedby="q-fixed-note">', page)
    if donor:
        assert '<select id="q-donor"' not in page
        assert f'<input type="hidden" name="donor_id" value="{donor}">' in page
    else:
        assert '<select id="q-donor" name="donor_id">' in page
    stored = {"acquired_on": f"{day[8:10]}/{day[5:7]}/{day[0:4]}", "handover_no": number,
              "giver": giver, "receiver": receiver, "value": f"{value:,}".replace(",", ".") if value else ""}
    for field, v in stored.items():
        tag = re.search(r'<input id="q-[\w-]+" name="%s"[^>]*>' % field, page).group(0)
        assert f'value="{htmllib.escape(v, quote=True)}"' in tag, (field, v, tag)
        assert (" readonly" in tag) == bool(v), (field, tag)
    assert '<textarea id="q-note" name="note"' in page


def test_acquisition_edit_and_fixed_once_registered(s):
    b = browser(s, "quantri")
    r = b.post(NEW, form(b, mode="hien_tang", handover_no="", giver="Ông Quàng Văn Nhọt"))
    url = r.header("location").split("?")[0]
    qid = int(url.rsplit("/", 1)[1])
    page = b.get(url)
    token = csrf_of(page.text, url)
    f = {"csrf": token, "mode": "mua", "acquired_on": "13/03/2024", "donor_id": "", "handover_no": "",
         "giver": "Ông Quàng Văn Nhọt", "receiver": "Phòng Nghiệp vụ", "value": "", "note": ""}
    r = b.post(url, f)
    assert r.status == 400 and "Giá trị (đồng): bắt buộc" in alert(r)
    assert 'value="Ông Quàng Văn Nhọt"' in r.text
    f["value"] = "3.000.000"
    r = b.post(url, f)
    assert r.status == 303 and r.header("location") == url + "?ok=luu"
    assert one(s, "SELECT mode, value, acquired_on FROM acquisitions WHERE id = ?", qid) == \
        ("mua", 3000000, "2024-03-13")
    assert one(s, "SELECT details FROM audit_log WHERE action = 'acquisition_change'"
                  " ORDER BY id DESC LIMIT 1") == ("edit",)
    # A registered object of it: what it holds is fixed.
    (registered,) = one(s, "SELECT a.id FROM acquisitions a JOIN objects o ON o.acquisition_id = a.id"
                           " WHERE o.reg_number IS NOT NULL ORDER BY a.id LIMIT 1")
    rurl = f"{LIST}/{registered}"
    page = b.get(rurl)
    assert "Đợt này đã có hiện vật được đăng ký" in htmllib.unescape(page.text)
    (mode, day, number, note) = one(s, "SELECT mode, acquired_on, handover_no, note FROM acquisitions"
                                       " WHERE id = ?", registered)
    fixed_read_only(s, page.text, registered)
    values = {m: v for m, v in re.findall(r'name="(\w+)" value="([^"]*)"', page.text)}
    g = {"csrf": csrf_of(page.text, rurl), "mode": mode,
         "acquired_on": f"{day[8:10]}/{day[5:7]}/{day[0:4]}",
         "donor_id": values.get("donor_id", ""),
         "handover_no": htmllib.unescape(values.get("handover_no", "")),
         "giver": htmllib.unescape(values.get("giver", "")),
         "receiver": htmllib.unescape(values.get("receiver", "")), "value": "", "note": note}
    other = "khac" if mode != "khac" else "suu_tam"
    r = b.post(rurl, {**g, "mode": other})
    assert r.status == 400
    assert "Phương thức thu nhận: không sửa được vì đã có hiện vật của đợt này được đăng ký" in alert(r)
    r = b.post(rurl, {**g, "acquired_on": "01/01/2001"})
    assert r.status == 400 and "Ngày thu nhận (dd/mm/yyyy): không sửa được" in alert(r)
    assert one(s, "SELECT mode, acquired_on FROM acquisitions WHERE id = ?", registered) == (mode, day)
    # A refused post shows the stored values in the read-only fields.
    fixed_read_only(s, r.text, registered)
    # The note stays free, and an empty field may be filled in once; then it
    # is fixed and read-only too.
    empty = [f for f in ("handover_no", "giver") if not g[f]]
    assert empty, "the demo's first registered acquisition has no empty field left to fill in"
    r = b.post(rurl, {**g, "note": "Bổ sung: ảnh chụp khi nhận", empty[0]: "Bà Lò Thị <b>Điền</b>"})
    assert r.status == 303, alert(r)
    assert one(s, "SELECT note FROM acquisitions WHERE id = ?", registered) == ("Bổ sung: ảnh chụp khi nhận",)
    page = b.get(rurl)
    fixed_read_only(s, page.text, registered)
    assert f'name="{empty[0]}" value="Bà Lò Thị &lt;b&gt;Điền&lt;/b&gt;"' in page.text
    assert b.get(f"{LIST}/999999").status == 404


def test_acquisition_list_search_filters_sort_pages(s):
    b = browser(s, "hoidong")   # the council reads
    k = browser(s, "baotang")
    r = b.get(LIST)
    assert r.status == 200 and NEW not in r.text
    assert NEW in k.get(LIST).text
    # Folded search over the source's name.
    (name,) = one(s, "SELECT d.name FROM donors d JOIN acquisitions a ON a.donor_id = d.id"
                     " ORDER BY d.id LIMIT 1")
    import unicodedata
    plain = "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn")
    plain = plain.replace("Đ", "D").replace("đ", "d").lower()
    r = b.get(LIST + "?q=" + plain.replace(" ", "+"))
    assert r.status == 200 and name in htmllib.unescape(r.text), plain
    # Year and mode filters: the demo's 2020 holds five acquisitions.
    (n2020,) = one(s, "SELECT count(*) FROM acquisitions WHERE acquired_on LIKE '2020-%'")
    r = b.get(LIST + "?nam=2020")
    rows = re.findall(r'<td><a href="/admin/so-dang-ky/thu-nhan/\d+">(\d\d/\d\d/\d{4})</a>', r.text)
    assert len(rows) == n2020 and all(d.endswith("/2020") for d in rows)
    (nmua,) = one(s, "SELECT count(*) FROM acquisitions WHERE mode = 'mua'")
    r = b.get(LIST + "?phuong-thuc=mua")
    assert len(re.findall(r"<td>Mua</td>", r.text)) == nmua
    assert b.get(LIST + "?phuong-thuc=cuop").status == 400
    assert b.get(LIST + "?nam=20x0").status == 400
    assert b.get(LIST + "?sau=abc").status == 400
    r = b.get(LIST + "?q=" + "a" * 201)
    assert r.status == 400 and "quá dài" in alert(r)
    # 60 more acquisitions in 2023: pages of 50 in every order, each row once.
    for i in range(60):
        r = k.post(NEW, form(k, mode="suu_tam", acquired_on=f"{1 + i % 28:02d}/{1 + i // 28:02d}/2023",
                             handover_no=f"{i:03d}/TN-2023"))
        assert r.status == 303, alert(r)
    for order in ("ngay-moi", "ngay-cu", "so-bien-ban"):
        seen, pages = walk_pages(b, f"{LIST}?nam=2023&sap-xep={order}",
                                 r'<td><a href="/admin/so-dang-ky/thu-nhan/(\d+)">(\d\d)/(\d\d)/2023</a>'
                                 r'</td><td>[^<]*</td><td>([^<]*)</td>')
        assert pages == 2 and len(seen) == 60 and len({x[0] for x in seen}) == 60, order
        keys = [(mm + dd) if order != "so-bien-ban" else no for (_, dd, mm, no) in seen]
        assert keys == sorted(keys, reverse=(order == "ngay-moi")), order
