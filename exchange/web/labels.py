"""Vietnamese labels of the codes shown on pages (translated where they are shown)."""
from exchange.i18n import N_
from exchange.listings.status import STATUS_LABELS

LABELS = {
    **{status.value: label for status, label in STATUS_LABELS.items()},
    "offer": N_("Công nghệ chào bán"),
    "need": N_("Nhu cầu công nghệ"),
    "technology": N_("Công nghệ"),
    "equipment": N_("Thiết bị"),
    "ip": N_("Tài sản trí tuệ"),
    "ocop": N_("Sản phẩm OCOP"),
    "enterprise": N_("Doanh nghiệp"),
    "broker": N_("Môi giới"),
    "staff": N_("Cán bộ Sở"),
    "cooperative": N_("Hợp tác xã"),
    "institute": N_("Viện nghiên cứu"),
    "university": N_("Trường đại học"),
    "individual": N_("Cá nhân"),
    "agency": N_("Cơ quan nhà nước"),
    "immediately": N_("Gửi ngay"),
    "daily": N_("Gộp trong thư hằng ngày"),
    "never": N_("Không gửi e-mail"),
}
