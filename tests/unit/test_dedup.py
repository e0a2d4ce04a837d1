"""Deduplication and story clustering (analysis.dedup): tables of examples per language."""

from __future__ import annotations

import re
import zlib

import numpy as np
import orjson
import pytest
from datasketch import MinHash
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.dedup import (
    _CJK_RANGES,
    _SCRIPTS,
    DedupConfig,
    IndexRecord,
    Signature,
    StoryIndex,
    StoryMerge,
    _Generation,
    _script,
    _Sketches,
    _units,
    dedup_lines,
    fingerprint,
)
from analysis.errors import InvalidDocumentError
from analysis.text import clean_fields

DAY = 86400.0
T0 = 1_750_000_000.0

# One wire story per language: a title and paragraphs (written for these tests).
STORIES: dict[str, tuple[str, list[str]]] = {
    "en": ("Kenya and Ghana agree to open direct flights", [
        "The foreign ministers of Kenya and Ghana agreed on Tuesday to open direct flights "
        "between Nairobi and Accra before the end of the year, officials said after talks "
        "in the Kenyan capital.",
        "The two ministers also discussed grain exports, visa rules and a joint fund for "
        "road projects, according to a statement issued after the meeting.",
        "Airlines from both countries have asked for the route for several years, saying "
        "that travellers now have to change planes in a third country.",
        "Officials said a working group would prepare the agreement and report to both "
        "governments within three months.",
    ]),
    "fr": ("Le Sénégal et le Maroc signent un accord sur la pêche", [
        "Les ministres sénégalais et marocain de la pêche ont signé mercredi à Dakar un "
        "accord qui encadre l'accès des navires aux zones côtières des deux pays.",
        "Le texte prévoit des contrôles communs, un partage des données scientifiques et "
        "des quotas révisés chaque année, a précisé le ministère dans un communiqué.",
        "Les associations de pêcheurs artisanaux ont salué un pas en avant, tout en "
        "demandant que les petits bateaux soient protégés de la concurrence industrielle.",
        "Une commission mixte se réunira au printemps pour évaluer les premiers résultats.",
    ]),
    "es": ("Chile y Perú acuerdan reforzar la cooperación minera", [
        "Los ministros de Minería de Chile y Perú acordaron el jueves en Lima reforzar la "
        "cooperación en seguridad laboral y en la gestión del agua en las minas.",
        "Según un comunicado conjunto, ambos gobiernos crearán un grupo técnico que "
        "presentará propuestas sobre normas ambientales antes de fin de año.",
        "Las empresas del sector celebraron el anuncio, aunque los sindicatos pidieron "
        "participar en las discusiones desde el principio.",
        "La próxima reunión ministerial está prevista para marzo en Santiago.",
    ]),
    "ru": ("Казахстан и Узбекистан договорились о новом водном соглашении", [
        "Министры водного хозяйства Казахстана и Узбекистана в пятницу в Ташкенте "
        "договорились подготовить новое соглашение о совместном использовании рек.",
        "Стороны обсудили ремонт каналов, обмен данными о паводках и строительство "
        "новых насосных станций, говорится в заявлении министерства.",
        "Эксперты отмечают, что нехватка воды летом остаётся главной проблемой для "
        "фермеров в долине.",
        "Рабочая группа представит проект документа правительствам через два месяца.",
    ]),
    "ar": ("مصر والأردن تتفقان على ربط شبكتي الكهرباء", [
        "اتفق وزيرا الطاقة في مصر والأردن يوم الأحد في عمان على توسيع الربط الكهربائي "
        "بين البلدين ورفع قدرته خلال العامين المقبلين.",
        "وقال بيان مشترك إن الجانبين بحثا أيضا مشاريع الطاقة الشمسية وتبادل الخبرات "
        "في إدارة الشبكات وتخزين الطاقة.",
        "ورحب خبراء بالخطوة مؤكدين أن الربط يساعد على تجنب انقطاع التيار في أوقات "
        "الذروة خلال فصل الصيف.",
        "ومن المقرر أن تجتمع لجنة فنية مشتركة الشهر المقبل لوضع جدول زمني للتنفيذ.",
    ]),
    "zh": ("越南与老挝签署铁路合作协议", [
        "越南和老挝交通部长周二在万象签署铁路合作协议，双方同意加快连接两国首都的铁路项目前期研究。",
        "根据联合声明，两国将成立技术工作组，共同研究线路走向、融资方式和沿线物流中心建设。",
        "分析人士认为，这条铁路有望降低运输成本，并带动沿线地区的农产品出口和旅游业发展。",
        "工作组将在三个月内向两国政府提交初步报告。",
    ]),
}

