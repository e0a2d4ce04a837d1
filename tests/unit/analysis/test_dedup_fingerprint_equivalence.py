"""The bytes of a signature never change (analysis.dedup.fingerprint).

Signatures are persisted in the signatures topic and compared across workers and
versions: a signature computed by a new version must equal, bit for bit, the one an older
worker computed for the same document, or near-duplicates stop matching across an
upgrade. The expected bytes below were computed by the implementation that built a
datasketch ``MinHash`` per text; the documents were written for this test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from analysis.dedup import DedupConfig, _band_params, _permutations, _permuted, fingerprint

DOCS: dict[str, dict[str, Any]] = {
    "en-dateline": {
        "id": "g-en",
        "url": "https://www.harbour-news.example/2025/06/04/port-strike?utm_source=rss",
        "guid": "harbour-4411", "feed_id": "harbour-news",
        "title": "Port workers in Valparaiso end a nine-day strike",
        "text": ("VALPARAISO, June 4 (Harbour Wire) - Dock workers in the Chilean port of "
                 "Valparaiso returned to work on Wednesday after the union and the terminal "
                 "operators agreed on a new shift schedule, ending a nine-day stoppage that "
                 "left more than forty container ships waiting offshore.\n"
                 "The agreement raises night-shift pay by 12 percent and adds two rest days a "
                 "month, union leader Marta Quiroga told reporters at the gate.\n"
                 "Exporters of fruit and copper had warned of losses."),
    },
    "ru": {
        "id": "g-ru", "title": "В Новосибирске открыли новый мост через Обь",
        "text": ("НОВОСИБИРСК, 12 октября. Движение по новому мосту через Обь открыли в "
                 "субботу, сообщили в мэрии города. Мост длиной почти полтора километра "
                 "соединил левый и правый берег и должен разгрузить старый Коммунальный мост, "
                 "по которому ежедневно проезжают десятки тысяч машин. Строительство заняло "
                 "четыре года."),
    },
    "ar": {
        "id": "g-ar", "title": "افتتاح معرض للكتاب في مدينة وهران",
        "text": ("افتتح وزير الثقافة صباح اليوم معرضا للكتاب في مدينة وهران بمشاركة أكثر من "
                 "مئتي دار نشر من عشرين بلدا، ويستمر المعرض عشرة أيام. وقال المنظمون إن "
                 "الدورة الحالية تخصص جناحا لكتب الأطفال وآخر للترجمة."),
    },
    "zh": {
        "id": "g-zh", "title": "长江大桥维修工程完成 明日恢复通车",
        "text": ("本报武汉9月3日电 经过三个月的维修，长江大桥的桥面和护栏工程已经全部完成，"
                 "将于明天上午8时恢复通车。工程负责人表示，这次维修更换了约2000平方米的桥面，"
                 "并安装了新的LED照明系统。"),
    },
    "ja": {
        "id": "g-ja", "title": "さくらの開花、東京で平年より早く",
        "text": ("気象台は今日、東京でさくらの開花を発表しました。平年より5日早く、"
                 "昨年よりも2日早いということです。カメラを持った人たちが公園に集まりました。"),
    },
    "ko-th-el": {
        "id": "g-mix", "title": "서울 지하철 요금 인상",
        "text": ("서울시는 다음 달부터 지하철 기본 요금을 150원 올린다고 밝혔다. "
                 "ราคาตั๋วรถไฟฟ้าจะขึ้น Η τιμή του εισιτηρίου αυξάνεται"),
    },
    "title-only": {"id": "g-title", "title": "Storm closes mountain pass for third day",
                   "text": ""},
    "two-words": {"id": 4711, "title": "", "text": "Markets rally"},
    "odd-characters": {
        "id": "g-odd", "title": "\ue000\ue003 Weekly 🎉 digest",
        "text": ("Prices\x00 rose 3.5% in 𝔘nicode-land; 中文 and עברית and हिन्दी\ud800 words "
                 "_under_score_ «quoted» ・ text\r\nsecond\u2028line"),
    },
    "empty": {"id": "g-empty", "title": "", "text": ""},
}

#: ``fingerprint(doc).to_bytes().hex()`` with the default parameters.
EXPECTED = {
    "en-dateline": (
        "010400672d656e140035653630323738373933663664613336346531611400646231356538373133"
        "38363432646665643136641400363836393330613765633138313265366366663205006c6174696e"
        "0808e9e8e5324942266a8a507e0c7d5d4926b5b1aa6732e31c02138429a0260952b93bf3f05973c9"
        "17dd5bfccc97fc25e4038774b5a6a2bf5702e9f0a57f1167feaf27acb63207f33630c59135f179c6"
        "47d0a1eeca60250694c43eb067dedec6a094cd8970e4443b13c07752894274749d31cf7d873f7955"
        "2b05f8e645779f4d737b"
    ),
    "ru": (
        "010400672d727500000000140030326633643030336166383063396635333964330800637972696c"
        "6c69630808a5a2550adb6b59cef266419b178d9be2c5f61950d175f02a76977bf45267e3d78a1f9b"
        "edb7c5e67cfb6b014bbee6beaeb6ec5013279b8f7ac79844c1def31d3de8b43e27343d36a07a23a7"
        "3fd63f8a12c01a6e46a273a10d04791ed66e6176a756c048577fcba6a5b85fdafc816ab87b5ad9d9"
        "fc2d6c5db9e89dac8696b5dd10"
    ),
    "ar": (
        "010400672d6172000000001400623332623337326536633963333037653463336606006172616269"
        "630808a6b41b035c287b4bdcb31f56adda7187355b811479776c28bc807e37ed6433f9e29f5ae130"
        "089066baedcf9bb6a5c3fec0efaa642df94a91aa2ad6b8a4db2d5dc42f138dae58a038f3f0c1633b"
        "b1bb8d5e86f71e70f0b53ba3d2d02a421ae30baeec6f2ccdc6cab7a4ad7364105f4ccdd3d54e2380"
        "ec4ac2c703aab7aa5d4142"
    ),
    "zh": (
        "010400672d7a680000000014003430623165616135353332313065396531313135030068616e0808"
        "0773269bfdd384a6ac8408f189de07f7c851305237103d203069b192229290363808306172b20ad6"
        "5b264e2dbb256d9f5ca7edae43f8e91ff74d3bb0c22c9b3b69e7a8da020422879d7074658ffd32f8"
        "701b035ee6ffda6b2a2d7798576f7b7bc9613c05be2dceecf3673ab36376d89a059112deb3e3fdfd"
        "efd8685d74ed2cf2"
    ),
    "ja": (
        "010400672d6a610000000014006339343066613563383431306262356635663632030068616e0808"
        "373fa9e2fab99adf740fae6aa1f3b090be8a6f14bc59f588f17bc05289ff220829950baa8da3188f"
        "dc4591f1c0f49a27981c115f1a466e737bbbb305efc778f8be063d0565f7993e172ba5d4c3679a45"
        "8d4d7f3c63482dbec1bb5a109f6dca2f580cbf49b2ca54432370bce54e4f012513f98de43e2cc8ee"
        "a9f752fe481ed616"
    ),
    "ko-th-el": (
        "010500672d6d69780000000014003163306561646265333932643439613163343436060068616e67"
        "756c08084c3cc57af4d48c680336049b1b5c40bad0f07c7167fd6f7abbd7f701e0bf2e8cebeedd80"
        "6db24b8d73da726fe41994e7738e851cae9a4a5194d3a971d3cb8189ed3b01267b12d75276437057"
        "b7f05dbc259853688ad1ad06d3244a6919e5def701ea576abde40773b514a8b4ebcb5283458f9b8f"
        "49b80bd902f66c7da999aa75"
    ),
    "title-only": (
        "010700672d7469746c65000000001400376465333532396430616536326138613235326205006c61"
        "74696e0808fa2db2cbbe8e47afa068c1b074b8b817dcf0f8fb95a63142c2423b6f18c46082910d7c"
        "5638c1aaf34d53d784077b571d7c8de59febcd0240e8aa4313bb6923fdf1fc8096e7dc54fc63d580"
        "30ff09ea88fc80fceaaf1b37f1a5f855521a2468f1d9bf686717afd8951b6e39315ff7af85a58a56"
        "e45b754cdd11706db8d8de20ce"
    ),
    "two-words": (
        "0104003437313100000000000005006c6174696e0808df3db12bb1b152a8e1c415da0c685a0799ab"
        "7f1d89b1f198a8cbdf8a947af0645878eee9fbdf49f4e4ae3f0b1e9353698df52f98c077db2e3845"
        "87fd9ab7472569b03f23ca4589ff5d7c08c46a4c73cc88b41e1905572d67ec6bcd51c16217c215a4"
        "5266e3effb6d732e6c377bff3f1691a8ab222410cf274e76fbefe3b6baa8"
    ),
    "odd-characters": (
        "010500672d6f6464000000001400336366373062383439663436623436363133646505006c617469"
        "6e08081c6524f1c606067dc2af8e621c4a6dcc2f18645ef798d05cf45e03583999beec40bc5ec0e5"
        "265d295108619219004953763deb08e9dc0314f4386fb0bbb7708be5c3ea6001220cec0fbeaee0bd"
        "c437374850efb9e044487d9c7bf357eb2b7486895d9700927c5359472ecbbedbfa6ada73efe94877"
        "7f5006d5350f2914ff7a66"
    ),
    "empty": (
        "010700672d656d70747900000000000005006f746865720000"
    ),
}

#: The same with ``DedupConfig(threshold=0.5, num_perm=16, lead_words=5)``.
EXPECTED_SMALL = {
    "en-dateline": (
        "010400672d656e140035653630323738373933663664613336346531611400646231356538373133"
        "38363432646665643136641400363836393330613765633138313265366366663205006c6174696e"
        "0706ad3e9fcddd5f34ce94b40f96eefd9bf33d26579096708ba4f6b74fa95998fd141e653e1faec9"
        "a6dc26190d4476690a3c19bc75da1c50885e6e3bb6ecc72e1ba313ba26fde182337e4145289b92a7"
        "59c892f996776cee462a98a08d918a6679cdc54c290b4b8a7b22"
    ),
    "zh": (
        "010400672d7a680000000014003430623165616135353332313065396531313135030068616e0706"
        "a4a39c028510eb8cea5152ce7e8f3c5fb5060c48334ff6d6e1179eca231186e53d104e7af9cc0e4b"
        "25ac196b0570761a7e7ae95a99d570e26909c925303b487fc2980945aba52ae24b4e4933071cc6e0"
        "50ff04aa407b280ddc79327adf134ede28edcc4571515d00"
    ),
    "two-words": (
        "0104003437313100000000000005006c6174696e07064774c886b2f60864b9a1133b1fc76470b1c0"
        "c95f9e9a084bc84f559a58738be01a94c320c0ef08421db8bd61de074613052d972132ba13238273"
        "e5cb8805028a3d05796ced1431517f3d5209b6e1cfbebefbbd1ab527e5a8f1690ea7dbf4f289b6d3"
        "7e7ae65de4e7"
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_signature_bytes_are_unchanged(name: str) -> None:
    assert fingerprint(DOCS[name]).to_bytes().hex() == EXPECTED[name]


@pytest.mark.parametrize("name", list(EXPECTED_SMALL))
def test_signature_bytes_are_unchanged_with_other_parameters(name: str) -> None:
    config = DedupConfig(threshold=0.5, num_perm=16, lead_words=5)
    assert fingerprint(DOCS[name], config).to_bytes().hex() == EXPECTED_SMALL[name]


@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=200),
       st.sampled_from([4, 16, 64]))
def test_minhash_values_are_datasketch_affine32(hashes: list[int], num_perm: int) -> None:
    sketch = MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=int)
    sketch.update_batch(hashes)
    permuted = _permuted(np.array(hashes, dtype=np.uint64), num_perm)
    assert permuted.min(axis=1).tolist() == sketch.hashvalues.tolist()
    assert _permutations(num_perm)[0].ravel().tolist() == sketch.permutations[0].tolist()


@pytest.mark.parametrize("num_perm", [4, 16, 64, 128, 256])
def test_permutations_are_datasketch_affine32_seed_1(num_perm: int) -> None:
    a, b = MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations
    ours_a, ours_b = _permutations(num_perm)
    assert (ours_a[:, 0] == np.asarray(a, dtype=np.uint32)).all()
    assert (ours_b[:, 0] == np.asarray(b, dtype=np.uint32)).all()
    assert (ours_a % 2 == 1).all()


@pytest.mark.parametrize("num_perm", [16, 32, 64, 128])
def test_bands_are_those_datasketch_lsh_chooses(num_perm: int) -> None:
    for threshold in [t / 100 for t in range(5, 96, 3)]:
        try:
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
        except ValueError:  # fewer than two bands
            with pytest.raises(ValueError, match="b < 2"):
                _band_params(threshold, num_perm)
            continue
        assert _band_params(threshold, num_perm) == (lsh.b, lsh.r), threshold
