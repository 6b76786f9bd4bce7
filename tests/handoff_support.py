"""A small archive for the hand-off tests (issue 25): eight languages, naive times, times with
an offset and bare dates, several months and years, tags shared across languages."""

from __future__ import annotations

import json

DUMP = """\
Bundestag debattiert über neue Klimaziele

Deutsche Welle - 2025-08-14T09:30:00+02:00

Berlin. Der Bundestag hat am Donnerstag über die neuen Klimaziele der Regierung beraten.

Die Opposition kritisierte den Entwurf als unzureichend und forderte schnellere Schritte.

#Politik #Klima

Kyiv braces for a cold winter as energy repairs continue

Kyiv Independent - 3 July 2024

KYIV — Engineers are racing to repair damaged substations before the heating season begins.

Officials said the work would continue through the autumn.

#Energy #Ukraine

Уряд схвалив програму відновлення енергетики

Укрінформ - 2025-08-02T18:05:00+03:00

Київ. Кабінет міністрів схвалив програму відновлення енергетичної інфраструктури на наступний рік.

#Energy #Ukraine

Le Parlement européen vote une réforme du marché de l'électricité

Le Monde - 2025-06-30T21:15:00

Strasbourg. Les députés européens ont adopté mardi une réforme attendue du marché de l'électricité.

#Energy #Politik

El Gobierno presenta un plan contra la sequía

El País - 2025-08-20T08:00:00+02:00

Madrid. El Consejo de Ministros aprobó este martes un plan de emergencia contra la sequía.

#Klima

Il Senato approva la riforma della giustizia

Corriere della Sera - 2024-12-05T17:45:00

Roma. Il Senato ha approvato in via definitiva la riforma della giustizia con 112 voti favorevoli.

Il ministro ha detto che la legge entrerà in vigore entro la fine dell'anno, mentre l'opposizione annuncia un referendum.

#Politik

Sejm przyjął ustawę o cyberbezpieczeństwie

Onet/Wiadomości - 2025-06-11T12:10:00+02:00

Warszawa. Sejm przyjął w piątek nowelizację ustawy o krajowym systemie cyberbezpieczeństwa.

Za ustawą głosowało 410 posłów, a przepisy mają wejść w życie po trzech miesiącach od ogłoszenia.

#Politik #Cyber

Госдума приняла закон о цифровых платформах

Интерфакс - 2025-08-27T15:00:00+03:00

Москва. Государственная дума приняла в третьем чтении закон о цифровых платформах.

Закон вступит в силу с первого марта следующего года, сообщили в пресс-службе нижней палаты.

#Politik
"""

ARTICLES = 8


def ingest_sample(cli, tmp_path, text: str = DUMP, name: str = "sample.txt"):
    dump = tmp_path / name
    dump.write_text(text, encoding="utf-8")
    result = cli("ingest", str(dump))
    assert result.exit_code == 0, result.output
    return dump


def jsonl_records(cli, *args: str, env: dict | None = None) -> list[dict]:
    result = cli("export", "-f", "jsonl", *args, env=env)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]
