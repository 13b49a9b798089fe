"""Issue 14, emulation and commendation: /admin/thi-dua (campaigns and the
year's registrations), /admin/khen-thuong (award decisions: list, new, one,
revocation), each unit's and person's history (?don-vi=, ?ca-nhan=) and the
printable certificate /admin/khen-thuong/ID/giay-khen/RECIPIENT. The demo
holds the seed's 2020 decision (the museum as a unit, Phòng Nghiệp vụ as a
collective, 09 individuals, giấy khen of the Department's Director). Every
refusal names the field in Vietnamese and keeps what was typed; duplicates
and rewarding one achievement twice are refused with the reason; a revoked
decision stays visible as revoked; every change is audited; emulation
officers write, planners, curators and the council read, editors, authors
and moderators never reach it; text is escaped everywhere."""
import html as htmllib
import re

from admin_client import accounts_module, csrf_of, role_refusals
from register_users import rows as query

PASSWORDS = {
    "quantri": "Cờ đỏ sao vàng tung bay 1954",
    "thidua": "Thi đua là yêu nước, yêu nước thì thi đua",
    "kehoach": "Kế hoạch công tác năm hai nghìn",
    "baotang": "Cán bộ kho hiện vật Mường Thanh",
    "hoidong": "Hội đồng khoa học họp tháng Năm",
    "bientap": "Biên tập viên chăm chỉ mỗi ngày",
    "tacgia": "Tác giả viết bài về Mường Thanh",
    "kiemduyet": "Kiểm duyệt bình luận cẩn thận",
}
ROLES = {"quantri": "admin", "thidua": "emulation", "kehoach": "planner", "baotang": "curator",
         "hoidong": "council", "bientap": "editor", "tacgia": "author", "kiemduyet": "moderator"}

setup_module, teardown_module, browser = accounts_module(PASSWORDS, ROLES)

