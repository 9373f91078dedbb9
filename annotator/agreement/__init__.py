"""Inter-annotator agreement: metrics, coding units and the lead's report (no Qt here).

Metrics follow the conventions of the established libraries::

    from annotator.agreement import krippendorff_alpha, cohen_kappa, fleiss_kappa
    krippendorff_alpha([[1, 2, None], [1, 3, 3]], level="nominal")   # coders x units
    krippendorff_alpha(data, level="ordinal", value_domain=["against", "neutral", "favor"])
    cohen_kappa(["a", "b", None], ["a", "a", "b"], weights=None)      # pairs with a None dropped
    fleiss_kappa([[0, 3], [2, 1]])                                    # subjects x categories

The report for a project::

    from annotator.agreement import agreement_report
    report = agreement_report(project, codebook, bootstrap=1000, seed=0)
    report.overall.alpha_nominal, report.as_dict()

Each annotator against the curated gold standard::

    from annotator.agreement import gold_report
    gold_report(project, codebook).annotators[0].cohen_kappa

What the figures mean (coding units, "no stance", ordinal scale): docs/agreement.md.
"""

from annotator.agreement.bootstrap import alpha_confidence_interval
from annotator.agreement.gold import GoldFigures, GoldReport, gold_report
from annotator.agreement.metrics import (
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    observed_agreement,
    percent_agreement,
)
from annotator.agreement.report import agreement_report, compute_report
from annotator.agreement.results import (
    AgreementReport,
    AnnotatorFigures,
    Disagreement,
    PairFigures,
    ScopeFigures,
)
from annotator.agreement.units import NO_STANCE, CodingData, load_coding_data

__all__ = [
    "NO_STANCE",
    "AgreementReport",
    "AnnotatorFigures",
    "CodingData",
    "Disagreement",
    "GoldFigures",
    "GoldReport",
    "PairFigures",
    "ScopeFigures",
    "agreement_report",
    "alpha_confidence_interval",
    "cohen_kappa",
    "compute_report",
    "confusion_matrix",
    "fleiss_kappa",
    "gold_report",
    "gwet_ac1",
    "krippendorff_alpha",
    "load_coding_data",
    "observed_agreement",
    "percent_agreement",
]
