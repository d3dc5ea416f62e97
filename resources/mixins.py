class ClientErrorStatusMixin:
    """A listing page whose context says its query parameters were refused (unknown filter value,
    a query too long, a page number that does not exist) answers 400, with the page explaining why."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(response, "context_data", None) and response.context_data.get("filters_invalid"):
            response.status_code = 400
        return response