LIST = "/admin/khen-thuong"
NEW = LIST + "/them"
EMULATION = "/admin/thi-dua"
XSS = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert("
ISSUER = "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên"


def alert(r):
    return " ".join(htmllib.unescape(m) for m in re.findall(r'role="alert">(.*?)</p>', r.text, re.S))


def demo_decision(s):
    return query(s, "SELECT id FROM award_decisions WHERE number = '1025/QĐ-SVHTTDL'")[0][0]


def person(s, name):
    return query(s, "SELECT id FROM people WHERE name = ?", name)[0][0]


def unit(s, name):
    return query(s, "SELECT id FROM units WHERE name = ?", name)[0][0]


def decision_form(page_html, action, recipients, **fields):
    """The decision form's fields as a list of pairs (recipients repeat)."""
    f = {"csrf": csrf_of(page_html, action), "number": "77/QĐ-BTĐBP", "decided_on": "15/01/2021",
         "issuer": "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
         "signer_title": "Giám đốc Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
         "signer_name": "Nguyễn Minh Tuấn", "year": "2020", "campaign_id": "",
         "form": "giay_khen", "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2020",
         "place": "Điện Biên", "media_id": ""}
    f.update(fields)
    return list(f.items()) + [("recipients", r) for r in recipients]


def post_new(b, recipients, **fields):
    page = b.get(NEW).text
    return b.post(NEW, decision_form(page, NEW, recipients, **fields))


def test_demo_2020_decision_and_certificate(s):
    b = browser(s, "hoidong")
    r = b.get(LIST + "?nam=2020")
    assert r.status == 200
    assert "1025/QĐ-SVHTTDL" in r.text and "28/12/2020" in r.text and "Giấy khen" in r.text
    did = demo_decision(s)
    page = b.get(f"{LIST}/{did}").text
    text = htmllib.unescape(page)
    assert "Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên" in text
    assert "(11)" in text
    assert "Đơn vị: Bảo tàng Chiến thắng lịch sử Điện Biên Phủ" in text
    assert "Tập thể: Phòng Nghiệp vụ" in text
    assert text.count("Cá nhân: ") == 9, text.count("Cá nhân: ")
    assert "Cá nhân: ThS. Nguyễn Minh Tuấn (Bảo tàng Chiến thắng lịch sử Điện Biên Phủ)" in text
    # The council reads: no form, no revocation.
    assert 'name="number"' not in page and "/thu-hoi" not in page
    # One certificate per recipient.
    certs = re.findall(r'href="(/admin/khen-thuong/\d+/giay-khen/\d+)"', page)
    assert len(certs) == 11
    hoa = query(s, "SELECT r.id FROM award_recipients r JOIN people p ON p.id = r.person_id"
                   " WHERE p.name = 'Lò Thị Hoa' AND r.decision_id = ?", did)[0][0]
    r = b.get(f"{LIST}/{did}/giay-khen/{hoa}")
    assert r.status == 200
    cert = htmllib.unescape(r.text)
    assert "XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cert and "CỘNG HO" in cert
    assert "Độc lập - Tự do - Hạnh phúc" in cert
    assert ISSUER in cert and "Số: 1025/QĐ-SVHTTDL" in cert
    assert "Tặng Giấy khen" in cert and "CN. Lò Thị Hoa" in cert
    assert "Cán bộ sưu tầm, Phòng Nghiệp vụ" in cert
    assert "Điện Biên, ngày 28 tháng 12 năm 2020" in cert and "Bùi Minh Hải" in cert
    assert "sưu tầm 135 tài liệu, hiện vật" in cert
    assert "print-landscape.css" in r.text and 'class="print-doc print-landscape"' in r.text
    assert r.header("content-security-policy") and r.header("x-content-type-options") == "nosniff"
    # Another decision's recipient, or none, is not found.
    assert b.get(f"{LIST}/{did}/giay-khen/999999").status == 404
    assert b.get(f"{LIST}/999999/giay-khen/{hoa}").status == 404
    assert b.get(f"{LIST}/999999").status == 404
    # English.
    r = b.get(f"{LIST}/{did}?lang=en")
    assert "Certificate of merit (giấy khen)" in r.text and "Collective: Phòng Nghiệp vụ" in r.text
    b.get(LIST + "?lang=vi")


def test_decision_validation_names_the_field_and_keeps_input(s):
    b = browser(s, "thidua")
    hoa, khanh = person(s, "Đỗ Văn Hùng"), person(s, "Trần Văn Khánh")   # never rewarded
    nv = unit(s, "Phòng Nghiệp vụ")
    (media,) = query(s, "SELECT ifnull(max(id), 0) + 1000 FROM media")[0]
    (campaign_2021,) = query(s, "SELECT id FROM award_campaigns WHERE year = 2021")[0]
    (before,) = query(s, "SELECT count(*) FROM award_decisions")[0]
    ok = [f"p{hoa}"]
    cases = [
        (ok, {"number": " "}, "Số quyết định: bắt buộc"),
        (ok, {"number": "n" * 61}, "Số quyết định: quá dài"),
        (ok, {"decided_on": ""}, "Ngày quyết định: bắt buộc"),
        (ok, {"decided_on": "30/02/2021"}, "Ngày quyết định: ngày không hợp lệ"),
        (ok, {"decided_on": "01/01/2999", "year": "2100"}, "Ngày quyết định: ngày ở tương lai"),
        (ok, {"issuer": ""}, "Cơ quan ban hành: bắt buộc"),
        (ok, {"signer_title": ""}, "Người khen thưởng (chức vụ): bắt buộc"),
        (ok, {"year": ""}, "Năm được khen: bắt buộc"),
        (ok, {"year": "hai nghìn"}, "Năm được khen: không phải là số"),
        (ok, {"year": "1999"}, "Năm được khen: phải là năm từ 2000 đến 2100"),
        (ok, {"year": "2022"}, "Năm được khen: sau năm của ngày quyết định"),
        (ok, {"campaign_id": "999999"}, "Phong trào thi đua: không có"),
        (ok, {"campaign_id": str(campaign_2021)}, "Phong trào thi đua: phong trào thuộc năm khác"),
        (ok, {"form": "huy_chuong"}, "Hình thức khen thưởng: không phải một giá trị được phép"),
        (ok, {"achievement": " "}, "Thành tích: bắt buộc"),
        (ok, {"media_id": str(media)}, "Bản quét quyết định (số tệp trong thư viện): không có"),
        (ok, {"media_id": "tệp"}, "Bản quét quyết định (số tệp trong thư viện): không có"),
        ([], {}, "Đơn vị, tập thể, cá nhân được khen: bắt buộc"),
        ([f"p{hoa}", "p999999"], {},
         "Đơn vị, tập thể, cá nhân được khen: mục thứ 2 – không có trong danh sách đơn vị, nhân sự"),
        ([f"p{hoa}", "x1"], {}, "Đơn vị, tập thể, cá nhân được khen: mục thứ 2 – không có"),
        ([f"u{nv}", f"p{khanh}"], {"form": "lao_dong_tien_tien"},
         "Đơn vị, tập thể, cá nhân được khen: Phòng Nghiệp vụ – hình thức này chỉ tặng cá nhân"),
        ([f"p{khanh}"], {"form": "tap_the_lao_dong_xuat_sac"},
         "Đơn vị, tập thể, cá nhân được khen: Trần Văn Khánh – hình thức này chỉ tặng đơn vị, tập thể"),
        ([f"p{hoa}", f"p{hoa}"], {}, "được chọn hai lần"),
    ]
    for recipients, fields, message in cases:
        r = post_new(b, recipients, **fields)
        assert r.status == 400, (fields, recipients, r.status)
        assert message in alert(r), (fields, recipients, alert(r))
        # What was typed stays, the ticked recipients too.
        for k, v in fields.items():
            if v.strip() and k not in ("form", "campaign_id"):
                assert 'value="%s"' % htmllib.escape(v) in r.text, (k, v)
        assert "Hoàn thành xuất sắc nhiệm vụ năm 2020" in r.text or "achievement" in fields
        for who in recipients:
            if re.fullmatch(r"[up]\d+", who) and who != "p999999":
                assert f'value="{who}" checked' in r.text, who
    assert query(s, "SELECT count(*) FROM award_decisions")[0][0] == before


def test_duplicate_number_and_rewarding_twice(s):
    b = browser(s, "thidua")
    hoa, lan = person(s, "Lò Thị Hoa"), person(s, "Phạm Thị Lan")
    mai = person(s, "Bùi Thanh Hà")
    # The demo's number again, same body and year: refused naming the field.
    r = post_new(b, [f"p{mai}"], number="1025/QĐ-SVHTTDL", issuer=ISSUER, decided_on="02/03/2020")
    assert r.status == 400, (r.status, r.header("location"), query(s, "SELECT id, number, issuer, decided_on FROM award_decisions"))
    assert ("Số quyết định: cơ quan ban hành này đã có quyết định cùng số trong năm" in alert(r)), alert(r)
    # Lò Thị Hoa already has the 2020 giấy khen of the demo's decision.
    r = post_new(b, [f"p{mai}", f"p{hoa}"], number="5/QĐ-SVHTTDL", issuer=ISSUER,
                 decided_on="05/01/2021")
    assert r.status == 400, (r.status, alert(r))
    msg = alert(r)
    assert ("Đơn vị, tập thể, cá nhân được khen: Lò Thị Hoa – đã được khen cùng hình thức cho cùng kỳ"
            in msg and "Quyết định số 1025/QĐ-SVHTTDL" in msg), msg
    # Another form is another achievement; the museum's own numbering
    # starts again each year and per body.
    r = post_new(b, [f"p{hoa}", f"p{lan}"], number="1025/QĐ-SVHTTDL", form="bang_khen",
                 decided_on="05/01/2021")
    assert r.status == 303, alert(r)
    new_id = int(re.search(r"/(\d+)\?ok=them$", r.header("location")).group(1))
    page = b.get(r.header("location")).text
    assert "Đã ghi quyết định khen thưởng." in page and "Bằng khen" in page
    (target, details, user) = query(s, "SELECT target, details, user_name FROM audit_log WHERE"
                                       " action = 'award_change' ORDER BY id DESC LIMIT 1")[0]
    assert target == f"{new_id} 1025/QĐ-SVHTTDL" and "add decision" in details and user == "thidua"
    assert "2 recipients" in details
    # Editing keeps the rules (and does not collide with itself).
    r = b.post(f"{LIST}/{new_id}", decision_form(page, f"{LIST}/{new_id}", [f"p{hoa}"],
                                                 number="1025/QĐ-SVHTTDL", form="bang_khen",
                                                 decided_on="05/01/2021",
                                                 achievement="Sửa: sưu tầm hiện vật"))
    assert r.status == 303, alert(r)
    assert query(s, "SELECT count(*) FROM award_recipients WHERE decision_id = ?", new_id)[0][0] == 1
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'award_change' AND details"
                    " LIKE 'edit decision%' AND target = ?", f"{new_id} 1025/QĐ-SVHTTDL")[0][0] == 1
    r = b.post(f"{LIST}/{new_id}", decision_form(page, f"{LIST}/{new_id}", [f"p{hoa}"],
                                                 number="1025/QĐ-SVHTTDL", form="giay_khen",
                                                 decided_on="05/01/2021"))
    assert r.status == 400 and "đã được khen cùng hình thức cho cùng kỳ" in alert(r), alert(r)
    assert b.post(f"{LIST}/999999", decision_form(page, f"{LIST}/{new_id}", [f"p{hoa}"])).status == 404


