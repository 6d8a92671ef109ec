"""Vietnamese labels of the codes shown on pages."""
LABELS = {
    "offer": "Công nghệ chào bán",
    "need": "Nhu cầu công nghệ",
    "draft": "Bản nháp",
    "submitted": "Chờ duyệt",
    "published": "Đã công bố",
    "rejected": "Bị từ chối",
    "closed": "Đã đóng",
    "expired": "Hết hạn",
    "technology": "Công nghệ",
    "equipment": "Thiết bị",
    "ip": "Tài sản trí tuệ",
    "ocop": "Sản phẩm OCOP",
}