# Boilerplate an outlet adds around a syndicated copy.
BOILERPLATE: dict[str, tuple[str, str, str]] = {
    # (dateline, lines before, lines after)
    "en": ("NAIROBI, June 3 (Wire) - ", "By Jane Mwangi\nShare this", "Source: Wire\nCopy link"),
    "fr": ("DAKAR (Wire) — ", "Par Awa Diop\nPartager", "Source : Wire\nCopier le lien"),
    "es": ("LIMA, 5 jun (Wire) - ", "Por Ana Torres\nCompartir", "Fuente: Wire\nLeer más: otras"),
    "ru": ("ТАШКЕНТ, 6 июня /Wire/ - ", "Поделиться", "Источник: Wire\nЧитайте также: другое"),
    "ar": ("عمان (وكالة) - ", "شارك", "المصدر: وكالة\nانسخ الرابط"),
    "zh": ("新华社万象6月3日电（记者 李明）", "分享到", "来源：新华社\n责任编辑：王芳"),
}

LANGS = sorted(STORIES)


def doc(id_: str, title: str, paragraphs: list[str], url: str | None = None,
        **extra: str) -> dict[str, str]:
    d = {"id": id_, "title": title, "text": "\n".join(paragraphs), **extra}
    if url:
        d["url"] = url
    return d


def original(lang: str) -> dict[str, str]:
    title, paras = STORIES[lang]
    return doc(f"{lang}-original", title, paras, url=f"https://wire.example/{lang}/story")


def syndicated(lang: str) -> dict[str, str]:
    title, paras = STORIES[lang]
    dateline, before, after = BOILERPLATE[lang]
    body = [before, dateline + paras[0], *paras[1:], after]
    return doc(f"{lang}-copy", "Outlet | " + title, body,
               url=f"https://outlet.example/news/{lang}-123?utm_source=rss")


def summary(lang: str) -> dict[str, str]:
    title, paras = STORIES[lang]
    lead = paras[0] + (paras[1] if lang == "zh" else " " + paras[1])
    cut = lead[: int(len(lead) * 0.75)] + "…"
    return doc(f"{lang}-summary", title, [cut], url=f"https://digest.example/{lang}/9")


def reordered(lang: str) -> dict[str, str]:
    title, paras = STORIES[lang]
    return doc(f"{lang}-reordered", title, [paras[0], paras[2], paras[3], paras[1]],
               url=f"https://mirror.example/{lang}/story-x")


def verdict_of(index: StoryIndex, d: dict[str, str], now: float) -> tuple[str, str]:
    sig = fingerprint(d)
    v = index.check(sig, now)
    index.add(sig, v.story_id, now)
    return v.kind, v.story_id


def seeded(lang: str) -> StoryIndex:
    index = StoryIndex()
    assert verdict_of(index, original(lang), T0) == ("new", f"{lang}-original")
    return index


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", [syndicated, summary, reordered],
                         ids=["syndicated", "truncated-summary", "reordered"])
def test_copies_join_the_story(lang: str, variant: object) -> None:
    index = seeded(lang)
    kind, story = verdict_of(index, variant(lang), T0 + 3600)  # type: ignore[operator]
    assert (kind, story) == ("near", f"{lang}-original")


@pytest.mark.parametrize("lang", LANGS)
def test_summary_first_then_full_text(lang: str) -> None:
    index = StoryIndex()
    assert verdict_of(index, summary(lang), T0)[0] == "new"
    assert verdict_of(index, original(lang), T0 + 60) == ("near", f"{lang}-summary")


