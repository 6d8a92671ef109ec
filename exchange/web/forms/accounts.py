"""Forms of signing in, registering, passwords, the second factor, invitations and the language."""
from __future__ import annotations

from typing import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from exchange.models import OrganizationType
from exchange.web.labels import LABELS

REQUIRED = _l("Bắt buộc.")
PASSWORD_HELP = _l("10–128 ký tự, loại ký tự nào cũng được (có thể là một câu dễ nhớ); "
                   "mật khẩu quá phổ biến sẽ bị từ chối.")


def labelled(values: Iterable[str]) -> list[SelectChoice]:
    """Select options of codes, labelled in the page's language."""
    return [SelectChoice(value, _l(LABELS[value])) for value in values]


def required() -> DataRequired:
    """A required field with a Vietnamese message."""
    return DataRequired(message=REQUIRED)


def at_most(characters: int) -> Length:
    """At most this many characters, with a Vietnamese message (WTForms has no Vietnamese catalog)."""
    return Length(max=characters, message=_l("Tối đa %(max)d ký tự."))


class ChoiceField(SelectField):
    """A select whose refusal of a value outside its options is worded in the page's language."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse a value that is not one of the options."""
        if not self.validate_choice or self.choices is None:
            return
        if self.data not in {str(choice.value) for choice in self.iter_choices()}:
            raise ValidationError(_l("Hãy chọn một giá trị trong danh sách."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Mật khẩu"), validators=[required()])
    next = HiddenField()
    submit = SubmitField(_l("Đăng nhập"))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Mã xác thực (6 chữ số) hoặc mã khôi phục"), validators=[required(), at_most(64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(_l("Xác nhận"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[required()], description=PASSWORD_HELP,
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"),
                            validators=[required(), EqualTo("password", message=_l("Hai lần nhập không khớp."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Lưu mật khẩu"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[required()],
                            render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail của tài khoản"), validators=[required(), at_most(254)])
    submit = SubmitField(_l("Gửi liên kết đặt lại mật khẩu"))


class RegisterForm(FlaskForm):
    organization_name = StringField(_l("Tên tổ chức"), validators=[required(), at_most(300)])
    organization_type = ChoiceField(_l("Loại tổ chức"), choices=labelled(t.value for t in OrganizationType))
    locality_code = ChoiceField(_l("Địa phương"), choices=[], validate_choice=False)
    address = StringField(_l("Địa chỉ"), validators=[required(), at_most(500)])
    contact_person = StringField(_l("Người liên hệ"), validators=[required(), at_most(200)])
    phone = StringField(_l("Điện thoại"), validators=[required(), at_most(50)])
    organization_email = EmailField(_l("E-mail của tổ chức"), validators=[required(), at_most(254)])
    full_name = StringField(_l("Họ và tên của bạn"), validators=[required(), at_most(200)])
    email = EmailField(_l("E-mail đăng nhập của bạn"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Mật khẩu"), validators=[required()], description=PASSWORD_HELP,
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu"),
                            validators=[required(), EqualTo("password", message=_l("Hai lần nhập không khớp."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Đăng ký"))


class AcceptInvitationForm(NewPasswordForm):
    full_name = StringField(_l("Họ và tên"), validators=[required(), at_most(200)])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail người được mời"), validators=[required(), at_most(254)])
    submit = SubmitField(_l("Gửi lời mời"))


class ConfirmForm(FlaskForm):
    """A bare POST button (sign out, remove, verify…): CSRF only."""

    submit = SubmitField(_l("Xác nhận"))


class LanguageForm(FlaskForm):
    lang = ChoiceField(_l("Ngôn ngữ"), choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")])
    next = HiddenField()
    submit = SubmitField(_l("Đổi"))


class StaffAccountForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[required(), at_most(254)])
    full_name = StringField(_l("Họ và tên"), validators=[required(), at_most(200)])
    role = ChoiceField(_l("Vai trò"), choices=labelled(("broker", "staff")))
    submit = SubmitField(_l("Tạo tài khoản và gửi liên kết kích hoạt"))


class RoleForm(FlaskForm):
    role = ChoiceField(_l("Vai trò"), choices=labelled(("enterprise", "broker", "staff")))
    submit = SubmitField(_l("Đổi vai trò"))
