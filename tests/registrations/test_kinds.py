"""The kind registry: owner apps declare their kinds; the engine reads attributes, not names."""

from types import SimpleNamespace

from registrations import kinds


def test_owner_apps_declared_their_kinds():
    assert kinds.kind_label("webinar") == "Webinaire"
    assert kinds.kind_label("webinar", plural=True) == "Webinaires"
    assert kinds.kind_label("training") == "Formation"
    assert kinds.kind_label("inconnu") == "inconnu"


def test_registration_by_application_is_an_attribute_of_the_kind():
    assert kinds.by_application(SimpleNamespace(kind="market_engagement"))
    assert not kinds.by_application(SimpleNamespace(kind="training"))
    assert kinds.application_kinds() == ["market_engagement"]


def test_a_new_kind_is_one_declaration(monkeypatch):
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))
    kinds.register_kind("joint_procurement", "Achat groupé", by_application=True)
    assert kinds.by_application(SimpleNamespace(kind="joint_procurement"))
    assert kinds.kind_label("joint_procurement", plural=True) == "Achat groupé"
