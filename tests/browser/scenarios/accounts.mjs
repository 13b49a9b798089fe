// The accounts run.mjs creates (`sen user add`) before the server starts.
// Scenarios that change an account (its password, its role) have one of their own.
export const ACCOUNTS = {
  quantri: { role: 'admin', display: 'Quản Trị', password: 'Cờ đỏ sao vàng tung bay 1954' },
  doimatkhau: { role: 'editor', display: 'Đổi Mật Khẩu', password: 'Mật khẩu cũ sẽ được thay thế' },
  bientap: { role: 'editor', display: 'Biên Tập', password: 'Biên tập viên chăm chỉ mỗi ngày' },
  tacgia: { role: 'author', display: 'Tác Giả', password: 'Tác giả viết bài về Mường Thanh' },
  tacgiahai: { role: 'author', display: 'Tác Giả Hai', password: 'Một tác giả khác ở Điện Biên' },
  kiemduyet: { role: 'moderator', display: 'Kiểm Duyệt', password: 'Kiểm duyệt bình luận cẩn thận' },
  baotang: { role: 'curator', display: 'Cán Bộ Kho', password: 'Cán bộ kho hiện vật Mường Thanh' },
  hoidong: { role: 'council', display: 'Hội Đồng', password: 'Hội đồng khoa học họp tháng Năm' },
  thidua: { role: 'emulation', display: 'Thi Đua', password: 'Thi đua là yêu nước, yêu nước thì thi đua' },
};
