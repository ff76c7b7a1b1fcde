"""The topic catalogue behind the sample data set and the matching evaluation.

Each topic is something a Ruhr-area manufacturer, craft business or research group offers or
needs. The generator (`sample.generator`) turns topics into competences (provider wording:
technical terms, `phrases_*`) and needs (customer wording: concrete symptoms, `problems_*`),
so that the two sides share a subject but only part of their vocabulary, as real texts do.
The judged set of the matching evaluation is written against these ids, which is why they are
stable slugs and why each topic names its neighbours in `related` (partial relevance).

Plain data on purpose: no logic here besides lookups, so the catalogue can be reviewed and
extended by people who do not read the generator.
"""

from __future__ import annotations

from dataclasses import dataclass

# Organisation kinds (values of records.OrgKind) that typically offer a topic.
C = "company"
H = "craft_business"
S = "service_provider"
I = "institute"  # noqa: E741 - short names keep the catalogue readable
R = "research_group"
K = "chamber"
A = "agency"


@dataclass(frozen=True)
class Topic:
    """One subject of the network, with the words both sides use for it.

    `trades` are Handwerksordnung codes (data/reference/trades.csv), `industries` WZ 2008
    divisions (data/reference/wz2008.csv); the first industry is the one a company offering the
    topic is filed under.
    """

    id: str
    group: str
    label_de: str
    label_en: str
    phrases_de: tuple[str, ...]
    phrases_en: tuple[str, ...]
    problems_de: tuple[str, ...]
    problems_en: tuple[str, ...]
    trades: tuple[str, ...]
    industries: tuple[str, ...]
    kinds: tuple[str, ...]
    related: tuple[str, ...]


# Topic groups: used for contexts, event names and how often companies offer a topic.
GROUPS: dict[str, tuple[str, str]] = {
    "production": ("Fertigung und Metallbearbeitung", "Manufacturing and metalworking"),
    "surface": ("Oberflächentechnik", "Surface technology"),
    "plastics": ("Kunststofftechnik", "Plastics technology"),
    "automation": ("Automatisierung und Instandhaltung", "Automation and maintenance"),
    "digital": ("Digitalisierung und Engineering", "Digitalisation and engineering"),
    "logistics": ("Logistik und Mobilität", "Logistics and mobility"),
    "energy": ("Energie und Klimaschutz", "Energy and climate"),
    "building": ("Bau und Gebäudetechnik", "Construction and building services"),
    "materials": ("Werkstoffe und Prüfung", "Materials and testing"),
    "environment": ("Umwelt und Kreislaufwirtschaft", "Environment and circular economy"),
    "business": ("Unternehmensservices", "Business services"),
    "food": ("Lebensmittel", "Food"),
    "health": ("Gesundheit und Life Sciences", "Health and life sciences"),
}