@pytest.mark.parametrize(("url", "kind"), [
    ("https://wire.example/{lang}/story?utm_source=x&fbclid=1", "url"),
    ("https://m.wire.example/{lang}/story/", "url"),
    ("https://amp.wire.example/{lang}/story/amp", "url"),
    ("http://wire.example/{lang}/story#top", "url"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_url_variants(lang: str, url: str, kind: str) -> None:
    index = seeded(lang)
    copy = dict(original(lang), id="other", url=url.format(lang=lang))
    assert verdict_of(index, copy, T0 + 1) == (kind, f"{lang}-original")


def test_guid_and_content_kinds() -> None:
    index = StoryIndex()
    first = dict(original("en"), guid="tag:wire,1", feed_id="wire")
    verdict_of(index, first, T0)
    same_guid = dict(first, id="b", url="https://elsewhere.example/a", text="Updated.")
    assert verdict_of(index, same_guid, T0 + 1) == ("guid", "en-original")
    same_text = dict(original("en"), id="c", url="https://third.example/a")
    same_text["text"] = "By John Smith\nShare this\n" + same_text["text"] + "\nSource: Wire"
    assert verdict_of(index, same_text, T0 + 2) == ("content", "en-original")


# Two different meetings written from one template: different parties, place and day.
TEMPLATES: dict[str, tuple[str, list[tuple[str, ...]]]] = {
    "en": ("The foreign minister of {0} met his counterpart from {1} in {2} on {3}. The "
           "two ministers discussed trade, energy and regional security and agreed to hold "
           "consultations later this year, the ministry said in a statement. They also "
           "signed a memorandum on cultural exchanges between {0} and {1}.",
           [("Brazil", "Argentina", "Brasilia", "Monday"),
            ("Norway", "Finland", "Oslo", "Thursday")]),
    "fr": ("Le ministre des Affaires étrangères du {0} a rencontré son homologue du {1} à "
           "{2} le {3}. Les deux ministres ont évoqué le commerce, l'énergie et la sécurité "
           "régionale et sont convenus de tenir des consultations plus tard dans l'année, a "
           "indiqué le ministère. Ils ont aussi signé un mémorandum entre le {0} et le {1}.",
           [("Mali", "Niger", "Bamako", "2 mai"), ("Gabon", "Congo", "Libreville", "9 juin")]),
    "ru": ("Министр иностранных дел {0} встретился с коллегой из {1} в {2} {3}. Министры "
           "обсудили торговлю, энергетику и региональную безопасность и договорились "
           "провести консультации позже в этом году, сообщило министерство. Также был "
           "подписан меморандум о культурном обмене между {0} и {1}.",
           [("Армении", "Грузии", "Ереване", "в понедельник"),
            ("Монголии", "Киргизии", "Улан-Баторе", "в четверг")]),
    "ar": ("التقى وزير خارجية {0} نظيره من {1} في {2} يوم {3}. وبحث الوزيران التجارة "
           "والطاقة والأمن الإقليمي واتفقا على إجراء مشاورات في وقت لاحق من العام، وفق بيان "
           "للوزارة. كما وقعا مذكرة تفاهم للتبادل الثقافي بين {0} و{1}.",
           [("تونس", "ليبيا", "تونس العاصمة", "الاثنين"), ("عمان", "قطر", "مسقط", "الخميس")]),
    "zh": ("{0}外长{3}在{2}会见{1}外长。双方讨论了贸易、能源和地区安全问题，同意在今年晚些时候"
           "举行磋商。双方还签署了{0}和{1}文化交流备忘录。",
           [("泰国", "柬埔寨", "曼谷", "周一"), ("蒙古", "哈萨克斯坦", "乌兰巴托", "周四")]),
}


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_same_template_different_meetings_are_different_stories(lang: str) -> None:
    template, fills = TEMPLATES[lang]
    index = StoryIndex()
    a = doc("meeting-a", "Ministers meet", [template.format(*fills[0])])
    b = doc("meeting-b", "Ministers meet", [template.format(*fills[1])])
    assert verdict_of(index, a, T0)[0] == "new"
    assert verdict_of(index, b, T0 + 60) == ("new", "meeting-b")


def test_texts_in_different_scripts_never_share_a_key() -> None:
    sigs = {lang: fingerprint(original(lang)) for lang in LANGS}
    assert len({s.script for s in sigs.values()}) == 4  # latin, cyrillic, arabic, han
    for a in LANGS:
        for b in LANGS:
            if a < b and sigs[a].script != sigs[b].script:
                keys_a = set(sigs[a].bands) | set(sigs[a].lead_bands)
                assert not keys_a & (set(sigs[b].bands) | set(sigs[b].lead_bands))
    # the same digits-only body under titles in two scripts: still two stories
    numbers = " ".join(str(n) for n in range(2000, 2100))
    index = StoryIndex()
    assert verdict_of(index, doc("r", "Итоги года в цифрах и таблицах", [numbers]), T0)[0] == "new"
    assert verdict_of(index, doc("z", "年度数据统计表格汇总一览", [numbers]), T0)[0] == "new"


@pytest.mark.parametrize("lang", LANGS)
def test_other_stories_stay_apart(lang: str) -> None:
    index = StoryIndex()
    for other in LANGS:
        assert verdict_of(index, original(other), T0)[0] == "new"
    title, paras = STORIES[lang]
    template, fills = TEMPLATES.get(lang, TEMPLATES["en"])
    # same title and first paragraph, other body: the lead joins it to its story
    lead_only = doc("lead", title, [paras[0], template.format(*fills[1])])
    assert verdict_of(index, lead_only, T0 + 1)[1] == f"{lang}-original"
    # another story of the same language and outlet: new
    other = doc("other", "Ministers meet", [template.format(*fills[0])],
                url=f"https://wire.example/{lang}/other")
    assert verdict_of(index, other, T0 + 2) == ("new", "other")


def test_expired_story_is_new_again() -> None:
    index = StoryIndex(DedupConfig(window_seconds=7 * DAY))
    verdict_of(index, original("en"), T0)
    assert verdict_of(index, syndicated("en"), T0 + 6 * DAY)[0] == "near"
    later = T0 + 14 * DAY
    assert index.check(fingerprint(original("en")), later).kind == "new"
    assert index.expire(later) == 2
    assert len(index) == 0
    assert verdict_of(index, original("en"), later) == ("new", "en-original")


def test_window_is_exact_even_within_a_bucket() -> None:
    index = StoryIndex(DedupConfig(window_seconds=7 * DAY, generations=1))
    verdict_of(index, original("fr"), T0)
    assert index.check(fingerprint(original("fr")), T0 + 7 * DAY + 1).kind == "new"


def test_add_is_idempotent() -> None:
    index = StoryIndex()
    sig = fingerprint(original("ru"))
    index.add(sig, sig.id, T0)
    size = index.memory_bytes()
    for _ in range(3):
        assert index.add(sig, sig.id, T0 + 5) is None
    assert len(index) == 1
    assert index.memory_bytes() == size
    no_url = fingerprint({"id": "x1", "title": "t", "text": STORIES["ru"][1][1]})
    index.add(no_url, "x1", T0)
    index.add(no_url, "x1", T0)
    assert len(index) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_serialisation_round_trip(lang: str) -> None:
    sig = fingerprint(dict(syndicated(lang), guid="g-1", feed_id="f"))
    assert Signature.from_bytes(sig.to_bytes()) == sig
    assert Signature.from_dict(orjson.loads(orjson.dumps(sig.to_dict()))) == sig
    assert len(sig.to_bytes()) < 260
    record = IndexRecord(sig, "0123456789abcdef0123", T0)
    assert IndexRecord.from_bytes(record.to_bytes()) == record


@pytest.mark.parametrize("data", [b"", b"\x02", b"\x01\x05\x00ab", b"\x01" + b"\xff" * 40])
def test_bad_serialised_signature_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(InvalidDocumentError):
        Signature.from_bytes(data)


@pytest.mark.parametrize("order", ["a-first", "b-first"])
def test_race_older_story_wins_in_any_order(order: str) -> None:
    # Worker A saw the original at T0, worker B a copy at T0 + 1 before A's record came.
    a = IndexRecord(fingerprint(original("es")), "es-original", T0)
    b = IndexRecord(fingerprint(syndicated("es")), "es-copy", T0 + 1)
    index = StoryIndex()
    first, second = (a, b) if order == "a-first" else (b, a)
    assert index.add(first.signature, first.story_id, T0 + 2, first.first_seen) is None
    merge = index.add(second.signature, second.story_id, T0 + 2, second.first_seen)
    assert merge == StoryMerge(loser="es-copy", winner="es-original")
    for rec in (a, b):
        assert index.check(rec.signature, T0 + 3).story_id == "es-original"
    # replaying either record changes nothing
    assert index.add(b.signature, b.story_id, T0 + 4, b.first_seen) is None
    assert len(index) == 2


def test_race_tie_goes_to_the_smaller_id() -> None:
    index = StoryIndex()
    index.add(fingerprint(original("ar")), "zz-story", T0, T0)
    merge = index.add(fingerprint(syndicated("ar")), "aa-story", T0, T0)
    assert merge == StoryMerge(loser="zz-story", winner="aa-story")


def test_hex_story_ids_are_packed_and_returned_intact() -> None:
    index = StoryIndex()
    sig = fingerprint(original("en"))
    index.add(sig, "00ab00000000000000ff", T0)
    assert index.check(fingerprint(syndicated("en")), T0).story_id == "00ab00000000000000ff"


def test_dedup_lines_contract() -> None:
    lines = [orjson.dumps(original("en")).decode(), "", "{not json",
             orjson.dumps(syndicated("en")).decode(),
             orjson.dumps({"id": 7, "title": "x", "text": 3}).decode(),
             orjson.dumps(dict(original("zh"), published_at="2025-06-01T10:00:00Z")).decode(),
             orjson.dumps(dict(summary("zh"), published_at="2025-06-01T11:00:00")).decode()]
    out = list(dedup_lines(lines))
    assert out[0] == {"id": "en-original", "story_id": "en-original", "duplicate_of": None,
                      "kind": "new"}
    assert out[1]["id"] is None and "invalid JSON" in out[1]["error"]
    assert out[2] == {"id": "en-copy", "story_id": "en-original",
                      "duplicate_of": "en-original", "kind": "near"}
    assert out[3]["id"] == "7" and "error" in out[3]  # the id the bad line gave
    assert out[4]["kind"] == "new"
    assert out[5]["duplicate_of"] == "zh-original"
    assert len(out) == 6


def test_fingerprint_rejects_wrong_types() -> None:
    for bad in ({"title": "no id", "text": "x"}, {"id": "a", "text": 5},
                {"id": "a", "text": "x", "url": ["u"]}):
        with pytest.raises(InvalidDocumentError):
            fingerprint(bad)


@given(st.text(max_size=400), st.text(max_size=60), st.one_of(st.none(), st.text(max_size=60)))
def test_any_text_gives_a_signature(text: str, title: str, url: str | None) -> None:
    d = {"id": "h", "title": title, "text": text}
    if url is not None:
        d["url"] = url
    try:
        sig = fingerprint(d)
    except InvalidDocumentError:
        return
    assert Signature.from_bytes(sig.to_bytes()) == sig
    index = StoryIndex()
    assert index.check(sig, T0).kind == "new"
    index.add(sig, sig.id, T0)
    assert index.check(sig, T0).kind in ("url", "content", "near")


def test_observe_is_check_then_add_with_one_probe() -> None:
    """A stream's one call per article gives what ``check`` then ``add`` give, on every
    kind of article: new, copies of each kind, the same article again, a race merge."""
    docs = []
    for lang in STORIES:
        docs += [original(lang), syndicated(lang), original(lang)]
    docs.append({**original("en"), "id": "other-id", "url": "https://other.example/en"})
    sigs = [fingerprint(d) for d in docs]
    one, two = StoryIndex(), StoryIndex()
    # a record of another worker makes the next copy race into a merge
    for index in (one, two):
        index.add(fingerprint(syndicated("ru")), "ru-elsewhere", T0 - 5, T0 - 5)
    for n, sig in enumerate(sigs):
        now = T0 + n
        verdict = one.check(sig, now)
        merge = one.add(sig, verdict.story_id, now)
        assert two.observe(sig, now) == (verdict, merge), docs[n]["id"]
    assert len(one) == len(two)
    for sig in sigs:
        assert one.check(sig, T0 + 100) == two.check(sig, T0 + 100)


# ---------------------------------------------------------------- fast paths
CJK = _CJK_RANGES
#: ASCII, letters of other scripts, combining marks, punctuation and symbols, Han and
#: kana (and the kana middle dot, in their range but no word character), Hangul,
#: characters of other planes, a lone surrogate.
UNIT_ALPHABET = sorted(set(
    "ab Z9_ .,-'\n\t" "éßœİı" "\u0301\u0308" "٣²½" "…«»—“" "\u3000\u00a0"
    "。、，中文日本語カタカナひらがな・゠ー㐀\u9fff\u3040\u30ff\uf900\ufaff"
    "한국어ไทยहि" "𝔘𠀀🎉" "\ud800" "\ue000\uffff"
))


def reference_units(text: str) -> tuple[list[bytes], list[int], list[bool]]:
    """Words (runs of word characters but Han and kana), Han and kana word characters,
    and per unit in text order whether it is such a character, by regular expressions."""
    words = [w.encode() for w in re.findall(rf"[^\W{CJK}]+", text)]
    chars = [ord(c) for c in re.findall(rf"(?=\w)[{CJK}]", text)]
    units = re.findall(rf"(?=\w)[{CJK}]|[^\W{CJK}]+", text)
    return words, chars, [bool(re.fullmatch(rf"[{CJK}]", u)) for u in units]


#: The same, but for characters beyond the Basic Multilingual Plane and surrogates.
BMP_ALPHABET = [c for c in UNIT_ALPHABET if c < "\ud800" or "\ue000" <= c <= "\uffff"]


@given(st.text(alphabet=st.sampled_from(UNIT_ALPHABET), max_size=80)
       | st.text(alphabet=st.sampled_from(UNIT_ALPHABET), min_size=64, max_size=300)
       | st.text(alphabet=st.sampled_from(BMP_ALPHABET), min_size=64, max_size=300),
       st.lists(st.integers(0, 60), min_size=1, max_size=3))
def test_units_are_the_regex_units(text: str, ns: list[int]) -> None:
    words, chars, is_char = reference_units(text)
    units = _units(text)
    assert units.words == words
    assert units.chars.tolist() == chars
    assert units.split(*ns) == [(n - sum(is_char[:n]), sum(is_char[:n]))
                                for n in (min(n, len(is_char)) for n in ns)]


def reference_grams(values: list[int], k: int, salt: int) -> list[int]:
    """32-bit hashes of the k-grams of the values (padded with zeros to k)."""
    constants = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93)
    values = values + [0] * (k - len(values))
    hashes = []
    for start in range(len(values) - k + 1):
        h = salt
        for i in range(k):
            h = ((h ^ values[start + i]) * constants[i]) % 2**64
        hashes.append((h ^ (h >> 31)) % 2**32)
    return hashes


@given(st.lists(st.binary(min_size=1, max_size=6), max_size=30),
       st.lists(st.integers(0, 2**21), max_size=30),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=3),
       st.sampled_from([16, 64]))
def test_prefix_minhashes_are_those_of_datasketch(words: list[bytes], chars: list[int],
                                                 prefixes: list[tuple[int, int]],
                                                 num_perm: int) -> None:
    """Each prefix's MinHash, taken from the hashes of the whole sequence, is that of a
    datasketch MinHash updated with the prefix's own shingles."""
    sketches = _Sketches(iter(words), len(words), np.array(chars, dtype=np.uint64), num_perm)
    prefixes = [(min(w, len(words)), min(c, len(chars))) for w, c in prefixes]
    for (n_words, n_chars), values in zip(prefixes, sketches.minhashes(prefixes),
                                          strict=True):
        shingles = []
        if n_words:
            shingles += reference_grams([zlib.crc32(w) for w in words[:n_words]], 3, 0x57)
        if n_chars:
            shingles += reference_grams(chars[:n_chars], 4, 0x43)
        if not shingles:
            assert values is None
            continue
        expected = MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=int)
        expected.update_batch(shingles)
        assert values is not None and values.tolist() == expected.hashvalues.tolist()


