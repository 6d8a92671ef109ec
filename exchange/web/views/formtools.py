"""Putting a service's field errors on a form, in the page's language."""
from __future__ import annotations

from flask_wtf import FlaskForm

from exchange.errors import DomainError
from exchange.web.i18n import t


def show_errors(form: FlaskForm, exc: DomainError) -> None:
    """Each field error on its field (when the form has it), the rest and the message on the form."""
    shown = False
    for name, why in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), t(why)]
            shown = True
        elif t(why) not in form.form_errors:
            form.form_errors.append(t(why))
    if (not shown or not exc.fields) and t(exc.message) not in form.form_errors:
        form.form_errors.append(t(exc.message))
