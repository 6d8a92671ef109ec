"""The listing form: every key of the listing record, validated by the record (never by the form).

The form only carries what the poster typed to `validated_attrs`; its field names are the
record's keys, so the service's field errors land on the right inputs.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice

from exchange.listings.money import format_vnd
from exchange.models import (
    AttachmentVisibility,
    IpStatus,
    ListingKind,
    ProductType,
    TransferMode,
)
from exchange.web.forms.accounts import ChoiceField

TRL_LEVELS = {
    1: _l("1 — Nguyên lý cơ bản đã được quan sát"),
    2: _l("2 — Đã hình thành ý tưởng công nghệ"),
    3: _l("3 — Đã chứng minh ý tưởng bằng thí nghiệm"),
    4: _l("4 — Đã kiểm chứng trong phòng thí nghiệm"),
    5: _l("5 — Đã kiểm chứng trong môi trường gần thực tế"),
    6: _l("6 — Đã trình diễn mẫu trong môi trường gần thực tế"),
    7: _l("7 — Đã trình diễn mẫu trong môi trường thực tế"),
    8: _l("8 — Hệ thống hoàn chỉnh, đã thử nghiệm đạt yêu cầu"),
    9: _l("9 — Đã ứng dụng thành công trong sản xuất"),
}
PRODUCT_TYPES = {ProductType.technology: _l("Công nghệ"), ProductType.equipment: _l("Thiết bị"),
                 ProductType.ip: _l("Tài sản trí tuệ"), ProductType.ocop: _l("Sản phẩm OCOP")}
IP_STATUSES = {IpStatus.none: _l("Chưa có bảo hộ"), IpStatus.know_how: _l("Bí quyết kỹ thuật (không đăng ký)"),
               IpStatus.pending: _l("Đang nộp đơn đăng ký"), IpStatus.granted: _l("Đã được cấp văn bằng bảo hộ")}
# Law 07/2017/QH14 Art. 5: the forms of technology transfer (the codes are DESIGN.md's; "license" is the
# transfer of the right to use, Art. 6; a transfer inside an investment project counts as "other").
TRANSFER_MODES = {
    TransferMode.license: _l("Chuyển giao quyền sử dụng công nghệ"),
    TransferMode.transfer_contract: _l("Chuyển giao công nghệ độc lập"),
    TransferMode.capital_contribution: _l("Góp vốn bằng công nghệ"),
    TransferMode.franchise: _l("Nhượng quyền thương mại có chuyển giao công nghệ"),
    TransferMode.ip_assignment: _l("Chuyển giao quyền sở hữu trí tuệ có chuyển giao công nghệ"),
    TransferMode.equipment_with_technology: _l("Mua bán máy móc, thiết bị kèm chuyển giao công nghệ"),
    TransferMode.other: _l("Hình thức khác (kể cả trong dự án đầu tư) theo quy định của pháp luật"),
}
VISIBILITIES = {AttachmentVisibility.public: _l("Công khai cho người xem tin"),
                AttachmentVisibility.after_contact: _l("Chỉ sau khi chủ tin đồng ý liên hệ")}
RECORD_LABELS = {
    "kind": _l("Loại tin"), "title": _l("Tiêu đề"), "summary": _l("Tóm tắt"), "description": _l("Mô tả"),
    "field": _l("Lĩnh vực"), "keywords": _l("Từ khóa"), "product_type": _l("Loại sản phẩm"),
    "trl": _l("Mức sẵn sàng công nghệ (TRL)"), "ip_status": _l("Tình trạng sở hữu trí tuệ"),
    "transfer_modes": _l("Hình thức chuyển giao"), "price_min_vnd": _l("Giá / ngân sách từ"),
    "price_max_vnd": _l("Giá / ngân sách đến"), "origin": _l("Xuất xứ"), "specifications": _l("Thông số kỹ thuật"),
    "advantages": _l("Ưu điểm"), "district": _l("Địa phương"), "contact_name": _l("Người liên hệ"),
    "contact_phone": _l("Điện thoại"), "contact_email": _l("E-mail liên hệ"),
    "confidential_details": _l("Thông tin bảo mật"), "nda_text": _l("Cam kết bảo mật (NDA)"),
}
MONEY_HELP = _l("Đơn vị đồng; gõ 1.250.000.000 hoặc 1,25 tỷ hoặc 800 triệu.")


def _choices(mapping: dict[Any, Any], blank: Any = None) -> list[SelectChoice]:
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(getattr(k, "value", str(k)), v) for k, v in mapping.items()]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:
        """The record checks the values (one validation for every door)."""


class ListingForm(FlaskForm):
    kind = ChoiceField(_l("Loại tin"), choices=_choices({ListingKind.offer: _l("Công nghệ chào bán"),
                                                        ListingKind.need: _l("Nhu cầu công nghệ (tìm mua)")}),
                       validate_choice=False)
    title = StringField(_l("Tiêu đề"), description=_l("Ngắn gọn, nói rõ công nghệ hoặc vấn đề (tối đa 300 ký tự)."),
                        render_kw={"maxlength": 300, "required": True})
    summary = TextAreaField(_l("Tóm tắt"),
                            description=_l("Một hai câu hiện trong kết quả tìm kiếm (tối đa 1.000 ký tự)."),
                            render_kw={"rows": 2, "maxlength": 1000})
    description = TextAreaField(_l("Mô tả"), description=_l("Công nghệ làm được gì, hoặc bạn cần giải quyết việc gì; "
                                                            "viết bằng lời thường cũng được."),
                                render_kw={"rows": 8, "required": True})
    field = ChoiceField(_l("Lĩnh vực"), validate_choice=False)
    keywords = StringField(_l("Từ khóa"), description=_l("Cách nhau bởi dấu chấm phẩy hoặc dấu phẩy, "
                                                         "ví dụ: sấy lạnh; bơm nhiệt; nông sản."))
    product_type = ChoiceField(_l("Loại sản phẩm"), choices=_choices(PRODUCT_TYPES, _l("— Chọn —")),
                               validate_choice=False)
    trl = ChoiceField(_l("Mức sẵn sàng công nghệ (TRL)"), choices=_choices(TRL_LEVELS, _l("— Chưa rõ —")),
                      validate_choice=False,
                      description=_l("Từ 1 (mới là ý tưởng) đến 9 (đã dùng trong sản xuất)."))
    ip_status = ChoiceField(_l("Tình trạng sở hữu trí tuệ"), choices=_choices(IP_STATUSES, _l("— Chọn —")),
                            validate_choice=False)
    transfer_modes = CheckboxesField(_l("Hình thức chuyển giao (Điều 5 Luật Chuyển giao công nghệ 2017)"),
                                     choices=_choices(TRANSFER_MODES))
    price_min_vnd = StringField(_l("Giá / ngân sách từ"), description=MONEY_HELP, render_kw={"inputmode": "decimal"})
    price_max_vnd = StringField(_l("Giá / ngân sách đến"), description=MONEY_HELP, render_kw={"inputmode": "decimal"})
    origin = StringField(_l("Xuất xứ"), description=_l("Nơi tạo ra công nghệ: đề tài, viện, doanh nghiệp, nhập khẩu…"))
    specifications = TextAreaField(_l("Thông số kỹ thuật"), render_kw={"rows": 3})
    advantages = TextAreaField(_l("Ưu điểm"), render_kw={"rows": 3})
    district = StringField(_l("Địa phương"), description=_l("Huyện, thị xã hoặc thành phố (trước 2025), "
                                                            "ví dụ: Thăng Bình, Hội An; gõ không dấu cũng được."),
                           render_kw={"list": "localities", "autocomplete": "off"})
    contact_name = StringField(_l("Người liên hệ"), render_kw={"maxlength": 200, "autocomplete": "name"})
    contact_phone = StringField(_l("Điện thoại"), render_kw={"maxlength": 50, "autocomplete": "tel",
                                                             "inputmode": "tel"})
    contact_email = StringField(_l("E-mail liên hệ"), render_kw={"maxlength": 254, "autocomplete": "email"})
    confidential_details = TextAreaField(
        _l("Thông tin bảo mật"), render_kw={"rows": 4},
        description=_l("Chỉ bên được bạn đồng ý liên hệ và đã chấp nhận cam kết bảo mật (NDA) mới xem được; "
                       "không đưa vào tìm kiếm, gợi ý hay báo cáo."))
    nda_text = TextAreaField(_l("Cam kết bảo mật (NDA)"), render_kw={"rows": 4},
                             description=_l("Để trống để dùng mẫu cam kết mặc định của Sàn."))

    def set_fields(self, fields: list[tuple[str, str]]) -> None:
        """The field options, from the database."""
        self.field.choices = [SelectChoice("", _l("— Chọn —"))] + [SelectChoice(code, name) for code, name in fields]

    def record(self) -> dict[str, Any]:
        """What the poster typed, as record keys (blank = not given)."""
        data: dict[str, Any] = {}
        for name in ("kind", "title", "summary", "description", "field", "product_type", "trl", "ip_status",
                     "price_min_vnd", "price_max_vnd", "origin", "specifications", "advantages", "district",
                     "contact_name", "contact_phone", "contact_email", "confidential_details", "nda_text"):
            value = getattr(self, name).data
            data[name] = value if value not in ("", None) else None
        data["keywords"] = (self.keywords.data or "").replace(",", ";")
        data["transfer_modes"] = list(self.transfer_modes.data or [])
        return data

    def fill(self, values: dict[str, Any]) -> None:
        """Show a record in the form (editing): money as the pages write it."""
        for name, value in values.items():
            target = getattr(self, name, None)
            if target is None:
                continue
            if name in ("price_min_vnd", "price_max_vnd"):
                value = format_vnd(value)
            elif name == "keywords":
                value = "; ".join(value or [])
            elif name == "trl":
                value = "" if value is None else str(value)
            target.data = value if value is not None else ("" if name != "transfer_modes" else [])


class AttachmentForm(FlaskForm):
    file = FileField(_l("Tệp đính kèm"),
                     description=_l("PDF, ảnh JPEG/PNG/WebP, DOCX hoặc XLSX; tối đa 10 tệp mỗi tin."))
    visibility = ChoiceField(_l("Ai được tải"), choices=_choices(VISIBILITIES, _l("— Theo mặc định của tin —")))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Lý do (gửi cho người đăng)"), render_kw={"rows": 3, "maxlength": 2000})
