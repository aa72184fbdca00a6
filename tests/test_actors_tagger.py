"""Actor tagging on made-up sentences: aliases, clitics, state forces, heads, anaphora, context rules."""
from __future__ import annotations

import pytest

from rasd.doc import Document, Sentence
from rasd.nlp.actors import Actor, ActorTagger, actor_lexicon, adjective_forms, resolve_generic
from rasd.text.segment import split_sentences


@pytest.fixture(scope="module")
def tagger() -> ActorTagger:
    return ActorTagger()


needs_countries = pytest.mark.skipif(actor_lexicon().n_countries == 0, reason="countries.tsv not available")


def tag(tagger: ActorTagger, text: str) -> list[tuple[str, str]]:
    doc = Document("t", text)
    doc.sentences = [Sentence(s, e, text[s:e], i) for i, (s, e) in enumerate(split_sentences(text))]
    tagger(doc)
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text, "offsets must point into the original text"
        assert m.component == "nlp.actors" and m.reason
    return [(m.text, m.value.name) for m in doc.mentions_of("ACTOR")]


def names(pairs: list[tuple[str, str]]) -> list[str]:
    return [n for _, n in pairs]


def test_alias_with_clitics_and_diacritics(tagger):
    pairs = tag(tagger, "وأعلنت قسد أنها صدّت هجوماً للدّاعشيين وبالحوثيين")
    assert names(pairs) == ["Syrian Democratic Forces", "Islamic State", "Houthis"]
    assert pairs[1][0] == "لدّاعشيين"  # original characters, diacritic included; the preposition is cut


def test_longest_alias_wins(tagger):
    assert names(tag(tagger, "هاجم الجيش السوري الحر مواقع")) == ["Free Syrian Army"]
    assert names(tag(tagger, "تقدمت قوات سوريا الديمقراطية")) == ["Syrian Democratic Forces"]


def test_adjective_form_of_group(tagger):
    pairs = tag(tagger, "قصفت الميليشيات الحوثية حيا سكنيا واعتقل متمردون حوثيون مواطنا")
    assert names(pairs)[:2] == ["Houthis", "Houthis"]
    assert names(pairs)[2] == "Civilians"


def test_genitive_head_takes_the_group(tagger):
    pairs = tag(tagger, "قتل مسلحو بوكو حرام قرويين وفجر عناصر داعش سيارة")
    assert pairs[0] == ("مسلحو بوكو حرام", "Boko Haram")
    assert ("عناصر داعش", "Islamic State") in pairs


@needs_countries
def test_state_force_with_country_adjective(tagger):
    pairs = tag(tagger, "اشتبك الجيش اليمني مع مسلحين واعتقلت الشرطة التونسية شخصين وقصفت غارات روسية بلدة")
    assert ("الجيش اليمني", "Military Forces of Yemen") in pairs
    assert ("الشرطة التونسية", "Police Forces of Tunisia") in pairs
    assert ("غارات روسية", "Military Forces of Russia") in pairs


@needs_countries
def test_air_force_role_recorded(tagger):
    doc = Document("t", "وشن الطيران السوري غارات")
    tagger(doc)
    (m,) = doc.mentions_of("ACTOR")
    assert m.value == Actor("Military Forces of Syria", 1, "Syria", "state")
    assert m.attrs["role"] == "air force" and "الطيران" in m.reason


def test_state_noun_without_adjective_needs_country(tagger):
    doc = Document("t", "وقال الجنود إن الشرطة وصلت")
    tagger(doc)
    ms = doc.mentions_of("ACTOR")
    assert [m.value.name for m in ms] == ["Military Forces of {country}", "Police Forces of {country}"]
    assert all(m.attrs.get("needs_country") and m.value.country is None for m in ms)


def test_resolve_generic_fills_template():
    army = Actor("Military Forces of {country}", 1, None, "generic")
    filled = resolve_generic(army, "Nigeria")
    assert filled == Actor("Military Forces of Nigeria", 1, "Nigeria", "state")
    assert resolve_generic(army, None) is army
    named = Actor("Houthis", 2, "Yemen", "named")
    assert resolve_generic(named, "Syria") is named


