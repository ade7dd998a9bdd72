"""Questionnaire scoring: items, bands, special rules and refusals (reference section 6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from typer import Typer
from typer.testing import CliRunner

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments import INSTRUMENTS, Instrument, InstrumentError, score
from naltrack.clinical.instruments.audit import AUDIT_C_BANDS_BY_SEX
from naltrack.clinical.sources import SOURCES
from naltrack.commands import score as score_command
from tests.strategies.measures import instrument_answers


def answers_totalling(instrument: Instrument, total: int, *, ceiling: dict[int, int] | None = None) -> list:
    """Some valid answers adding up to ``total`` (items capped by ``ceiling``), found by search."""
    ceiling = ceiling or {}
    reachable: dict[int, list] = {0: []}
    for item in instrument.items:
        options = [o for o in item.options if o.points <= ceiling.get(item.number, item.max_points)]
        reachable = {
            points + option.points: [*answers, option.answer]
            for points, answers in reachable.items() for option in options
        }
    return reachable[total]


# AUDIT edges without the move-up rule: items 4–6 kept under 2 and items 9–10 under 4.
AUDIT_PLAIN = {4: 1, 5: 1, 6: 1, 9: 2, 10: 2}


@pytest.mark.parametrize(
    ("name", "total", "band"),
    [
        # AUDIT zones, S103/S104: I 0–7, II 8–15, III 16–19, IV 20–40
        ("audit", 0, "zone_i"), ("audit", 7, "zone_i"), ("audit", 8, "zone_ii"), ("audit", 15, "zone_ii"),
        ("audit", 16, "zone_iii"), ("audit", 19, "zone_iii"), ("audit", 20, "zone_iv"),
        # PACS, S111: craving present above 20
        ("pacs", 0, "below_craving_cutoff"), ("pacs", 20, "below_craving_cutoff"),
        ("pacs", 21, "craving_present"), ("pacs", 30, "craving_present"),
        # COWS, S121: <5 none, 5–12 mild, 13–24 moderate, 25–36 moderately severe, >36 severe
        ("cows", 0, "none"), ("cows", 4, "none"), ("cows", 5, "mild"), ("cows", 12, "mild"),
        ("cows", 13, "moderate"), ("cows", 24, "moderate"), ("cows", 25, "moderately_severe"),
        ("cows", 36, "moderately_severe"), ("cows", 37, "severe"), ("cows", 48, "severe"),
        # PHQ-9, S131/S133: 0–4, 5–9, 10–14, 15–19, 20–27
        ("phq-9", 0, "minimal"), ("phq-9", 4, "minimal"), ("phq-9", 5, "mild"), ("phq-9", 9, "mild"),
        ("phq-9", 10, "moderate"), ("phq-9", 14, "moderate"), ("phq-9", 15, "moderately_severe"),
        ("phq-9", 19, "moderately_severe"), ("phq-9", 20, "severe"), ("phq-9", 27, "severe"),
        # GAD-7, S131/S134/S135: cut-points 5, 10, 15
        ("gad-7", 0, "minimal"), ("gad-7", 4, "minimal"), ("gad-7", 5, "mild"), ("gad-7", 9, "mild"),
        ("gad-7", 10, "moderate"), ("gad-7", 14, "moderate"),
        ("gad-7", 15, "severe"), ("gad-7", 21, "severe"),
    ],
)
def test_totals_at_band_edges_fall_in_the_reference_band(name, total, band):
    instrument = INSTRUMENTS[name]
    answers = answers_totalling(instrument, total, ceiling=AUDIT_PLAIN if name == "audit" else None)
    result = score(name, answers)
    assert (result.total, result.band) == (total, band)


def test_audit_at_its_maximum_is_zone_iv_with_both_warning_flags():
    result = score("audit", [4] * 10)
    assert (result.total, result.band) == (40, "zone_iv")
    assert set(result.flags) == {"dependence_items", "past_year_harm_items"}  # already the top zone


@pytest.mark.parametrize(
    ("answers", "total", "band", "flags"),
    [
        # S103: 2 or more on item 4, 5 or 6 moves the person up one zone
        ([4, 4, 4, 2, 0, 0, 0, 0, 0, 0], 14, "zone_iii", ("dependence_items", "zone_moved_up")),
        ([1, 0, 0, 0, 0, 3, 0, 0, 0, 0], 4, "zone_ii", ("dependence_items", "zone_moved_up")),
        # S103: 4 on item 9 or 10 (harm in the past year) moves up too
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 4, "zone_ii", ("past_year_harm_items", "zone_moved_up")),
        ([4, 4, 4, 4, 0, 0, 0, 0, 0, 4], 20, "zone_iv", ("dependence_items", "past_year_harm_items")),
        # 1 on items 4–6 and 2 on items 9–10 do not move anyone
        ([2, 1, 1, 1, 1, 1, 0, 0, 2, 2], 11, "zone_ii", ()),
    ],
)
def test_audit_moves_up_one_zone_on_dependence_or_harm_answers(answers, total, band, flags):
    result = score("audit", answers)
    assert (result.total, result.band, result.flags) == (total, band, flags)


@pytest.mark.parametrize(
    ("answers", "sex", "band", "flags"),
    [
        # S105/S106: positive screen at 4 or more for men, 3 or more for women; S107 bands
        ([0, 0, 0], Sex.MALE, "no_alcohol_use", ()),
        ([1, 1, 1], Sex.MALE, "lower_risk", ()),
        ([1, 1, 1], Sex.FEMALE, "at_risk", ("positive_screen",)),
        ([1, 1, 1], None, "at_risk_if_female", ("positive_screen_if_female",)),
        ([2, 1, 0], Sex.FEMALE, "at_risk", ("positive_screen",)),
        ([2, 1, 1], Sex.MALE, "at_risk", ("positive_screen",)),
        ([2, 1, 1], None, "at_risk", ("positive_screen",)),
        ([1, 1, 0], None, "lower_risk", ()),
        ([4, 4, 0], Sex.FEMALE, "high_risk", ("positive_screen",)),
        ([4, 4, 4], None, "high_risk", ("positive_screen",)),
        # S106: every point from item 1 suggests drinking within limits, worth a review
        ([4, 0, 0], Sex.MALE, "at_risk", ("positive_screen", "all_points_from_item_1")),
        ([2, 0, 0], Sex.MALE, "lower_risk", ("all_points_from_item_1",)),
    ],
)
def test_audit_c_screen_depends_on_sex_and_reports_both_cut_offs_without_it(answers, sex, band, flags):
    result = score("audit-c", answers, sex=sex)
    assert (result.total, result.band, result.flags) == (sum(answers), band, flags)


def test_audit_c_bands_cover_0_to_12_for_each_sex():
    for bands in (*AUDIT_C_BANDS_BY_SEX.values(), INSTRUMENTS["audit-c"].bands):
        assert [t for band in bands for t in range(band.low, band.high + 1)] == list(range(13))


@pytest.mark.parametrize(
    ("answers", "total", "band", "flags"),
    [
        # S127/S128: one point per yes, except item 3 where "no" scores
        ([False] * 10, 1, "low", ()),
        ([False, False, True, False, False, False, False, False, False, False], 0, "none", ()),
        ([True] * 10, 9, "severe", ()),
        ([True, True, False, True, True, True, True, True, True, True], 10, "severe", ()),
        ([True, True, True, True, False, False, False, False, False, False], 3, "moderate", ()),
        ([True, True, True, True, True, True, True, False, False, False], 6, "substantial", ()),
    ],
)
def test_dast_10_counts_yes_answers_with_item_3_reversed(answers, total, band, flags):
    result = score("dast-10", answers)
    assert (result.total, result.band, result.flags) == (total, band, flags)


@pytest.mark.parametrize(
    ("answers", "band", "flags"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], "minimal", ("self_harm_item",)),  # S134: any non-zero item 9
        ([3, 3, 3, 3, 3, 3, 3, 3, 0], "severe", ()),
        ([0, 0, 0, 0, 0, 0, 0, 0, 3], "minimal", ("self_harm_item",)),
    ],
)
def test_phq_9_flags_any_answer_on_item_9_whatever_the_total(answers, band, flags):
    result = score("phq-9", answers)
    assert (result.band, result.flags) == (band, flags)


@pytest.mark.parametrize(("total", "flags"), [(14, ()), (15, ("at_or_above_non_treatment_seeker_cutoff",))])
def test_pacs_flags_the_non_treatment_seeker_cut_off(total, flags):
    # S111: Hartwell et al. suggest 15 or more in people not seeking treatment
    assert score("pacs", answers_totalling(INSTRUMENTS["pacs"], total)).flags == flags


@pytest.mark.parametrize(
    ("item_number", "allowed"),
    [
        # S118/S119/S120: the scores COWS prints for each sign
        (1, {0, 1, 2, 4}), (2, {0, 1, 2, 3, 4}), (3, {0, 1, 3, 5}), (4, {0, 1, 2, 5}), (5, {0, 1, 2, 4}),
        (6, {0, 1, 2, 4}), (7, {0, 1, 2, 3, 5}), (8, {0, 1, 2, 4}), (9, {0, 1, 2, 4}), (10, {0, 1, 2, 4}),
        (11, {0, 3, 5}),
    ],
)
def test_cows_items_allow_exactly_their_printed_scores(item_number, allowed):
    assert set(INSTRUMENTS["cows"].items[item_number - 1].allowed_answers) == allowed


@pytest.mark.parametrize(
    ("name", "items", "max_total"),
    [("audit", 10, 40), ("audit-c", 3, 12), ("pacs", 5, 30), ("cows", 11, 48), ("dast-10", 10, 10),
     ("phq-9", 9, 27), ("gad-7", 7, 21)],
)
def test_instruments_have_the_reference_item_counts_and_ranges(name, items, max_total):
    assert len(INSTRUMENTS[name].items) == items
    assert INSTRUMENTS[name].max_total == max_total


def test_bands_cover_every_possible_total_once_and_cite_registered_sources():
    for instrument in INSTRUMENTS.values():
        covered = [t for band in instrument.bands for t in range(band.low, band.high + 1)]
        assert covered == list(range(instrument.max_total + 1)), instrument.name
        assert all(key in SOURCES for band in instrument.bands for key in band.sources)
        assert all(key in SOURCES for key in instrument.sources)


@pytest.mark.parametrize(
    ("name", "answers", "message"),
    [
        ("audit", [0] * 9, "expects 10 answers"),
        ("audit", [0] * 8 + [3, 0], "audit item 9 .* does not allow 3; allowed scores: 0, 2, 4"),
        ("cows", [3] + [0] * 10, "cows item 1 .* does not allow 3"),
        ("cows", [0] * 10 + [1], "cows item 11 .* does not allow 1"),
        ("phq-9", [True] + [0] * 8, "phq-9 item 1 .* not true"),
        ("gad-7", [0, 0, 1.0, 0, 0, 0, 0], "gad-7 item 3 .* not 1.0"),
        ("gad-7", [0, 0, "1", 0, 0, 0, 0], "gad-7 item 3"),
        ("dast-10", [1] + [False] * 9, "dast-10 item 1 .* true \\(yes\\) or false \\(no\\), not 1"),
        ("pacs", [0, 0, 0, 0, 7], "pacs item 5 .* does not allow 7"),
        ("pacs", "00000", "must be a list"),
        ("bdi", [0], "unknown instrument 'bdi'"),
    ],
)
def test_wrong_answers_are_refused_naming_the_item(name, answers, message):
    with pytest.raises(InstrumentError, match=message):
        score(name, answers)


@given(instrument_answers)
def test_totals_always_lie_in_the_instrument_range_and_band(case):
    instrument, answers = case
    result = score(instrument.name, answers)
    assert 0 <= result.total <= instrument.max_total
    assert result.total == sum(item.points_for(a) for item, a in zip(instrument.items, answers, strict=True))
    band_names = {b.name for b in instrument.bands}
    assert result.band in band_names


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def run_score():
    app = Typer()
    score_command.register(app)

    @app.command("other", hidden=True)
    def _other() -> None:  # a second command keeps Typer from collapsing the app into one command
        pass

    def run(*args: str, stdin: str | None = None):
        return CliRunner().invoke(app, ["score", *args], input=stdin)

    return run


def test_score_command_prints_the_contract_json(run_score):
    result = run_score("phq-9", "--json", "[0,0,0,0,0,0,0,0,2]")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        '{"instrument": "phq-9", "total": 2, "band": "minimal", "flags": ["self_harm_item"]}'
    )


def test_score_command_reads_a_file_or_standard_input(run_score, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("[true, false, false, false, false, false, false, false, false, false]")
    from_file = run_score("dast-10", "--json", str(answers))
    from_stdin = run_score("dast-10", "--json", "-", stdin=answers.read_text())
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert '"total": 2' in from_file.stdout and from_file.stdout == from_stdin.stdout


def test_score_command_uses_sex_for_audit_c(run_score):
    assert '"band": "at_risk"' in run_score("audit-c", "--json", "[1,1,1]", "--sex", "F").stdout
    assert '"band": "lower_risk"' in run_score("audit-c", "--json", "[1,1,1]", "--sex", "M").stdout
    assert '"band": "at_risk_if_female"' in run_score("audit-c", "--json", "[1,1,1]").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bdi", "--json", "[0]"), "unknown instrument 'bdi'"),
        (("audit", "--json", "[0,0"), "invalid JSON"),
        (("audit", "--json", "[0,0,0,0,0,0,0,0,3,0]"), "audit item 9"),
        (("audit-c", "--json", "[1,1,1]", "--sex", "X"), "sex must be F or M"),
        (("audit", "--json", "/nonexistent/answers.json"), "no such file"),
    ],
)
def test_score_command_refuses_bad_input_in_one_line_with_exit_2(run_score, args, message):
    result = run_score(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