def test_revocation_keeps_the_decision_visible(s):
    b = browser(s, "thidua")
    ha = person(s, "Bùi Thanh Hà")
    r = post_new(b, [f"p{ha}"], number="9/QĐ-BTĐBP", form="lao_dong_tien_tien")
    assert r.status == 303, alert(r)
    did = int(re.search(r"/(\d+)\?ok=them$", r.header("location")).group(1))
    url = f"{LIST}/{did}/thu-hoi"
    page = b.get(f"{LIST}/{did}").text
    cases = [({"revoked_on": "", "revoked_reason": "Kê khai sai"}, "Ngày thu hồi: bắt buộc"),
             ({"revoked_on": "31/04/2021", "revoked_reason": "Kê khai sai"},
              "Ngày thu hồi: ngày không hợp lệ"),
             ({"revoked_on": "01/01/2021", "revoked_reason": "Kê khai sai"},
              "Ngày thu hồi: trước ngày của quyết định"),
             ({"revoked_on": "01/01/2999", "revoked_reason": "Kê khai sai"},
              "Ngày thu hồi: ngày ở tương lai"),
             ({"revoked_on": "01/02/2021", "revoked_reason": " "}, "Lý do thu hồi: bắt buộc")]
    for fields, message in cases:
        r = b.post(url, dict(csrf=csrf_of(page, url), **fields))
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        if fields["revoked_reason"].strip():
            assert fields["revoked_reason"] in r.text
    assert query(s, "SELECT revoked_on FROM award_decisions WHERE id = ?", did)[0][0] is None
    reason = "Thành tích kê khai không trung thực " + XSS
    revoke_token, edit_token = csrf_of(page, url), csrf_of(page, f"{LIST}/{did}")
    r = b.post(url, {"csrf": revoke_token, "revoked_on": "01/02/2021", "revoked_reason": reason})
    assert r.status == 303, alert(r)
    page = b.get(f"{LIST}/{did}").text
    assert "Đã thu hồi ngày 01/02/2021" in htmllib.unescape(page)
    assert XSS not in page and ESCAPED in page
    assert 'name="number"' not in page and url not in page   # no more forms
    listing = b.get(LIST + "?nam=2020").text
    assert re.search(r'<tr class="award-revoked">.*?9/QĐ-BTĐBP', listing)
    history = b.get(f"{LIST}?ca-nhan={ha}").text
    assert "9/QĐ-BTĐBP" in history and "Đã thu hồi ngày 01/02/2021" in history
    (rid,) = query(s, "SELECT id FROM award_recipients WHERE decision_id = ?", did)[0]
    cert = b.get(f"{LIST}/{did}/giay-khen/{rid}").text
    assert "Đã thu hồi ngày 01/02/2021" in cert
    # Revoked: neither revoked again nor edited.
    r = b.post(url, {"csrf": revoke_token, "revoked_on": "02/02/2021", "revoked_reason": "Lần nữa"})
    assert r.status == 400 and "quyết định đã bị thu hồi" in alert(r), alert(r)
    form = [(k, v) for k, v in decision_form(b.get(NEW).text, NEW, [f"p{ha}"], number="9/QĐ-BTĐBP")
            if k != "csrf"] + [("csrf", edit_token)]
    r = b.post(f"{LIST}/{did}", form)
    assert r.status == 400 and "quyết định đã bị thu hồi" in alert(r), alert(r)
    assert query(s, "SELECT revoked_on, revoked_reason FROM award_decisions WHERE id = ?",
                 did)[0] == ("2021-02-01", reason)
    (details,) = query(s, "SELECT details FROM audit_log WHERE action = 'award_change' AND"
                          " target = ? ORDER BY id DESC LIMIT 1", str(did))[0]
    assert details.startswith("revoke decision on 2021-02-01")
    # The achievement can be rewarded again once the decision is revoked.
    r = post_new(b, [f"p{ha}"], number="10/QĐ-BTĐBP", form="lao_dong_tien_tien")
    assert r.status == 303, alert(r)