def test_anaphora_to_last_named_group(tagger):
    text = "تبنى داعش الهجوم على القرية. وقال التنظيم في بيان إن مقاتلي التنظيم قتلوا عشرة."
    doc = Document("t", text)
    doc.sentences = [Sentence(s, e, text[s:e], i) for i, (s, e) in enumerate(split_sentences(text))]
    tagger(doc)
    ms = doc.mentions_of("ACTOR")
    anaphors = [m for m in ms if "anaphor" in m.attrs]
    assert len(anaphors) == 2 and all(m.value.name == "Islamic State" for m in anaphors)
    assert "داعش" in anaphors[0].reason and "refers back" in anaphors[0].reason


def test_anaphora_picks_most_recent_compatible(tagger):
    pairs = tag(tagger, "هاجمت بوكو حرام قرية ثم تحدث الجيش عن داعش. وأكدت الجماعة ذلك")
    assert pairs[-1] == ("الجماعة", "Islamic State")


def test_anaphor_without_antecedent_is_dropped(tagger):
    assert tag(tagger, "وقال التنظيم إن الاجتماع انتهى") == []


def test_shabaab_youth_is_not_al_shabaab(tagger):
    # Sports sentence: "الشباب" = the youth (a football club), no Somali context.
    assert tag(tagger, "فاز فريق الشباب على النصر في الدوري أمس") == []
    assert tag(tagger, "دعم الشباب في سوق العمل") == []


@needs_countries
def test_shabaab_with_somali_context(tagger):
    pairs = tag(tagger, "هاجم الشباب قاعدة عسكرية في جنوب الصومال")
    assert ("الشباب", "Al Shabaab") in pairs
    assert tag(tagger, "أعلنت حركة الشباب المسؤولية")[0][1] == "Al Shabaab"


def test_qaeda_needs_the_group_named(tagger):
    # "القاعدة" alone is "the base"; it is Al Qaeda only once the group is named.
    assert tag(tagger, "اقتربت القوات من القاعدة الجوية") == [("القوات", "Military Forces of {country}")]
    pairs = tag(tagger, "هاجم تنظيم القاعدة نقطة. وقالت القاعدة إنها قتلت جنديين")
    assert names(pairs).count("Al Qaeda") == 2


@needs_countries
def test_context_alias_picks_country_variant(tagger):
    assert names(tag(tagger, "قصفت طائرات التحالف مواقع في اليمن")) == ["Saudi-led Coalition"]
    assert names(tag(tagger, "قصف التحالف مواقع في صعدة اليمنية")) == ["Saudi-led Coalition"]
    assert names(tag(tagger, "قصف التحالف مواقع في الرقة السورية")) == ["International Coalition"]
    assert tag(tagger, "قصف التحالف مواقع") == []


@needs_countries
def test_qaeda_in_yemen_is_aqap(tagger):
    assert names(tag(tagger, "هاجم تنظيم القاعدة نقطة أمنية في اليمن"))[0] == "Al Qaeda in the Arabian Peninsula"


def test_unrelated_words_do_not_match(tagger):
    assert tag(tagger, "ارتفعت أسعار النفط في الأسواق العالمية اليوم") == []
    # Civil aviation is not an air force.
    assert tag(tagger, "أعلنت هيئة الطيران المدني زيادة الرحلات") == []


def test_unidentified_armed_group_and_crowds(tagger):
    pairs = tag(tagger, "أطلق مسلحون مجهولون النار على المتظاهرين ورشق مشاغبون الشرطة")
    assert names(pairs) == ["Unidentified Armed Group", "Protesters", "Rioters", "Police Forces of {country}"]


def test_definite_gunmen_refer_to_recent_group(tagger):
    pairs = tag(tagger, "هاجمت بوكو حرام قرية. وقتل المسلحون خمسة أشخاص")
    assert ("المسلحون", "Boko Haram") in pairs
    assert ("مسلحون", "Unidentified Armed Group") in tag(tagger, "هاجم مسلحون قرية")


def test_adjective_forms():
    forms = adjective_forms("اليمني")
    assert {"يمني", "اليمنيه", "يمنيين", "اليمنيون"} <= forms


def test_component_registered():
    from rasd import pipeline

    import rasd.nlp.actors  # noqa: F401  (registers the component)

    assert pipeline._FACTORIES["actors"]().name == "actors"
