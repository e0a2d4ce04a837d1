"""Synthetic articles for the end-to-end pipeline benchmark (``bench_pipeline.py``).

Deterministic for a seed: about 3 KB of UTF-8 per article, the six UN languages in
rotation, ~5 % of the original stories about a bilateral meeting or sanctions, and
~20 % syndicated copies of earlier stories — half of them the same article under a URL
variant (tracking parameters, AMP or mobile host: same canonical id, dropped by exact
dedup), half the same title and text from another outlet (a new URL and id).

Every payload is the JSON form of ``streams.records.Article``; the key is the article id.
The paragraphs below were written for this benchmark. Paragraphs alone would make every
article of a language a near-duplicate of the others (a handful of paragraphs shared by
thousands of articles), so each original also carries "local" paragraphs of words drawn
at random from the same paragraphs' vocabulary: every original opens with one and about
half of its text is such paragraphs. Originals are then distinct stories for a
near-duplicate index (word 3-gram Jaccard well below 0.5) while the language, the script
and the size per article stay those of real news text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson

from analysis.fingerprints import url_id

LANGS = ("ar", "en", "es", "fr", "ru", "zh")
TARGET_BYTES = 3000
EVENT_SHARE = 0.05
COPY_SHARE = 0.20
FETCHED_AT = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

OUTLETS = {
    "ar": ["akhbar-alsharq", "annahar-daily", "alwasat-news", "sada-alkhaleej"],
    "en": ["northern-ledger", "harbour-times", "capital-wire", "eastern-gazette"],
    "es": ["diario-del-sur", "la-voz-andina", "el-observador-libre", "cronica-austral"],
    "fr": ["le-courrier-du-matin", "la-depeche-continentale", "lhorizon-hebdo", "le-veilleur"],
    "ru": ["vechernie-vesti", "severny-kurier", "gorodskaya-gazeta", "novy-obozrevatel"],
    "zh": ["dongfang-ribao", "huanqiu-kuaixun", "jinghua-shibao", "nanfang-guancha"],
}

# Filler: economy, weather, culture, sport, science, city life. No meetings, no sanctions.
FILLER: dict[str, list[str]] = {
    "en": [
        "Retail sales in the region rose {n} percent in the third quarter, according to figures "
        "released by the statistics office, as households spent more on furniture, clothing and "
        "travel. Economists cautioned that higher energy bills could slow spending over winter.",
        "Heavy rain is expected across the coastal districts from Thursday evening, with up to "
        "{m} millimetres forecast in some valleys. The weather service advised drivers to avoid "
        "mountain roads and asked residents near rivers to follow local warnings.",
        "The city orchestra opened its season with a programme of late romantic symphonies, "
        "drawing a full house of {k} listeners. Critics praised the strings and the young "
        "conductor, who took over the ensemble only last spring after a long search.",
        "In the league, the home side came back from two goals down to draw {n}-{n} in a match "
        "that was interrupted for twenty minutes by a floodlight failure. The coach said his "
        "players had shown character but conceded too easily from set pieces.",
        "Researchers at the national university reported a battery design that keeps {m} percent "
        "of its capacity after a thousand charging cycles. The team plans to test the cells in "
        "delivery vans next year with support from a regional innovation fund.",
        "Commuters faced delays of up to {k} minutes on Monday after a signal fault near the "
        "central station. The rail operator apologised and said engineers had replaced the "
        "damaged cable overnight, promising a full timetable for the rest of the week.",
        "The farmers' cooperative said the grape harvest was the best in {n} years thanks to a "
        "dry September, although labour shortages forced some growers to leave fruit on the "
        "vines. Wine prices are expected to remain stable in the coming months.",
        "A new public library with a rooftop reading garden opened in the old port district. "
        "The building, which cost {m} million to convert from a grain warehouse, holds two "
        "hundred thousand books and a workshop where children can learn basic programming.",
    ],
    "fr": [
        "Les ventes au détail ont progressé de {n} % au troisième trimestre selon l'office des "
        "statistiques, portées par l'ameublement, l'habillement et les voyages. Les économistes "
        "préviennent toutefois que la hausse des factures d'énergie pourrait freiner "
        "la consommation.",
        "De fortes pluies sont attendues sur le littoral à partir de jeudi soir, avec jusqu'à "
        "{m} millimètres dans certaines vallées. Le service météorologique recommande d'éviter "
        "les routes de montagne et demande aux riverains des cours d'eau de rester attentifs.",
        "L'orchestre municipal a ouvert sa saison avec des symphonies de la fin du romantisme "
        "devant {k} spectateurs. La critique a salué les cordes et le jeune chef, arrivé au "
        "printemps dernier après une longue procédure de recrutement.",
        "En championnat, l'équipe locale est revenue de deux buts pour arracher le nul, {n} "
        "partout, lors d'un match interrompu vingt minutes par une panne d'éclairage. "
        "L'entraîneur a salué le caractère de ses joueurs mais regretté les erreurs sur "
        "coups de pied arrêtés.",
        "Des chercheurs de l'université ont présenté une batterie qui conserve {m} % de sa "
        "capacité après mille cycles de charge. L'équipe veut l'essayer l'an prochain dans des "
        "camionnettes de livraison avec l'appui d'un fonds régional pour l'innovation.",
        "Les usagers du train ont subi lundi des retards allant jusqu'à {k} minutes à cause "
        "d'une panne de signalisation près de la gare centrale. L'exploitant s'est excusé et "
        "assure que le câble endommagé a été remplacé pendant la nuit.",
        "La coopérative viticole annonce la meilleure vendange depuis {n} ans grâce à un mois "
        "de septembre sec, même si le manque de main-d'œuvre a obligé certains producteurs à "
        "laisser des grappes sur les ceps. Les prix du vin devraient rester stables.",
        "Une nouvelle médiathèque dotée d'un jardin de lecture sur le toit a ouvert dans "
        "l'ancien quartier du port. Sa transformation a coûté {m} millions et elle propose un "
        "atelier où les enfants s'initient à la programmation.",
    ],
    "es": [
        "Las ventas minoristas de la región crecieron un {n} % en el tercer trimestre, según la "
        "oficina de estadística, impulsadas por el mobiliario, la ropa y los viajes. Los "
        "economistas advierten de que el encarecimiento de la energía podría frenar el consumo.",
        "Se esperan lluvias intensas en los distritos costeros a partir del jueves por la "
        "noche, con hasta {m} litros por metro cuadrado en algunos valles. El servicio "
        "meteorológico pide evitar las carreteras de montaña y vigilar el caudal de los ríos.",
        "La orquesta municipal inauguró la temporada con sinfonías del romanticismo tardío ante "
        "{k} espectadores. La crítica elogió la sección de cuerda y al joven director, que llegó "
        "la pasada primavera tras un largo proceso de selección.",
        "En la liga, el equipo local remontó dos goles y empató {n} a {n} en un partido "
        "interrumpido veinte minutos por un fallo de los focos. El entrenador destacó el "
        "carácter de sus jugadores, aunque lamentó los goles encajados a balón parado.",
        "Investigadores de la universidad presentaron una batería que conserva el {m} % de su "
        "capacidad tras mil ciclos de carga. El equipo quiere probarla el próximo año en "
        "furgonetas de reparto con el apoyo de un fondo regional de innovación.",
        "Los viajeros sufrieron el lunes retrasos de hasta {k} minutos por una avería de "
        "señalización cerca de la estación central. La operadora pidió disculpas y aseguró que "
        "el cable dañado fue sustituido durante la noche.",
        "La cooperativa agrícola calificó la vendimia como la mejor en {n} años gracias a un "
        "septiembre seco, aunque la falta de mano de obra obligó a algunos productores a dejar "
        "uva en las cepas. Se espera que los precios del vino se mantengan estables.",
        "Una nueva biblioteca pública con un jardín de lectura en la azotea abrió sus puertas "
        "en el antiguo barrio del puerto. La reforma del viejo almacén de grano costó {m} "
        "millones e incluye un taller donde los niños aprenden programación.",
    ],
    "ru": [
        "Розничные продажи в регионе в третьем квартале выросли на {n} процента, сообщило "
        "статистическое ведомство: жители больше тратили на мебель, одежду и поездки. "
        "Экономисты предупреждают, что рост счетов за энергию может замедлить потребление зимой.",
        "С вечера четверга в прибрежных районах ожидаются сильные дожди, в отдельных долинах "
        "выпадет до {m} миллиметров осадков. Синоптики советуют водителям избегать горных дорог, "
        "а жителям прибрежных улиц следить за предупреждениями.",
        "Городской оркестр открыл сезон программой из симфоний позднего романтизма, собрав {k} "
        "слушателей. Критики отметили струнную группу и молодого дирижёра, который возглавил "
        "коллектив лишь прошлой весной после долгого конкурса.",
        "В матче чемпионата хозяева отыгрались с 0:2 и добились ничьей {n}:{n}, при этом игру "
        "на двадцать минут прерывали из-за отказа освещения. Тренер похвалил характер команды, "
        "но признал, что она слишком легко пропускает после стандартов.",
        "Учёные университета представили аккумулятор, который сохраняет {m} процентов ёмкости "
        "после тысячи циклов зарядки. В следующем году команда намерена испытать его в "
        "развозных фургонах при поддержке регионального фонда инноваций.",
        "В понедельник пассажиры электричек столкнулись с задержками до {k} минут из-за сбоя "
        "сигнализации у центрального вокзала. Перевозчик принёс извинения и сообщил, что "
        "повреждённый кабель заменили за ночь.",
        "Сельскохозяйственный кооператив назвал урожай винограда лучшим за {n} лет благодаря "
        "сухому сентябрю, хотя из-за нехватки рабочих часть ягод осталась на лозах. Цены на "
        "вино в ближайшие месяцы, по прогнозам, не изменятся.",
        "В старом портовом квартале открылась новая библиотека с читальным садом на крыше. "
        "Перестройка бывшего зернового склада обошлась в {m} миллионов, в здании есть "
        "мастерская, где дети учатся основам программирования.",
    ],
    "ar": [
        "ارتفعت مبيعات التجزئة في المنطقة بنسبة {n} في المئة خلال الربع الثالث بحسب مكتب "
        "الإحصاء، مع زيادة إنفاق الأسر على الأثاث والملابس والسفر. وحذر اقتصاديون من أن ارتفاع "
        "فواتير الطاقة قد يبطئ الاستهلاك خلال فصل الشتاء.",
        "يتوقع هطول أمطار غزيرة على المناطق الساحلية اعتبارا من مساء الخميس، قد تصل إلى {m} "
        "مليمترا في بعض الأودية. ونصحت هيئة الأرصاد السائقين بتجنب الطرق الجبلية، ودعت سكان "
        "المناطق القريبة من مجاري السيول إلى متابعة التحذيرات.",
        "افتتحت الفرقة الموسيقية للمدينة موسمها ببرنامج من السيمفونيات الرومانسية أمام {k} "
        "مستمع. وأشاد النقاد بأداء الوتريات وبالقائد الشاب الذي تولى قيادة الفرقة في الربيع "
        "الماضي بعد بحث طويل.",
        "في الدوري، عاد الفريق المضيف من تأخره بهدفين ليتعادل {n}-{n} في مباراة توقفت عشرين "
        "دقيقة بسبب عطل في الإضاءة. وقال المدرب إن لاعبيه أظهروا روحا قتالية لكنهم استقبلوا "
        "أهدافا سهلة من الكرات الثابتة.",
        "أعلن باحثون في الجامعة عن تصميم بطارية تحتفظ بنسبة {m} في المئة من سعتها بعد ألف "
        "دورة شحن. ويعتزم الفريق تجربتها العام المقبل في شاحنات التوصيل بدعم من صندوق إقليمي "
        "للابتكار.",
        "واجه ركاب القطارات تأخيرات وصلت إلى {k} دقيقة يوم الاثنين بسبب عطل في الإشارات قرب "
        "المحطة المركزية. واعتذرت الشركة المشغلة وقالت إن المهندسين استبدلوا الكابل التالف "
        "خلال الليل.",
        "قالت الجمعية التعاونية الزراعية إن موسم قطف التمور هو الأفضل منذ {n} عاما بفضل طقس "
        "معتدل، رغم أن نقص العمالة أجبر بعض المزارعين على ترك جزء من المحصول. ويتوقع أن تبقى "
        "الأسعار مستقرة في الأشهر المقبلة.",
        "افتتحت مكتبة عامة جديدة مع حديقة للقراءة على السطح في حي الميناء القديم. وبلغت كلفة "
        "تحويل مخزن الحبوب السابق {m} مليونا، وتضم المكتبة ورشة يتعلم فيها الأطفال أساسيات "
        "البرمجة.",
    ],
    "zh": [
        "统计部门公布的数据显示，本地区第三季度零售额同比增长{n}%，家具、服装和旅游消费明显增加。"
        "经济学家提醒，冬季能源账单上涨可能抑制居民消费。",
        "气象部门预计，沿海地区将从周四晚间开始出现强降雨，部分山谷降雨量可达{m}毫米。"
        "气象部门建议司机避开山区道路，沿河居民注意防范。",
        "市交响乐团以一套晚期浪漫主义交响曲拉开新乐季，吸引了{k}名观众。"
        "乐评人称赞弦乐声部的表现，也肯定了去年春天才上任的年轻指挥。",
        "在联赛中，主队在落后两球的情况下连扳两球，最终{n}比{n}战平，比赛曾因灯光故障中断二十分钟。"
        "主教练称赞球员斗志顽强，但承认球队在定位球防守上仍有漏洞。",
        "大学研究团队发布一种新型电池，在充放电一千次后仍能保持{m}%的容量。"
        "团队计划明年在地方创新基金支持下，在快递货车上开展试用。",
        "周一，中央车站附近信号设备故障，导致通勤列车最长晚点{k}分钟。"
        "运营公司致歉，并表示受损电缆已于夜间更换，本周其余时间将按图运行。",
        "农业合作社表示，得益于九月天气干燥，今年的葡萄收成是{n}年来最好的一次，"
        "但由于人手不足，部分果农只得让葡萄留在藤上。预计未来几个月葡萄酒价格将保持稳定。",
        "老港区一座带屋顶阅读花园的公共图书馆正式开放。由旧粮仓改建而成的新馆耗资{m}百万元，"
        "馆内还设有儿童编程工作坊。",
    ],
}

FILLER_TITLES: dict[str, list[str]] = {
    "en": ["Retail spending climbs as households travel more", "Heavy rain forecast for the coast",
           "Orchestra opens season to a full house", "Late comeback earns a draw",
           "New battery keeps its charge longer", "Signal fault delays commuters"],
    "fr": ["La consommation progresse au troisième trimestre",
           "Fortes pluies attendues sur le littoral",
           "L'orchestre ouvre sa saison à guichets fermés", "Un nul arraché en fin de match",
           "Une batterie plus endurante", "Une panne de signalisation perturbe les trains"],
    "es": ["Crece el consumo en el tercer trimestre", "Alerta por lluvias intensas en la costa",
           "La orquesta abre temporada con lleno", "Un empate sufrido en casa",
           "Una batería que dura más", "Una avería retrasa los trenes de cercanías"],
    "ru": ["Розничные продажи выросли", "На побережье ожидаются сильные дожди",
           "Оркестр открыл сезон при полном зале", "Хозяева спаслись от поражения",
           "Аккумулятор дольше держит заряд", "Сбой сигнализации задержал электрички"],
    "ar": ["ارتفاع مبيعات التجزئة", "توقعات بأمطار غزيرة على الساحل",
           "الفرقة الموسيقية تفتتح موسمها", "تعادل في الدقائق الأخيرة",
           "بطارية تحتفظ بشحنها لفترة أطول", "عطل في الإشارات يؤخر القطارات"],
    "zh": ["三季度零售额增长", "沿海地区将迎强降雨", "交响乐团新乐季开幕",
           "主队逆转战平对手", "新型电池续航更久", "信号故障致通勤列车晚点"],
}

# (title, lead paragraph): bilateral meetings and sanctions rhetoric the core detects.
EVENTS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Russian and Chinese foreign ministers meet in Beijing",
         "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing "
         "on Monday to discuss trade and security."),
        ("Indian and Japanese leaders hold talks in Tokyo",
         "Indian Prime Minister Narendra Modi held talks with Japanese Prime Minister in Tokyo "
         "on Tuesday on defence cooperation and a new rail link."),
        ("EU imposes new sanctions on Iran",
         "The European Union imposed new sanctions on Iran on Thursday, freezing the assets of "
         "twelve officials and banning exports of drone components."),
    ],
    "fr": [
        ("Rencontre entre les ministres turc et indien",
         "Le ministre turc des Affaires étrangères a rencontré lundi à Ankara son homologue "
         "indien pour évoquer le commerce et la sécurité régionale."),
        ("Paris menace Moscou de sanctions",
         "La France a menacé jeudi la Russie de nouvelles sanctions économiques si les frappes "
         "contre les infrastructures civiles se poursuivent."),
    ],
    "es": [
        ("Los cancilleres de Brasil y Argentina se reúnen",
         "El canciller de Brasil se reunió el martes en Buenos Aires con su homólogo argentino "
         "para hablar de comercio y energía."),
        ("Estados Unidos impone sanciones a Venezuela",
         "Estados Unidos impuso el viernes nuevas sanciones a Venezuela contra funcionarios del "
         "sector petrolero."),
    ],
    "ru": [
        ("Главы МИД России и Турции провели переговоры",
         "Министр иностранных дел России провел в понедельник в Анкаре переговоры с турецким "
         "коллегой о торговле и региональной безопасности."),
        ("Москва осудила санкции ЕС",
         "Москва решительно осудила новые санкции Евросоюза против российских банков и "
         "пообещала ответные меры."),
    ],
    "ar": [
        ("وزير الخارجية المصري يلتقي نظيره السعودي",
         "التقى وزير الخارجية المصري نظيره السعودي في الرياض يوم الاثنين لبحث العلاقات الثنائية "
         "والأمن الإقليمي."),
        ("إيران تدين العقوبات الأمريكية",
         "أدانت إيران العقوبات الأمريكية الجديدة التي فرضت على قطاع النفط واعتبرتها غير قانونية."),
    ],
    "zh": [
        ("中俄外长在北京会谈",
         "中国外交部长周一在北京同俄罗斯外长举行会谈，双方讨论了贸易与地区安全问题。"),
        ("中方谴责美国对伊朗实施制裁",
         "中国外交部发言人表示，中方坚决反对美国对伊朗实施单边制裁。"),
    ],
}

URL_VARIANTS = ("?utm_source=rss&utm_medium=feed", "/amp", "?fbclid=bench{n}", "#comments")


@dataclass(frozen=True)
class Story:
    """An original article: everything a syndicated copy reuses."""

    article_id: str
    url: str
    outlet: str
    lang: str
    title: str
    text: str
    published_at: datetime
    event: bool


_WORDS = re.compile(r"[^\W\d_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _vocabulary(lang: str) -> list[str]:
    text = " ".join(FILLER[lang] + FILLER_TITLES[lang])
    if lang == "zh":
        return sorted(set(_HAN.findall(text)))
    return sorted({w for w in _WORDS.findall(text) if len(w) > 2})


VOCABULARY = {lang: _vocabulary(lang) for lang in LANGS}


def _local_paragraph(rng: random.Random, lang: str) -> str:
    """Three or four sentences of words drawn from the language's vocabulary."""
    words = VOCABULARY[lang]
    sentences = []
    for _ in range(rng.randint(3, 4)):
        if lang == "zh":
            sentences.append("".join(rng.choices(words, k=rng.randint(18, 30))) + "。")
        else:
            sentence = " ".join(rng.choices(words, k=rng.randint(9, 15)))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return ("" if lang == "zh" else " ").join(sentences)