def test_history_pages(s):
    b = browser(s, "baotang")
    nv = unit(s, "Phòng Nghiệp vụ")
    r = b.get(f"{LIST}?don-vi={nv}")
    assert r.status == 200
    assert "Lịch sử khen thưởng" in r.text and "1025/QĐ-SVHTTDL" in r.text
    assert "Tập thể: Phòng Nghiệp vụ" in r.text
    son = person(s, "Đỗ Văn Hùng")   # in no decision
    r = b.get(f"{LIST}?ca-nhan={son}")
    assert r.status == 200 and "Chưa được khen thưởng lần nào." in r.text
    assert b.get(f"{LIST}?ca-nhan=999999").status == 404
    assert b.get(f"{LIST}?don-vi=abc").status == 400
    assert b.get(f"{LIST}?nam=hai").status == 400


def test_campaigns_and_registrations(s):
    b = browser(s, "thidua")
    page = b.get(EMULATION + "?nam=2021").text
    assert "Thi đua lập thành tích chào mừng 67 năm Chiến thắng Điện Biên Phủ" in page
    assert "Tập thể lao động xuất sắc" in page and "Chưa có quyết định" in page
    url = EMULATION + "/phong-trao"
    cases = [({"year": "", "name": "Thi đua"}, "Năm được khen: bắt buộc"),
             ({"year": "2021", "name": " "}, "Tên phong trào: bắt buộc"),
             ({"year": "2021", "name": "Thi đua", "starts_on": "40/01/2021"},
              "Ngày bắt đầu: ngày không hợp lệ"),
             ({"year": "2021", "name": "Thi đua", "starts_on": "01/05/2021",
               "ends_on": "01/04/2021"}, "Ngày kết thúc: trước ngày bắt đầu"),
             ({"year": "2021",
               "name": "Thi đua lập thành tích chào mừng 67 năm Chiến thắng Điện Biên Phủ"},
              "Tên phong trào: năm này đã có phong trào cùng tên")]
    (before,) = query(s, "SELECT count(*) FROM award_campaigns")[0]
    for fields, message in cases:
        f = {"csrf": csrf_of(page, url), "content": "Nội dung " + XSS, "starts_on": "",
             "ends_on": ""}
        f.update(fields)
        r = b.post(url, f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        assert "Nội dung &lt;script&gt;" in r.text
    assert query(s, "SELECT count(*) FROM award_campaigns")[0][0] == before
    r = b.post(url, {"csrf": csrf_of(page, url), "year": "2022", "name": "Thi đua " + XSS,
                     "content": "", "starts_on": "02/01/2022", "ends_on": "15/12/2022"})
    assert r.status == 303 and r.header("location") == EMULATION + "?nam=2022&ok=phong-trao"
    page = b.get(EMULATION + "?nam=2022").text
    assert "Thi đua &lt;script&gt;" in page and XSS not in page and "15/12/2022" in page
    url = EMULATION + "/dang-ky"
    nv, hoa = unit(s, "Phòng Nghiệp vụ"), person(s, "Lò Thị Hoa")
    cases = [({"recipient": ""}, "Đơn vị, cá nhân đăng ký: bắt buộc"),
             ({"recipient": "p999999"}, "Đơn vị, cá nhân đăng ký: không có"),
             ({"recipient": f"u{nv}", "form": "lao_dong_tien_tien"},
              "Hình thức khen thưởng: hình thức này chỉ tặng cá nhân"),
             ({"recipient": f"p{hoa}", "form": "co_thi_dua"},
              "Hình thức khen thưởng: hình thức này chỉ tặng đơn vị, tập thể"),
             ({"recipient": f"p{hoa}", "form": "lao_dong_tien_tien", "year": "2021"},
              "Hình thức khen thưởng: đơn vị, cá nhân này đã đăng ký danh hiệu này trong năm"),
             ({"year": "2022", "campaign_id": str(query(s, "SELECT id FROM award_campaigns"
                                                           " WHERE year = 2021")[0][0])},
              "Phong trào thi đua: phong trào thuộc năm khác"),
             ({"year": "x"}, "Năm được khen: không phải là số")]
    for fields, message in cases:
        f = {"csrf": csrf_of(page, url), "year": "2022", "recipient": f"p{hoa}",
             "form": "chien_si_thi_dua_co_so", "campaign_id": "", "note": "Ghi chú " + XSS}
        f.update(fields)
        r = b.post(url, f)
        assert r.status == 400 and message in alert(r), (fields, alert(r))
        assert "Ghi chú &lt;script&gt;" in r.text and XSS not in r.text
    r = b.post(url, {"csrf": csrf_of(page, url), "year": "2022", "recipient": f"p{hoa}",
                     "form": "chien_si_thi_dua_co_so", "campaign_id": "", "note": XSS})
    assert r.status == 303
    page = b.get(EMULATION + "?nam=2022").text
    assert "Chiến sĩ thi đua cơ sở" in page and ESCAPED in page and XSS not in page
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'award_change' AND details"
                    " LIKE 'add registration: year 2022%'")[0][0] == 1
    assert query(s, "SELECT count(*) FROM audit_log WHERE action = 'award_change' AND details"
                    " LIKE 'add campaign: year 2022%'")[0][0] == 1
    assert b.get(EMULATION + "?nam=abc").status == 400


