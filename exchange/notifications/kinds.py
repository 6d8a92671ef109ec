"""The text of each notification kind (Vietnamese source, %(name)s parameters) and the system mails.

The text is rendered when it is shown, in the reader's language, from the kind and the
parameters kept on the row; so a notification written today reads right in English tomorrow.
"""
from __future__ import annotations

from typing import Any, Mapping

from exchange.i18n import N_, Gettext
from exchange.models import NotificationKind

K = NotificationKind
TEXTS: dict[NotificationKind, str] = {
    K.listing_submitted: N_("Tin “%(title)s” đã được gửi và đang chờ cán bộ Sở duyệt."),
    K.listing_approved: N_("Tin “%(title)s” đã được duyệt và công bố."),
    K.listing_rejected: N_("Tin “%(title)s” chưa được duyệt: %(reason)s"),
    K.listing_expiring: N_("Tin “%(title)s” sẽ hết hạn ngày %(date)s; hãy gia hạn nếu còn nhu cầu."),
    K.listing_expired: N_("Tin “%(title)s” đã hết hạn và không còn hiển thị."),
    K.revision_decided: N_("Bản sửa của tin “%(title)s”: %(decision)s"),
    K.new_suggestion: N_("Có %(count)s gợi ý mới cho tin “%(title)s”."),
    K.match_confirmed: N_("Môi giới đã xác nhận cặp “%(need)s” – “%(offer)s”."),
    K.contact_requested: N_("%(organization)s muốn liên hệ về tin “%(title)s”."),
    K.contact_accepted: N_("%(organization)s đã đồng ý liên hệ về tin “%(title)s”."),
    K.contact_declined: N_("%(organization)s đã từ chối liên hệ về tin “%(title)s”."),
    K.message: N_("Tin nhắn mới từ %(organization)s về tin “%(title)s”."),
    K.reminder: N_("Nhắc việc: cuộc liên hệ về tin “%(title)s” đã qua %(days)s ngày, hãy cập nhật kết quả."),
    K.outcome_disputed: N_("%(organization)s không xác nhận kết quả đã ghi cho tin “%(title)s”."),
    K.saved_search_hit: N_("Có %(count)s tin mới khớp với tìm kiếm đã lưu “%(query)s”."),
    K.invitation: N_("%(inviter)s mời bạn tham gia %(organization)s trên Sàn Giao dịch công nghệ."),
}
# Short names of the kinds, for the preference page.
LABELS: dict[NotificationKind, str] = {
    K.listing_submitted: N_("Tin gửi duyệt"), K.listing_approved: N_("Tin được duyệt"),
    K.listing_rejected: N_("Tin bị từ chối"), K.listing_expiring: N_("Tin sắp hết hạn"),
    K.listing_expired: N_("Tin hết hạn"), K.revision_decided: N_("Kết quả duyệt bản sửa"),
    K.new_suggestion: N_("Gợi ý mới"), K.match_confirmed: N_("Cặp được môi giới xác nhận"),
    K.contact_requested: N_("Yêu cầu liên hệ"), K.contact_accepted: N_("Liên hệ được chấp nhận"),
    K.contact_declined: N_("Liên hệ bị từ chối"), K.message: N_("Tin nhắn"), K.reminder: N_("Nhắc việc"),
    K.outcome_disputed: N_("Kết quả bị phản đối"), K.saved_search_hit: N_("Tìm kiếm đã lưu"),
    K.invitation: N_("Lời mời tham gia tổ chức"),
}
# The kinds a user chooses a delivery for: an invitation goes to an address without an account yet.
PREFERENCE_KINDS = tuple(kind for kind in NotificationKind if kind is not K.invitation)
# Mails that are not notifications of a user's (they go out whatever the preferences say).
SYSTEM_MAILS = ("password_reset", "account_activation", "digest")
MAIL_KINDS = frozenset(k.value for k in NotificationKind) | frozenset(SYSTEM_MAILS)


class _Missing(dict):
    """Formatting parameters that answer '…' for a missing key instead of failing."""

    def __missing__(self, key: str) -> str:
        return "…"


# A parameter holding a marked message rather than user text ("đã được duyệt") is listed under this key,
# so it is shown in the reader's language like the template around it.
MARKED = "marked"


def marked(**messages: str) -> dict[str, Any]:
    """Notification parameters that are marked messages: notify(..., params={**marked(decision=N_("…"))})."""
    return {**messages, MARKED: sorted(messages)}


def notification_text(kind: NotificationKind | str, params: Mapping[str, Any], gettext: Gettext) -> str:
    """The text of a notification in the language of `gettext`."""
    template = TEXTS[NotificationKind(kind)]
    shown = dict(params)
    for key in params.get(MARKED, ()):
        if isinstance(shown.get(key), str):
            shown[key] = gettext(shown[key])
    return gettext(template) % _Missing(shown)


def kind_label(kind: NotificationKind | str, gettext: Gettext) -> str:
    """The short name of a kind in the language of `gettext`."""
    return gettext(LABELS[NotificationKind(kind)])
