"""Throughput of the analysis core on ~3 KB articles mixed across six languages.

Usage::

    python benchmarks/bench_analysis.py [--articles N] [--rounds R] [--seed S]
    python benchmarks/bench_analysis.py --broken-markup

Articles are assembled from paragraph templates written for this benchmark (politics,
diplomacy and sanctions paragraphs mixed with economy, society, science and sport
ones) in ar, en, es, fr, ru and zh, about 3 KB of UTF-8 each. The run is single-process
on one core, measured in process CPU time (best of the rounds); a warm-up pass (data
loading, automaton compilation, caches) is excluded.
A baseline in the same run reads and lower-cases the same texts, and, when the install
compiled the analysis core (setup.py), a second process times the same modules from
their .py files alone (a copy of the package without its compiled modules).

``--broken-markup`` times the HTML cleaning of markup whose tags never close ("<a\n"
repeated, at 20 KB to 400 KB, the most an article may hold) against html.parser alone
on the same text in the same run, up to a time limit per size.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: the pure-Python run puts a copy there

from analysis import Document, analyze  # noqa: E402

TARGET_BYTES = 3000

PARTIES = {
    "en": [
        ("Russian", "Lavrov"),
        ("Chinese", "Wang Yi"),
        ("French", "Barrot"),
        ("Turkish", "Fidan"),
        ("Indian", "Jaishankar"),
        ("Iranian", "Araghchi"),
    ],
    "fr": [
        ("russe", "Lavrov"),
        ("chinois", "Wang Yi"),
        ("allemand", "Wadephul"),
        ("turc", "Fidan"),
        ("indien", "Jaishankar"),
        ("iranien", "Araghchi"),
    ],
    "es": [
        ("ruso", "Lavrov"),
        ("chino", "Wang Yi"),
        ("francés", "Barrot"),
        ("turco", "Fidan"),
        ("indio", "Jaishankar"),
        ("iraní", "Araghchi"),
    ],
    "ru": [
        ("китайский", "Ван И"),
        ("турецкий", "Фидан"),
        ("индийский", "Джайшанкар"),
        ("иранский", "Аракчи"),
        ("французский", "Барро"),
        ("египетский", "Абдель Ати"),
    ],
    "ar": [
        ("الروسي", "لافروف"),
        ("الصيني", "وانغ يي"),
        ("التركي", "فيدان"),
        ("الإيراني", "عراقجي"),
        ("المصري", "عبد العاطي"),
        ("الفرنسي", "بارو"),
    ],
    "zh": [
        ("俄罗斯", "拉夫罗夫"),
        ("法国", "巴罗"),
        ("土耳其", "费丹"),
        ("伊朗", "阿拉格齐"),
        ("印度", "苏杰生"),
        ("埃及", "阿卜杜勒阿蒂"),
    ],
}

PARAGRAPHS: dict[str, list[str]] = {
    "en": [
        "The {a} foreign minister {x} held a telephone conversation on Tuesday with his {b} "
        "counterpart {y}, the ministry said in a statement. The two sides discussed regional "
        "security, energy cooperation and preparations for a visit planned for next month.",
        "Officials in the capital rejected what they called illegal unilateral sanctions and "
        "warned that new restrictions on banks and shipping would hurt ordinary people rather "
        "than change policy. Exporters say payments have become slower and more expensive.",
        "Retail sales rose for a third consecutive month in October as households spent more on "
        "food, clothing and electronics, according to figures published by the statistics "
        "office. Economists expect growth to slow in the first quarter as energy bills rise.",
        "Heavy rain flooded several districts overnight, closing schools and disrupting train "
        "services. Emergency teams evacuated more than two hundred residents, and forecasters "
        "warned that more storms were likely before the weekend.",
        "A team of researchers at the national university has developed a cheaper battery "
        "material that could extend the range of electric buses. The group plans to test the "
        "prototype with a local transport company next year.",
        "The home side scored twice in the second half to win the league match in front of a "
        "sold-out crowd. The coach praised the young striker, who has now scored in five games "
        "in a row, and said the squad was ready for the cup final.",
    ],
    "fr": [
        "Le ministre {a} des Affaires étrangères {x} s'est entretenu mardi par téléphone avec "
        "son homologue {b} {y}, a indiqué le ministère. Les deux responsables ont évoqué la "
        "sécurité régionale et la préparation d'une visite prévue le mois prochain.",
        "Le gouvernement a dénoncé des sanctions unilatérales et illégales, estimant que les "
        "nouvelles restrictions visant les banques pénaliseraient surtout la population. Les "
        "exportateurs signalent des paiements plus lents et plus coûteux.",
        "Les ventes au détail ont progressé pour le troisième mois consécutif en octobre, portées "
        "par l'alimentation et l'électronique, selon l'institut de statistique. Les économistes "
        "anticipent un ralentissement au premier trimestre avec la hausse des factures.",
        "De fortes pluies ont inondé plusieurs quartiers pendant la nuit, entraînant la "
        "fermeture d'écoles et des perturbations dans les transports. Les secours ont évacué "
        "plus de deux cents habitants et de nouveaux orages sont attendus.",
        "Une équipe de chercheurs de l'université a mis au point un matériau de batterie moins "
        "cher qui pourrait augmenter l'autonomie des bus électriques. Un prototype sera testé "
        "avec une compagnie de transport locale l'an prochain.",
        "L'équipe locale a marqué deux fois en seconde période pour remporter le match devant un "
        "stade comble. L'entraîneur a salué le jeune attaquant, buteur lors des cinq dernières "
        "rencontres, avant la finale de la coupe.",
    ],
    "es": [
        "El ministro {a} de Exteriores, {x}, mantuvo el martes una conversación telefónica con "
        "su homólogo {b}, {y}, según informó el ministerio. Ambos abordaron la seguridad "
        "regional y los preparativos de una visita prevista para el próximo mes.",
        "El Gobierno rechazó las sanciones unilaterales e ilegales y advirtió de que las nuevas "
        "restricciones a los bancos perjudicarán sobre todo a la población. Los exportadores "
        "denuncian pagos más lentos y más caros.",
        "Las ventas minoristas subieron por tercer mes consecutivo en octubre, impulsadas por la "
        "alimentación y la electrónica, según el instituto de estadística. Los economistas prevén "
        "una desaceleración en el primer trimestre por el alza de las facturas.",
        "Las fuertes lluvias inundaron varios barrios durante la noche, obligando a cerrar "
        "colegios y alterando el servicio de trenes. Los equipos de emergencia evacuaron a más "
        "de doscientos vecinos y se esperan nuevas tormentas.",
        "Un equipo de investigadores de la universidad ha desarrollado un material para baterías "
        "más barato que podría ampliar la autonomía de los autobuses eléctricos. El prototipo se "
        "probará con una empresa de transporte local el próximo año.",
        "El equipo local marcó dos goles en la segunda parte para ganar el partido ante un "
        "estadio lleno. El entrenador elogió al joven delantero, que ha marcado en cinco "
        "jornadas seguidas, de cara a la final de copa.",
    ],
    "ru": [
        "Министр иностранных дел России Сергей Лавров провел во вторник телефонный разговор "
        "со своим {a_gen} коллегой {y}, сообщили в МИД. Стороны обсудили региональную "
        "безопасность и подготовку визита, запланированного на следующий месяц.",
        "В правительстве назвали незаконными односторонние санкции и предупредили, что новые "
        "ограничения против банков ударят прежде всего по населению. Экспортеры жалуются на "
        "задержки и рост стоимости платежей.",
        "Розничные продажи в октябре выросли третий месяц подряд благодаря продуктам питания и "
        "электронике, сообщила статистическая служба. Экономисты ожидают замедления роста в "
        "первом квартале из-за повышения тарифов.",
        "Сильные дожди ночью затопили несколько районов города, были закрыты школы и нарушено "
        "движение поездов. Спасатели эвакуировали более двухсот жителей, синоптики обещают "
        "новые грозы до конца недели.",
        "Группа исследователей университета разработала более дешевый материал для "
        "аккумуляторов, который может увеличить запас хода электробусов. Прототип испытают "
        "вместе с местным перевозчиком в следующем году.",
        "Хозяева поля забили дважды во втором тайме и выиграли матч при полных трибунах. Тренер "
        "похвалил молодого нападающего, который забивает пятую игру подряд, перед финалом "
        "кубка.",
    ],
    "ar": [
        "أجرى وزير الخارجية {a} {x} يوم الثلاثاء اتصالا هاتفيا مع نظيره {b} {y}، بحسب بيان "
        "للوزارة. وبحث الجانبان الأمن الإقليمي والتعاون في مجال الطاقة والتحضير لزيارة مقررة "
        "الشهر المقبل.",
        "ورفضت الحكومة ما وصفته بالعقوبات الأحادية غير الشرعية، محذرة من أن القيود الجديدة على "
        "البنوك والشحن ستضر بالمواطنين العاديين. ويقول المصدرون إن المدفوعات أصبحت أبطأ "
        "وأكثر كلفة.",
        "ارتفعت مبيعات التجزئة للشهر الثالث على التوالي في أكتوبر مع زيادة إنفاق الأسر على "
        "الغذاء والملابس والأجهزة الإلكترونية، وفقا لأرقام هيئة الإحصاء. ويتوقع اقتصاديون تباطؤ "
        "النمو في الربع الأول.",
        "أغرقت أمطار غزيرة عدة أحياء خلال الليل، ما أدى إلى إغلاق المدارس وتعطيل حركة القطارات. "
        "وأجلت فرق الطوارئ أكثر من مئتي ساكن، فيما توقع خبراء الأرصاد مزيدا من العواصف.",
        "طور فريق من الباحثين في الجامعة مادة أرخص للبطاريات قد تزيد مدى الحافلات الكهربائية. "
        "ويعتزم الفريق اختبار النموذج الأولي مع شركة نقل محلية العام المقبل.",
        "سجل أصحاب الأرض هدفين في الشوط الثاني ليفوزوا بالمباراة أمام مدرجات ممتلئة. وأشاد "
        "المدرب بالمهاجم الشاب الذي سجل في خمس مباريات متتالية قبل نهائي الكأس.",
    ],
    "zh": [
        "{a}外长{x}周二同{b}外长{y}通电话，双方就地区安全、能源合作以及下月访问的筹备工作交换了"
        "意见。外交部在声明中表示，两国将保持密切沟通。",
        "政府发言人表示，坚决反对非法单边制裁，新的限制措施针对银行和航运，将损害普通民众的利益。"
        "出口企业反映，支付变得更慢、成本更高。",
        "统计部门公布的数据显示，十月份社会消费品零售额连续第三个月增长，食品、服装和电子产品销售"
        "表现良好。经济学家预计，随着能源价格上涨，一季度增速将放缓。",
        "强降雨导致多个街区夜间被淹，部分学校停课，铁路运输受到影响。应急部门疏散了二百多名居民，"
        "气象部门预计周末前还将出现雷暴天气。",
        "大学研究团队研制出一种成本更低的电池材料，有望提高电动公交车的续航里程。团队计划明年与当地"
        "公交公司合作测试样机。",
        "主队在下半场两度破门，在座无虚席的球场赢得比赛。主教练称赞了连续五场比赛进球的年轻前锋，"
        "并表示球队已为杯赛决赛做好准备。",
    ],
}

TITLES = {
    "en": "{x} and {y} discuss regional security by phone",
    "fr": "{x} et {y} évoquent la sécurité régionale par téléphone",
    "es": "{x} y {y} abordan la seguridad regional por teléfono",
    "ru": "Лавров и {y} обсудили региональную безопасность",
    "ar": "{x} و{y} يبحثان الأمن الإقليمي هاتفيا",
    "zh": "{x}同{y}通电话",
}
RU_GENITIVE = {
    "китайский": "китайским",
    "турецкий": "турецким",
    "индийский": "индийским",
    "иранский": "иранским",
    "французский": "французским",
    "египетский": "египетским",
}


def build_articles(n: int, seed: int) -> list[Document]:
    """``n`` articles of about TARGET_BYTES bytes, languages in rotation."""
    rng = random.Random(seed)
    langs = sorted(PARAGRAPHS)
    docs = []
    for i in range(n):
        lang = langs[i % len(langs)]
        (a, x), (b, y) = rng.sample(PARTIES[lang], 2)
        slots = {"a": a, "b": b, "x": x, "y": y, "a_gen": RU_GENITIVE.get(b, b)}
        paragraphs = []
        size = 0
        while size < TARGET_BYTES:
            p = rng.choice(PARAGRAPHS[lang]).format(**slots)
            paragraphs.append(p)
            size += len(p.encode("utf-8")) + 1
        docs.append(
            Document(
                id=f"bench-{i}", title=TITLES[lang].format(**slots), text="\n".join(paragraphs)
            )
        )
    return docs


def compiled_core() -> bool:
    """True if analysis.events was imported from a compiled module."""
    import analysis.events

    return str(analysis.events.__file__).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def pure_copy(directory: Path) -> Path:
    """A copy of the analysis package's .py files, with its data, in ``directory``: on
    PYTHONPATH it is imported instead of the installed (compiled) package. Returns the
    copy's package directory."""
    package = directory / "analysis"
    package.mkdir()
    for source in (ROOT / "analysis").glob("*.py"):
        shutil.copy(source, package / source.name)
    (package / "data").symlink_to(ROOT / "analysis" / "data")
    return package


