"""Admin forms the owner pages share."""

from wagtail.admin.forms import WagtailAdminPageForm

# Other people's comments are never in one editor's form: that formset is left as Wagtail keeps it.
KEPT_FORMSETS = {"comments"}


class WholeListPageForm(WagtailAdminPageForm):
    """A page form whose InlinePanels are the whole list, as the editor sees it.

    On a draft, Wagtail's autosave writes new child rows, then gives the open form their ids. A
    Publish (or another save) sent before that answer arrives still describes those children as
    new; modelcluster keeps children that a form does not mention, so both copies were stored
    (4 training sessions where the form showed 2). Children the form does not name are removed
    before saving: what is stored is what the form shows."""

    def save(self, commit=True):
        for name, formset in self.formsets.items():
            if name in KEPT_FORMSETS:
                continue
            named = {form.instance.pk for form in formset.forms if form.instance.pk is not None}
            manager = getattr(self.instance, formset.rel_name)
            unnamed = [child for child in manager.all() if child.pk is not None and child.pk not in named]
            if unnamed:
                manager.remove(*unnamed)
        return super().save(commit=commit)