@given(st.lists(st.one_of(
    st.booleans(),  # a flush (compacting or not), as when a newer generation opens
    st.tuples(st.lists(st.integers(0, 40), min_size=1, max_size=6), st.integers(0, 30)),
), max_size=120), st.sampled_from([3, 8, 4096]))
def test_generation_lookup_oldest_run_first_then_latest_insert(
        ops: list[tuple[list[int], int] | bool], buffer: int) -> None:
    """A key is found under the ref of the earliest buffer it went through (a flush
    closes a buffer, so does a full one), and in that buffer under its latest insert."""
    gen = _Generation(0)
    gen.BUFFER = buffer
    expected: dict[int, tuple[int, int]] = {}  # key → (buffer number, ref)
    number = held = inserted = 0
    for op in ops:
        if isinstance(op, bool):
            gen.flush(compact=op)
            number, held = number + 1, 0
            assert len(gen.runs) <= (1 if op else 2)
            continue
        keys, ref = op
        gen.insert(keys, ref)
        for key in keys:
            if expected.get(key, (number, 0))[0] == number:
                expected[key] = (number, ref)
        held += len(keys)
        inserted += len(keys)
        if held >= buffer:
            number, held = number + 1, 0
    probe = list(range(41))
    found = gen.lookup(np.array(probe, dtype=np.uint64), probe)
    assert (found or [-1] * len(probe)) == [expected.get(k, (0, -1))[1] for k in probe]
    assert (found is None) == (not expected)
    assert sum(len(keys) for keys, _ in gen.runs) + len(gen.buf_keys) == inserted
    assert all(bool((keys[1:] >= keys[:-1]).all()) for keys, _ in gen.runs)