def test_xss_in_every_field_is_escaped(s):
    b = browser(s, "quantri")
    page = b.get(NEW).text
    # A unit and a person whose names carry markup, rewarded.
    (museum,) = query(s, "SELECT id FROM units WHERE parent_id IS NULL")[0]
    query(s, "INSERT INTO units (kind, name, parent_id, position) VALUES ('phong', ?, ?, 99)",
          "Phòng " + XSS, museum)
    xu = unit(s, "Phòng " + XSS)
    query(s, "INSERT INTO people (name, title, position, unit_id) VALUES (?, ?, ?, ?)",
          "Người " + XSS, "T" + XSS, "Chức " + XSS, xu)
    xp = person(s, "Người " + XSS)
    fields = {k: k + " " + XSS for k in ("number", "issuer", "signer_title", "signer_name",
                                          "achievement", "place")}
    fields["number"] = "N" + XSS
    r = b.post(NEW, decision_form(page, NEW, [f"u{xu}", f"p{xp}"], **fields))
    assert r.status == 303, alert(r)
    did = int(re.search(r"/(\d+)\?ok=them$", r.header("location")).group(1))
    rids = [r_ for (r_,) in query(s, "SELECT id FROM award_recipients WHERE decision_id = ?"
                                     " ORDER BY position", did)]
    urls = [LIST, LIST + "?nam=2020", f"{LIST}/{did}", f"{LIST}?don-vi={xu}",
            f"{LIST}?ca-nhan={xp}", EMULATION + "?nam=2020", NEW] + \
           [f"{LIST}/{did}/giay-khen/{rid}" for rid in rids]
    for url in urls:
        r = b.get(url)
        assert r.status == 200, url
        assert XSS not in r.text and "<script>alert" not in r.text, url
        assert ESCAPED in r.text, url
    cert = b.get(f"{LIST}/{did}/giay-khen/{rids[1]}").text
    for k in ("issuer", "signer_title", "signer_name", "achievement", "place"):
        assert htmllib.escape(k + " " + XSS) in cert, k
    assert htmllib.escape("Người " + XSS) in cert and htmllib.escape("Chức " + XSS) in cert
    # A bad post keeps the markup escaped in the form.
    r = b.post(NEW, decision_form(page, NEW, [f"p{xp}"], year="", **{k: v for k, v in
                                                                     fields.items()}))
    assert r.status == 400 and XSS not in r.text and ESCAPED in r.text


