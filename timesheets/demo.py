"""Demo staff time: a realistic year of time entries for the demo staff accounts (director and
editor), on working days until yesterday, spread over the network's activities and linked to
real working groups, events and trainings when they exist. Keyed by (person, date, activity),
so running it twice leaves the same rows."""

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from members.models import User
from registrations.models import Occurrence
from workinggroups.models import WorkingGroupPage

from .models import Activity, TimeEntry

A = Activity
STAFF = ["admin@reseco.fr", "editeur@reseco.fr"]
# Each working day: two or three activities out of these plans (hours add up to 7 or 7.5).
PLANS = [
    [(A.HELPDESK, "2"), (A.WORKING_GROUP, "3"), (A.COMMUNICATION, "2")],
    [(A.COORDINATION, "3.5"), (A.EVENT, "4")],
    [(A.TRAINING_PREPARATION, "4"), (A.HELPDESK, "1.5"), (A.COORDINATION, "1.5")],
    [(A.WORKING_GROUP, "4"), (A.COMMUNICATION, "3")],
    [(A.TRAINING, "7")],
    [(A.HELPDESK, "3"), (A.EVENT, "2.5"), (A.COORDINATION, "2")],
]
NOTES = {
    A.HELPDESK: "Réponses aux questions des acheteurs",
    A.WORKING_GROUP: "Préparation et animation de la réunion",
    A.COMMUNICATION: "Lettre d'information et réseaux sociaux",
    A.COORDINATION: "Suivi des adhésions et relations partenaires",
    A.EVENT: "Organisation et accueil",
    A.TRAINING: "Animation de la session",
    A.TRAINING_PREPARATION: "Supports et exercices",
}


def _pick(items, key):
    if not items:
        return None
    return items[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(items)]


def load(demo):
    people = list(User.objects.filter(email__in=STAFF))
    if not people:
        demo.step("Temps passé : aucun compte de l'équipe, rien à saisir.")
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    groups = list(WorkingGroupPage.objects.live().values_list("pk", flat=True).order_by("pk"))
    past = Occurrence.objects.filter(start__date__gte=start, start__date__lt=today).order_by("start")
    events = list(past.exclude(kind="training").values_list("pk", "page_id"))
    trainings = list(past.filter(kind="training").values_list("pk", "page_id"))
    existing = set(
        TimeEntry.objects.filter(person__in=people, date__gte=start).values_list("person_id", "date", "activity")
    )
    rows = []
    day = start
    while day < today:
        if day.weekday() < 5:
            for person in people:
                plan = _pick(PLANS, f"{person.email}|{day}")
                for activity, hours in plan:
                    activity, page_id, occurrence_id = _link(activity, groups, events, trainings, f"{person.pk}{day}")
                    if (person.pk, day, activity) in existing:
                        continue
                    existing.add((person.pk, day, activity))
                    rows.append(
                        TimeEntry(
                            person=person,
                            date=day,
                            hours=Decimal(hours),
                            activity=activity,
                            page_id=page_id,
                            occurrence_id=occurrence_id,
                            note=NOTES[activity],
                        )
                    )
        day += datetime.timedelta(days=1)
    TimeEntry.objects.bulk_create(rows)
    demo.step(f"Temps passé : {len(rows)} saisie(s) ajoutée(s) pour {len(people)} personne(s) de l'équipe.")


def _link(activity, groups, events, trainings, key):
    """The page (and date) an activity is about; a general activity when there is none."""
    if activity == A.WORKING_GROUP:
        group = _pick(groups, key)
        return (activity, group, None) if group else (A.COORDINATION, None, None)
    if activity in (A.EVENT, A.TRAINING):
        found = _pick(events if activity == A.EVENT else trainings, key)
        if found:
            return activity, found[1], found[0]
        return (A.COORDINATION if activity == A.EVENT else A.TRAINING_PREPARATION), None, None
    return activity, None, None
