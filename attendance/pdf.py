"""What the attendance PDFs (sign-in sheet, certificate) read from an owner page; ``base.pdf`` renders them."""


def trainers_of(page):
    """The trainer names of a page, read generically: a ``trainers`` attribute that may be a
    related manager, a list, a StreamField or a plain string; [] when the page has none."""
    trainers = getattr(page, "trainers", None)
    if trainers is None:
        return []
    if isinstance(trainers, str):
        return [trainers] if trainers.strip() else []
    if hasattr(trainers, "all"):
        trainers = trainers.all()
    names = []
    for trainer in trainers:
        value = getattr(trainer, "value", trainer)  # a StreamField child
        if isinstance(value, dict):
            value = value.get("name") or " ".join(str(v) for v in value.values() if isinstance(v, str))
        name = getattr(value, "name", None) or str(value)
        if name.strip():
            names.append(name.strip())
    return names
