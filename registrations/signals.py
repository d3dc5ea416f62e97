"""What the engine tells other apps. Receivers run inside the sender's transaction; anything
slow or external (e-mails, refunds) must be enqueued with ``transaction.on_commit``.

- ``registration_confirmed(sender, registration, previous_status, actor)``: a seat is confirmed
  (directly, after payment, or by promotion from the waiting list).
- ``registration_cancelled(sender, registration, previous_status, actor)``: a registration was
  cancelled (by the person, an editor, or because its occurrence was cancelled).
- ``occurrence_cancelled(sender, occurrence, reason, actor)``: an editor cancelled one occurrence.
- ``occurrence_rescheduled(sender, occurrence, previous_start, previous_end, actor)``: it moved.
"""

from django.dispatch import Signal

registration_confirmed = Signal()
registration_cancelled = Signal()
occurrence_cancelled = Signal()
occurrence_rescheduled = Signal()
