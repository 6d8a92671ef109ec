"""Translatable messages: a Msg is translated with its template, and so are parameters that are Msg too."""
from __future__ import annotations

from exchange.i18n import Msg, translate

CATALOG = {"Không thể %(action)s tin đang ở trạng thái “%(status)s”.":
           "Cannot %(action)s a listing with status “%(status)s”.", "từ chối": "reject", "Đang công bố": "Published"}


def english(message: str) -> str:
    return CATALOG.get(message, message)


def test_parameters_that_are_messages_are_translated_with_the_template():
    message = Msg("Không thể %(action)s tin đang ở trạng thái “%(status)s”.", action=Msg("từ chối"),
                  status=Msg("Đang công bố"))
    assert str(message) == "Không thể từ chối tin đang ở trạng thái “Đang công bố”."
    assert translate(message, english) == "Cannot reject a listing with status “Published”."


def test_plain_parameters_stay_as_given():
    message = Msg("Không thể %(action)s tin đang ở trạng thái “%(status)s”.", action="từ chối", status="Đang công bố")
    assert translate(message, english) == "Cannot từ chối a listing with status “Đang công bố”."