@given(st.text(alphabet=st.sampled_from(sorted(set(
    "abcXYZ 1.,-" "éßǅ\u0301" "ёяЖ" "اﻼ" "中カ" "Ωש" "हि" "한ไ" "𝔘\ud800"))), max_size=300)
       | st.text(max_size=300))
@example("1234567 я")  # mostly ASCII, no Latin letter
@example("1234567 жж aa")  # a tie goes to Latin
@example("1234567 жж a")
@example("1234567 é \ud800 ~")
@example("12 ¿¡§ ½ 45")  # Latin-1, no letter
@example("× ÷ ÿ")  # Latin-1 letters of the Latin range (and the signs within it)
def test_script_is_the_most_frequent_by_regex(text: str) -> None:
    head = text[:4000]
    counts = [len(pattern.findall(head)) for _, pattern in _SCRIPTS]
    best = max(range(len(counts)), key=lambda i: (counts[i], -i))
    assert _script(text) == (_SCRIPTS[best][0] if counts[best] else "other")


@pytest.mark.parametrize("lang", LANGS)
def test_fields_cleaned_by_the_caller_give_the_same_signature(lang: str) -> None:
    for d in (original(lang), syndicated(lang)):
        assert fingerprint(d, cleaned=clean_fields(d["title"], d["text"])) == fingerprint(d)


def test_fields_cleaned_by_the_caller_are_the_ones_read() -> None:
    en, fr = original("en"), original("fr")
    mixed = fingerprint(en, cleaned=clean_fields(fr["title"], fr["text"]))
    assert mixed.id == en["id"]
    theirs = fingerprint(fr)
    assert (mixed.bands, mixed.content_hash) == (theirs.bands, theirs.content_hash)
    with pytest.raises(InvalidDocumentError, match="CleanFields"):
        fingerprint(en, cleaned=(en["title"], en["text"]))  # type: ignore[arg-type]