def test_roles_on_every_url(s):
    did = demo_decision(s)
    (rid,) = query(s, "SELECT min(id) FROM award_recipients WHERE decision_id = ?", did)[0]
    readers = {"quantri", "thidua", "kehoach", "baotang", "hoidong"}
    writers = {"quantri", "thidua"}
    urls = [("GET", LIST, readers), ("GET", f"{LIST}/{did}", readers),
            ("GET", f"{LIST}/{did}/giay-khen/{rid}", readers), ("GET", EMULATION, readers),
            ("GET", NEW, writers), ("POST", NEW, writers), ("POST", f"{LIST}/{did}", writers),
            ("POST", f"{LIST}/{did}/thu-hoi", writers),
            ("POST", EMULATION + "/phong-trao", writers),
            ("POST", EMULATION + "/dang-ky", writers)]
    bad = role_refusals(s, browser, PASSWORDS, urls)
    assert bad == [], bad
    # The menu offers emulation and awards to those who read them.
    for name in PASSWORDS:
        home = browser(s, name).get("/admin").text
        assert ('href="/admin/khen-thuong"' in home) == (name in readers), name
        assert ('href="/admin/thi-dua"' in home) == (name in readers), name
    # Readers get no forms.
    for name in readers - writers:
        b = browser(s, name)
        assert "/them" not in b.get(LIST).text
        assert "/phong-trao" not in b.get(EMULATION).text
    # The account page offers the new role.
    assert 'value="emulation"' in browser(s, "quantri").get("/admin/tai-khoan").text