TOPICS: tuple[Topic, ...] = (
    # --- production -------------------------------------------------------------------------
    Topic(
        id="laser-welding",
        group="production",
        label_de="Laserschweißen von Dünnblech",
        label_en="Laser welding of thin sheet",
        phrases_de=(
            "Laserstrahlschweißen",
            "Schweißen dünner Bleche",
            "Fügetechnik für Feinbleche",
            "verzugsarmes Schweißen von Edelstahl",
            "Laserschweißen von Aluminium und Edelstahl",
            "Wärmeleitungsschweißen",
        ),
        phrases_en=(
            "laser beam welding",
            "welding of thin sheet metal",
            "low-distortion joining of stainless steel",
        ),
        problems_de=(
            "Unsere Schweißnähte an 1-mm-Edelstahlblech verziehen sich so stark, dass die "
            "Gehäuse nachgerichtet werden müssen.",
            "Beim WIG-Schweißen unserer Aluminiumgehäuse ist die Nacharbeit zu hoch; wir "
            "prüfen, ob ein Laserverfahren schneller und sauberer wäre.",
            "Für eine neue Baureihe brauchen wir dichte Nähte an 0,8-mm-Blechen und finden "
            "intern keine stabile Lösung.",
        ),
        problems_en=(
            "Our welds on 1 mm stainless steel sheet distort so much that the housings have to "
            "be straightened afterwards.",
            "We need leak-tight seams on thin aluminium parts and want to evaluate laser welding.",
        ),
        trades=("A13", "A45"),
        industries=("25", "28", "29"),
        kinds=(C, H, S, I, R),
        related=("arc-welding", "laser-cutting", "sheet-metal-forming", "ndt"),
    ),
    Topic(
        id="arc-welding",
        group="production",
        label_de="Schweißtechnik (MIG/MAG/WIG)",
        label_en="Arc welding (MIG/MAG/TIG)",
        phrases_de=(
            "MIG/MAG-Schweißen",
            "WIG-Schweißen",
            "zertifizierter Schweißfachbetrieb nach DIN EN 1090",
            "Schweißen von Stahlkonstruktionen",
            "Roboterschweißen",
            "Schweißaufsicht und Verfahrensprüfung",
        ),
        phrases_en=(
            "MIG/MAG welding",
            "TIG welding",
            "EN 1090 certified welding",
            "robotic welding",
        ),
        problems_de=(
            "Für einen Auftrag brauchen wir kurzfristig einen Betrieb mit Zulassung nach EN 1090 "
            "EXC2, der Baugruppen aus S355 schweißt.",
            "Die Qualität unserer von Hand geschweißten Rahmen schwankt stark; wir überlegen, "
            "einen Schweißroboter anzuschaffen.",
            "Uns fehlt eine Schweißaufsicht, für die Zertifizierung brauchen wir externe Hilfe.",
        ),
        problems_en=(
            "We need a welding shop certified to EN 1090 EXC2 for structural steel assemblies "
            "at short notice.",
        ),
        trades=("A13", "A45", "A15"),
        industries=("25", "28", "33"),
        kinds=(C, H, S),
        related=("laser-welding", "metal-construction", "industrial-robotics", "ndt"),
    ),
    Topic(
        id="laser-cutting",
        group="production",
        label_de="Laserschneiden und Blechbearbeitung",
        label_en="Laser cutting and sheet metal processing",
        phrases_de=(
            "Laserschneiden",
            "Blechbearbeitung",
            "Abkanten und Biegen",
            "Lohnfertigung von Blechteilen",
            "Rohrlaserschneiden",
            "Wasserstrahlschneiden",
        ),
        phrases_en=(
            "laser cutting",
            "sheet metal fabrication",
            "press brake bending",
            "tube laser cutting",
        ),
        problems_de=(
            "Wir benötigen jeden Monat 200 bis 500 gekantete Blechteile und suchen einen "
            "verlässlichen Zulieferer in der Nähe.",
            "Unser Lieferant für Zuschnitte aus 10-mm-Baustahl fällt aus; wer kann kurzfristig "
            "einspringen?",
            "Die Schnittkanten an unseren Edelstahlteilen haben Grat und Anlauffarben, das stört "
            "in der Montage.",
        ),
        problems_en=("We need a local supplier for 200 to 500 bent sheet metal parts a month.",),
        trades=("A13", "A16"),
        industries=("25",),
        kinds=(C, H),
        related=("laser-welding", "sheet-metal-forming", "metal-construction", "signage-labelling"),
    ),
    Topic(
        id="cnc-milling",
        group="production",
        label_de="CNC-Fräsen (5-Achs)",
        label_en="5-axis CNC milling",
        phrases_de=(
            "5-Achs-Simultanfräsen",
            "CNC-Fräsbearbeitung",
            "Zerspanung komplexer Bauteile",
            "Hochgeschwindigkeitsfräsen",
            "Fräsen von Titan und Inconel",
            "spanende Prototypen- und Kleinserienfertigung",
        ),
        phrases_en=(
            "5-axis simultaneous milling",
            "CNC machining",
            "precision machining of complex parts",
            "machining of titanium",
        ),
        problems_de=(
            "Ein Aluminiumgehäuse mit Freiformflächen geht auf unseren 3-Achs-Maschinen nur mit "
            "fünf Aufspannungen.",
            "Bei der Bearbeitung von Titanteilen verschleißen unsere Werkzeuge extrem schnell.",
            "Für einen Prototyp brauchen wir in zwei Wochen zehn gefräste Teile mit Toleranzen "
            "von ±0,01 mm.",
        ),
        problems_en=(
            "We need ten milled prototype parts with a tolerance of ±0.01 mm within two weeks.",
            "Tool wear is extremely high when we machine titanium parts.",
        ),
        trades=("A16", "B1-06"),
        industries=("25", "28"),
        kinds=(C, H, I, R),
        related=("cnc-turning", "tool-mould-making", "additive-metal", "grinding-polishing"),
    ),
    Topic(
        id="cnc-turning",
        group="production",
        label_de="CNC-Drehen und Drehteile",
        label_en="CNC turning",
        phrases_de=(
            "CNC-Drehen",
            "Langdrehen",
            "Drehteilefertigung in Serie",
            "Dreh-Fräs-Komplettbearbeitung",
            "Präzisionsdrehteile",
        ),
        phrases_en=(
            "CNC turning",
            "Swiss-type turning",
            "turned parts in series",
            "mill-turn machining",
        ),
        problems_de=(
            "Wir suchen einen Lieferanten für 20.000 Drehteile aus Messing im Jahr, mit Gewinde "
            "und Rändel.",
            "Unsere Wellen zeigen nach dem Drehen Rundlaufabweichungen, die wir nicht erklären "
            "können.",
            "Unser Zulieferer hat Lieferzeiten von 16 Wochen; wir brauchen eine Alternative.",
        ),
        problems_en=("We are looking for a supplier of 20,000 brass turned parts a year.",),
        trades=("A16",),
        industries=("25", "28"),
        kinds=(C, H),
        related=("cnc-milling", "grinding-polishing", "quality-management"),
    ),
    Topic(
        id="tool-mould-making",
        group="production",
        label_de="Werkzeug- und Formenbau",
        label_en="Tool and mould making",
        phrases_de=(
            "Werkzeugbau",
            "Formenbau für Spritzguss",
            "Stanz- und Folgeverbundwerkzeuge",
            "Präzisionsschleifen von Werkzeugen",
            "Draht- und Senkerodieren",
            "Werkzeuginstandhaltung",
        ),
        phrases_en=(
            "tool making",
            "injection mould making",
            "progressive dies",
            "wire and sinker EDM",
        ),
        problems_de=(
            "Unser Spritzgießwerkzeug ist nach 300.000 Schuss verschlissen und muss überarbeitet "
            "oder neu gebaut werden.",
            "Für ein neues Stanzbiegeteil brauchen wir ein Folgeverbundwerkzeug und haben intern "
            "keine Kapazität.",
            "Unsere Stanzteile haben zu viel Grat, vermutlich stimmt der Schneidspalt nicht mehr.",
        ),
        problems_en=(
            "Our injection mould is worn after 300,000 shots and needs refurbishment or "
            "replacement.",
        ),
        trades=("B1-06", "A16"),
        industries=("25", "28", "22"),
        kinds=(C, H, I, R),
        related=("injection-moulding", "sheet-metal-forming", "cnc-milling", "tribology"),
    ),
    Topic(
        id="sheet-metal-forming",
        group="production",
        label_de="Umformtechnik",
        label_en="Metal forming",
        phrases_de=(
            "Umformtechnik",
            "Tiefziehen",
            "Stanzen und Biegen",
            "Innenhochdruckumformen",
            "Warmumformung",
            "Rollprofilieren",
        ),
        phrases_en=("metal forming", "deep drawing", "stamping and bending", "roll forming"),
        problems_de=(
            "Beim Tiefziehen unserer Edelstahlbecher reißen die Ecken ein, sobald wir die "
            "Ziehtiefe erhöhen.",
            "Ein bisher geschweißtes Bauteil soll als Umformteil entstehen; wir suchen jemanden "
            "für eine Machbarkeitsstudie.",
            "Die Rückfederung hochfester Stähle macht unsere Biegeteile ungenau.",
        ),
        problems_en=(
            "Our deep-drawn stainless steel cups crack at the corners when we increase the "
            "drawing depth.",
            "Springback of high-strength steel makes our bent parts inaccurate.",
        ),
        trades=(),
        industries=("25", "24", "29"),
        kinds=(C, I, R),
        related=("tool-mould-making", "forging", "simulation-fem", "laser-cutting"),
    ),
    Topic(
        id="casting",
        group="production",
        label_de="Gießereitechnik",
        label_en="Foundry and casting",
        phrases_de=(
            "Aluminiumdruckguss",
            "Sandguss",
            "Feinguss",
            "Gussteile aus Grauguss und Sphäroguss",
            "Gießsimulation",
            "Kokillenguss",
        ),
        phrases_en=(
            "aluminium die casting",
            "sand casting",
            "investment casting",
            "casting simulation",
        ),
        problems_de=(
            "In unseren Aluminium-Druckgussteilen finden wir immer wieder Poren an den "
            "Dichtflächen.",
            "Wir suchen eine Gießerei für kleine Lose von 50 bis 200 Teilen aus Sphäroguss.",
            "Ein Bauteil soll künftig gegossen statt aus dem Vollen gefräst werden; wer berät "
            "zur gussgerechten Gestaltung?",
        ),
        problems_en=(
            "We keep finding porosity at the sealing faces of our aluminium die castings.",
        ),
        trades=("B1-05",),
        industries=("24", "25"),
        kinds=(C, H, I, R),
        related=("forging", "simulation-fem", "failure-analysis", "ndt"),
    ),
    Topic(
        id="forging",
        group="production",
        label_de="Schmieden und Massivumformung",
        label_en="Forging",
        phrases_de=(
            "Gesenkschmieden",
            "Freiformschmieden",
            "Massivumformung",
            "Schmiedeteile für Fahrzeug- und Maschinenbau",
            "Warm- und Halbwarmumformung",
        ),
        phrases_en=("closed-die forging", "open-die forging", "bulk metal forming"),
        problems_de=(
            "Unsere Schmiedegesenke halten nur noch halb so lange wie früher; wir vermuten "
            "thermische Risse.",
            "Die Energiekosten unserer Schmiedeöfen sind so gestiegen, dass wir "
            "Einsparmöglichkeiten suchen.",
            "Wir wollen Rohlinge endkonturnäher schmieden, um Zerspanung einzusparen.",
        ),
        problems_en=("Our forging dies last only half as long as they used to.",),
        trades=("B1-03", "A13"),
        industries=("25", "24"),
        kinds=(C, H, I, R),
        related=("sheet-metal-forming", "heat-treatment", "waste-heat", "casting"),
    ),
    Topic(
        id="heat-treatment",
        group="production",
        label_de="Wärmebehandlung und Härten",
        label_en="Heat treatment",
        phrases_de=(
            "Härten und Anlassen",
            "Einsatzhärten",
            "Nitrieren und Nitrocarburieren",
            "Vakuumhärten",
            "Induktionshärten",
            "Spannungsarmglühen",
        ),
        phrases_en=(
            "hardening and tempering",
            "case hardening",
            "nitriding",
            "induction hardening",
        ),
        problems_de=(
            "Nach dem Einsatzhärten verziehen sich unsere Zahnräder, wir müssen aufwendig "
            "nachschleifen.",
            "Die Härte unserer Bauteile streut von Charge zu Charge, und der Dienstleister kann "
            "es nicht erklären.",
            "Wir suchen eine Härterei, die auch kleine Mengen innerhalb von drei Tagen liefert.",
        ),
        problems_en=("Our gears distort after case hardening and need costly regrinding.",),
        trades=(),
        industries=("25", "24"),
        kinds=(C, I, R),
        related=("forging", "materials-testing", "failure-analysis", "tribology"),
    ),
    Topic(
        id="additive-metal",
        group="production",
        label_de="Additive Fertigung Metall",
        label_en="Metal additive manufacturing",
        phrases_de=(
            "3D-Druck von Metallbauteilen",
            "selektives Laserschmelzen",
            "pulverbettbasiertes Laserstrahlschmelzen",
            "Lichtbogen-Auftragschweißen (WAAM)",
            "additiv gefertigte Ersatzteile",
            "Nachbearbeitung gedruckter Metallteile",
        ),
        phrases_en=(
            "metal 3D printing",
            "laser powder bed fusion",
            "wire arc additive manufacturing",
            "printed spare parts",
        ),
        problems_de=(
            "Für eine alte Maschine gibt es ein Ersatzteil nicht mehr; wir überlegen, es in "
            "Metall drucken zu lassen.",
            "Ein Kühlbauteil mit innenliegenden Kanälen lässt sich konventionell nicht fertigen.",
            "Gedruckte Edelstahlteile aus einem Testlauf hatten zu viele Poren und hohe "
            "Eigenspannungen.",
        ),
        problems_en=(
            "A spare part for an old machine is no longer available; we are considering having "
            "it printed in metal.",
        ),
        trades=(),
        industries=("25", "28", "72"),
        kinds=(C, S, I, R),
        related=("additive-plastics", "cnc-milling", "materials-testing", "laser-welding"),
    ),
    Topic(
        id="contract-assembly",
        group="production",
        label_de="Baugruppenmontage und Lohnfertigung",
        label_en="Contract assembly",
        phrases_de=(
            "Baugruppenmontage",
            "Lohnfertigung",
            "Endmontage mit Funktionsprüfung",
            "Vormontage für Serienkunden",
            "Montageplanung",
        ),
        phrases_en=("contract assembly", "subassembly manufacturing", "final assembly and testing"),
        problems_de=(
            "Für einen Großauftrag fehlen uns im zweiten Halbjahr Kapazitäten für rund 2.000 "
            "Baugruppen.",
            "Unsere Montage ist historisch gewachsen, die Durchlaufzeiten sind viel zu lang.",
            "Wir suchen jemanden, der Baugruppen inklusive Prüfung und Verpackung übernimmt.",
        ),
        problems_en=(
            "For a large order we lack capacity for about 2,000 subassemblies in the second half "
            "of the year.",
        ),
        trades=(),
        industries=("28", "27", "25"),
        kinds=(C, S, R),
        related=("electronics-manufacturing", "lean-production", "industrial-robotics"),
    ),
    Topic(
        id="pressure-vessels",
        group="production",
        label_de="Behälter- und Apparatebau",
        label_en="Tanks, vessels and apparatus",
        phrases_de=(
            "Behälterbau",
            "Apparatebau aus Edelstahl",
            "Druckbehälter nach AD 2000",
            "Rohrleitungsbau für Prozessanlagen",
            "Wärmetauscher",
        ),
        phrases_en=(
            "tank and vessel construction",
            "stainless steel apparatus",
            "pressure vessels",
        ),
        problems_de=(
            "Für eine neue Linie brauchen wir einen 5.000-Liter-Edelstahlbehälter mit Rührwerk "
            "und Heizmantel.",
            "Ein Wärmetauscher in unserer Anlage ist durchkorrodiert und muss nachgebaut werden.",
            "Die wiederkehrende Prüfung unserer Druckbehälter steht an, und uns fehlen Unterlagen.",
        ),
        problems_en=(
            "We need a 5,000-litre stainless steel tank with agitator and heating jacket.",
        ),
        trades=("A45", "A23"),
        industries=("25", "28"),
        kinds=(C, H),
        related=("arc-welding", "ndt", "corrosion-protection", "hydrogen"),
    ),
    Topic(
        id="signage-labelling",
        group="production",
        label_de="Beschriftung, Kennzeichnung und Werbetechnik",
        label_en="Signage, marking and labelling",
        phrases_de=(
            "Schilder und Lichtwerbung",
            "Laserbeschriftung und Gravur",
            "Bauteilkennzeichnung mit DataMatrix-Code",
            "Etiketten- und Digitaldruck",
            "Fahrzeugbeschriftung",
        ),
        phrases_en=(
            "signage",
            "laser marking and engraving",
            "data matrix part marking",
            "label printing",
        ),
        problems_de=(
            "Jedes Bauteil muss rückverfolgbar gekennzeichnet werden, aber die Etiketten lösen "
            "sich im Waschprozess.",
            "Für unseren neuen Standort brauchen wir ein Leitsystem und eine beleuchtete "
            "Fassadenwerbung.",
            "Die Etiketten unserer Produkte sollen künftig variable Daten und QR-Codes tragen.",
        ),
        problems_en=(
            "Every part must be traceable, but our labels come off in the washing process.",
        ),
        trades=("A51", "B1-02", "B1-29"),
        industries=("18", "32", "73"),
        kinds=(C, H, S),
        related=("laser-cutting", "machine-vision", "packaging"),
    ),
    # --- surface ----------------------------------------------------------------------------
    Topic(
        id="powder-coating",
        group="surface",
        label_de="Pulverbeschichtung",
        label_en="Powder coating",
        phrases_de=(
            "Pulverbeschichtung",
            "Pulverlackierung von Stahl und Aluminium",
            "Lohnbeschichtung",
            "Vorbehandlung und Eisenphosphatierung",
            "Nasslackierung von Industrieteilen",
        ),
        phrases_en=(
            "powder coating",
            "industrial coating services",
            "pre-treatment before coating",
        ),
        problems_de=(
            "Die Pulverschicht auf unseren verzinkten Teilen blättert nach einigen Monaten ab.",
            "Wir brauchen für Gehäuse in RAL 7016 einen Beschichter, der auch 3 Meter lange Teile "
            "aufnehmen kann.",
            "Unser Lackierer hat Probleme mit Kratern und Einschlüssen in der Oberfläche.",
        ),
        problems_en=("The powder coating on our galvanised parts peels off after a few months.",),
        trades=("A10",),
        industries=("25",),
        kinds=(C, H),
        related=("corrosion-protection", "galvanic-surface", "grinding-polishing", "exhaust-air"),
    ),
    Topic(
        id="galvanic-surface",
        group="surface",
        label_de="Galvanotechnik",
        label_en="Electroplating",
        phrases_de=(
            "galvanische Oberflächenbehandlung",
            "Verzinken und Vernickeln",
            "Hartverchromung",
            "Eloxieren von Aluminium",
            "chemisch Nickel",
            "Kunststoffgalvanisierung",
        ),
        phrases_en=(
            "electroplating",
            "zinc and nickel plating",
            "hard chrome plating",
            "anodising",
        ),
        problems_de=(
            "Wegen der REACH-Beschränkung für Chrom(VI) müssen wir eine Alternative zur "
            "bisherigen Verchromung finden.",
            "Die Schichtdicke beim Verzinken unserer Schüttgutteile schwankt zu stark.",
            "Unsere eloxierten Teile zeigen Farbunterschiede zwischen den Chargen.",
        ),
        problems_en=(
            "Because of REACH restrictions on hexavalent chromium we need an alternative to our "
            "chrome plating.",
        ),
        trades=("B1-04",),
        industries=("25",),
        kinds=(C, H, I, R),
        related=("corrosion-protection", "powder-coating", "wastewater", "chemical-analytics"),
    ),
    Topic(
        id="corrosion-protection",
        group="surface",
        label_de="Korrosionsschutz",
        label_en="Corrosion protection",
        phrases_de=(
            "Korrosionsschutz",
            "Feuerverzinken",
            "Korrosionsschutzbeschichtung nach DIN EN ISO 12944",
            "Strahlen und Beschichten von Stahlbauten",
            "kathodischer Korrosionsschutz",
        ),
        phrases_en=(
            "corrosion protection",
            "hot-dip galvanising",
            "protective coatings to ISO 12944",
        ),
        problems_de=(
            "An unserer Stahlhalle zeigt sich nach zehn Jahren Rost an den Anschlüssen; wer "
            "saniert das fachgerecht?",
            "Unsere Bauteile gehen in küstennahe Anwendungen, dort hält die bisherige Beschichtung "
            "nicht.",
            "Wir brauchen Salzsprühtests und einen Vorschlag für eine bessere Beschichtung.",
        ),
        problems_en=(
            "Our components go into coastal applications where the current coating does not last.",
        ),
        trades=("A10", "B2-12", "B1-04"),
        industries=("25", "43"),
        kinds=(C, H, S, I, R),
        related=("powder-coating", "galvanic-surface", "materials-testing", "metal-construction"),
    ),
    Topic(
        id="grinding-polishing",
        group="surface",
        label_de="Schleifen, Polieren und Entgraten",
        label_en="Grinding, polishing and deburring",
        phrases_de=(
            "Metallschleifen und Polieren",
            "Gleitschleifen",
            "Entgraten",
            "Hochglanzpolieren von Edelstahl",
            "Elektropolieren",
        ),
        phrases_en=(
            "grinding and polishing",
            "vibratory finishing",
            "deburring",
            "electropolishing",
        ),
        problems_de=(
            "Das Entgraten unserer Frästeile läuft noch von Hand und bindet zwei Mitarbeiter.",
            "Für Lebensmittelmaschinen brauchen wir Edelstahloberflächen mit Ra unter 0,8 µm.",
            "Nach dem Gleitschleifen sind die Kantenverrundungen an unseren Teilen zu groß.",
        ),
        problems_en=("Deburring of our milled parts is still manual and ties up two employees.",),
        trades=("B2-10", "A16"),
        industries=("25",),
        kinds=(C, H, R),
        related=("cnc-milling", "cnc-turning", "powder-coating", "industrial-robotics"),
    ),
    # --- plastics ---------------------------------------------------------------------------
    Topic(
        id="additive-plastics",
        group="plastics",
        label_de="3D-Druck Kunststoff und Prototypenbau",
        label_en="Polymer 3D printing and prototyping",
        phrases_de=(
            "3D-Druck mit Kunststoff",
            "selektives Lasersintern (SLS)",
            "FDM-Druck technischer Bauteile",
            "Prototypen- und Modellbau",
            "Vakuumguss für Vorserien",
            "Vorrichtungen und Greifer aus dem 3D-Drucker",
        ),
        phrases_en=(
            "polymer 3D printing",
            "selective laser sintering",
            "rapid prototyping",
            "model making",
        ),
        problems_de=(
            "Unsere Montagevorrichtungen werden aus Aluminium gefräst und sind dafür zu teuer.",
            "Für eine Kleinserie von 300 Gehäusen lohnt sich kein Spritzgießwerkzeug.",
            "Für eine Messe brauchen wir in vier Wochen ein Funktionsmuster unserer neuen "
            "Maschine im Maßstab 1:5.",
        ),
        problems_en=("A small batch of 300 housings does not justify an injection mould.",),
        trades=("B1-08",),
        industries=("22", "32", "74"),
        kinds=(C, H, S, I, R),
        related=("additive-metal", "injection-moulding", "product-design", "mechanical-design"),
    ),
    Topic(
        id="injection-moulding",
        group="plastics",
        label_de="Kunststoffspritzguss",
        label_en="Injection moulding",
        phrases_de=(
            "Kunststoffspritzguss",
            "Spritzgießen technischer Teile",
            "Mehrkomponentenspritzguss",
            "Prozessoptimierung im Spritzguss",
            "Umspritzen von Einlegeteilen",
        ),
        phrases_en=("plastic injection moulding", "multi-component moulding", "insert moulding"),
        problems_de=(
            "Unsere Spritzgussteile aus PA6 GF30 verziehen sich nach dem Entformen.",
            "Wir haben Einfallstellen und Schlieren an Sichtflächen und finden die Ursache nicht.",
            "Die Zykluszeit ist zu lang; wir suchen jemanden, der Temperierung und Prozess "
            "analysiert.",
        ),
        problems_en=(
            "Our PA6 GF30 moulded parts warp after demoulding.",
            "We have sink marks and flow lines on visible surfaces.",
        ),
        trades=(),
        industries=("22",),
        kinds=(C, I, R),
        related=(
            "tool-mould-making",
            "additive-plastics",
            "plastics-recycling",
            "composites-lightweight",
        ),
    ),
    Topic(
        id="composites-lightweight",
        group="plastics",
        label_de="Faserverbund und Leichtbau",
        label_en="Composites and lightweight design",
        phrases_de=(
            "Faserverbundwerkstoffe",
            "CFK- und GFK-Bauteile",
            "Leichtbaukonstruktion",
            "hybrider Leichtbau aus Metall und Kunststoff",
            "Strukturkleben",
        ),
        phrases_en=(
            "fibre-reinforced composites",
            "CFRP parts",
            "lightweight design",
            "structural bonding",
        ),
        problems_de=(
            "Unser Schwenkarm ist zu schwer für den neuen Antrieb; wir wollen Gewicht sparen, "
            "ohne Steifigkeit zu verlieren.",
            "Klebeverbindungen zwischen Aluminium und GFK lösen sich bei Temperaturwechseln.",
            "Wir prüfen, ob ein Stahlrahmen durch ein Faserverbundteil ersetzt werden kann.",
        ),
        problems_en=(
            "Our swivel arm is too heavy; we want to save weight without losing stiffness.",
        ),
        trades=("A28",),
        industries=("22", "29", "30"),
        kinds=(C, H, I, R),
        related=(
            "sheet-metal-forming",
            "simulation-fem",
            "mechanical-design",
            "injection-moulding",
        ),
    ),
    # --- automation -------------------------------------------------------------------------
    Topic(
        id="electronics-manufacturing",
        group="automation",
        label_de="Elektronikfertigung",
        label_en="Electronics manufacturing",
        phrases_de=(
            "SMD-Bestückung",
            "Leiterplattenbestückung",
            "Elektronikfertigung als Dienstleistung (EMS)",
            "Kabelkonfektion",
            "Prüfung elektronischer Baugruppen",
        ),
        phrases_en=(
            "SMT assembly",
            "PCB assembly",
            "electronics manufacturing services",
            "cable assembly",
        ),
        problems_de=(
            "Unser Bestücker hat die Lieferung eingestellt; wir brauchen einen neuen "
            "Fertigungspartner für 1.000 Platinen.",
            "Eine Baugruppe fällt im Feld nach Temperaturwechseln aus, wir vermuten Risse in den "
            "Lötstellen.",
            "Für ein Sensormodul brauchen wir Hilfe beim Leiterplattenlayout und bei der EMV.",
        ),
        problems_en=(
            "We need a new EMS partner for 1,000 PCBs because our supplier stopped delivering.",
        ),
        trades=("A25", "A19"),
        industries=("26", "27"),
        kinds=(C, H, S, I, R),
        related=("embedded-software", "control-cabinet", "contract-assembly"),
    ),
    Topic(
        id="control-cabinet",
        group="automation",
        label_de="Schaltschrankbau",
        label_en="Control cabinet building",
        phrases_de=(
            "Schaltschrankbau",
            "Steuerungsbau",
            "Verdrahtung von Schaltanlagen",
            "Schaltgerätekombinationen nach DIN EN 61439",
            "Elektrokonstruktion mit EPLAN",
        ),
        phrases_en=(
            "control cabinet building",
            "switchgear assembly",
            "electrical design with EPLAN",
        ),
        problems_de=(
            "Für unsere Sondermaschinen brauchen wir zehn Schaltschränke pro Quartal und suchen "
            "einen zweiten Lieferanten.",
            "Die Elektrodokumentation unserer Altanlagen ist lückenhaft, das blockiert die "
            "CE-Kennzeichnung nach dem Umbau.",
            "Wer kann kurzfristig einen Schrank nach unseren EPLAN-Plänen verdrahten?",
        ),
        problems_en=("We need a second supplier for ten control cabinets per quarter.",),
        trades=("A25", "A26"),
        industries=("27", "33"),
        kinds=(C, H, S),
        related=("plc-automation", "electrical-installation", "special-machine-building"),
    ),
    Topic(
        id="special-machine-building",
        group="automation",
        label_de="Sondermaschinenbau",
        label_en="Special-purpose machinery",
        phrases_de=(
            "Sondermaschinenbau",
            "Vorrichtungsbau",
            "Prüfstände und Prüfanlagen",
            "Automatisierungslösungen für die Montage",
            "Retrofit von Maschinen",
        ),
        phrases_en=(
            "special-purpose machines",
            "fixture construction",
            "test benches",
            "machine retrofit",
        ),
        problems_de=(
            "Wir brauchen einen Prüfstand, der Ventile vor der Auslieferung automatisch auf "
            "Dichtheit prüft.",
            "Unsere 25 Jahre alte Presse soll modernisiert werden, ohne die ganze Mechanik zu "
            "tauschen.",
            "Das manuelle Einlegen in eine Vorrichtung ist ein Engpass; wir denken an eine "
            "teilautomatisierte Anlage.",
        ),
        problems_en=(
            "We need a test bench that automatically leak-tests valves before shipping.",
            "Our 25-year-old press should be modernised without replacing all the mechanics.",
        ),
        trades=("A16", "A13"),
        industries=("28", "33"),
        kinds=(C, H, S, R),
        related=("plc-automation", "industrial-robotics", "control-cabinet", "mechanical-design"),
    ),
    Topic(
        id="plc-automation",
        group="automation",
        label_de="Automatisierung und SPS-Programmierung",
        label_en="PLC automation",
        phrases_de=(
            "SPS-Programmierung",
            "Automatisierungstechnik",
            "Steuerungstechnik mit Siemens S7 und TIA Portal",
            "Visualisierung und HMI",
            "Steuerungs-Retrofit",
            "OPC-UA-Anbindung",
        ),
        phrases_en=(
            "PLC programming",
            "industrial automation",
            "HMI and SCADA",
            "OPC UA integration",
        ),
        problems_de=(
            "Unsere Anlage läuft noch mit einer S5-Steuerung, für die es keine Ersatzteile mehr "
            "gibt.",
            "Wir wollen Maschinendaten aus der Steuerung auslesen, kommen aber an die alten "
            "Programme nicht heran.",
            "Die Bedienoberfläche unserer Abfüllanlage ist unübersichtlich, es passieren "
            "Bedienfehler.",
        ),
        problems_en=("Our plant still runs on a Siemens S5 controller with no spare parts left.",),
        trades=("A25", "A26"),
        industries=("28", "33", "71"),
        kinds=(C, H, S, I, R),
        related=("industrial-robotics", "control-cabinet", "predictive-maintenance", "it-security"),
    ),
    Topic(
        id="industrial-robotics",
        group="automation",
        label_de="Industrierobotik",
        label_en="Industrial robotics",
        phrases_de=(
            "Roboterintegration",
            "kollaborative Roboter (Cobots)",
            "robotergestützte Handhabung",
            "Palettierroboter",
            "Offline-Programmierung und Robotersimulation",
            "Greifertechnik",
        ),
        phrases_en=(
            "robot integration",
            "collaborative robots",
            "robotic handling",
            "offline robot programming",
        ),
        problems_de=(
            "Das Be- und Entladen unserer CNC-Maschine bindet nachts einen Mitarbeiter; wir "
            "überlegen, das automatisch zu lösen.",
            "Wir haben einen Cobot gekauft, bekommen ihn aber nicht sinnvoll in die Fertigung "
            "integriert.",
            "Das Palettieren am Bandende ist körperlich belastend und ein Engpass.",
        ),
        problems_en=("Loading and unloading our CNC machine ties up a worker at night.",),
        trades=(),
        industries=("28", "33"),
        kinds=(C, S, I, R),
        related=(
            "plc-automation",
            "machine-vision",
            "ergonomics-health",
            "special-machine-building",
        ),
    ),
    Topic(
        id="machine-vision",
        group="automation",
        label_de="Bildverarbeitung und optische Qualitätsprüfung",
        label_en="Machine vision quality inspection",
        phrases_de=(
            "industrielle Bildverarbeitung",
            "kamerabasierte Qualitätsprüfung",
            "automatische Oberflächeninspektion",
            "3D-Messtechnik mit Streifenlicht",
            "Deep Learning für die Fehlererkennung",
        ),
        phrases_en=(
            "machine vision",
            "camera-based quality inspection",
            "automated surface inspection",
            "deep learning defect detection",
        ),
        problems_de=(
            "Kratzer auf unseren lackierten Teilen werden bei der Sichtkontrolle oft übersehen "
            "und erst beim Kunden reklamiert.",
            "Wir messen jedes Teil von Hand mit dem Messschieber nach, das dauert zu lange.",
            "Die Endkontrolle erkennt fehlende Schrauben nicht zuverlässig.",
        ),
        problems_en=(
            "Scratches on painted parts are often missed by visual inspection and only found by "
            "the customer.",
        ),
        trades=(),
        industries=("26", "28", "62", "72"),
        kinds=(C, S, I, R),
        related=(
            "ai-production-data",
            "quality-management",
            "industrial-robotics",
            "signage-labelling",
        ),
    ),
    Topic(
        id="predictive-maintenance",
        group="automation",
        label_de="Zustandsüberwachung und vorausschauende Instandhaltung",
        label_en="Predictive maintenance and IoT sensors",
        phrases_de=(
            "Predictive Maintenance",
            "Condition Monitoring",
            "Schwingungsanalyse an Maschinen",
            "IoT-Sensorik zum Nachrüsten",
            "vorausschauende Instandhaltung",
            "Maschinendatenerfassung",
        ),
        phrases_en=(
            "predictive maintenance",
            "condition monitoring",
            "vibration analysis",
            "IoT sensor retrofit",
        ),
        problems_de=(
            "Ungeplante Stillstände an unseren Pressen kosten uns jedes Jahr mehrere "
            "hunderttausend Euro.",
            "Wir wollen Lagerschäden an Pumpen erkennen, bevor sie ausfallen.",
            "Unsere Maschinen sind alt und haben keine Schnittstellen; wir möchten trotzdem "
            "Zustandsdaten erfassen.",
        ),
        problems_en=(
            "Unplanned downtime on our presses costs us several hundred thousand euros a year.",
        ),
        trades=(),
        industries=("28", "33", "62"),
        kinds=(C, S, I, R),
        related=("ai-production-data", "digital-twin", "mechatronics-repair", "plc-automation"),
    ),
    Topic(
        id="mechatronics-repair",
        group="automation",
        label_de="Instandhaltung, Reparatur und Elektromaschinenbau",
        label_en="Mechatronics repair and motor service",
        phrases_de=(
            "Maschineninstandhaltung",
            "Reparatur von Antrieben und Getrieben",
            "Instandsetzung mechatronischer Baugruppen",
            "Reparatur und Neuwicklung von Elektromotoren",
            "Service für Bau- und Flurförderfahrzeuge",
        ),
        phrases_en=("machine maintenance", "drive and gearbox repair", "electric motor rewinding"),
        problems_de=(
            "Unser Instandhaltungsteam ist zu klein; wir suchen einen Dienstleister für Wartung "
            "und Störungsbehebung.",
            "Ein 90-kW-Motor unserer Mühle ist durchgebrannt, wir brauchen schnell eine "
            "Neuwicklung.",
            "Ein Getriebe unserer Förderanlage ist ausgefallen, und den Hersteller gibt es nicht "
            "mehr.",
        ),
        problems_en=("A 90 kW motor has burnt out and needs rewinding quickly.",),
        trades=("A26", "A21", "A16"),
        industries=("33", "27"),
        kinds=(C, H, S),
        related=("predictive-maintenance", "hydraulics-pneumatics", "plc-automation"),
    ),
    Topic(
        id="hydraulics-pneumatics",
        group="automation",
        label_de="Hydraulik und Pneumatik",
        label_en="Hydraulics and pneumatics",
        phrases_de=(
            "Hydraulikservice",
            "Reparatur von Hydraulikzylindern",
            "Pneumatiksteuerungen",
            "Druckluftanlagen",
            "Schlauchservice",
        ),
        phrases_en=(
            "hydraulic service",
            "hydraulic cylinder repair",
            "pneumatic controls",
            "compressed air",
        ),
        problems_de=(
            "Unsere Hydraulikpresse verliert Öl, und der Druck bricht bei längeren Zyklen ein.",
            "Die Druckluftanlage läuft auch am Wochenende durch; wir vermuten große Leckagen.",
            "Ein Hydraulikzylinder mit Sondermaß muss instandgesetzt werden.",
        ),
        problems_en=("Our hydraulic press leaks oil and the pressure drops during longer cycles.",),
        trades=("A21", "A16"),
        industries=("28", "33"),
        kinds=(C, H, S),
        related=("mechatronics-repair", "energy-audit", "special-machine-building", "tribology"),
    ),
    # --- digital ----------------------------------------------------------------------------
    Topic(
        id="it-security",
        group="digital",
        label_de="IT- und OT-Sicherheit in der Industrie",
        label_en="Industrial IT and OT security",
        phrases_de=(
            "IT-Sicherheit in der Produktion",
            "OT-Security",
            "Netzwerksegmentierung",
            "ISO 27001 und NIS2",
            "Penetrationstests",
            "Notfallplanung für Cyberangriffe",
        ),
        phrases_en=(
            "industrial cyber security",
            "OT security",
            "network segmentation",
            "NIS2 compliance",
        ),
        problems_de=(
            "Nach einem Ransomware-Angriff bei einem Zulieferer wollen wir unsere "
            "Produktionsnetze besser absichern.",
            "Wir fallen wahrscheinlich unter NIS2 und wissen nicht, was wir jetzt umsetzen müssen.",
            "Unsere Maschinen hängen im Büronetz, die Fernwartung läuft über ungesicherte Zugänge.",
        ),
        problems_en=("We probably fall under NIS2 and do not know what we have to implement now.",),
        trades=("A19",),
        industries=("62",),
        kinds=(C, H, S, I, R),
        related=("it-networks", "plc-automation", "data-spaces", "erp-mes"),
    ),
    Topic(
        id="erp-mes",
        group="digital",
        label_de="ERP- und MES-Einführung",
        label_en="ERP and MES implementation",
        phrases_de=(
            "ERP-Einführung",
            "Manufacturing Execution System (MES)",
            "Betriebsdatenerfassung",
            "Fertigungssteuerung",
            "Prozessdigitalisierung im Mittelstand",
        ),
        phrases_en=(
            "ERP implementation",
            "manufacturing execution systems",
            "shop floor data collection",
        ),
        problems_de=(
            "Unsere Auftragsplanung läuft über Excel-Listen, niemand weiß genau, wo ein Auftrag "
            "gerade steht.",
            "Wir wollen ein neues ERP-System einführen und brauchen eine neutrale Beratung bei "
            "der Auswahl.",
            "Rückmeldungen aus der Fertigung kommen auf Papier und werden abends abgetippt.",
        ),
        problems_en=(
            "Our order planning runs on spreadsheets and nobody knows where an order is.",
        ),
        trades=(),
        industries=("62", "70"),
        kinds=(C, S, I, R),
        related=("supply-chain-planning", "lean-production", "digital-twin", "it-security"),
    ),
    Topic(
        id="ai-production-data",
        group="digital",
        label_de="KI und Datenanalyse in der Produktion",
        label_en="AI and machine learning for production data",
        phrases_de=(
            "künstliche Intelligenz in der Produktion",
            "maschinelles Lernen mit Prozessdaten",
            "Anomalieerkennung",
            "KI-gestützte Qualitätsprognose",
            "Data Science für den Mittelstand",
        ),
        phrases_en=(
            "machine learning on production data",
            "anomaly detection",
            "AI-based quality prediction",
            "industrial data science",
        ),
        problems_de=(
            "Wir sammeln seit Jahren Prozessdaten, nutzen sie aber nicht, weil uns das Know-how "
            "für die Auswertung fehlt.",
            "Wir möchten vorhersagen können, wann der Spritzgießprozess Ausschuss produziert.",
            "Die Ausschussquote schwankt zwischen 2 und 9 Prozent, und wir kennen die "
            "Einflussgrößen nicht.",
        ),
        problems_en=(
            "We have collected process data for years but lack the know-how to analyse it.",
        ),
        trades=(),
        industries=("62", "72"),
        kinds=(C, S, I, R),
        related=("machine-vision", "predictive-maintenance", "digital-twin", "erp-mes"),
    ),
    Topic(
        id="digital-twin",
        group="digital",
        label_de="Digitaler Zwilling und virtuelle Inbetriebnahme",
        label_en="Digital twin and virtual commissioning",
        phrases_de=(
            "digitaler Zwilling",
            "virtuelle Inbetriebnahme",
            "Anlagensimulation",
            "Verwaltungsschale (Asset Administration Shell)",
            "Echtzeitmodell der Produktion",
        ),
        phrases_en=(
            "digital twin",
            "virtual commissioning",
            "plant simulation",
            "asset administration shell",
        ),
        problems_de=(
            "Die Inbetriebnahme beim Kunden dauert Wochen, weil Steuerungsfehler erst vor Ort "
            "auffallen.",
            "Kunden verlangen zunehmend digitale Produktdaten im Format der Verwaltungsschale.",
            "Wir möchten Umbauten in der Halle vorher am Rechner durchspielen.",
        ),
        problems_en=(
            "Commissioning at customer sites takes weeks because control errors show up late.",
        ),
        trades=(),
        industries=("62", "72", "28"),
        kinds=(C, S, I, R),
        related=("simulation-fem", "plc-automation", "bim", "ai-production-data"),
    ),
    Topic(
        id="simulation-fem",
        group="digital",
        label_de="Simulation und FEM-Berechnung",
        label_en="Simulation and FEM analysis",
        phrases_de=(
            "FEM-Berechnung",
            "Festigkeitsnachweis",
            "Strömungssimulation (CFD)",
            "Strukturmechanik und Schwingungsanalyse",
            "Simulation von Umform- und Gießprozessen",
        ),
        phrases_en=(
            "finite element analysis",
            "strength verification",
            "computational fluid dynamics",
        ),
        problems_de=(
            "Für unseren Kranausleger verlangt der Kunde einen rechnerischen Festigkeitsnachweis.",
            "Unser Lüfterrad ist zu laut; wir wollen die Strömung verstehen, bevor wir neue "
            "Prototypen bauen.",
            "Ein Gussteil ist im Einsatz gebrochen, und wir wollen wissen, wo die Spannungen zu "
            "hoch sind.",
        ),
        problems_en=("Our customer demands a calculated strength verification for a crane jib.",),
        trades=(),
        industries=("71", "72"),
        kinds=(S, I, R),
        related=("mechanical-design", "digital-twin", "failure-analysis", "composites-lightweight"),
    ),
    Topic(
        id="mechanical-design",
        group="digital",
        label_de="Konstruktion und Entwicklung",
        label_en="Mechanical design and engineering",
        phrases_de=(
            "Konstruktionsdienstleistung",
            "3D-CAD-Konstruktion",
            "Maschinenkonstruktion",
            "fertigungsgerechte Bauteilgestaltung",
            "technische Zeichnungen und Stücklisten",
        ),
        phrases_en=("mechanical design services", "3D CAD design", "design for manufacturing"),
        problems_de=(
            "Unsere Konstruktion ist ausgelastet, wir brauchen für drei Monate externe Kapazität "
            "in SolidWorks.",
            "Zu einer alten Maschine gibt es nur Papierzeichnungen, die wir digitalisieren wollen.",
            "Ein Bauteil ist in der Herstellung zu teuer; wir suchen Ideen für eine günstigere "
            "Gestaltung.",
        ),
        problems_en=("Our design office is at full capacity; we need external CAD capacity.",),
        trades=(),
        industries=("71", "74"),
        kinds=(C, S, R),
        related=(
            "simulation-fem",
            "product-design",
            "special-machine-building",
            "tech-documentation",
        ),
    ),
    Topic(
        id="product-design",
        group="digital",
        label_de="Produktdesign und Industriedesign",
        label_en="Product and industrial design",
        phrases_de=(
            "Industriedesign",
            "Produktgestaltung",
            "Usability und Bedienkonzepte",
            "Designentwicklung für Investitionsgüter",
            "nutzerzentrierte Entwicklung",
        ),
        phrases_en=("industrial design", "product styling", "usability and user interfaces"),
        problems_de=(
            "Unsere Geräte funktionieren gut, sehen aber altmodisch aus und verkaufen sich "
            "schlechter als die der Wettbewerber.",
            "Kunden beschweren sich über die umständliche Bedienung unseres Gerätes.",
            "Für ein neues Produkt für Privatkunden brauchen wir ein ansprechendes Gehäuse.",
        ),
        problems_en=(
            "Our devices work well but look outdated and sell poorly against competitors.",
        ),
        trades=(),
        industries=("74",),
        kinds=(S, I, R),
        related=("mechanical-design", "additive-plastics", "ergonomics-health"),
    ),
    Topic(
        id="embedded-software",
        group="digital",
        label_de="Embedded-Software und Elektronikentwicklung",
        label_en="Embedded software and electronics development",
        phrases_de=(
            "Embedded-Softwareentwicklung",
            "Firmware für Mikrocontroller",
            "Sensorsysteme",
            "funktionale Sicherheit nach IEC 61508",
            "Elektronikentwicklung",
        ),
        phrases_en=("embedded software development", "microcontroller firmware", "sensor systems"),
        problems_de=(
            "Unsere Steuerplatine soll eine Funkschnittstelle bekommen, intern fehlt das Know-how "
            "für die Firmware.",
            "Die Software unseres Messgeräts stammt von einem ehemaligen Mitarbeiter und ist "
            "nicht dokumentiert.",
            "Für ein Sicherheitsbauteil brauchen wir einen Nachweis der funktionalen Sicherheit.",
        ),
        problems_en=(
            "Our control board needs a wireless interface and we lack firmware know-how.",
        ),
        trades=(),
        industries=("62", "26"),
        kinds=(C, S, I, R),
        related=("electronics-manufacturing", "it-security", "predictive-maintenance"),
    ),
    Topic(
        id="it-networks",
        group="digital",
        label_de="IT-Infrastruktur und Netzwerke",
        label_en="IT infrastructure and networks",
        phrases_de=(
            "Netzwerkinstallation",
            "WLAN-Ausleuchtung in Hallen",
            "Server und Cloud-Infrastruktur",
            "5G-Campusnetze",
            "IT-Service für kleine Unternehmen",
        ),
        phrases_en=(
            "network installation",
            "industrial Wi-Fi",
            "private 5G campus networks",
            "managed IT",
        ),
        problems_de=(
            "In unserer Lagerhalle bricht das WLAN ständig ab, die Scanner verlieren die "
            "Verbindung.",
            "Wir überlegen, ein eigenes 5G-Netz für fahrerlose Fahrzeuge aufzubauen.",
            "Unsere Server stehen im Keller, und niemand kümmert sich um Updates und Backups.",
        ),
        problems_en=(
            "The Wi-Fi in our warehouse keeps dropping and the scanners lose connection.",
        ),
        trades=("A19", "A25"),
        industries=("62", "61"),
        kinds=(C, H, S, I, R),
        related=("it-security", "electrical-installation", "conveyor-intralogistics"),
    ),
    Topic(
        id="data-spaces",
        group="digital",
        label_de="Datenräume und sicherer Datenaustausch",
        label_en="Data spaces and secure data sharing",
        phrases_de=(
            "Datenräume",
            "souveräner Datenaustausch in Lieferketten",
            "Gaia-X und Catena-X",
            "Datenmanagement und Datenqualität",
            "digitaler Produktpass",
        ),
        phrases_en=("data spaces", "sovereign data exchange", "digital product passport"),
        problems_de=(
            "Ein Automobilkunde verlangt, dass wir CO2-Daten über Catena-X bereitstellen.",
            "Der digitale Produktpass kommt, und wir wissen nicht, welche Daten wir dafür "
            "brauchen.",
            "Wir wollen Maschinendaten mit dem Hersteller teilen, ohne die Kontrolle darüber zu "
            "verlieren.",
        ),
        problems_en=("An automotive customer requires us to provide CO2 data via Catena-X.",),
        trades=(),
        industries=("62", "72"),
        kinds=(S, I, R),
        related=("it-security", "carbon-footprint", "supply-chain-planning", "erp-mes"),
    ),
    Topic(
        id="bim",
        group="digital",
        label_de="Building Information Modeling (BIM)",
        label_en="Building information modelling (BIM)",
        phrases_de=(
            "Building Information Modeling",
            "BIM-Planung",
            "digitales Aufmaß und Laserscanning",
            "3D-Gebäudemodell",
            "BIM im Handwerk",
        ),
        phrases_en=(
            "building information modelling",
            "BIM coordination",
            "laser scanning of buildings",
        ),
        problems_de=(
            "Ein Generalunternehmer verlangt von uns als Haustechnikfirma Planungen im BIM-Format.",
            "Für den Umbau unserer Halle fehlen aktuelle Pläne; wir brauchen ein digitales Aufmaß.",
            "Wie können wir als kleiner Betrieb mit 3D-Gebäudemodellen arbeiten?",
        ),
        problems_en=("A general contractor requires our building services design in BIM format.",),
        trades=("A24", "A25"),
        industries=("71", "43"),
        kinds=(H, S, I, R),
        related=("digital-twin", "hvac", "electrical-installation"),
    ),
    # --- logistics --------------------------------------------------------------------------
    Topic(
        id="conveyor-intralogistics",
        group="logistics",
        label_de="Fördertechnik und Intralogistik",
        label_en="Conveyor systems and intralogistics",
        phrases_de=(
            "Fördertechnik",
            "Intralogistik",
            "fahrerlose Transportsysteme (FTS)",
            "automatische Kleinteilelager",
            "Materialflussplanung",
        ),
        phrases_en=(
            "conveyor technology",
            "intralogistics",
            "automated guided vehicles",
            "material flow planning",
        ),
        problems_de=(
            "Zwischen Fertigung und Versand fahren Stapler ständig leer, das kostet Zeit und ist "
            "gefährlich.",
            "Wir überlegen, den Transport zwischen zwei Hallen mit fahrerlosen Fahrzeugen zu "
            "automatisieren.",
            "Unsere Rollenbahn ist überlastet und staut sich in Spitzenzeiten.",
        ),
        problems_en=("We want to automate transport between two halls with driverless vehicles.",),
        trades=(),
        industries=("28", "52"),
        kinds=(C, S, I, R),
        related=("warehouse-optimisation", "industrial-robotics", "supply-chain-planning"),
    ),
    Topic(
        id="warehouse-optimisation",
        group="logistics",
        label_de="Lagerplanung und Lageroptimierung",
        label_en="Warehouse planning and optimisation",
        phrases_de=(
            "Lageroptimierung",
            "Lagerplanung",
            "Kommissioniersysteme",
            "Lagerverwaltungssystem (LVS)",
            "Layoutplanung im Lager",
        ),
        phrases_en=(
            "warehouse optimisation",
            "warehouse planning",
            "order picking",
            "warehouse management system",
        ),
        problems_de=(
            "Unsere Kommissionierer laufen pro Schicht über 15 Kilometer, weil die Schnelldreher "
            "ganz hinten liegen.",
            "Das Lager platzt aus allen Nähten; wir müssen entscheiden, ob wir anbauen oder "
            "umorganisieren.",
            "Die Bestände im System stimmen nicht mit dem überein, was tatsächlich im Regal liegt.",
        ),
        problems_en=(
            "Our pickers walk more than 15 km per shift because fast movers are at the back.",
        ),
        trades=(),
        industries=("52", "71"),
        kinds=(C, S, I, R),
        related=("conveyor-intralogistics", "supply-chain-planning", "erp-mes"),
    ),
    Topic(
        id="supply-chain-planning",
        group="logistics",
        label_de="Supply-Chain-Planung und Beschaffung",
        label_en="Supply chain planning",
        phrases_de=(
            "Supply-Chain-Planung",
            "Bedarfsprognose",
            "Lieferantenmanagement",
            "Bestandsoptimierung",
            "resiliente Lieferketten",
        ),
        phrases_en=(
            "supply chain planning",
            "demand forecasting",
            "supplier management",
            "inventory optimisation",
        ),
        problems_de=(
            "Seit der Chipkrise schwanken unsere Lieferzeiten extrem, und wir halten viel zu viel "
            "Sicherheitsbestand.",
            "70 Prozent unserer Teile kommen von einem Lieferanten in Asien; wir suchen "
            "Alternativen in Europa.",
            "Unsere Absatzprognosen liegen regelmäßig daneben.",
        ),
        problems_en=(
            "Since the chip shortage our lead times vary wildly and we hold too much stock.",
        ),
        trades=(),
        industries=("70", "52", "46"),
        kinds=(S, I, R),
        related=("warehouse-optimisation", "erp-mes", "transport-logistics", "data-spaces"),
    ),
    Topic(
        id="transport-logistics",
        group="logistics",
        label_de="Transport- und Tourenplanung",
        label_en="Transport and route planning",
        phrases_de=(
            "Tourenplanung",
            "Transportmanagement",
            "Speditionslogistik",
            "Flottenmanagement",
            "Logistik auf der letzten Meile",
        ),
        phrases_en=(
            "route planning",
            "transport management",
            "fleet management",
            "last-mile logistics",
        ),
        problems_de=(
            "Unsere Lieferwagen fahren oft halb leer, die Touren werden noch von Hand geplant.",
            "Die Auslieferung in der Innenstadt soll auf Lastenräder oder E-Transporter umgestellt "
            "werden.",
            "Die Transportkosten sind in zwei Jahren um 30 Prozent gestiegen.",
        ),
        problems_en=("Our delivery vans often run half empty and routes are planned by hand.",),
        trades=(),
        industries=("49", "52", "53"),
        kinds=(C, S, I, R),
        related=("supply-chain-planning", "ev-charging", "fleet-service"),
    ),
    Topic(
        id="packaging",
        group="logistics",
        label_de="Verpackungsentwicklung",
        label_en="Packaging development",
        phrases_de=(
            "Verpackungsentwicklung",
            "Transportverpackung",
            "nachhaltige Verpackungen",
            "Mehrwegverpackungssysteme",
            "Verpackungsprüfung",
        ),
        phrases_en=(
            "packaging development",
            "transport packaging",
            "sustainable packaging",
            "reusable containers",
        ),
        problems_de=(
            "Unsere Produkte kommen regelmäßig beschädigt beim Kunden an.",
            "Der Handel verlangt, dass wir Kunststoff in der Verpackung reduzieren.",
            "Wir wollen mit unseren Hauptkunden auf Mehrwegbehälter umstellen.",
        ),
        problems_en=("Our products regularly arrive damaged at the customer.",),
        trades=(),
        industries=("17", "22", "52"),
        kinds=(C, S, I, R),
        related=("plastics-recycling", "transport-logistics", "warehouse-optimisation"),
    ),
    Topic(
        id="fleet-service",
        group="logistics",
        label_de="Fahrzeugtechnik und Fuhrparkservice",
        label_en="Vehicle engineering and fleet service",
        phrases_de=(
            "Kfz-Service für Fuhrparks",
            "Nutzfahrzeugaufbauten",
            "Karosserie- und Fahrzeugbau",
            "Reifenservice für Nutzfahrzeuge",
            "Hochvolt-Service für Elektrofahrzeuge",
        ),
        phrases_en=(
            "fleet vehicle service",
            "commercial vehicle bodies",
            "high-voltage EV service",
        ),
        problems_de=(
            "Unsere 15 Servicefahrzeuge brauchen Regaleinbauten und eine Wartung aus einer Hand.",
            "Für unsere E-Transporter finden wir keine Werkstatt mit Hochvolt-Qualifikation in "
            "der Nähe.",
            "Wir brauchen einen Sonderaufbau für einen Lkw mit Ladekran.",
        ),
        problems_en=("We cannot find a nearby workshop qualified to service our electric vans.",),
        trades=("A20", "A15", "A41", "A21"),
        industries=("45", "29"),
        kinds=(C, H),
        related=("ev-charging", "transport-logistics", "metal-construction"),
    ),
    # --- energy -----------------------------------------------------------------------------
    Topic(
        id="energy-audit",
        group="energy",
        label_de="Energieeffizienz und Energieaudit",
        label_en="Energy efficiency audits",
        phrases_de=(
            "Energieaudit nach DIN EN 16247",
            "Energiemanagement nach ISO 50001",
            "Energieeffizienzberatung",
            "Lastganganalyse",
            "Optimierung von Druckluft und Beleuchtung",
        ),
        phrases_en=("energy audit", "ISO 50001 energy management", "load profile analysis"),
        problems_de=(
            "Unsere Stromrechnung hat sich verdoppelt, und wir wissen nicht, welche Anlagen die "
            "großen Verbraucher sind.",
            "Wir sind zu einem Energieaudit verpflichtet und suchen einen zugelassenen Auditor.",
            "Wir möchten Förderung für Effizienzmaßnahmen beantragen, brauchen aber zuerst ein "
            "Konzept.",
        ),
        problems_en=(
            "Our electricity bill has doubled and we do not know which machines use the most.",
        ),
        trades=("A12",),
        industries=("71", "70"),
        kinds=(H, S, I, R, A),
        related=("heat-pumps", "pv-industrial", "waste-heat", "carbon-footprint"),
    ),
    Topic(
        id="heat-pumps",
        group="energy",
        label_de="Wärmepumpen",
        label_en="Heat pumps",
        phrases_de=(
            "Wärmepumpen",
            "Großwärmepumpen für Gewerbe",
            "Umstellung von Gas auf Wärmepumpe",
            "Heizungsmodernisierung",
            "Hochtemperatur-Wärmepumpen für Prozesswärme",
        ),
        phrases_en=("heat pumps", "industrial heat pumps", "switching from gas to heat pumps"),
        problems_de=(
            "Unsere Hallenheizung läuft mit einem 30 Jahre alten Gaskessel; wir wollen auf "
            "erneuerbare Wärme umstellen.",
            "Wir brauchen Prozesswärme von 90 °C und wissen nicht, ob eine Wärmepumpe das schafft.",
            "Im Bürogebäude ist es im Winter zu kalt und im Sommer zu warm.",
        ),
        problems_en=("Our hall heating runs on a 30-year-old gas boiler; we want renewable heat.",),
        trades=("A24", "A18", "A02"),
        industries=("43", "28"),
        kinds=(C, H, S, I, R),
        related=("hvac", "waste-heat", "energy-audit", "geothermal"),
    ),
    Topic(
        id="pv-industrial",
        group="energy",
        label_de="Photovoltaik auf Gewerbedächern",
        label_en="Photovoltaics on industrial roofs",
        phrases_de=(
            "Photovoltaikanlagen für Gewerbedächer",
            "Solaranlagen mit Eigenverbrauch",
            "PV-Planung mit Prüfung der Dachstatik",
            "Solarstrom für Unternehmen",
            "Fassaden-PV",
        ),
        phrases_en=("rooftop photovoltaics", "commercial solar systems", "solar self-consumption"),
        problems_de=(
            "Wir haben 6.000 m² Hallendach und möchten wissen, ob sich eine Solaranlage lohnt und "
            "das Dach sie trägt.",
            "Der Netzbetreiber sagt, ein Anschluss für eine große Anlage sei nicht möglich.",
            "Wir suchen jemanden, der eine Anlage auf unserem Dach finanziert und betreibt.",
        ),
        problems_en=(
            "We have 6,000 m² of hall roof and want to know whether solar would pay off.",
        ),
        trades=("A25", "A04"),
        industries=("43", "35", "27"),
        kinds=(C, H, S, I, R),
        related=("battery-storage", "roofing", "electrical-installation", "ev-charging"),
    ),
    Topic(
        id="hydrogen",
        group="energy",
        label_de="Wasserstofftechnologien",
        label_en="Hydrogen technologies",
        phrases_de=(
            "Wasserstofftechnologie",
            "Elektrolyse",
            "Brennstoffzellen",
            "Wasserstoff als Prozessgas",
            "H2-Readiness von Brennern und Öfen",
        ),
        phrases_en=("hydrogen technology", "electrolysis", "fuel cells", "hydrogen-ready burners"),
        problems_de=(
            "Unsere Glühöfen laufen mit Erdgas; wir wollen wissen, ob sie künftig mit Wasserstoff "
            "betrieben werden können.",
            "Ein Kunde fragt nach Komponenten für Elektrolyseure, und wir wissen nicht, welche "
            "Werkstoffe geeignet sind.",
            "Wir überlegen, Gabelstapler mit Brennstoffzelle einzusetzen.",
        ),
        problems_en=("Our annealing furnaces run on natural gas; could they run on hydrogen?",),
        trades=(),
        industries=("35", "28", "72", "20"),
        kinds=(C, S, I, R),
        related=("battery-storage", "waste-heat", "pressure-vessels", "heat-treatment"),
    ),
    Topic(
        id="battery-storage",
        group="energy",
        label_de="Batteriespeicher",
        label_en="Battery storage",
        phrases_de=(
            "Batteriespeicher",
            "Stromspeicher für Gewerbe",
            "Lastspitzenkappung (Peak Shaving)",
            "Batteriemanagementsysteme",
            "Second-Life-Batterien",
        ),
        phrases_en=("battery energy storage", "peak shaving", "battery management systems"),
        problems_de=(
            "Die Lastspitzen beim Anfahren unserer Pressen treiben die Netzentgelte hoch.",
            "Wir wollen den Solarstrom vom Dach auch nachts nutzen.",
            "Wir entwickeln ein Gerät mit Akku und brauchen Hilfe bei Zellauswahl und Sicherheit.",
        ),
        problems_en=("Load peaks when our presses start up drive up our grid charges.",),
        trades=("A25",),
        industries=("27", "35", "72"),
        kinds=(C, H, S, I, R),
        related=("pv-industrial", "hydrogen", "ev-charging", "electrical-installation"),
    ),
    Topic(
        id="waste-heat",
        group="energy",
        label_de="Abwärmenutzung",
        label_en="Waste heat recovery",
        phrases_de=(
            "Abwärmenutzung",
            "Wärmerückgewinnung",
            "Nahwärmenetze",
            "Abwärme aus Druckluft und Prozessen",
            "Wärmespeicher",
        ),
        phrases_en=(
            "waste heat recovery",
            "heat recovery systems",
            "district heating",
            "thermal storage",
        ),
        problems_de=(
            "Aus unseren Kompressoren und Öfen geht viel Wärme ungenutzt über das Dach.",
            "Ein Nachbarbetrieb könnte unsere Abwärme nutzen, aber wir wissen nicht, wie man das "
            "technisch und vertraglich löst.",
            "Das Kühlwasser unserer Anlagen hat 45 °C und wird einfach zurückgekühlt.",
        ),
        problems_en=(
            "A lot of heat from our compressors and furnaces goes unused through the roof.",
        ),
        trades=("A24", "A06"),
        industries=("28", "35", "71"),
        kinds=(C, H, S, I, R),
        related=("heat-pumps", "energy-audit", "hvac", "geothermal"),
    ),
    Topic(
        id="ev-charging",
        group="energy",
        label_de="Ladeinfrastruktur für Elektromobilität",
        label_en="EV charging infrastructure",
        phrases_de=(
            "Ladeinfrastruktur",
            "Wallboxen und Schnellladesäulen",
            "Lastmanagement für Ladepunkte",
            "Elektrifizierung des Fuhrparks",
        ),
        phrases_en=(
            "EV charging infrastructure",
            "wallboxes and fast chargers",
            "fleet electrification",
        ),
        problems_de=(
            "Wir wollen 20 Ladepunkte für Mitarbeitende und Firmenwagen einrichten, aber der "
            "Hausanschluss reicht nicht.",
            "Unsere Lieferfahrzeuge sollen elektrisch werden; wir brauchen ein Konzept für das "
            "Laden über Nacht.",
            "Die vorhandenen Wallboxen rechnen nicht getrennt nach Fahrzeug ab.",
        ),
        problems_en=("We want 20 charging points but our grid connection is too small.",),
        trades=("A25", "A20"),
        industries=("43", "45", "35"),
        kinds=(C, H, S, I, R),
        related=("electrical-installation", "battery-storage", "pv-industrial", "fleet-service"),
    ),
    Topic(
        id="geothermal",
        group="energy",
        label_de="Geothermie und Grubenwasser",
        label_en="Geothermal energy and mine water",
        phrases_de=(
            "oberflächennahe Geothermie",
            "Erdwärmesonden",
            "Wärme aus Grubenwasser",
            "tiefe Geothermie",
            "Brunnenbau für Wärmepumpen",
        ),
        phrases_en=("geothermal energy", "borehole heat exchangers", "mine water heat"),
        problems_de=(
            "Für unseren Neubau prüfen wir Erdwärmesonden, wissen aber nicht, ob der Untergrund "
            "mit altem Bergbau das zulässt.",
            "Wir haben gehört, dass man mit Grubenwasser heizen kann, und möchten das für "
            "unseren Standort prüfen.",
            "Wir suchen ein Bohrunternehmen für zwölf Sonden.",
        ),
        problems_en=(
            "We want borehole heat exchangers for a new building above former mine workings.",
        ),
        trades=("A07",),
        industries=("42", "72", "09"),
        kinds=(C, H, S, I, R),
        related=("heat-pumps", "waste-heat", "hvac"),
    ),
    # --- building ---------------------------------------------------------------------------
    Topic(
        id="hvac",
        group="building",
        label_de="Heizung, Lüftung, Klima (TGA)",
        label_en="HVAC and building services",
        phrases_de=(
            "technische Gebäudeausrüstung",
            "Lüftungs- und Klimatechnik",
            "Heizungsbau",
            "Hallenlüftung und Absaugung",
            "TGA-Planung",
        ),
        phrases_en=("HVAC", "building services engineering", "ventilation and air conditioning"),
        problems_de=(
            "In unserer Montagehalle ist es im Sommer über 35 Grad warm, die Belegschaft klagt.",
            "Die Lüftung im Bürotrakt ist laut und zieht, Wartungsunterlagen gibt es keine.",
            "Für einen Anbau brauchen wir eine Planung von Heizung und Lüftung.",
        ),
        problems_en=("Our assembly hall gets hotter than 35 °C in summer and staff complain.",),
        trades=("A24", "A18", "A23", "A02"),
        industries=("43", "71"),
        kinds=(C, H, S, R),
        related=("heat-pumps", "refrigeration", "plumbing", "bim"),
    ),
    Topic(
        id="electrical-installation",
        group="building",
        label_de="Elektroinstallation",
        label_en="Electrical installation",
        phrases_de=(
            "Elektroinstallation in Gewerbe und Industrie",
            "Prüfung ortsveränderlicher Geräte (DGUV V3)",
            "Umrüstung der Beleuchtung auf LED",
            "Niederspannungsanlagen",
            "Blitzschutz",
        ),
        phrases_en=(
            "commercial electrical installation",
            "electrical safety testing",
            "LED lighting retrofit",
        ),
        problems_de=(
            "Die DGUV-V3-Prüfung unserer Betriebsmittel ist überfällig, und unser Elektriker hat "
            "keine Zeit.",
            "Die Hallenbeleuchtung ist alt und dunkel; wir wollen auf LED umrüsten.",
            "Beim Anlauf der neuen Maschine fliegt jedes Mal die Sicherung.",
        ),
        problems_en=("The statutory testing of our electrical equipment is overdue.",),
        trades=("A25",),
        industries=("43",),
        kinds=(C, H, S),
        related=("control-cabinet", "pv-industrial", "ev-charging", "it-networks"),
    ),
    Topic(
        id="roofing",
        group="building",
        label_de="Dach und Dachabdichtung",
        label_en="Roofing",
        phrases_de=(
            "Dachdeckerarbeiten",
            "Flachdachabdichtung",
            "Hallendachsanierung",
            "Dachbegrünung",
            "Bauklempnerei und Dachentwässerung",
        ),
        phrases_en=(
            "roofing",
            "flat roof waterproofing",
            "industrial roof renovation",
            "green roofs",
        ),
        problems_de=(
            "Unser Hallendach ist an mehreren Stellen undicht, bei Starkregen tropft es in die "
            "Fertigung.",
            "Bevor wir eine Solaranlage bauen, muss das Dach saniert werden.",
            "Rinnen und Fallrohre unserer Halle laufen bei Starkregen über.",
        ),
        problems_en=("Our hall roof leaks in several places during heavy rain.",),
        trades=("A04", "A23", "A03"),
        industries=("43",),
        kinds=(C, H),
        related=("pv-industrial", "insulation", "scaffolding", "metal-construction"),
    ),
    Topic(
        id="scaffolding",
        group="building",
        label_de="Gerüstbau",
        label_en="Scaffolding",
        phrases_de=(
            "Gerüstbau",
            "Fassadengerüste",
            "Industriegerüste",
            "Hängegerüste und Sonderkonstruktionen",
            "Wetterschutzdächer",
        ),
        phrases_en=("scaffolding", "industrial scaffolding", "suspended scaffolds"),
        problems_de=(
            "Für Wartungsarbeiten an unserem Silo brauchen wir ein Gerüst in 25 Metern Höhe.",
            "Wir suchen einen Betrieb, der während der laufenden Produktion in der Halle rüsten "
            "kann.",
            "Die Fassadensanierung soll im Winter stattfinden, wir brauchen eine Einhausung.",
        ),
        problems_en=("We need scaffolding at 25 m height for maintenance on our silo.",),
        trades=("A11",),
        industries=("43",),
        kinds=(C, H),
        related=("roofing", "facade-painting", "occupational-safety"),
    ),
    Topic(
        id="metal-construction",
        group="building",
        label_de="Metallbau und Stahlbau",
        label_en="Metal and steel construction",
        phrases_de=(
            "Metallbau",
            "Stahlbau",
            "Treppen, Geländer und Bühnen",
            "Stahlhallenbau",
            "Tore und Zäune",
            "Schlosserarbeiten",
        ),
        phrases_en=(
            "steel construction",
            "stairs, railings and platforms",
            "steel hall construction",
        ),
        problems_de=(
            "Für eine neue Anlage brauchen wir eine Bedienbühne mit Treppe und Geländer aus "
            "verzinktem Stahl.",
            "Das Rolltor unserer Halle klemmt und ist nicht mehr sicher.",
            "Wir wollen eine Lagerhalle mit 800 m² in Stahlbauweise errichten lassen.",
        ),
        problems_en=("We need an operator platform with stairs and railings in galvanised steel.",),
        trades=("A13",),
        industries=("25", "43"),
        kinds=(C, H),
        related=("arc-welding", "corrosion-protection", "roofing", "laser-cutting"),
    ),
    Topic(
        id="joinery",
        group="building",
        label_de="Tischlerei und Innenausbau",
        label_en="Joinery and interior fit-out",
        phrases_de=(
            "Tischlerarbeiten",
            "Innenausbau",
            "Laden- und Messebau",
            "Möbel nach Maß",
            "Fenster und Türen aus Holz",
        ),
        phrases_en=(
            "joinery",
            "interior fit-out",
            "shop and exhibition stand construction",
            "custom furniture",
        ),
        problems_de=(
            "Für unseren neuen Empfangsbereich suchen wir einen Betrieb, der Möbel nach Maß baut.",
            "Unser Messestand ist zehn Jahre alt und muss neu gebaut werden.",
            "Die Brandschutztüren im Verwaltungsgebäude müssen ersetzt werden.",
        ),
        problems_en=("We are looking for a workshop to build custom furniture for our reception.",),
        trades=("A27", "B2-23", "A52"),
        industries=("31", "43", "16"),
        kinds=(C, H),
        related=("timber-construction", "product-design", "glazing"),
    ),
    Topic(
        id="timber-construction",
        group="building",
        label_de="Holzbau und Zimmerei",
        label_en="Timber construction",
        phrases_de=(
            "Holzbau",
            "Zimmererarbeiten",
            "Dachstühle",
            "Holzrahmen- und Modulbau",
            "Holzschutz",
        ),
        phrases_en=("timber construction", "carpentry", "timber frame and modular buildings"),
        problems_de=(
            "Wir planen einen zweigeschossigen Büroanbau und möchten ihn in Holz bauen.",
            "Der Dachstuhl unseres Altbaus ist von Schädlingen befallen.",
            "Wir suchen einen Partner für Modulgebäude als Pausenräume auf dem Werksgelände.",
        ),
        problems_en=(
            "We plan a two-storey office extension and would like to build it in timber.",
        ),
        trades=("A03", "B1-39"),
        industries=("16", "43", "41"),
        kinds=(C, H, R),
        related=("joinery", "roofing", "insulation"),
    ),
    Topic(
        id="facade-painting",
        group="building",
        label_de="Maler- und Fassadenarbeiten",
        label_en="Painting and facade coating",
        phrases_de=(
            "Fassadenbeschichtung",
            "Malerarbeiten",
            "Industrieanstrich",
            "Wärmedämmverbundsystem",
            "Betonschutz und Bodenbeschichtung",
            "Graffitischutz",
        ),
        phrases_en=("facade coating", "painting and decorating", "industrial painting"),
        problems_de=(
            "Die Fassade unseres Verwaltungsgebäudes ist vergraut und an mehreren Stellen rissig.",
            "Wir brauchen einen Maler, der Hallenwände und Stahlträger im laufenden Betrieb "
            "streicht.",
            "An unserer Außenwand tauchen immer wieder Graffiti auf; wir suchen einen dauerhaften "
            "Schutz.",
        ),
        problems_en=("The facade of our office building is grey and cracked in several places.",),
        trades=("A10", "A09"),
        industries=("43",),
        kinds=(C, H),
        related=("insulation", "scaffolding", "corrosion-protection", "concrete-repair"),
    ),
    Topic(
        id="plumbing",
        group="building",
        label_de="Sanitär und Trinkwasserhygiene",
        label_en="Plumbing and drinking water hygiene",
        phrases_de=(
            "Sanitärinstallation",
            "Trinkwasserhygiene und Legionellenprüfung",
            "Rohrleitungsbau",
            "Regenwassernutzung",
            "Sanitärräume für Betriebe",
        ),
        phrases_en=(
            "plumbing",
            "drinking water hygiene",
            "legionella testing",
            "rainwater harvesting",
        ),
        problems_de=(
            "Bei der letzten Trinkwasseruntersuchung wurden Legionellen in unseren Duschen "
            "gefunden.",
            "Die Waschräume für 120 Beschäftigte müssen komplett erneuert werden.",
            "Wir brauchen viel Wasser zum Reinigen und überlegen, Regenwasser zu nutzen.",
        ),
        problems_en=("Legionella was found in our showers during the last water test.",),
        trades=("A24", "A23"),
        industries=("43",),
        kinds=(C, H, S),
        related=("hvac", "wastewater", "heat-pumps"),
    ),
    Topic(
        id="glazing",
        group="building",
        label_de="Glas, Fenster und Sonnenschutz",
        label_en="Glazing, windows and sun protection",
        phrases_de=(
            "Glaserarbeiten",
            "Fenstertausch",
            "Glasfassaden und Lichtbänder",
            "Sicherheitsglas",
            "Sonnenschutz und Rollläden",
        ),
        phrases_en=("glazing", "window replacement", "glass facades", "sun protection"),
        problems_de=(
            "Die Lichtbänder in unserem Hallendach sind trüb und undicht.",
            "Für die Empfangshalle brauchen wir eine Trennwand ganz aus Glas.",
            "Im Sommer heizen sich unsere Büros durch die Südfenster stark auf.",
        ),
        problems_en=("The skylights in our hall roof are cloudy and leaking.",),
        trades=("A39", "A47", "B2-23"),
        industries=("43", "23"),
        kinds=(C, H),
        related=("insulation", "joinery", "facade-painting"),
    ),
    Topic(
        id="refrigeration",
        group="building",
        label_de="Kälte- und Klimatechnik",
        label_en="Refrigeration",
        phrases_de=(
            "Kälteanlagenbau",
            "Gewerbekälte und Kühlräume",
            "Prozesskühlung",
            "natürliche Kältemittel (CO2, Propan)",
            "Wartung nach F-Gase-Verordnung",
        ),
        phrases_en=(
            "refrigeration systems",
            "cold rooms",
            "process cooling",
            "natural refrigerants",
        ),
        problems_de=(
            "Unser Kühlhaus arbeitet noch mit dem Kältemittel R404A, das wir ersetzen müssen.",
            "Die Kühlung unserer Spritzgießmaschinen reicht im Sommer nicht aus.",
            "Wir brauchen einen zusätzlichen Kühlraum für 40 Paletten.",
        ),
        problems_en=("Our cold store still uses R404A refrigerant, which has to be replaced.",),
        trades=("A18",),
        industries=("43", "28"),
        kinds=(C, H, S, R),
        related=("hvac", "heat-pumps", "food-production", "waste-heat"),
    ),
    Topic(
        id="concrete-repair",
        group="building",
        label_de="Betoninstandsetzung und Rohbau",
        label_en="Concrete repair and structural works",
        phrases_de=(
            "Betoninstandsetzung",
            "Mauerarbeiten und Rohbau",
            "Betonbohren und Betonsägen",
            "Maschinenfundamente",
            "Bauwerksabdichtung und Trocknung",
        ),
        phrases_en=(
            "concrete repair",
            "structural works",
            "concrete drilling and sawing",
            "machine foundations",
        ),
        problems_de=(
            "Für eine neue Presse brauchen wir ein schwingungsentkoppeltes Fundament in der "
            "bestehenden Halle.",
            "In unserer Tiefgarage platzt der Beton ab, die Bewehrung liegt frei.",
            "Wir müssen Durchbrüche in 40 cm dicke Stahlbetonwände setzen lassen.",
        ),
        problems_en=(
            "We need a vibration-isolated foundation for a new press in an existing hall.",
        ),
        trades=("A01", "B2-07", "A43", "B2-02"),
        industries=("41", "43"),
        kinds=(C, H, I, R),
        related=("industrial-flooring", "materials-testing", "facade-painting"),
    ),
    Topic(
        id="insulation",
        group="building",
        label_de="Dämmung und technische Isolierung",
        label_en="Insulation",
        phrases_de=(
            "Wärmedämmung",
            "technische Isolierung von Rohrleitungen",
            "Schallschutz",
            "Brandschutzisolierung",
            "Kälteisolierung",
        ),
        phrases_en=(
            "thermal insulation",
            "pipe insulation",
            "acoustic insulation",
            "fire protection insulation",
        ),
        problems_de=(
            "Die Dampfleitungen in unserem Werk sind kaum gedämmt, wir verlieren viel Energie.",
            "Die Nachbarn beschweren sich über den Lärm unserer Kompressorstation.",
            "Unser Bürogebäude aus den 70er-Jahren soll energetisch saniert werden.",
        ),
        problems_en=(
            "The steam lines in our plant are barely insulated and we lose a lot of energy.",
        ),
        trades=("A06", "A09"),
        industries=("43",),
        kinds=(C, H),
        related=("energy-audit", "facade-painting", "roofing", "waste-heat"),
    ),
    Topic(
        id="industrial-flooring",
        group="building",
        label_de="Industrieböden und Estrich",
        label_en="Industrial flooring",
        phrases_de=(
            "Industrieböden",
            "Estricharbeiten",
            "Bodenbeschichtung mit Epoxidharz",
            "Fliesenarbeiten in Produktion und Küche",
            "Bodenbeläge und Parkett",
        ),
        phrases_en=("industrial floors", "screed", "epoxy floor coating", "tiling"),
        problems_de=(
            "Der Hallenboden hat Risse und Schlaglöcher, unsere Stapler leiden darunter.",
            "Für die Lebensmittelproduktion brauchen wir einen rutschhemmenden, säurebeständigen "
            "Boden.",
            "Die Fliesen in unserer Großküche lösen sich.",
        ),
        problems_en=("Our hall floor has cracks and potholes that damage the forklifts.",),
        trades=("A44", "A42", "B2-03", "A46"),
        industries=("43",),
        kinds=(C, H),
        related=("concrete-repair", "facade-painting", "food-production"),
    ),
    Topic(
        id="industrial-cleaning",
        group="building",
        label_de="Industrie- und Gebäudereinigung",
        label_en="Industrial and building cleaning",
        phrases_de=(
            "Gebäudereinigung",
            "Industriereinigung",
            "Reinigung von Produktionsanlagen",
            "Trockeneisstrahlen",
            "Rohr- und Kanalreinigung",
        ),
        phrases_en=(
            "building cleaning",
            "industrial cleaning",
            "dry ice blasting",
            "pipe and sewer cleaning",
        ),
        problems_de=(
            "Unsere Lackieranlage muss regelmäßig gereinigt werden, ohne lange stillzustehen.",
            "Wir suchen eine Reinigungsfirma für Büro, Sanitär und Produktion im Schichtbetrieb.",
            "Ablagerungen in unseren Formen lassen sich mit Lösemitteln kaum entfernen.",
        ),
        problems_en=("Our paint shop needs regular cleaning without long shutdowns.",),
        trades=("B1-23", "B2-14"),
        industries=("81",),
        kinds=(C, H, S),
        related=("wastewater", "powder-coating", "occupational-safety"),
    ),
    # --- materials and testing ----------------------------------------------------------------
    Topic(
        id="materials-testing",
        group="materials",
        label_de="Werkstoffprüfung",
        label_en="Materials testing",
        phrases_de=(
            "Werkstoffprüfung",
            "Zugversuch und Härteprüfung",
            "Metallografie",
            "Werkstoffcharakterisierung",
            "Dauerfestigkeitsprüfung",
            "akkreditiertes Prüflabor",
        ),
        phrases_en=(
            "materials testing",
            "tensile and hardness testing",
            "metallography",
            "fatigue testing",
        ),
        problems_de=(
            "Unser Kunde verlangt für jede Charge Prüfzeugnisse 3.1 mit Zugversuch und "
            "Kerbschlagprüfung.",
            "Wir wollen einen günstigeren Stahl einsetzen und müssen nachweisen, dass er die "
            "Belastung aushält.",
            "Wir brauchen Dauerschwingversuche an geschweißten Proben.",
        ),
        problems_en=(
            "Our customer requires 3.1 certificates with tensile and impact tests per batch.",
        ),
        trades=(),
        industries=("71", "72"),
        kinds=(S, I, R),
        related=("ndt", "failure-analysis", "heat-treatment", "tribology"),
    ),
    Topic(
        id="ndt",
        group="materials",
        label_de="Zerstörungsfreie Prüfung",
        label_en="Non-destructive testing",
        phrases_de=(
            "zerstörungsfreie Prüfung",
            "Ultraschallprüfung",
            "Röntgenprüfung und Computertomografie",
            "Farbeindring- und Magnetpulverprüfung",
            "Wirbelstromprüfung",
        ),
        phrases_en=("non-destructive testing", "ultrasonic testing", "X-ray and CT inspection"),
        problems_de=(
            "Schweißnähte an Druckbehältern müssen geprüft werden; wir suchen ein akkreditiertes "
            "Labor.",
            "In Gussteilen vermuten wir Lunker und möchten sie sichtbar machen, ohne die Teile zu "
            "zerschneiden.",
            "Risse an unseren Kranbahnen sollen regelmäßig überwacht werden.",
        ),
        problems_en=(
            "We suspect internal cavities in castings and want to see them without cutting.",
        ),
        trades=(),
        industries=("71",),
        kinds=(S, I, R),
        related=("materials-testing", "arc-welding", "casting", "pressure-vessels"),
    ),
    Topic(
        id="tribology",
        group="materials",
        label_de="Tribologie und Verschleißschutz",
        label_en="Tribology and wear protection",
        phrases_de=(
            "Tribologie",
            "Reibung und Verschleiß",
            "Verschleißschutzschichten (PVD, CVD, DLC)",
            "thermisches Spritzen",
            "Schmierstoffauswahl",
            "Verschleißanalyse an Lagern und Führungen",
        ),
        phrases_en=(
            "tribology",
            "friction and wear",
            "wear-resistant coatings",
            "thermal spraying",
        ),
        problems_de=(
            "Die Gleitführungen unserer Maschine verschleißen nach wenigen Monaten.",
            "Unsere Umformwerkzeuge verschleißen an den Radien sehr schnell; wir suchen eine "
            "Schicht, die länger hält.",
            "Wir möchten auf ein biologisch abbaubares Hydrauliköl umstellen und fürchten mehr "
            "Verschleiß.",
        ),
        problems_en=(
            "Our forming tools wear quickly at the radii; we need a longer-lasting coating.",
        ),
        trades=(),
        industries=("72", "25", "28"),
        kinds=(C, S, I, R),
        related=("materials-testing", "tool-mould-making", "predictive-maintenance"),
    ),
    Topic(
        id="chemical-analytics",
        group="materials",
        label_de="Chemische Analytik",
        label_en="Chemical analytics",
        phrases_de=(
            "chemische Analytik",
            "Spurenanalytik",
            "Oberflächenanalytik",
            "Massenspektrometrie",
            "Schadstoffanalytik",
        ),
        phrases_en=("chemical analysis", "trace analysis", "surface analysis", "mass spectrometry"),
        problems_de=(
            "Auf unseren gereinigten Teilen bleiben Rückstände, die die Lackhaftung stören; wir "
            "wissen nicht, was es ist.",
            "Ein Kunde verlangt den Nachweis, dass unsere Produkte frei von PFAS sind.",
            "Wir möchten die Zusammensetzung eines Wettbewerbsprodukts kennen.",
        ),
        problems_en=("A customer requires proof that our products are free of PFAS.",),
        trades=(),
        industries=("71", "72", "20"),
        kinds=(S, I, R),
        related=("materials-testing", "galvanic-surface", "food-production", "life-science-lab"),
    ),
    Topic(
        id="failure-analysis",
        group="materials",
        label_de="Schadensanalyse",
        label_en="Failure analysis",
        phrases_de=(
            "Schadensanalyse",
            "Bruchflächenuntersuchung",
            "Gutachten zu Bauteilversagen",
            "Fraktografie",
            "Ursachenanalyse bei Reklamationen",
        ),
        phrases_en=("failure analysis", "fracture surface examination", "root cause analysis"),
        problems_de=(
            "Eine Welle ist nach drei Monaten im Einsatz gebrochen, und der Kunde verlangt eine "
            "Ursachenanalyse.",
            "Bei Reklamationen streiten wir mit dem Lieferanten, ob ein Material- oder ein "
            "Bedienfehler vorliegt.",
            "Federn aus unserer Produktion brechen vereinzelt nach dem Einbau.",
        ),
        problems_en=(
            "A shaft broke after three months in service; the customer wants the root cause.",
        ),
        trades=(),
        industries=("71", "72"),
        kinds=(S, I, R),
        related=("materials-testing", "ndt", "simulation-fem", "heat-treatment"),
    ),
    # --- environment --------------------------------------------------------------------------
    Topic(
        id="plastics-recycling",
        group="environment",
        label_de="Kunststoffrecycling und Kreislaufwirtschaft",
        label_en="Plastics recycling and circular economy",
        phrases_de=(
            "Kunststoffrecycling",
            "Kreislaufwirtschaft",
            "Rezyklateinsatz in Bauteilen",
            "recyclinggerechte Produktgestaltung",
            "Wertstoffrückgewinnung",
        ),
        phrases_en=(
            "plastics recycling",
            "circular economy",
            "recycled content",
            "design for recycling",
        ),
        problems_de=(
            "Unsere Kunden fordern 30 Prozent Rezyklatanteil, aber dann werden die Teile spröde.",
            "Wir haben jedes Jahr 80 Tonnen Anguss und Fehlteile, die wir teuer entsorgen.",
            "Unsere Produkte sollen sich am Ende sortenrein zerlegen lassen.",
        ),
        problems_en=("Customers demand 30 % recycled content but the parts become brittle.",),
        trades=(),
        industries=("38", "22"),
        kinds=(C, S, I, R),
        related=("injection-moulding", "packaging", "carbon-footprint", "product-design"),
    ),
    Topic(
        id="wastewater",
        group="environment",
        label_de="Abwasserbehandlung und Wasseraufbereitung",
        label_en="Wastewater treatment",
        phrases_de=(
            "Abwasserbehandlung",
            "Industrieabwasser",
            "Prozesswasseraufbereitung",
            "Membranfiltration",
            "Kanalinspektion und Sanierung",
        ),
        phrases_en=("wastewater treatment", "industrial wastewater", "process water recycling"),
        problems_de=(
            "Die Stadt hat in unserem Abwasser zu hohe Nickelwerte gemessen und droht mit "
            "Auflagen.",
            "Wir wollen das Spülwasser aus der Oberflächenbehandlung im Kreislauf führen.",
            "Unsere Abwasseranlage ist am Limit, seit wir die Produktion erweitert haben.",
        ),
        problems_en=("The city measured excessive nickel levels in our wastewater.",),
        trades=("B2-14", "A24"),
        industries=("37", "36", "39"),
        kinds=(C, H, S, I, R),
        related=("galvanic-surface", "exhaust-air", "chemical-analytics", "plumbing"),
    ),
    Topic(
        id="exhaust-air",
        group="environment",
        label_de="Abluftreinigung und Emissionsminderung",
        label_en="Exhaust air treatment and emission control",
        phrases_de=(
            "Abluftreinigung",
            "Staubabsaugung und Filteranlagen",
            "Emissionsmessung",
            "Lösemittelabscheidung",
            "Geruchsminderung",
        ),
        phrases_en=(
            "exhaust air cleaning",
            "dust extraction",
            "emission measurement",
            "VOC abatement",
        ),
        problems_de=(
            "Unsere Lackiererei überschreitet die Grenzwerte für organische Lösemittel.",
            "Beim Schleifen entsteht viel Staub, die vorhandene Absaugung schafft das nicht.",
            "Nachbarn beschweren sich über Gerüche aus unserer Produktion.",
        ),
        problems_en=("Our paint shop exceeds the limits for volatile organic compounds.",),
        trades=("A12",),
        industries=("39", "28", "71"),
        kinds=(C, H, S, I, R),
        related=("occupational-safety", "wastewater", "hvac", "powder-coating"),
    ),
    Topic(
        id="carbon-footprint",
        group="environment",
        label_de="CO2-Bilanz und Nachhaltigkeitsberichterstattung",
        label_en="Carbon footprint and sustainability reporting",
        phrases_de=(
            "CO2-Bilanzierung",
            "Product Carbon Footprint",
            "Ökobilanz (LCA)",
            "Nachhaltigkeitsbericht nach CSRD",
            "Dekarbonisierungsstrategie",
        ),
        phrases_en=("carbon footprint", "life cycle assessment", "CSRD sustainability reporting"),
        problems_de=(
            "Ein Großkunde verlangt bis Jahresende einen CO2-Fußabdruck für jedes Produkt.",
            "Wir müssen einen Nachhaltigkeitsbericht erstellen und wissen nicht, wo wir anfangen "
            "sollen.",
            "Wir möchten einen Plan, wie wir bis 2035 klimaneutral werden.",
        ),
        problems_en=("A major customer wants a carbon footprint for every product by year end.",),
        trades=(),
        industries=("70", "71", "72"),
        kinds=(S, I, R, A),
        related=("energy-audit", "data-spaces", "plastics-recycling", "funding-advice"),
    ),
    # --- business services ----------------------------------------------------------------------
    Topic(
        id="lean-production",
        group="business",
        label_de="Lean Production und Prozessoptimierung",
        label_en="Lean production and process improvement",
        phrases_de=(
            "Lean Management",
            "Wertstromanalyse",
            "Rüstzeitoptimierung (SMED)",
            "Shopfloor-Management",
            "Fabrik- und Layoutplanung",
        ),
        phrases_en=(
            "lean management",
            "value stream mapping",
            "set-up time reduction",
            "factory planning",
        ),
        problems_de=(
            "Das Umrüsten unserer Pressen dauert zwei Stunden, bei kleinen Losen ist das "
            "untragbar.",
            "Unsere Durchlaufzeit liegt bei sechs Wochen, obwohl die reine Bearbeitung nur zwei "
            "Tage dauert.",
            "Wir ziehen in eine neue Halle und wollen das Layout neu planen.",
        ),
        problems_en=("Changeover on our presses takes two hours, too long for small batches.",),
        trades=(),
        industries=("70", "71"),
        kinds=(S, I, R),
        related=("erp-mes", "contract-assembly", "warehouse-optimisation", "quality-management"),
    ),
    Topic(
        id="quality-management",
        group="business",
        label_de="Qualitätsmanagement und Zertifizierung",
        label_en="Quality management and certification",
        phrases_de=(
            "Qualitätsmanagement nach ISO 9001",
            "IATF 16949",
            "Erstmusterprüfung",
            "Messtechnik und Prüfmittelmanagement",
            "Audit-Vorbereitung",
        ),
        phrases_en=(
            "ISO 9001 quality management",
            "IATF 16949",
            "first article inspection",
            "metrology",
        ),
        problems_de=(
            "Ein Automobilkunde verlangt IATF 16949, wir sind bisher nur nach ISO 9001 "
            "zertifiziert.",
            "Unser Qualitätsleiter geht in Rente, und das Rezertifizierungsaudit steht an.",
            "Unsere Messmittel sind nicht kalibriert, das wurde im Kundenaudit bemängelt.",
        ),
        problems_en=("An automotive customer requires IATF 16949; we only hold ISO 9001.",),
        trades=(),
        industries=("70", "71"),
        kinds=(S, I, R),
        related=("lean-production", "machine-vision", "materials-testing", "tech-documentation"),
    ),
    Topic(
        id="occupational-safety",
        group="business",
        label_de="Arbeitssicherheit und Maschinensicherheit",
        label_en="Occupational and machine safety",
        phrases_de=(
            "Arbeitssicherheit",
            "Gefährdungsbeurteilung",
            "externe Fachkraft für Arbeitssicherheit",
            "Maschinensicherheit und CE-Kennzeichnung",
            "Gefahrstoffmanagement",
        ),
        phrases_en=("occupational safety", "risk assessment", "machine safety and CE marking"),
        problems_de=(
            "Die Berufsgenossenschaft hat bei einer Begehung fehlende Gefährdungsbeurteilungen "
            "bemängelt.",
            "Wir haben eine Maschine umgebaut und wissen nicht, ob sie neu CE-gekennzeichnet "
            "werden muss.",
            "In unserem Lager gab es mehrere Unfälle mit Staplern.",
        ),
        problems_en=("We modified a machine and do not know whether it needs new CE marking.",),
        trades=(),
        industries=("71", "74", "86"),
        kinds=(S, I, R, K),
        related=("ergonomics-health", "exhaust-air", "industrial-robotics", "tech-documentation"),
    ),
    Topic(
        id="ergonomics-health",
        group="business",
        label_de="Ergonomie und betriebliches Gesundheitsmanagement",
        label_en="Ergonomics and workplace health",
        phrases_de=(
            "Arbeitsplatzergonomie",
            "betriebliches Gesundheitsmanagement",
            "Exoskelette und Hebehilfen",
            "Gestaltung von Schichtarbeit",
            "alternsgerechte Arbeitsgestaltung",
        ),
        phrases_en=(
            "workplace ergonomics",
            "occupational health management",
            "exoskeletons",
            "shift work design",
        ),
        problems_de=(
            "Viele Beschäftigte in der Montage klagen über Rückenschmerzen, der Krankenstand "
            "steigt.",
            "Wir überlegen, Exoskelette für Überkopfarbeiten einzusetzen, und wollen das vorher "
            "testen.",
            "Unsere Belegschaft wird älter; schwere Tätigkeiten müssen anders organisiert werden.",
        ),
        problems_en=("Many assembly workers complain about back pain and sick leave is rising.",),
        trades=(),
        industries=("86", "71", "72"),
        kinds=(S, I, R),
        related=("occupational-safety", "industrial-robotics", "hr-training", "product-design"),
    ),
    Topic(
        id="funding-advice",
        group="business",
        label_de="Fördermittelberatung",
        label_en="Funding advice",
        phrases_de=(
            "Fördermittelberatung",
            "Förderprogramme für Innovation",
            "ZIM-Anträge",
            "Investitionsförderung",
            "Innovationsgutscheine",
        ),
        phrases_en=("funding advice", "public funding programmes", "grant applications"),
        problems_de=(
            "Wir haben eine Produktidee, können die Entwicklung aber nicht allein finanzieren.",
            "Welche Programme gibt es für eine neue Halle mit Maßnahmen zur Energieeffizienz?",
            "Unser erster Förderantrag wurde abgelehnt; wir brauchen Hilfe beim nächsten Versuch.",
        ),
        problems_en=("We have a product idea but cannot finance the development on our own.",),
        trades=(),
        industries=("70", "84", "94"),
        kinds=(S, K, A),
        related=("business-succession", "energy-audit", "carbon-footprint", "patent-ip"),
    ),
    Topic(
        id="patent-ip",
        group="business",
        label_de="Patente und Schutzrechte",
        label_en="Patents and intellectual property",
        phrases_de=(
            "Patentrecherche",
            "Patentanmeldung",
            "Schutzrechtsstrategie",
            "Marken- und Designschutz",
            "Lizenzverträge",
        ),
        phrases_en=("patent search", "patent filing", "IP strategy", "licensing"),
        problems_de=(
            "Ein Wettbewerber verkauft ein Produkt, das unserer Entwicklung verdächtig ähnlich "
            "ist.",
            "Vor der Markteinführung wollen wir prüfen, ob wir fremde Patente verletzen.",
            "Wir möchten unsere Erfindung schützen, kennen uns damit aber nicht aus.",
        ),
        problems_en=("Before launch we want to check whether we infringe third-party patents.",),
        trades=(),
        industries=("69", "74"),
        kinds=(S, I, K),
        related=("funding-advice", "product-design"),
    ),
    Topic(
        id="hr-training",
        group="business",
        label_de="Fachkräfte, Ausbildung und Weiterbildung",
        label_en="Skills, apprenticeships and training",
        phrases_de=(
            "Weiterbildung",
            "Ausbildung und Nachwuchsgewinnung",
            "Qualifizierung für die Digitalisierung",
            "Fachkräftesicherung",
            "Schweißer- und Staplerschulungen",
        ),
        phrases_en=(
            "vocational training",
            "apprenticeships",
            "upskilling for digitalisation",
            "recruiting",
        ),
        problems_de=(
            "Seit zwei Jahren finden wir keine Auszubildenden für die Zerspanung.",
            "Unsere Leute sollen lernen, mit den neuen CNC-Steuerungen zu arbeiten.",
            "Wir wollen Fachkräfte aus dem Ausland einstellen und brauchen Hilfe bei Anerkennung "
            "und Sprachkursen.",
        ),
        problems_en=("We have not found apprentices for machining for two years.",),
        trades=(),
        industries=("85", "78"),
        kinds=(S, I, R, K, A),
        related=("ergonomics-health", "funding-advice", "occupational-safety"),
    ),
    Topic(
        id="tech-documentation",
        group="business",
        label_de="Technische Dokumentation und Übersetzung",
        label_en="Technical documentation and translation",
        phrases_de=(
            "technische Dokumentation",
            "Betriebsanleitungen nach Maschinenverordnung",
            "Fachübersetzungen",
            "Ersatzteilkataloge",
            "Redaktionssysteme",
        ),
        phrases_en=("technical documentation", "operating manuals", "technical translation"),
        problems_de=(
            "Unsere Betriebsanleitungen entsprechen nicht der neuen Maschinenverordnung.",
            "Für den Export nach Polen und Frankreich müssen alle Anleitungen übersetzt werden.",
            "Die Ersatzteillisten sind veraltet und passen nicht zu den Zeichnungen.",
        ),
        problems_en=("Our operating manuals do not comply with the new Machinery Regulation.",),
        trades=(),
        industries=("74", "82"),
        kinds=(S,),
        related=("occupational-safety", "mechanical-design", "quality-management"),
    ),
    Topic(
        id="business-succession",
        group="business",
        label_de="Gründung, Nachfolge und Standort",
        label_en="Start-ups, succession and business location",
        phrases_de=(
            "Unternehmensnachfolge",
            "Existenzgründung",
            "Standortsuche und Gewerbeflächen",
            "Betriebsübergabe im Handwerk",
            "Ansiedlungsberatung",
        ),
        phrases_en=(
            "business succession",
            "start-up support",
            "site search and commercial property",
        ),
        problems_de=(
            "Der Inhaber ist 64 und hat keinen Nachfolger aus der Familie.",
            "Wir brauchen eine größere Halle mit 3.000 m² in der Region und finden nichts "
            "Passendes.",
            "Wir möchten aus der Hochschule heraus ein Unternehmen gründen und suchen Beratung.",
        ),
        problems_en=("The owner is 64 and has no successor in the family.",),
        trades=(),
        industries=("70", "84", "68"),
        kinds=(S, K, A),
        related=("funding-advice", "hr-training"),
    ),
    # --- food ---------------------------------------------------------------------------------
    Topic(
        id="food-production",
        group="food",
        label_de="Lebensmittelherstellung und Lebensmittelsicherheit",
        label_en="Food production and food safety",
        phrases_de=(
            "Lebensmittelproduktion",
            "Bäckerei- und Konditoreitechnik",
            "Rezepturentwicklung",
            "HACCP und Hygienekonzepte",
            "IFS-Zertifizierung",
            "Verlängerung der Haltbarkeit",
        ),
        phrases_en=("food production", "bakery and confectionery", "recipe development", "HACCP"),
        problems_de=(
            "Unsere Brötchen werden nach dem Aufbacken schnell zäh.",
            "Wir wollen eine vegane Produktlinie entwickeln und brauchen Hilfe bei der Rezeptur.",
            "Bei einer Kontrolle wurden Listerien in unserem Betrieb gefunden.",
            "Für die Listung bei einer Handelskette brauchen wir eine IFS-Zertifizierung.",
        ),
        problems_en=("We want to develop a vegan product line and need help with the recipes.",),
        trades=("A30", "A31", "A32"),
        industries=("10", "11"),
        kinds=(C, H, S, I, R),
        related=("refrigeration", "packaging", "chemical-analytics", "industrial-cleaning"),
    ),
    # --- health -------------------------------------------------------------------------------
    Topic(
        id="medtech-development",
        group="health",
        label_de="Medizintechnik und MDR-Zulassung",
        label_en="Medical technology and MDR approval",
        phrases_de=(
            "Medizinprodukteentwicklung",
            "Zulassung nach MDR",
            "klinische Bewertung",
            "Biokompatibilität",
            "Medizinelektronik",
        ),
        phrases_en=(
            "medical device development",
            "MDR approval",
            "clinical evaluation",
            "biocompatibility",
        ),
        problems_de=(
            "Wir wollen mit unserer Präzisionsfertigung in die Medizintechnik einsteigen und "
            "kennen die Anforderungen der MDR nicht.",
            "Unser Produkt muss nach der MDR neu bewertet werden, die Dokumentation ist "
            "lückenhaft.",
            "Für ein Implantat brauchen wir Nachweise zur Biokompatibilität.",
        ),
        problems_en=("We want to enter medical technology but do not know the MDR requirements.",),
        trades=("A14", "A35"),
        industries=("32", "26", "72"),
        kinds=(C, H, S, I, R),
        related=("medtech-custom", "cnc-milling", "quality-management", "life-science-lab"),
    ),
    Topic(
        id="medtech-custom",
        group="health",
        label_de="Orthopädietechnik, Zahntechnik und Hilfsmittel",
        label_en="Orthopaedic, dental and assistive devices",
        phrases_de=(
            "Orthopädietechnik",
            "Zahntechnik und CAD/CAM-Zahnersatz",
            "individuelle Hilfsmittel",
            "Hörakustik und Augenoptik",
            "Orthesen aus dem 3D-Drucker",
        ),
        phrases_en=("orthopaedic technology", "dental technology", "custom assistive devices"),
        problems_de=(
            "Wir wollen Orthesen künftig per Scan und 3D-Druck herstellen statt mit Gipsabdruck.",
            "Für Zahnersatz aus Zirkonoxid suchen wir einen Fräsdienstleister.",
            "Wir suchen Partner für einen individuell angepassten Gehörschutz für "
            "Industriebeschäftigte.",
        ),
        problems_en=(
            "We want to make orthoses by scanning and 3D printing instead of plaster casts.",
        ),
        trades=("A35", "A37", "A34", "A33", "A36"),
        industries=("32", "86"),
        kinds=(C, H, S, I, R),
        related=("medtech-development", "additive-plastics", "ergonomics-health"),
    ),
    Topic(
        id="life-science-lab",
        group="health",
        label_de="Biotechnologie und Wirkstoffforschung",
        label_en="Biotechnology and drug discovery",
        phrases_de=(
            "Wirkstoffforschung",
            "chemische Biologie",
            "Zell- und Proteinanalytik",
            "Bioprozesstechnik",
            "Laborautomatisierung",
            "Laborglas und Glasapparate",
        ),
        phrases_en=(
            "drug discovery",
            "chemical biology",
            "protein analysis",
            "bioprocess engineering",
        ),
        problems_de=(
            "Wir entwickeln ein Enzym für die Lebensmittelindustrie und brauchen Unterstützung "
            "beim Scale-up.",
            "In unserem Labor wird noch alles von Hand pipettiert; wir prüfen eine "
            "Automatisierung.",
            "Wir suchen einen Forschungspartner für Tests an Zellkulturen.",
        ),
        problems_en=("We are developing an enzyme and need support with scale-up.",),
        trades=("A40",),
        industries=("72", "21", "20"),
        kinds=(C, H, I, R),
        related=("chemical-analytics", "medtech-development", "food-production"),
    ),
)

TOPIC_BY_ID: dict[str, Topic] = {topic.id: topic for topic in TOPICS}


def topics_for_kind(kind: str) -> tuple[Topic, ...]:
    """The topics an organisation of this kind typically offers, in catalogue order."""
    return tuple(topic for topic in TOPICS if kind in topic.kinds)


def topics_for_trade(code: str) -> tuple[Topic, ...]:
    """The topics a craft business of this trade offers, in catalogue order."""
    return tuple(topic for topic in TOPICS if code in topic.trades)