def _body(rng: random.Random, lang: str, lead: str | None) -> str:
    paragraphs = [_local_paragraph(rng, lang)]
    if lead:
        paragraphs.append(lead)
    size = sum(len(p.encode()) + 1 for p in paragraphs)
    pool = FILLER[lang]
    while size < TARGET_BYTES:
        if rng.random() < 0.5:
            p = _local_paragraph(rng, lang)
        else:
            p = rng.choice(pool).format(n=rng.randint(2, 9), m=rng.randint(10, 95),
                                        k=rng.randint(300, 2400))
        paragraphs.append(p)
        size += len(p.encode()) + 1
    return "\n".join(paragraphs)


def _payload(*, article_id: str, url: str, outlet: str, lang: str, title: str, text: str,
             published_at: datetime, guid: str, fetched_at: datetime) -> bytes:
    return orjson.dumps({
        "id": article_id, "url": url, "feed_id": outlet, "source": outlet.replace("-", " "),
        "title": title, "text": text, "fetched_at": fetched_at.isoformat(), "guid": guid,
        "lang": lang, "published_at": published_at.isoformat(),
        "published_at_guessed": False, "story_id": None,
    })


@dataclass(frozen=True)
class Item:
    key: bytes
    value: bytes
    article_id: str
    kind: str          # original | event | url_copy | outlet_copy


