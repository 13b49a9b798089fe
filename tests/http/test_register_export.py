"""Issue 12, the back office's export of a large register, never held in the
server's memory (before, the whole CSV or XLSX was built in the response body
first: a register of 100,000 objects is a 46 MB CSV): the CSV is made a page
of rows at a time as the client reads it (chunked), the XLSX is written to a
temporary file and sent from the disk.
Here 3,000 objects with long descriptions make a CSV of about 50 MB; the
server's resident memory, sampled while it answers, grows by far less than
that, every row comes out, and the temporary file is gone afterwards."""
import glob
import io
import os
import threading
import time
import zipfile

from admin_client import TRUSTED_PROXY, signed_in, start_with_users
from harness import vm_rss_kb
from register_users import PASSWORDS, ROLES, one

ROWS = 3000
HEADER = "Tên hiện vật;Chất liệu;Phương thức thu nhận;Ngày thu nhận;Người/đơn vị giao;Cao (cm);Mô tả"
# About 17 KB of Vietnamese per description (the card allows 20,000 bytes).
LONG = "Mũ cối của chiến sĩ Đại đoàn 308, dùng trong Chiến dịch Điện Biên Phủ năm 1954, " * 160


def setup_module(sen):
    """The register's demo server; under AddressSanitizer, with its quarantine
    of freed memory off: memory freed while the rows go out would otherwise
    stay resident (up to 256 MB) and be counted as kept."""
    asan = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "quarantine_size_mb=0",
                                  "thread_local_quarantine_size_kb=0"]))
    s = start_with_users(sen, PASSWORDS, ROLES, display=False, demo=True, args=TRUSTED_PROXY,
                         env={"ASAN_OPTIONS": asan})
    s.browsers = {}
    return s


def teardown_module(s):
    s.close()


def browser(s, name):
    return signed_in(s, name, PASSWORDS[name])


def generate(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i in range(ROWS):
            f.write(f"Hiện vật xuất lớn số {i:05d};KL;hiến tặng;07/05/2020;Bà Lò Thị Xuân;14,5;"
                    f"Số {i:05d}. {LONG}\n")


class Peak(threading.Thread):
    """Samples the resident memory of pid every 5 ms until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, vm_rss_kb(self.pid))
            time.sleep(0.005)


def exported(s, b, fmt):
    """(the reply, the server's resident memory before, its peak during)."""
    pid = s.proc.pid
    before = vm_rss_kb(pid)
    sampler = Peak(pid)
    sampler.start()
    r = b.get(f"/admin/so-dang-ky/xuat?dinh-dang={fmt}&q=xuat+lon", timeout=600)
    sampler.done.set()
    sampler.join()
    return r, before, max(sampler.peak, before)


def temporary_exports():
    return glob.glob("/tmp/sen-export-*")


def test_large_export_is_streamed(s):
    path = os.path.join(s.data, "lon.csv")
    generate(path)
    r = s.run("objects", "import", path, "--data", s.data)
    assert r.returncode == 0, r.stderr[-2000:]
    (n,) = one(s, "SELECT count(*) FROM objects WHERE name LIKE 'Hiện vật xuất lớn số %'")
    assert n == ROWS
    b = browser(s, "baotang")
    left_before = set(temporary_exports())
    r, before, peak = exported(s, b, "csv")
    assert r.status == 200 and r.header("content-type").startswith("text/csv")
    # Sent while it is made: no length known ahead, chunked.
    assert r.header("transfer-encoding") == "chunked" and r.header("content-length") is None
    size = len(r.body)
    assert size > 45_000_000, size
    lines = r.body.decode("utf-8-sig").split("\r\n")
    rows = [l for l in lines[1:] if l]
    assert len(rows) == ROWS, len(rows)
    # Newest first, every one once, each with its whole description.
    numbers = [int(l.split("Hiện vật xuất lớn số ", 1)[1][:5]) for l in rows]
    assert numbers == list(range(ROWS - 1, -1, -1))
    assert all(l.count("Đại đoàn 308") == 160 for l in rows[:50])
    # The body (about 50 MB) never sat in the server's memory.
    grew = (peak - before) * 1024
    assert grew < size // 3, f"server grew by {grew} bytes for a {size}-byte export"

    r, before, peak = exported(s, b, "xlsx")
    assert r.status == 200 and "spreadsheetml" in r.header("content-type")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("Hiện vật xuất lớn số ") == ROWS
    assert "Hiện vật xuất lớn số 00000" in sheet and "Hiện vật xuất lớn số 02999" in sheet
    unpacked = z.getinfo("xl/worksheets/sheet1.xml").file_size
    assert unpacked > 45_000_000, unpacked
    grew = (peak - before) * 1024
    assert grew < unpacked // 3, f"server grew by {grew} bytes for a {unpacked}-byte sheet"
    # No temporary file is left behind once the answers are sent.
    deadline = time.time() + 5
    while set(temporary_exports()) - left_before and time.time() < deadline:
        time.sleep(0.1)
    assert not set(temporary_exports()) - left_before