def pure_rate(args: argparse.Namespace) -> float:
    """Articles/s of ``analyze`` from the package's .py files alone, in another process."""
    with tempfile.TemporaryDirectory() as tmp:
        pure_copy(Path(tmp))
        env = {**os.environ, "PYTHONPATH": tmp}
        command = [sys.executable, __file__, "--articles", str(args.articles), "--rounds",
                   str(args.rounds), "--seed", str(args.seed), "--rate-only"]
        run = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True,
                             check=True)
        result = json.loads(run.stdout)
        if result["compiled"]:
            raise RuntimeError("the pure-Python run imported compiled modules")
        return float(result["rate"])


#: html.parser alone is not timed past this many seconds per size.
BROKEN_MARKUP_LIMIT = 60.0


def broken_markup() -> None:
    """Seconds to clean markup of unclosed tags: html_to_text against html.parser alone."""
    from analysis.text import _TextExtractor, html_to_text

    def parser_alone(markup: str) -> None:
        parser = _TextExtractor()
        parser.feed(markup)
        parser.close()

    print(f"{'characters':>12}{'html_to_text s':>16}{'html.parser alone s':>22}")
    skip = False
    for size in (20_000, 40_000, 80_000, 400_000):
        markup = "<p>" + "<a\n" * (size // 3)
        start = time.process_time()
        html_to_text(markup)
        ours = time.process_time() - start
        alone = "not run"
        if not skip:
            start = time.process_time()
            parser_alone(markup)
            seconds = time.process_time() - start
            alone = f"{seconds:.2f}"
            skip = seconds * 4 > BROKEN_MARKUP_LIMIT  # twice the size: four times the time
        print(f"{len(markup):>12,}{ours:>16.3f}{alone:>22}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate-only", action="store_true",
                        help="print only the analyze rate, as JSON (the pure-Python run)")
    parser.add_argument("--broken-markup", action="store_true",
                        help="time the cleaning of markup whose tags never close")
    args = parser.parse_args(argv)
    if args.broken_markup:
        broken_markup()
        return 0
    docs = build_articles(args.articles, args.seed)
    avg_bytes = sum(len((d.title + "\n" + d.text).encode("utf-8")) for d in docs) / len(docs)
    for d in docs:  # warm-up: data files, automata, caches
        analyze(d)

    def rate(fn: Callable[[Document], object]) -> float:
        """Best articles per CPU second (process time: other load on the machine does
        not count against the run)."""
        best = 0.0
        for _ in range(args.rounds):
            start = time.process_time()
            for d in docs:
                fn(d)
            elapsed = max(time.process_time() - start, 1e-9)
            best = max(best, len(docs) / elapsed)
        return best

    if args.rate_only:
        print(json.dumps({"rate": rate(analyze), "compiled": compiled_core()}))
        return 0
    baseline = rate(lambda d: (d.title + "\n" + d.text).lower())
    analysed = rate(analyze)
    compiled = compiled_core()
    pure = pure_rate(args) if compiled else analysed
    print(
        f"articles: {len(docs)}, mean size {avg_bytes:,.0f} bytes, languages: "
        f"{', '.join(sorted(PARAGRAPHS))}, best of {args.rounds} rounds, one core"
    )
    print(f"{'run':<28}{'articles/s':>14}{'ms/article':>12}")
    print(f"{'baseline (read + lower)':<28}{baseline:>14,.0f}{1000 / baseline:>12.3f}")
    label = "analyze, compiled core" if compiled else "analyze (not compiled)"
    print(f"{label:<28}{analysed:>14,.0f}{1000 / analysed:>12.3f}")
    if compiled:
        print(f"{'analyze, pure Python':<28}{pure:>14,.0f}{1000 / pure:>12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