def articles(n: int, seed: int = 7) -> Iterator[Item]:
    """``n`` articles in publication order (deterministic for ``seed``)."""
    rng = random.Random(seed)
    recent: list[Story] = []
    for i in range(n):
        fetched = FETCHED_AT + timedelta(milliseconds=50 * i)
        if recent and rng.random() < COPY_SHARE:
            story = rng.choice(recent)
            if rng.random() < 0.5:
                variant = rng.choice(URL_VARIANTS).format(n=i)
                url = story.url + variant
                yield Item(url_id(url).encode(), _payload(
                    article_id=url_id(url), url=url, outlet=story.outlet, lang=story.lang,
                    title=story.title, text=story.text, published_at=story.published_at,
                    guid=f"{story.url}#v{i}", fetched_at=fetched),
                    url_id(url), "url_copy")
                continue
            outlet = rng.choice([o for o in OUTLETS[story.lang] if o != story.outlet])
            url = f"https://{outlet}.example/syndicated/{i:07d}"
            article_id = url_id(url)
            yield Item(article_id.encode(), _payload(
                article_id=article_id, url=url, outlet=outlet, lang=story.lang,
                title=story.title, text=story.text, published_at=story.published_at,
                guid=url, fetched_at=fetched), article_id, "outlet_copy")
            continue
        lang = LANGS[i % len(LANGS)]
        outlet = rng.choice(OUTLETS[lang])
        event = rng.random() < EVENT_SHARE
        if event:
            title, lead = rng.choice(EVENTS[lang])
        else:
            title, lead = rng.choice(FILLER_TITLES[lang]), None
        # Events get distinct publication days so that their alerts are distinct stories.
        published = FETCHED_AT - timedelta(days=i % 3000, minutes=i % 1440)
        url = f"https://{outlet}.example/{lang}/{published:%Y/%m/%d}/story-{i:07d}.html"
        article_id = url_id(url)
        story = Story(article_id, url, outlet, lang, title, _body(rng, lang, lead), published,
                      event)
        recent.append(story)
        if len(recent) > 2000:
            recent.pop(0)
        yield Item(article_id.encode(), _payload(
            article_id=article_id, url=url, outlet=outlet, lang=lang, title=title,
            text=story.text, published_at=published, guid=url, fetched_at=fetched),
            article_id, "event" if event else "original")
