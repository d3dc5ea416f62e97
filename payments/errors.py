class PaymentError(Exception):
    """A payment rule refused the request. ``code`` is stable; ``message`` is French."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return f"{self.code}: {self.message}"
