"""Throughput and memory of deduplication (analysis.dedup) on ~3 KB articles.

Usage::

    python benchmarks/bench_dedup.py [--articles N] [--memory-articles M] [--seed S]

Articles are assembled from sentence templates written for this benchmark in ar, en,
es, fr, ru and zh (random names, places, numbers), about 3 KB of UTF-8 each; about 20 %
are syndicated copies of an earlier article (other URL with tracking parameters,
byline / share / source lines, a dateline, sometimes reordered paragraphs or cut to a
summary). One process, one core; a warm-up (imports, first MinHash) is excluded.

Each article's URL id is computed before the timed loops and passed to ``fingerprint`` as
``url_key``, as in the worker: the producer keys an article on articles.raw by the id of
its canonical URL (``producers.parsing``: ``id=canonical_url_id(url)``) and the dedup
agent calls ``fingerprint(article, url_key=article["id"])`` (``agents/dedup.py``), so the
URL is not made canonical again per article. The exact-hashing baseline takes the same
precomputed id.

Reported: articles/s for the fingerprint alone (and, in the same run, with its MinHash
values computed by NumPy, as an install without the compiled ``analysis._minhash``
does), for fingerprint + check + add (two probes of the index) and fingerprint + observe
(one probe: what the worker does), and in the same run a baseline doing exact hashing
only (content hash; it and the URL id looked up in a dict); the copies found; bytes per
article held, from ``StoryIndex.memory_bytes()`` and from tracemalloc, for M articles
(synthetic signatures: the index's size does not depend on the texts).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import analysis.dedup as dedup  # noqa: E402
from analysis.dedup import Signature, StoryIndex, fingerprint  # noqa: E402
from analysis.fingerprints import content_hash, url_id  # noqa: E402

SENTENCES = {
    "en": ["The minister of {w} said on {d} that talks with {v} on {n} projects would go on.",
           "Officials in {p} reported {n} new cases and asked residents to stay calm.",
           "Exports of {w} rose by {n} per cent, according to figures released in {p}.",
           "A delegation from {v} arrived in {p} to discuss roads, ports and power lines.",
           "Analysts expect the agreement on {w} to be signed before {d}, sources said."],
    "fr": ["Le ministre de {w} a déclaré {d} que les discussions avec {v} se poursuivraient.",
           "Les autorités de {p} ont signalé {n} nouveaux cas et appelé au calme.",
           "Les exportations de {w} ont augmenté de {n} %, selon les chiffres publiés à {p}.",
           "Une délégation de {v} est arrivée à {p} pour parler de routes et de ports.",
           "Les analystes attendent la signature de l'accord sur {w} avant {d}."],
    "es": ["El ministro de {w} dijo el {d} que las conversaciones con {v} continuarán.",
           "Las autoridades de {p} informaron de {n} nuevos casos y pidieron calma.",
           "Las exportaciones de {w} subieron un {n} %, según cifras publicadas en {p}.",
           "Una delegación de {v} llegó a {p} para hablar de carreteras y puertos.",
           "Los analistas esperan que el acuerdo sobre {w} se firme antes del {d}."],
    "ru": ["Министр {w} заявил в {d}, что переговоры с {v} по {n} проектам продолжатся.",
           "Власти {p} сообщили о {n} новых случаях и призвали жителей к спокойствию.",
           "Экспорт {w} вырос на {n} процентов, по данным, опубликованным в {p}.",
           "Делегация {v} прибыла в {p} для обсуждения дорог, портов и линий связи.",
           "Аналитики ожидают подписания соглашения по {w} до {d}, сообщили источники."],
    "ar": ["قال وزير {w} يوم {d} إن المحادثات مع {v} بشأن {n} مشروعا ستستمر.",
           "أعلنت السلطات في {p} تسجيل {n} حالة جديدة ودعت السكان إلى الهدوء.",
           "ارتفعت صادرات {w} بنسبة {n} في المئة وفق أرقام نشرت في {p}.",
           "وصل وفد من {v} إلى {p} لبحث الطرق والموانئ وخطوط الكهرباء.",
           "يتوقع محللون توقيع الاتفاق بشأن {w} قبل {d} بحسب مصادر."],
    "zh": ["{w}部长{d}表示，与{v}关于{n}个项目的谈判将继续进行。",
           "{p}当局报告了{n}例新病例，并呼吁居民保持冷静。",
           "根据在{p}公布的数据，{w}出口增长了百分之{n}。",
           "来自{v}的代表团抵达{p}，讨论道路、港口和电力线路问题。",
           "分析人士预计，有关{w}的协议将在{d}之前签署。"],
}
WORDS = {
    "en": ["energy", "water", "grain", "steel", "health", "transport", "fisheries"],
    "fr": ["l'énergie", "l'eau", "céréales", "l'acier", "santé", "transports", "pêche"],
    "es": ["energía", "agua", "cereales", "acero", "salud", "transporte", "pesca"],
    "ru": ["энергетики", "воды", "зерна", "стали", "здравоохранения", "транспорта"],
    "ar": ["الطاقة", "المياه", "الحبوب", "الصلب", "الصحة", "النقل", "الصيد"],
    "zh": ["能源", "水利", "粮食", "钢铁", "卫生", "交通", "渔业"],
}
PLACES = {
    "en": ["Nairobi", "Lima", "Hanoi", "Oslo", "Quito", "Dakar", "Baku", "Riga"],
    "fr": ["Dakar", "Tunis", "Rabat", "Niamey", "Lomé", "Genève", "Beyrouth"],
    "es": ["Lima", "Quito", "Bogotá", "Asunción", "La Paz", "Montevideo", "Caracas"],
    "ru": ["Ташкента", "Астаны", "Баку", "Еревана", "Минска", "Бишкека", "Душанбе"],
    "ar": ["عمان", "تونس", "الرباط", "الدوحة", "مسقط", "بيروت", "الجزائر"],
    "zh": ["河内", "万象", "曼谷", "金边", "仰光", "雅加达", "马尼拉"],
}
DAYS = {"en": ["Monday", "Tuesday", "Friday"], "fr": ["lundi", "mardi", "vendredi"],
        "es": ["lunes", "martes", "viernes"], "ru": ["понедельник", "среду", "пятницу"],
        "ar": ["الاثنين", "الثلاثاء", "الجمعة"], "zh": ["周一", "周二", "周五"]}
BOILER = {"en": ("By Staff Writer", "Share this", "Source: Wire"),
          "fr": ("Par la rédaction", "Partager", "Source : Wire"),
          "es": ("Por la redacción", "Compartir", "Fuente: Wire"),
          "ru": ("Поделиться", "Поделиться", "Источник: Wire"),
          "ar": ("شارك", "شارك", "المصدر: وكالة"),
          "zh": ("分享到", "分享到", "来源：新华社")}
LANGS = sorted(SENTENCES)
SYLLABLES = {
    "en": "ka lo mi ra ten bor vel san dut", "fr": "ré mon cha lu vin po gé tar",
    "es": "ma ro cie la dor pe su bal", "ru": "ка ло ми ра тен бор вел сан",
    "ar": "كا لو مي را تن بور فل سان", "zh": "华 明 安 德 国 新 东 海 林 光 平 文",
}


def name(rng: random.Random, lang: str) -> str:
    parts = SYLLABLES[lang].split()
    word = "".join(rng.choice(parts) for _ in range(rng.randint(2, 3)))
    return word if lang == "zh" else word.capitalize()


def make_article(rng: random.Random, i: int) -> dict[str, str]:
    lang = LANGS[i % len(LANGS)]
    paragraphs: list[str] = []
    size = 0
    while size < 2900:
        para = " ".join(
            rng.choice(SENTENCES[lang]).format(
                w=rng.choice(WORDS[lang]), v=name(rng, lang),
                p=name(rng, lang) + " " + rng.choice(PLACES[lang]), d=rng.choice(DAYS[lang]),
                n=rng.randint(2, 9999))
            for _ in range(3))
        paragraphs.append(para)
        size += len(para.encode("utf-8")) + 1
    return {"id": f"{i:020x}", "url": f"https://news{i % 50}.example/{lang}/{i}",
            "title": paragraphs[0][:60], "text": "\n".join(paragraphs), "lang": lang}


def make_copy(rng: random.Random, src: dict[str, str], i: int) -> dict[str, str]:
    byline, share, source = BOILER[src["lang"]]
    paragraphs = src["text"].split("\n")
    how = rng.random()
    if how < 0.3:
        paragraphs = [paragraphs[0], *rng.sample(paragraphs[1:], len(paragraphs) - 1)]
    elif how < 0.5:
        paragraphs = [paragraphs[0][: len(paragraphs[0]) * 3 // 4] + "…"]
    body = [byline, share, "CITY (Wire) - " + paragraphs[0], *paragraphs[1:], source]
    return {"id": f"{i:020x}", "url": f"https://outlet{i % 30}.example/a/{i}?utm_source=rss",
            "title": "Outlet: " + src["title"], "text": "\n".join(body), "lang": src["lang"]}


def corpus(n: int, seed: int) -> tuple[list[dict[str, str]], set[int]]:
    rng = random.Random(seed)
    docs: list[dict[str, str]] = []
    copies: set[int] = set()
    for i in range(n):
        if docs and rng.random() < 0.2:
            docs.append(make_copy(rng, rng.choice(docs[-500:]), i))
            copies.add(i)
        else:
            docs.append(make_article(rng, i))
    return docs, copies


def run_dedup(docs: list[dict[str, str]], url_keys: list[str], t0: float,
              one_probe: bool = True) -> tuple[float, list[str], StoryIndex]:
    """Fingerprint, check and add each article as the worker does (``observe``: one
    probe of the index), or with ``check`` then ``add`` (two probes)."""
    index = StoryIndex()
    kinds = []
    start = time.perf_counter()
    for i, (doc, url_key) in enumerate(zip(docs, url_keys, strict=True)):
        now = t0 + i * 5.0
        sig = fingerprint(doc, url_key=url_key)
        if one_probe:
            verdict, _merge = index.observe(sig, now)
        else:
            verdict = index.check(sig, now)
            index.add(sig, verdict.story_id, now)
        kinds.append(verdict.kind)
    return time.perf_counter() - start, kinds, index


def run_fingerprint(docs: list[dict[str, str]], url_keys: list[str]) -> float:
    start = time.perf_counter()
    for doc, url_key in zip(docs, url_keys, strict=True):
        fingerprint(doc, url_key=url_key)
    return time.perf_counter() - start


def run_fingerprint_numpy(docs: list[dict[str, str]], url_keys: list[str]) -> float | None:
    """``run_fingerprint`` with the MinHash values computed by NumPy, as without the
    compiled ``analysis._minhash`` (None when that is the implementation anyway)."""
    if dedup.MINHASH_IMPLEMENTATION == "numpy":
        return None
    compiled = dedup._minhashes
    dedup._minhashes = dedup._minhashes_numpy
    try:
        return run_fingerprint(docs, url_keys)
    finally:
        dedup._minhashes = compiled


def run_exact(docs: list[dict[str, str]], url_keys: list[str]) -> float:
    seen: dict[str, str] = {}
    start = time.perf_counter()
    for doc, url_key in zip(docs, url_keys, strict=True):
        keys = [url_key, content_hash(doc["title"], doc["text"]) or ""]
        if not any(k in seen for k in keys):
            for k in keys:
                seen[k] = doc["id"]
    return time.perf_counter() - start


def memory(n: int, seed: int) -> tuple[int, int, int]:
    rng = random.Random(seed)
    template = fingerprint(make_article(rng, 0))
    sigs = []
    for i in range(n):
        sigs.append(Signature(
            id=f"{i:020x}", url_id=f"{rng.getrandbits(80):020x}",
            guid_key=f"{rng.getrandbits(80):020x}", content_hash=f"{rng.getrandbits(80):020x}",
            script="latin", bands=tuple(rng.getrandbits(64) for _ in template.bands),
            lead_bands=tuple(rng.getrandbits(64) for _ in template.lead_bands)))
    stories = [f"{i:020x}" if i == 0 or rng.random() >= 0.2 else f"{rng.randrange(i):020x}"
               for i in range(n)]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = StoryIndex()
    for i, (sig, story) in enumerate(zip(sigs, stories, strict=True)):
        index.add(sig, story, 1_750_000_000.0 + i * 5.0)  # 100k articles ≈ 6 days
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return len(index), index.memory_bytes(), traced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--memory-articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    docs, copies = corpus(args.articles, args.seed)
    mean_kb = sum(len(d["text"].encode()) for d in docs) / len(docs) / 1024
    url_keys = [url_id(doc["url"]) for doc in docs]  # the producer's articles.raw keys
    run_dedup(docs[:200], url_keys[:200], 0.0)  # warm-up
    exact_s = run_exact(docs, url_keys)
    fingerprint_s = run_fingerprint(docs, url_keys)
    numpy_s = run_fingerprint_numpy(docs, url_keys)
    two_probes_s, two_kinds, _ = run_dedup(docs, url_keys, 1_750_000_000.0, one_probe=False)
    dedup_s, kinds, index = run_dedup(docs, url_keys, 1_750_000_000.0)
    assert kinds == two_kinds  # the same verdicts either way
    found = sum(1 for i in copies if kinds[i] != "new")
    false = sum(1 for i, k in enumerate(kinds) if i not in copies and k != "new")
    print(f"articles: {len(docs)} ({mean_kb:.1f} KB mean, {len(copies)} syndicated copies, "
          f"6 languages)")
    print(f"baseline exact hashing only: {len(docs) / exact_s:,.0f} articles/s "
          f"({exact_s / len(docs) * 1000:.3f} ms/article)")
    print(f"fingerprint alone:           {len(docs) / fingerprint_s:,.0f} articles/s "
          f"({fingerprint_s / len(docs) * 1000:.3f} ms/article; MinHash values: "
          f"{dedup.MINHASH_IMPLEMENTATION})")
    if numpy_s is not None:
        print(f"fingerprint alone, NumPy:    {len(docs) / numpy_s:,.0f} articles/s "
              f"({numpy_s / len(docs) * 1000:.3f} ms/article; without analysis._minhash)")
    print(f"fingerprint, check, add:     {len(docs) / two_probes_s:,.0f} articles/s "
          f"({two_probes_s / len(docs) * 1000:.3f} ms/article; two probes)")
    print(f"fingerprint + observe:       {len(docs) / dedup_s:,.0f} articles/s "
          f"({dedup_s / len(docs) * 1000:.3f} ms/article; one probe, as the worker)")
    print(f"copies found: {found}/{len(copies)}; originals taken for copies: {false}")
    print("kinds: " + ", ".join(f"{k}={kinds.count(k)}"
                                 for k in ("new", "url", "guid", "content", "near")))
    print(f"index after run: {len(index)} articles, "
          f"{index.memory_bytes() / len(index):.0f} bytes/article (memory_bytes)")
    held, reported, traced = memory(args.memory_articles, args.seed)
    print(f"memory, {held:,} articles held: memory_bytes {reported / held:.0f} B/article, "
          f"tracemalloc {traced / held:.0f} B/article")


if __name__ == "__main__":
    main()
