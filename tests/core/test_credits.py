# ruff: noqa: E501  (datelines are quoted as the pages give them)
"""The outlet a text credits itself to (issue 24): datelines and bylines of real wire copy in
the corpus languages.

Each text is the opening (or closing) of a real page, copied verbatim from the `pages`
search over stored public news pages, with its URL; the corpus captures are read from
fixtures/corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.core.credits import Credit, outlet_credit

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"

# (URL, opening or closing lines as the page gives them, the credit expected)
DATELINES = [
    (
        "https://www.nippon.com/en/news/yjj2024081300816/japan's-kishida-has-phone-talks-with-kyrgyz-mongolian-leaders.html",
        " date 2024-08-13 Newsfrom Japan\n\nTokyo, Aug. 13 (Jiji Press)--Japanese Prime Minister Fumio Kishida on Tuesday held separate telephone talks with Kyrgyz President Sadyr Zhaparov and Mongolian Prime Minister Luvsannamsrai Oyun-Erdene.",
        Credit("Jiji Press", "dateline"),
    ),
    (
        "https://www.thestar.com.my/news/world/2024/11/11/source-says-trump-told-putin-not-to-escalate-in-ukraine-kremlin-denies-they-spoke",
        'FILE PHOTO: Vladimir Putin, Donald Trump, Osaka, June 28, 2019. Sputnik/Mikhail Klimentyev/Kremlin via REUTERS\nWEST PALM BEACH, Florida/WASHINGTON (Reuters) -The Kremlin dismissed on Monday reports that U.S. President-elect Donald Trump had spoken to Russian President Vladimir Putin in recent days as "pure fiction."',
        Credit("Reuters", "dateline"),
    ),
    (
        "https://ria.ru/amp/20220527/putin-1791117207.html",
        "МОСКВА, 27 мая - РИА Новости. Президент России Владимир Путин проведет в пятницу международный телефонный разговор, заявил журналистам пресс-секретарь главы государства Дмитрий Песков.",
        Credit("РИА Новости", "dateline"),
    ),
    (
        "https://tass.com/world/1859917",
        " date 2024-10-22 KAZAN, October 22. /TASS/. Indian Prime Minister Narendra Modi and Chinese President Xi Jinping will hold a meeting on the sidelines of the BRICS Summit in Russia on October 23, India's Foreign Secretary Vikram Misri said.",
        Credit("TASS", "dateline"),
    ),
    (
        "https://aldialatino.com/?p=333271",
        "BOGOTÁ, 7 ene (Xinhua) — El presidente colombiano, Gustavo Petro, confirmó hoy miércoles en la Plaza de Bolívar de Bogotá, que tuvo una conversación telefónica con su homólogo estadounidense, Donald Trump, en medio de la crisis diplomática entre los dos países.",
        Credit("Xinhua", "dateline"),
    ),
    (
        "https://www.aldia.cat/internacional/noticia-trump-confirma-conversa-telefonica-amb-maduro-20251201071842.html",
        "Europa Press/Contacto/Joyce Boghosian/White House\nMADRID, 1 des. (EUROPA PRESS) -\nEl president nord-americà, Donald Trump, ha confirmat aquest diumenge que va mantenir la setmana passada una conversa telefònica amb el president de Veneçuela, Nicolás Maduro, encara que no ha volgut donar detalls sobre la mateixa.",
        Credit("EUROPA PRESS", "dateline"),
    ),
    (
        "https://dzb.zzrbnews.com/news/58521.html",
        "第01版:封面 PDF版阅读\n\n习近平同美国总统拜登通电话\n\n新华社北京4月2日电 4月2日晚,国家主席习近平应约同美国总统拜登通电话。两国元首就中美关系以及双方共同关心的问题坦诚深入交换了意见。",
        Credit("新华社", "dateline"),
    ),
    (
        "https://daily-tohoku.news/archives/211176",
        "米中首脳、今春に電話会談 高官合意、台湾巡り応酬\n\n サリバン米大統領補佐官(左)と中国の王毅外相(AP=共同)\n サリバン米大統領補佐官(左)と中国の王毅外相(AP=共同)\n【ワシントン、北京共同】サリバン米大統領補佐官(国家安全保障問題担当)と中国の王毅外相はバンコクで26、27日に会談し、米中首脳による電話会談の今春実施を目指す方針で一致した。",
        Credit("共同通信", "dateline"),
    ),
    (
        "https://www.kuna.net.kw/ArticleDetails.aspx?Language=en&id=3232953",
        "LOC10:06\n07:06 GMT\nJapanese Prime Minister Shigeru Ishiba\nTOKYO, May 23 (KUNA) -- Japanese Prime Minister Shigeru Ishiba and US President Donald Trump on Friday discussed a wide range of issues, including cooperation on economic security, in relation to tariff negotiations, Japan's Foreign Ministry said.",
        Credit("KUNA", "dateline"),
    ),
    (
        "https://brf.be/international/1916807",
        'Der gewählte US-Präsident Trump und Russlands Staatschef Putin haben vergangene Woche nach Kremlangaben nicht miteinander telefoniert.\nKremlsprecher Peskow wies einen Bericht der "Washington Post" über einen telefonischen Kontakt zwischen Putin und Trump am vergangenen Donnerstag als Falschinformation und reine Fiktion zurück.\nPutin hatte Trump am Donnerstag bei einem öffentlichen Auftritt in Sotschi am Schwarzen Meer zum Wahlsieg gratuliert und sich offen für eine Wiederaufnahme des Kontakts gezeigt.\ndpa/cd',
        Credit("dpa", "byline"),
    ),
    (
        "http://zap.aeiou.pt/marcelo-falou-hoje-ao-telefone-trump-145198",
        "Marcelo Rebelo de Sousa lembrou ainda “que Portugal foi o primeiro país a reconhecer a independência dos Estados Unidos da América”, sublinhando que este tipo de relações históricas podem ganhar relevância no âmbito das relações com a União Europeia.\n\n// Lusa",
        Credit("Lusa", "byline"),
    ),
    (
        "https://wxredian.com/art?id=8decbecb592c82de42230169a154dd1b",
        "两国元首同意建立战略沟通渠道,就两国共同关心的重大问题保持经常性联系。\n\n\n\n\n\n\n来源:新华社\n\n编辑:肖潇 牛睿彬",
        Credit("新华社", "byline"),
    ),
    (
        "https://www.swissinfo.ch/jpn/%E4%B8%96%E7%95%8C%E3%81%AE%E5%87%BA%E6%9D%A5%E4%BA%8B/%E3%83%88%E3%83%A9%E3%83%B3%E3%83%97%E6%B0%8F-%E9%9B%87%E7%94%A8%E5%89%B5%E5%87%BA%E8%A6%81%E6%B1%82/42915344",
        " 安倍晋三首相は28日深夜、トランプ米大統領と電話会談し、米ワシントンで2月10日(現地時間)に直接会談することで合意した。両首脳は同盟の重要性も確認した。\n\n共同通信",
        Credit("共同通信", "byline"),
    ),
]


@pytest.mark.parametrize(("url", "text", "expected"), DATELINES, ids=[d[0][:60] for d in DATELINES])
def test_dateline_and_byline_credits_in_several_languages(
    url: str, text: str, expected: Credit
) -> None:
    assert outlet_credit(text) == expected, url


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("08_de_zeit_merkel_putin_call_2014", Credit("AFP", "dateline")),
        ("09_de_zeit_merkel_putin_call_2016", Credit("AFP", "dateline")),
        ("12_fr_boursorama_macron_putin_call", Credit("Reuters", "dateline")),
    ],
)
def test_corpus_wire_copy_names_its_agency(folder: str, expected: Credit) -> None:
    text = (CORPUS / folder / "capture.txt").read_text("utf-8")
    assert outlet_credit(text) == expected


def test_corpus_texts_without_an_agency_credit_get_none() -> None:
    """No credit is read into the other captures: a bracket after a place ("Katunayake
    (BIA)"), a party after a name ("Lula da Silva (PT)") or a caption is not an agency."""
    credited = {
        "08_de_zeit_merkel_putin_call_2014",
        "09_de_zeit_merkel_putin_call_2016",
        "12_fr_boursorama_macron_putin_call",
    }
    wrong = {
        d.name: outlet_credit((d / "capture.txt").read_text("utf-8"))
        for d in sorted(CORPUS.iterdir())
        if (d / "capture.txt").exists() and d.name not in credited
    }
    # 02 is UrduPoint reprinting Sputnik: "OSAKA (UrduPoint News / Sputnik - 28th June, 2019)".
    assert wrong.pop("02_en_urdupoint_putin_xi_g20") == Credit("Sputnik", "dateline")
    # 24 reprints Xinhua: "新华社北京10月25日电".
    assert wrong.pop("24_zh_chinausfocus_xi_trump_call") == Credit("新华社", "dateline")
    assert {k: v for k, v in wrong.items() if v is not None} == {}


def test_brackets_that_are_not_agencies_are_not_outlets() -> None:
    # Real sentences (corpus 03 and 18): an airport code and a party after a name.
    assert (
        outlet_credit(
            "He was welcomed at the Bandaranaike International Airport in Katunayake (BIA) by his Sri Lankan counterpart Mahinda Rajapaksa."
        )
        is None
    )
    assert (
        outlet_credit(
            "Lula estava acompanhado do vice-presidente, Geraldo Alckmin (PSD), do assessor especial Celso Amorim"
        )
        is None
    )
