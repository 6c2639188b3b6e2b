"""“Was this page helpful?”: the form, the rate limit and storing an answer.

Article and drug pages only link here (…/feedback/<pk>/?helpful=yes), so
they carry no CSRF token and stay cacheable; the CSRF-protected form lives
on its own page. Nothing personal is asked or kept: the rate limit counts
answers per client in the cache under a salted hash of the address, which
expires after the window, and the stored answer has no trace of who gave it.
"""

from django import forms
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .models import Feedback

RATE_LIMIT = 10  # answers per client per window
RATE_WINDOW = 60 * 60  # seconds
CHOICES = (("yes", "Yes"), ("no", "No"))
TOO_MANY = (
    "You have sent a lot of feedback from this connection in the last hour. "
    "Thank you: please try again later."
)


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(
        label="Was this page helpful?",
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    comment = forms.CharField(
        label="What could we do better? (optional)",
        help_text=(
            f"Up to {Feedback.COMMENT_LENGTH} characters. Do not include your name or "
            "any personal details. We cannot reply, and this is not published."
        ),
        required=False,
        max_length=Feedback.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"Please keep your comment to {Feedback.COMMENT_LENGTH} characters "
            "or fewer (you wrote %(show_value)d)."
        },
    )


def client_key(request):
    """A salted hash of the client's address: the raw address is never stored."""
    address = request.META.get("REMOTE_ADDR", "")
    return "feedback-rate:" + salted_hmac("medinfo.feedback", address).hexdigest()


def allowed(request):
    """Count this answer against the client's limit; False once it is used up."""
    key = client_key(request)
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)
        count = 1
    return count <= RATE_LIMIT


def record(page, form):
    """Store an answer for the page's live version."""
    return Feedback.objects.create(
        page=page,
        page_version=page.version,
        helpful=form.cleaned_data["helpful"] == "yes",
        comment=form.cleaned_data["comment"].strip(),
    )
