"""iTEP site settings, per tenant. iTEP documents none of its API, so each is an assumed
behaviour a real account could differ on (docs/providers/itep.md names the rule each one
drives). PATCH ``/_sandbox/tenants/<id>/settings/itep`` changes them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from .wire import PRODUCTS, STATUS_LABELS

# iTEP levels (0.0-6.0) -> CEFR: [lowest level, label], ascending (assumed: iTEP's own
# CEFR page could not be read; level n ~ the n-th CEFR level).
DEFAULT_CEFR_BANDS = [
    [0.0, "Pre-A1"],
    [1.0, "A1"],
    [2.0, "A2"],
    [3.0, "B1"],
    [4.0, "B2"],
    [5.0, "C1"],
    [6.0, "C2"],
]


# The defaults are shared by every tenant that keeps them; settings are replaced by a
# PATCH, never changed in place, so sharing them is safe (and apispec can show them).


class ItepSettingsSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    # I5: with an empty inventory, a product code that allows it sells a new test ID at
    # fulfillment instead of answering 409.
    saleAtFulfillment = fields.Dict(
        keys=fields.String(validate=validate.OneOf(sorted(PRODUCTS))),
        values=fields.Boolean(),
        load_default={code: False for code in PRODUCTS},
    )
    # I4: refuse an Assigned-to without name, email and reference (the docs only
    # "strongly recommend" them).
    requireCandidateDetails = fields.Boolean(load_default=False)
    # Which of the two status lists the webhook page gives the site shows (the
    # Markdown export's labels, or the descriptive ones: Started, Technical Difficulty,
    # Completed ...); the controls take either.
    statusLabels = fields.String(
        load_default="markdown", validate=validate.OneOf(sorted(STATUS_LABELS))
    )
    # The webhook's <Section>_cefr and Overall_cefr: [lowest level, label], ascending.
    cefrBands = fields.List(
        fields.Tuple((fields.Float(validate=validate.Range(0, 6)), fields.String())),
        load_default=DEFAULT_CEFR_BANDS,
        validate=validate.Length(min=1),
    )

    @validates("cefrBands")
    def _ascending(self, value, **kwargs) -> None:
        lowers = [band[0] for band in value]
        if lowers != sorted(lowers) or len(set(lowers)) != len(lowers):
            raise ValidationError("bands must be in ascending order of level, each once")
