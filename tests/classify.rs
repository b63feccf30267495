//! Classification on texts written to probe it: ambiguous names, metaphors,
//! articles without geopolitics, other languages, and the seed.

mod common;

use newsworker::classify::Geo;

fn geo(title: &str, body: &str, language: &str) -> Geo {
    common::classifier().classify(title, body, Some(language))
}

fn codes(g: &Geo) -> Vec<&str> {
    let mut c: Vec<&str> = g.countries.iter().map(|c| c.code.as_str()).collect();
    c.sort_unstable();
    c
}

/// Fails listing every case that went wrong, not just the first.
fn assert_none_wrong(wrong: &[String], cases: usize) {
    assert!(
        wrong.is_empty(),
        "{} of {cases}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn topics(g: &Geo) -> Vec<&str> {
    let mut t: Vec<&str> = g.topics.iter().map(|t| t.id.as_str()).collect();
    t.sort_unstable();
    t
}

#[test]
fn georgia_the_state_is_not_georgia_the_country() {
    let state = geo(
        "",
        "ATLANTA, Georgia - Governor Brian Kemp signed the budget on Tuesday. Georgia lawmakers \
         had passed it after a long debate, and the Georgia Senate will meet again in January.",
        "en",
    );
    assert!(!codes(&state).contains(&"GE"), "{:?}", codes(&state));
    let country = geo(
        "",
        "Georgia's parliament in Tbilisi passed the foreign agents law despite protests; \
         the Georgian prime minister defended it.",
        "en",
    );
    assert_eq!(codes(&country), ["GE"]);
}

#[test]
fn jordan_the_person_is_not_jordan_the_country() {
    let person = geo(
        "",
        "Michael Jordan scored 45 points. Jordan said after the game that the Bulls were \
         tired, and Jordan will rest on Sunday.",
        "en",
    );
    assert!(!codes(&person).contains(&"JO"), "{:?}", codes(&person));
    let country = geo(
        "",
        "King Abdullah of Jordan received the envoy in Amman; Jordanian officials said talks \
         on the border crossing would continue.",
        "en",
    );
    assert!(codes(&country).contains(&"JO"), "{:?}", codes(&country));
}

#[test]
fn chad_niger_and_guinea_only_as_countries() {
    let names = geo(
        "",
        "Chad Smith played the drums while his guinea pig slept. The Niger Delta oil spill \
         is in Nigeria.",
        "en",
    );
    let got = codes(&names);
    assert!(!got.contains(&"TD"), "{got:?}");
    assert!(!got.contains(&"NE"), "{got:?}");
    assert!(!got.contains(&"GN"), "{got:?}");
    assert!(got.contains(&"NG"), "{got:?}");
    let countries = geo(
        "",
        "Soldiers from Chad and Niger met in N'Djamena; the junta in Niamey and the \
         government of Guinea in Conakry sent observers. Papua New Guinea did not.",
        "en",
    );
    let got = codes(&countries);
    for code in ["TD", "NE", "GN", "PG"] {
        assert!(got.contains(&code), "{code} missing from {got:?}");
    }
}

#[test]
fn turkey_the_bird_is_not_turkey_the_country() {
    let recipe = geo(
        "How to roast a turkey",
        "Turkey needs three hours in the oven. Baste the turkey every 30 minutes and rest it \
         before carving. Serve the turkey with cranberry sauce.",
        "en",
    );
    assert!(codes(&recipe).is_empty(), "{:?}", codes(&recipe));
    assert!(recipe.topics.is_empty(), "{:?}", topics(&recipe));
    let country = geo(
        "",
        "Turkey's President Erdogan said Ankara would approve Sweden's NATO membership.",
        "en",
    );
    assert!(codes(&country).contains(&"TR"), "{:?}", codes(&country));
}

#[test]
fn washington_the_person_and_washington_the_government() {
    let person = geo(
        "",
        "Denzel Washington stars in the new film. Washington said he had wanted the role \
         for years.",
        "en",
    );
    assert!(!codes(&person).contains(&"US"), "{:?}", codes(&person));
    let government = geo(
        "",
        "Washington said it would impose new sanctions on Moscow over the attack.",
        "en",
    );
    assert_eq!(codes(&government), ["RU", "US"]);
}

#[test]
fn a_leader_named_refers_to_the_state_an_international_official_does_not() {
    // "Trump" is the US in any language's press, as "the president" is.
    let leader = geo(
        "",
        "Greta Thunberg reageerde op Trump. Volgens Trump is de klimaatcrisis overdreven.",
        "nl",
    );
    assert_eq!(codes(&leader), ["US"], "{:?}", leader.countries);
    // The UN's secretary-general is Portuguese; naming him is not Portugal.
    let official = geo(
        "",
        "Guterres called on all parties to respect the ceasefire. Guterres spoke in New York.",
        "en",
    );
    assert!(
        !codes(&official).contains(&"PT"),
        "{:?}",
        official.countries
    );
}

#[test]
fn congress_alone_is_neither_a_country_nor_a_topic() {
    let g = geo(
        "",
        "The party congress in the city elected a new chairman; the medical congress opens \
         on Monday with 2,000 doctors.",
        "en",
    );
    assert!(codes(&g).is_empty(), "{:?}", codes(&g));
    assert!(g.topics.is_empty(), "{:?}", topics(&g));
}

#[test]
fn metaphorical_wars_are_not_armed_conflict() {
    for (title, body) in [
        (
            "Streaming price war",
            "A price war broke out between the streaming services as the console wars heat \
             up; analysts expect the battle for subscribers to hurt margins.",
        ),
        (
            "The culture war comes to the school board",
            "The culture war over reading lists reached the school board, where parents \
             fought over books for three hours.",
        ),
    ] {
        let g = geo(title, body, "en");
        assert!(
            !topics(&g).contains(&"armed_conflict"),
            "{title}: {:?}",
            g.topics
        );
    }
    let trade = geo(
        "US-China trade war escalates",
        "Washington raised tariffs on $200bn of Chinese goods and Beijing retaliated with \
         tariffs of its own, deepening the trade war.",
        "en",
    );
    assert_eq!(topics(&trade), ["sanctions_trade"]);
}

#[test]
fn sport_recipes_and_gadgets_get_no_topics() {
    for (title, body) in [
        (
            "Rovers fight back to beat City",
            "Rovers launched attack after attack in the second half and their defence held \
             firm against City's counter-attack. The battle for the title goes on; the \
             manager praised the fighting spirit of his troops after a war of words with \
             the referee. Smith shot from 25 yards and the keeper was beaten. Fans from \
             Spain, France and Germany travelled to the stadium for the derby, and the \
             captain called it a bloodbath in midfield.",
        ),
        (
            "Spiced honey pear jam",
            "Peel and chop the pears, add the honey, the cinnamon and a pinch of chili. \
             Bring to the boil and stir until the jam sets. Fill sterilised jars and store \
             them in a cool place. A French recipe from my grandmother in Normandy.",
        ),
        (
            "The new phone review: a battle of flagships",
            "The new phone wins the flagship war with a brighter screen, a faster chip and a \
             battery that lasts two days. Security updates are promised for seven years, and \
             the camera beats its rivals from China and Korea in low light.",
        ),
    ] {
        let g = geo(title, body, "en");
        assert!(g.topics.is_empty(), "{title}: {:?}", g.topics);
    }
}

#[test]
fn other_languages_with_inflections() {
    let de = geo(
        "Bundesregierung sagt weitere Waffenlieferungen zu",
        "Die Bundesregierung hat der Ukraine weitere Waffenlieferungen zugesagt. Nach \
         russischen Luftangriffen auf Kiew kündigte Berlin Militärhilfe in Höhe von zwei \
         Milliarden Euro an; der Kreml warnte vor einer Eskalation.",
        "de",
    );
    assert_eq!(codes(&de), ["DE", "RU", "UA"]);
    let t = topics(&de);
    // The aid is the subject and scores highest; the air strikes on Kyiv
    // are its background, which the learned weights may also let through.
    assert!(
        t.iter()
            .all(|id| ["military_aid_arms", "armed_conflict"].contains(id)),
        "{t:?}"
    );
    let top = de
        .topics
        .iter()
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|t| t.id.as_str());
    assert_eq!(top, Some("military_aid_arms"), "{:?}", de.topics);

    let pl = geo(
        "Szczyt NATO w Wilnie",
        "Przywódcy państw NATO zebrali się w Wilnie. Polska zapowiedziała kolejne dostawy \
         broni dla Ukrainy, a Rosji grożą nowe sankcje. Sojusznicy rozmawiali o \
         gwarancjach bezpieczeństwa dla Kijowa.",
        "pl",
    );
    assert_eq!(codes(&pl), ["LT", "PL", "RU", "UA"]);
    let t = topics(&pl);
    // The summit's alliance is found through the inflected forms; aid and
    // the summit itself are single mentions in a three-sentence brief,
    // which the learned weights may leave below the threshold.
    assert!(t.contains(&"alliances_security"), "{t:?}");
    let allowed = [
        "alliances_security",
        "military_aid_arms",
        "diplomacy_summits",
        "sanctions_trade",
    ];
    assert!(t.iter().all(|id| allowed.contains(id)), "{t:?}");
    assert_eq!(pl.organizations[0].name, "NATO");

    let es = geo(
        "",
        "El Gobierno español condenó la invasión rusa de Ucrania y anunció nuevas sanciones \
         contra Moscú junto a sus socios de la Unión Europea.",
        "es",
    );
    // One sentence, no title: the learned weights (fitted to whole
    // stories) may leave both topics below the threshold; none other.
    let t = topics(&es);
    assert!(
        t.iter()
            .all(|id| ["armed_conflict", "sanctions_trade"].contains(id)),
        "{t:?}"
    );
    assert_eq!(codes(&es), ["ES", "RU", "UA"]);

    let fr = geo(
        "",
        "L'Élysée a confirmé la visite d'État du président chinois à Paris. Emmanuel Macron \
         recevra Xi Jinping pour des négociations sur le commerce.",
        "fr",
    );
    assert!(
        topics(&fr).contains(&"diplomacy_summits"),
        "{:?}",
        fr.topics
    );
    assert_eq!(codes(&fr), ["CN", "FR"]);
    let people: Vec<&str> = fr.people.iter().map(|p| p.name.as_str()).collect();
    assert!(people.contains(&"Emmanuel Macron") && people.contains(&"Xi Jinping"));

    let uk = geo(
        "",
        "Президент Зеленський заявив, що російські війська обстріляли Харків. Україна \
         просить партнерів про нові системи ППО.",
        "uk",
    );
    assert!(
        codes(&uk).contains(&"UA") && codes(&uk).contains(&"RU"),
        "{:?}",
        codes(&uk)
    );
    assert!(topics(&uk).contains(&"armed_conflict"), "{:?}", uk.topics);
}

#[test]
fn the_seed_gets_exactly_its_topics_and_countries() {
    let text = include_str!("../examples/pages/seed-paragraphs.txt");
    let g = geo(
        "NATO summit: in the absence of membership, Ukraine obtains new security guarantees",
        text,
        "en",
    );
    // The seed's labelled topics; governance_elections is labelled optional.
    let labelled = [
        "alliances_security",
        "armed_conflict",
        "diplomacy_summits",
        "military_aid_arms",
        "nuclear_wmd",
    ];
    let got: Vec<&str> = topics(&g)
        .into_iter()
        .filter(|t| *t != "governance_elections")
        .collect();
    // No false alarm, and the four the summit report is about; its one
    // paragraph on nuclear deterrence is near the learned threshold.
    assert!(got.iter().all(|t| labelled.contains(t)), "{got:?}");
    for t in &labelled[..4] {
        assert!(got.contains(t), "{t} missing from {got:?}");
    }
    assert_eq!(
        codes(&g),
        [
            "CA", "DE", "FI", "FR", "GB", "IT", "JP", "LT", "RU", "UA", "US"
        ]
    );
    assert_eq!(g.taxonomy_version, "geo-taxonomy-v1");
    let nato = &g.organizations[0];
    assert_eq!(
        (nato.name.as_str(), nato.kind.as_str()),
        ("NATO", "military_alliance")
    );
    let alliances = g
        .topics
        .iter()
        .find(|t| t.id == "alliances_security")
        .unwrap();
    assert!(
        alliances
            .evidence
            .iter()
            .any(|e| e.term == "nato" && e.in_title)
    );
}

/// Short news items of the kind the worker sees, in ten languages, written
/// for this test (not taken from the dev set): the language must be
/// recognised and the topics found through inflections and compounds
/// ("Präsidentschaftswahl", "pomocy wojskowej", "comicios",
/// "Kamerverkiezingen"); the items without geopolitics (sport, cooking,
/// gadgets, a club's "Wahl" of a coach) must get none.
#[test]
fn news_items_in_ten_languages() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // Corruption is governance beside an office of state, and no topic
        // in a football club.
        (
            "es",
            "Exministro condenado por cohecho",
            "Un tribunal de Lima condenó este martes al exministro de Transportes a ocho años de prisión por cohecho. Según la fiscalía, el exministro recibió sobornos de una constructora a cambio de adjudicarle obras públicas durante el gobierno anterior.",
            &["governance_elections"],
        ),
        (
            "de",
            "Staatsanwaltschaft ermittelt gegen Fußballklub",
            "Die Staatsanwaltschaft ermittelt wegen Bestechung gegen den Präsidenten eines Fußballklubs. Er soll Schiedsrichter bestochen haben, um Spiele der Liga zu beeinflussen.",
            &[],
        ),
        (
            "pl",
            "UE i Mercosur podpisały umowę handlową",
            "Unia Europejska i państwa Mercosuru podpisały w Montevideo umowę handlową negocjowaną od ćwierć wieku. Porozumienie musi jeszcze zostać ratyfikowane przez parlamenty.",
            &["diplomacy_summits"],
        ),
        (
            "en",
            "Japan and Britain sign trade deal",
            "Japan and Britain signed a trade deal on Friday that will cut costs for carmakers and farmers once it takes effect next year.",
            &["diplomacy_summits"],
        ),
        (
            "de",
            "Deutschland liefert weitere Patriot-Systeme an die Ukraine",
            "Die Bundesregierung hat der Ukraine weitere Flugabwehrsysteme vom Typ Patriot zugesagt. Verteidigungsminister Pistorius kündigte zudem Munitionslieferungen im Wert von 500 Millionen Euro an.",
            &["military_aid_arms"],
        ),
        (
            "de",
            "Koalitionsverhandlungen in Österreich gescheitert",
            "In Österreich sind die Koalitionsverhandlungen zwischen ÖVP und SPÖ gescheitert. Der Bundespräsident will nun mit allen Parteien über die Regierungsbildung sprechen; Neuwahlen gelten als möglich.",
            &["governance_elections"],
        ),
        (
            "de",
            "Russische Hacker greifen Bundestag an",
            "Eine mit dem russischen Militärgeheimdienst GRU verbundene Hackergruppe hat nach Angaben des Bundesamts für Verfassungsschutz erneut Abgeordnete des Bundestags ins Visier genommen. Die Bundesregierung bestellte den russischen Botschafter ein.",
            &["cyber_hybrid", "diplomacy_summits"],
        ),
        (
            "de",
            "Gaslieferungen über die Ukraine enden",
            "Zum Jahreswechsel hat Russland die Gaslieferungen durch die Ukraine nach Europa eingestellt. Der Transitvertrag mit Gazprom lief aus; die Slowakei warnt vor höheren Preisen und einer Energiekrise.",
            &["energy_security"],
        ),
        (
            "de",
            "Menschenrechtsorganisation wirft Iran Folter vor",
            "Die Menschenrechtsorganisation Amnesty International wirft den iranischen Behörden vor, inhaftierte Demonstranten systematisch zu foltern. In einem Bericht dokumentiert sie Fälle von Misshandlungen in mehreren Gefängnissen.",
            &["humanitarian_rights"],
        ),
        (
            "de",
            "Hungersnot im Sudan: UN schlagen Alarm",
            "Im Sudan sind nach Angaben der Vereinten Nationen mehr als 25 Millionen Menschen von akutem Hunger bedroht. Hilfsorganisationen beklagen, dass die Kriegsparteien den Zugang für Hilfslieferungen blockieren.",
            &["humanitarian_rights"],
        ),
        (
            "de",
            "Asylanträge in Deutschland deutlich gesunken",
            "Die Zahl der Asylanträge in Deutschland ist im ersten Halbjahr deutlich zurückgegangen. Das Bundesamt für Migration und Flüchtlinge registrierte rund 120.000 Erstanträge, die meisten von Geflüchteten aus Syrien und Afghanistan.",
            &["migration_refugees"],
        ),
        (
            "de",
            "Schweden tritt der Nato bei",
            "Schweden ist offiziell das 32. Mitglied der Nato. Mit dem Beitritt endet die jahrzehntelange Bündnisfreiheit des Landes; die Allianz stärkt damit ihre Nordflanke an der Ostsee.",
            &["alliances_security"],
        ),
        (
            "de",
            "Neues Elektroauto von VW kommt 2026",
            "Volkswagen will 2026 ein neues Elektroauto für unter 25.000 Euro auf den Markt bringen. Der Kleinwagen soll eine Reichweite von 450 Kilometern haben.",
            &[],
        ),
        (
            "de",
            "Trainerwahl beim HSV: Die Wahl fiel auf einen Dänen",
            "Der Hamburger SV hat einen neuen Trainer. Die Wahl des Vorstands fiel auf einen früheren Nationalspieler aus Dänemark, der in der kommenden Woche das erste Training leitet.",
            &[],
        ),
        (
            "de",
            "Iran reichert Uran auf 60 Prozent an",
            "Der Iran hat nach Angaben der Internationalen Atomenergiebehörde die Urananreicherung weiter ausgebaut. Die IAEA warnt, Teheran verfüge inzwischen über genug Material für mehrere Atomwaffen, falls es weiter angereichert werde.",
            &["nuclear_wmd"],
        ),
        (
            "de",
            "EU beschließt neues Sanktionspaket gegen Russland",
            "Die EU-Staaten haben sich auf ein 14. Sanktionspaket gegen Russland geeinigt. Erstmals sind auch Flüssiggas-Geschäfte betroffen; zudem werden Vermögenswerte weiterer Oligarchen eingefroren.",
            &["sanctions_trade"],
        ),
        (
            "de",
            "Bayern gewinnt Spitzenspiel gegen Dortmund",
            "Der FC Bayern hat das Spitzenspiel gegen Borussia Dortmund mit 3:1 gewonnen. Harry Kane traf doppelt, der Angriff der Münchner war kaum zu stoppen.",
            &[],
        ),
        (
            "de",
            "China startet Großmanöver rund um Taiwan",
            "Die chinesische Volksbefreiungsarmee hat ein großangelegtes Militärmanöver rund um Taiwan begonnen. Peking betrachtet die Insel als abtrünnige Provinz und droht mit einer gewaltsamen Wiedervereinigung; Taipeh verurteilte die Drohgebärden.",
            &["territorial_disputes"],
        ),
        (
            "de",
            "Anschlag auf Weihnachtsmarkt: Ermittler prüfen islamistisches Motiv",
            "Nach dem Anschlag auf einen Weihnachtsmarkt in Magdeburg hat die Bundesanwaltschaft die Ermittlungen übernommen. Der Attentäter hatte sich im Internet radikalisiert.",
            &["terrorism_insurgency"],
        ),
        (
            "de",
            "Stichwahl in Rumänien: Proeuropäer gewinnt Präsidentschaftswahl",
            "Bei der Präsidentschaftswahl in Rumänien hat sich der proeuropäische Kandidat in der Stichwahl durchgesetzt. Die Wahlbeteiligung lag nach Angaben der Wahlkommission bei 64 Prozent. Der unterlegene Kandidat sprach von Manipulation und kündigte an, das Ergebnis anzufechten.",
            &["governance_elections"],
        ),
        (
            "en",
            "US announces $2bn arms package for Taiwan",
            "The State Department approved a possible $2 billion sale of air defence systems to Taiwan, drawing an angry response from Beijing, which called the deal a violation of its sovereignty.",
            &["military_aid_arms", "territorial_disputes"],
        ),
        (
            "en",
            "Apple unveils new MacBook Air",
            "Apple on Tuesday unveiled a new MacBook Air with a faster chip and longer battery life. The laptop goes on sale next week starting at $999.",
            &[],
        ),
        (
            "en",
            "Ford recalls 200,000 SUVs over brake fault",
            "Ford is recalling more than 200,000 SUVs because the brakes may fail, the company said on Monday. Dealers will replace the part free of charge.",
            &[],
        ),
        (
            "en",
            "City beat Real Madrid in Champions League thriller",
            "Manchester City beat Real Madrid 4-3 in a Champions League thriller on Tuesday night, with Erling Haaland scoring twice. The manager praised the fighting spirit of his squad after the battle at the Etihad.",
            &[],
        ),
        (
            "es",
            "Israel intensifica sus bombardeos en el sur de Gaza",
            "El ejército israelí intensificó este martes sus bombardeos sobre Jan Yunis, en el sur de la Franja de Gaza, mientras las negociaciones para un alto el fuego seguían estancadas en El Cairo.",
            &["armed_conflict", "diplomacy_summits"],
        ),
        (
            "es",
            "Intento de golpe de Estado en Bolivia",
            "Militares bolivianos irrumpieron con tanquetas en la plaza Murillo de La Paz en un intento de golpe de Estado contra el presidente Luis Arce, que llamó a la población a movilizarse en defensa de la democracia.",
            &["governance_elections"],
        ),
        (
            "es",
            "Sánchez se reúne con Xi Jinping en Pekín",
            "El presidente del Gobierno, Pedro Sánchez, se reunió este viernes con el presidente chino, Xi Jinping, en Pekín, en una visita oficial centrada en las relaciones comerciales y la guerra arancelaria con Estados Unidos.",
            &["diplomacy_summits", "sanctions_trade"],
        ),
        (
            "es",
            "Venezuela: la oposición denuncia fraude en los comicios presidenciales",
            "La oposición venezolana denunció este lunes un fraude masivo en los comicios presidenciales del domingo, después de que el Consejo Nacional Electoral proclamara la victoria de Nicolás Maduro sin publicar las actas.",
            &["governance_elections"],
        ),
        (
            "es",
            "Amnistía Internacional denuncia torturas en cárceles de El Salvador",
            "Amnistía Internacional denunció este martes torturas y muertes bajo custodia en las cárceles de El Salvador durante el régimen de excepción decretado por el presidente Nayib Bukele.",
            &["humanitarian_rights"],
        ),
        (
            "es",
            "Llegan a Canarias más de 500 migrantes en un solo día",
            "Salvamento Marítimo rescató a más de 500 migrantes que llegaron en cayucos a las costas de El Hierro. Las autoridades canarias reclaman al Gobierno central un reparto de los menores no acompañados.",
            &["migration_refugees"],
        ),
        (
            "es",
            "El Real Madrid gana la Champions",
            "El Real Madrid conquistó su decimoquinta Copa de Europa tras vencer 2-0 al Borussia Dortmund en Wembley. Carvajal y Vinícius marcaron los goles.",
            &[],
        ),
        (
            "es",
            "Samsung presenta su nuevo móvil plegable",
            "Samsung ha presentado el Galaxy Z Fold, un móvil plegable con una pantalla más grande y una batería mejorada. Llegará a las tiendas en agosto.",
            &[],
        ),
        (
            "es",
            "Receta de tortilla de patatas",
            "La tortilla de patatas es uno de los platos más populares de la cocina española. Para prepararla se necesitan patatas, huevos, cebolla, aceite de oliva y sal.",
            &[],
        ),
        (
            "es",
            "Trump impone aranceles del 25% a México y Canadá",
            "El presidente Donald Trump firmó una orden ejecutiva que impone aranceles del 25% a las importaciones procedentes de México y Canadá. Ambos países anunciaron represalias comerciales.",
            &["sanctions_trade"],
        ),
        (
            "fr",
            "Les JO de Paris visés par des cyberattaques d'origine russe",
            "Des groupes de pirates liés au renseignement militaire russe ont mené des cyberattaques contre des infrastructures liées aux Jeux olympiques, selon l'Agence nationale de la sécurité des systèmes d'information.",
            &["cyber_hybrid"],
        ),
        (
            "fr",
            "Macron reçoit Xi Jinping à l'Élysée",
            "Emmanuel Macron a reçu lundi son homologue chinois Xi Jinping pour une visite d'État de deux jours. Les deux dirigeants ont évoqué la guerre en Ukraine et les différends commerciaux entre Pékin et l'Union européenne.",
            &["armed_conflict", "diplomacy_summits"],
        ),
        (
            "fr",
            "Législatives anticipées : le Rassemblement national en tête au premier tour",
            "Le Rassemblement national est arrivé en tête du premier tour des élections législatives anticipées, avec 33 % des voix. La participation a atteint un niveau record depuis 1997, selon le ministère de l'Intérieur.",
            &["governance_elections"],
        ),
        (
            "fr",
            "L'Opep+ prolonge ses réductions de production",
            "Les pays de l'Opep+ ont décidé de prolonger leurs baisses de production de pétrole jusqu'à fin mars, afin de soutenir les cours. L'Arabie saoudite maintient sa réduction volontaire d'un million de barils par jour.",
            &["energy_security"],
        ),
        (
            "fr",
            "Gaza : l'ONU alerte sur un risque de famine",
            "Les Nations unies ont averti que la population de la bande de Gaza était menacée de famine, l'aide humanitaire ne parvenant qu'au compte-gouttes. Les camions restent bloqués aux points de passage.",
            &["humanitarian_rights"],
        ),
        (
            "fr",
            "Manche : au moins cinq migrants morts lors d'une tentative de traversée",
            "Au moins cinq migrants sont morts dans la nuit en tentant de traverser la Manche à bord d'une embarcation de fortune, a annoncé la préfecture maritime. Les exilés cherchaient à rejoindre le Royaume-Uni.",
            &["migration_refugees"],
        ),
        (
            "fr",
            "Le PSG s'impose face à Lyon",
            "Le Paris Saint-Germain s'est imposé 3-1 face à l'Olympique lyonnais dimanche soir au Parc des Princes. Ousmane Dembélé a inscrit un doublé.",
            &[],
        ),
        (
            "fr",
            "Recette : le gratin dauphinois",
            "Le gratin dauphinois se prépare avec des pommes de terre, de la crème et une pointe d'ail. Enfournez pendant une heure à 160 degrés.",
            &[],
        ),
        (
            "fr",
            "Washington sanctionne des entreprises chinoises liées à l'armée russe",
            "Le Trésor américain a annoncé des sanctions contre une douzaine d'entreprises chinoises accusées de fournir des composants à l'industrie de défense russe.",
            &["military_aid_arms", "sanctions_trade"],
        ),
        (
            "fr",
            "Apple dévoile son nouvel iPhone",
            "Apple a présenté mardi son nouvel iPhone, doté d'un appareil photo amélioré et d'une batterie plus endurante. Le prix de départ reste inchangé en Europe.",
            &[],
        ),
        (
            "fr",
            "Attentat au couteau : le parquet national antiterroriste saisi",
            "Le parquet national antiterroriste s'est saisi de l'enquête après l'attaque au couteau qui a fait un mort à Arras. L'assaillant, fiché pour radicalisation, avait prêté allégeance à l'État islamique.",
            &["terrorism_insurgency"],
        ),
        (
            "it",
            "Meloni incontra Biden alla Casa Bianca",
            "La presidente del Consiglio Giorgia Meloni è stata ricevuta alla Casa Bianca dal presidente americano Joe Biden. Al centro del colloquio il sostegno all'Ucraina, la situazione in Medio Oriente e la presidenza italiana del G7.",
            &["diplomacy_summits"],
        ),
        (
            "it",
            "Elezioni regionali, il centrodestra vince in Liguria",
            "Il centrodestra ha vinto le elezioni regionali in Liguria con il 48 per cento dei voti. L'affluenza alle urne è stata del 46 per cento, in calo rispetto alla precedente tornata elettorale.",
            &["governance_elections"],
        ),
        (
            "it",
            "Lampedusa, sbarcati oltre mille migranti in 24 ore",
            "Sono oltre mille i migranti sbarcati a Lampedusa nelle ultime 24 ore. L'hotspot dell'isola è al collasso e il governo valuta i trasferimenti verso i centri per richiedenti asilo.",
            &["migration_refugees"],
        ),
        (
            "it",
            "La Juventus batte l'Inter nel derby d'Italia",
            "La Juventus ha battuto l'Inter per 1-0 nel derby d'Italia grazie a un gol di Vlahovic nel secondo tempo. I bianconeri salgono al secondo posto in classifica.",
            &[],
        ),
        (
            "it",
            "L'Ue approva il quindicesimo pacchetto di sanzioni contro Mosca",
            "I Ventisette hanno approvato un nuovo pacchetto di sanzioni contro la Russia che colpisce la cosiddetta flotta ombra di petroliere. Il pacchetto include anche il divieto di esportazione di componenti a duplice uso verso aziende cinesi.",
            &["sanctions_trade"],
        ),
        (
            "it",
            "Attentato a Mosca, l'Isis rivendica la strage",
            "Lo Stato islamico ha rivendicato l'attacco alla sala concerti Crocus City Hall alle porte di Mosca, in cui sono morte almeno 140 persone. Quattro uomini armati hanno aperto il fuoco sulla folla prima di appiccare un incendio.",
            &["terrorism_insurgency"],
        ),
        (
            "nl",
            "PVV grootste partij bij Tweede Kamerverkiezingen",
            "De PVV van Geert Wilders is de grootste partij geworden bij de Tweede Kamerverkiezingen. De opkomst lag op 78 procent. De formatie van een nieuw kabinet zal naar verwachting maanden duren.",
            &["governance_elections"],
        ),
        (
            "nl",
            "Kabinet wil strengere asielregels",
            "Het kabinet wil het strengste asielbeleid ooit invoeren. Asielzoekers moeten langer wachten op gezinshereniging en de instroom van vluchtelingen moet fors omlaag.",
            &["migration_refugees"],
        ),
        (
            "nl",
            "Rutte wordt secretaris-generaal van de NAVO",
            "Demissionair premier Mark Rutte wordt de nieuwe secretaris-generaal van de NAVO. De bondgenoten steunden zijn kandidatuur unaniem nadat Roemenië zijn kandidaat had teruggetrokken.",
            &["alliances_security"],
        ),
        (
            "nl",
            "Ajax wint ruim van PSV",
            "Ajax heeft zondag met 4-1 gewonnen van PSV. De Amsterdammers stonden bij rust al met 3-0 voor door doelpunten van Brobbey en Bergwijn.",
            &[],
        ),
        (
            "nl",
            "Rusland voert zware luchtaanvallen uit op Kyiv",
            "Rusland heeft in de nacht zware luchtaanvallen uitgevoerd op de Oekraïense hoofdstad Kyiv. Daarbij kwamen zeker tien burgers om het leven, meldt de burgemeester.",
            &["armed_conflict"],
        ),
        (
            "pl",
            "Polska przekaże Ukrainie kolejny pakiet pomocy wojskowej",
            "Minister obrony narodowej zapowiedział, że Polska przekaże Ukrainie czterdziesty pakiet pomocy wojskowej, obejmujący amunicję artyleryjską i sprzęt przeciwlotniczy.",
            &["military_aid_arms"],
        ),
        (
            "pl",
            "Cyberatak na polskie szpitale. Służby wskazują na rosyjskich hakerów",
            "Systemy informatyczne kilku szpitali zostały sparaliżowane w wyniku cyberataku. Według ministra cyfryzacji za atakiem stoi grupa hakerów powiązana z rosyjskim wywiadem wojskowym.",
            &["cyber_hybrid"],
        ),
        (
            "pl",
            "Polska uniezależniła się od rosyjskiego gazu",
            "Dzięki gazociągowi Baltic Pipe i terminalowi LNG w Świnoujściu Polska całkowicie zrezygnowała z dostaw gazu z Rosji. Minister klimatu podkreślił znaczenie bezpieczeństwa energetycznego.",
            &["energy_security"],
        ),
        (
            "pl",
            "ONZ: w Strefie Gazy grozi klęska głodu",
            "Organizacja Narodów Zjednoczonych ostrzega, że w północnej części Strefy Gazy grozi klęska głodu. Konwoje z pomocą humanitarną wciąż nie mogą dotrzeć do potrzebujących.",
            &["humanitarian_rights"],
        ),
        (
            "pl",
            "Straż Graniczna: kolejne próby przekroczenia granicy z Białorusią",
            "Straż Graniczna odnotowała w weekend ponad 300 prób nielegalnego przekroczenia granicy polsko-białoruskiej. Migranci byli wspierani przez białoruskie służby.",
            &["migration_refugees"],
        ),
        (
            "pl",
            "Szczyt NATO w Hadze: sojusznicy zwiększą wydatki na obronność",
            "Państwa członkowskie NATO zobowiązały się na szczycie w Hadze do zwiększenia wydatków na obronność do 5 proc. PKB. Sekretarz generalny Sojuszu podkreślił znaczenie odstraszania wobec Rosji.",
            &["alliances_security", "diplomacy_summits"],
        ),
        (
            "pl",
            "Nowy smartfon Samsunga w sprzedaży",
            "Samsung wprowadził do sprzedaży nowy smartfon z serii Galaxy. Urządzenie ma lepszy aparat i większą baterię, a jego cena zaczyna się od 3999 zł.",
            &[],
        ),
        (
            "pl",
            "Iga Świątek w finale turnieju w Rzymie",
            "Iga Świątek pokonała w półfinale Coco Gauff 6:4, 6:3 i zagra w finale turnieju WTA w Rzymie. Polka obroniła wszystkie break pointy.",
            &[],
        ),
        (
            "pl",
            "Komisja Europejska odblokowuje fundusze dla Polski",
            "Komisja Europejska uznała, że Polska przywraca praworządność, i odblokowała miliardy euro z funduszy spójności. Bruksela wstrzymywała je przez spór o reformy sądownictwa.",
            &["governance_elections"],
        ),
        (
            "pl",
            "Rosyjski atak rakietowy na Kijów. Są ofiary",
            "W nocy Rosja przeprowadziła zmasowany atak rakietowy na Kijów. Zginęło co najmniej 12 osób, a kilkadziesiąt zostało rannych. Ukraińska obrona przeciwlotnicza zestrzeliła większość pocisków.",
            &["armed_conflict"],
        ),
        (
            "pl",
            "Wybory prezydenckie: druga tura 1 czerwca",
            "Państwowa Komisja Wyborcza ogłosiła oficjalne wyniki pierwszej tury wyborów prezydenckich. Do drugiej tury przechodzą kandydat Koalicji Obywatelskiej i kandydat popierany przez PiS.",
            &["governance_elections"],
        ),
        (
            "pt",
            "Eleições em Portugal: AD vence mas sem maioria absoluta",
            "A Aliança Democrática venceu as eleições legislativas de domingo, mas ficou longe da maioria absoluta. O Chega tornou-se a terceira força política no parlamento.",
            &["governance_elections"],
        ),
        (
            "pt",
            "ONU acusa Israel de crimes de guerra",
            "Uma comissão de inquérito da ONU acusou Israel de crimes de guerra e crimes contra a humanidade na Faixa de Gaza, citando ataques contra civis e o bloqueio da ajuda humanitária.",
            &["humanitarian_rights"],
        ),
        (
            "pt",
            "Milhares de migrantes chegam à fronteira sul dos EUA",
            "Milhares de migrantes vindos da América Central concentram-se na fronteira entre o México e os Estados Unidos, à espera de poderem pedir asilo. O governo americano anunciou novas restrições.",
            &["migration_refugees"],
        ),
        (
            "pt",
            "Receita de bacalhau à Brás",
            "O bacalhau à Brás é um dos pratos mais populares da cozinha portuguesa. Desfie o bacalhau, frite a batata palha e junte os ovos batidos no final.",
            &[],
        ),
        (
            "pt",
            "Rússia lança ofensiva na região de Kharkiv",
            "As forças russas lançaram uma nova ofensiva terrestre na região de Kharkiv, no nordeste da Ucrânia, segundo o exército ucraniano. Milhares de civis foram retirados das aldeias junto à fronteira após intensos bombardeamentos.",
            &["armed_conflict"],
        ),
        (
            "ru",
            "Лавров провел переговоры с министром иностранных дел Китая",
            "Министр иностранных дел России Сергей Лавров провел переговоры со своим китайским коллегой Ван И в Пекине. Стороны обсудили украинский кризис и отношения с США.",
            &["diplomacy_summits"],
        ),
        (
            "ru",
            "В Молдавии прошел второй тур президентских выборов",
            "В Молдавии завершилось голосование во втором туре президентских выборов. По данным ЦИК, явка составила 54 процента. Действующий президент Майя Санду лидирует после подсчета 90 процентов бюллетеней.",
            &["governance_elections"],
        ),
        (
            "ru",
            "Рецепт борща с фасолью",
            "Борщ с фасолью получается особенно сытным. Отварите фасоль заранее, затем добавьте свеклу, капусту и картофель, а в конце посолите по вкусу.",
            &[],
        ),
        (
            "ru",
            "США ввели новые санкции против российских банков",
            "Министерство финансов США объявило о введении новых санкций против более чем 50 российских банков, включая Газпромбанк. Ограничения направлены на сокращение доходов Кремля от экспорта энергоносителей.",
            &["sanctions_trade"],
        ),
        (
            "ru",
            "ВСУ нанесли удар по нефтебазе в Брянской области",
            "Украинские беспилотники атаковали нефтебазу в Брянской области, сообщил губернатор региона. По его словам, в результате атаки возник пожар, пострадавших нет. Министерство обороны России заявило, что ПВО сбила 20 беспилотников.",
            &["armed_conflict"],
        ),
        (
            "uk",
            "Нідерланди передадуть Україні ще 20 винищувачів F-16",
            "Нідерланди ухвалили рішення передати Україні додаткову партію винищувачів F-16 та боєприпаси. Це частина нового пакету військової допомоги на 500 мільйонів євро.",
            &["military_aid_arms"],
        ),
        (
            "uk",
            "Зеленський зустрівся з Макроном у Парижі",
            "Президент України Володимир Зеленський провів переговори з президентом Франції Еммануелем Макроном у Єлисейському палаці. Сторони обговорили гарантії безпеки та підготовку до мирного саміту.",
            &["alliances_security", "diplomacy_summits"],
        ),
        (
            "uk",
            "ООН: Росія катує українських військовополонених",
            "Моніторингова місія ООН з прав людини заявила, що російські військові систематично катують українських військовополонених. У звіті задокументовано понад сто випадків тортур.",
            &["humanitarian_rights"],
        ),
        (
            "uk",
            "Росія атакувала енергетичну інфраструктуру України",
            "У ніч на понеділок російські війська завдали масованого ракетного удару по енергетичних об'єктах України. Повітряні сили повідомили про збиття 90 ракет і 60 дронів.",
            &["armed_conflict"],
        ),
    ];
    let mut wrong = Vec::new();
    for (language, title, body, want) in cases {
        let (detected, g) = common::classifier().classify_text(title, body);
        if detected != Some(*language) || topics(&g) != *want {
            wrong.push(format!(
                "{title:?}: language {detected:?} (want {language}), topics {:?} (want {want:?})",
                topics(&g)
            ));
        }
        // Whatever the weights, the language is recognised and an item
        // without geopolitics gets no topic.
        assert_eq!(detected, Some(*language), "{title:?}");
        if want.is_empty() {
            assert!(topics(&g).is_empty(), "{title:?}: {:?}", topics(&g));
        }
    }
    // The topics come from learned weights, judged on held-out statistics,
    // not per item: most briefs must come out exactly right. The bound was
    // set when the weights fitted to geo-dev-v2 reached 68 of 79; they reach
    // 80 of 81 now (2026-12-02, fourth stop); the miss is a one-sentence brief that
    // also gets a second, related topic (energy beside a sanctions package).
    assert!(
        wrong.len() * 100 <= cases.len() * 16,
        "{} of {}:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// Country names as sentences use them: declined in Polish, Russian and
/// Ukrainian (instrumental "Chinami", "Китаем", "Францією"; adjective and
/// noun together, "Wielką Brytanią", "Соединенными Штатами"), German
/// genitives ("Russlands") and the press's abbreviations ("EE.UU.", "США").
#[test]
fn country_names_in_their_cases() {
    let sentences: &[(&str, &str)] = &[
        (
            "en",
            "The government said that the talks with {} were over and that it was time to act for the country, as it was said at the meeting.",
        ),
        (
            "de",
            "Die Regierung hat nach dem Treffen mit den Vertretern erklärt, dass sie mit {} sprechen wird und das ist für sie nicht neu.",
        ),
        (
            "fr",
            "Le gouvernement a déclaré que les discussions avec {} sont terminées et qu'il est temps pour le pays de prendre une décision dans cette affaire.",
        ),
        (
            "es",
            "El gobierno dijo que las conversaciones con {} han terminado y que es el momento de actuar por el país, como se dijo en la reunión.",
        ),
        (
            "it",
            "Il governo ha detto che i colloqui con {} sono finiti e che è il momento di agire per il paese, come è stato detto nella riunione.",
        ),
        (
            "pt",
            "O governo disse que as conversas com {} acabaram e que é hora de agir pelo país, como foi dito na reunião com os ministros.",
        ),
        (
            "pl",
            "Rząd powiedział, że rozmowy z {} się zakończyły i że jest to czas, by działać dla kraju, jak już mówił w tym tygodniu.",
        ),
        (
            "nl",
            "De regering zei dat de gesprekken met {} voorbij zijn en dat het tijd is om op te treden voor het land, zoals werd gezegd.",
        ),
        (
            "ru",
            "Правительство заявило, что переговоры с {} завершены и что это время действовать для страны, как он и говорил после встречи.",
        ),
        (
            "uk",
            "Уряд заявив, що переговори з {} завершені і що це час діяти для країни, як він і казав після зустрічі, та вже після.",
        ),
    ];
    let cases: &[(&str, &str, &str)] = &[
        ("de", "den USA", "US"),
        ("de", "den Vereinigten Staaten", "US"),
        ("fr", "les États-Unis", "US"),
        ("fr", "les Etats-Unis", "US"),
        ("es", "Estados Unidos", "US"),
        ("es", "EE.UU.", "US"),
        ("es", "EEUU", "US"),
        ("pt", "os EUA", "US"),
        ("pt", "Estados Unidos", "US"),
        ("it", "gli Stati Uniti", "US"),
        ("pl", "Stanami Zjednoczonymi", "US"),
        ("pl", "Stanów Zjednoczonych", "US"),
        ("pl", "USA", "US"),
        ("nl", "de Verenigde Staten", "US"),
        ("ru", "США", "US"),
        ("ru", "Соединёнными Штатами", "US"),
        ("ru", "Соединенными Штатами", "US"),
        ("uk", "США", "US"),
        ("uk", "Сполученими Штатами", "US"),
        ("ru", "Россией", "RU"),
        ("ru", "России", "RU"),
        ("ru", "Россия", "RU"),
        ("uk", "Росією", "RU"),
        ("pl", "Rosją", "RU"),
        ("pl", "Rosji", "RU"),
        ("de", "Russland", "RU"),
        ("de", "Russlands Präsident", "RU"),
        ("pl", "Strefą Gazy", "PS"),
        ("pl", "Strefie Gazy", "PS"),
        ("es", "la Franja de Gaza", "PS"),
        ("de", "dem Gazastreifen", "PS"),
        ("fr", "la Chine", "CN"),
        ("es", "China", "CN"),
        ("pl", "Chinami", "CN"),
        ("ru", "Китаем", "CN"),
        ("uk", "Китаєм", "CN"),
        ("de", "China", "CN"),
        ("nl", "China", "CN"),
        ("pt", "a China", "CN"),
        ("it", "la Cina", "CN"),
        ("pl", "Niemcami", "DE"),
        ("ru", "Германией", "DE"),
        ("uk", "Німеччиною", "DE"),
        ("fr", "l'Allemagne", "DE"),
        ("es", "Alemania", "DE"),
        ("pl", "Francją", "FR"),
        ("ru", "Францией", "FR"),
        ("uk", "Францією", "FR"),
        ("pl", "Ukrainą", "UA"),
        ("ru", "Украиной", "UA"),
        ("uk", "Україною", "UA"),
        ("de", "der Ukraine", "UA"),
        ("pl", "Wielką Brytanią", "GB"),
        ("ru", "Великобританией", "GB"),
        ("uk", "Великою Британією", "GB"),
        ("de", "Großbritannien", "GB"),
        ("fr", "le Royaume-Uni", "GB"),
        ("es", "el Reino Unido", "GB"),
        ("it", "il Regno Unito", "GB"),
        ("pt", "o Reino Unido", "GB"),
        ("nl", "het Verenigd Koninkrijk", "GB"),
        ("pl", "Izraelem", "IL"),
        ("ru", "Израилем", "IL"),
        ("pl", "Iranem", "IR"),
        ("ru", "Ираном", "IR"),
        ("pl", "Turcją", "TR"),
        ("ru", "Турцией", "TR"),
        ("de", "der Türkei", "TR"),
        ("pl", "Koreą Północną", "KP"),
        ("ru", "Северной Кореей", "KP"),
        ("de", "Nordkorea", "KP"),
        ("fr", "la Corée du Nord", "KP"),
        ("es", "Corea del Norte", "KP"),
        ("pl", "Białorusią", "BY"),
        ("ru", "Белоруссией", "BY"),
        ("ru", "Беларусью", "BY"),
        ("uk", "Білоруссю", "BY"),
        ("pl", "Węgrami", "HU"),
        ("de", "Ungarn", "HU"),
        ("pl", "Japonią", "JP"),
        ("de", "Japan", "JP"),
        ("pl", "Indiami", "IN"),
        ("ru", "Индией", "IN"),
        ("ru", "Нидерландами", "NL"),
        ("ru", "Филиппинах", "PH"),
        ("pl", "Filipinach", "PH"),
        ("pl", "Holandią", "NL"),
    ];
    let mut wrong = Vec::new();
    for (language, name, code) in cases {
        let (_, sentence) = sentences.iter().find(|(l, _)| l == language).unwrap();
        let g = geo("", &sentence.replace("{}", name), language);
        if !codes(&g).contains(code) {
            wrong.push(format!("{language} {name:?}: {:?}, want {code}", codes(&g)));
        }
    }
    assert_none_wrong(&wrong, cases.len());
}

/// Declining a name must not make a common word of it: Russian "Того" is
/// also "of that", "Самое" ("the most") is no form of Samoa.
#[test]
fn declined_names_do_not_make_common_words() {
    let g = geo(
        "",
        "Того же мнения придерживается и министр. Самое главное, что это работает. После этого он ушёл.",
        "ru",
    );
    assert!(codes(&g).is_empty(), "{:?}", codes(&g));
}

/// `eval classification` reads a labelled set wherever it lives: sources
/// relative to the labels file's folder, saved HTML pages (extracted first,
/// with the language their markup names), text files (first line the
/// title) and JSON ground truth keyed by id (`articleBody`, or `text` with
/// a `title`).
#[test]
fn eval_reads_html_text_and_json_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages");
    std::fs::copy(
        pages.join("de-bundestag-ukraine-hilfe.html"),
        root.join("page.html"),
    )
    .unwrap();
    std::fs::write(
        root.join("brief.txt"),
        "Sanktionen gegen Russland\nDie EU hat neue Sanktionen gegen Russland beschlossen.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("truth.json"),
        r#"{"a": {"title": "Coup in Gabon", "text": "Soldiers ousted the president of Gabon in a coup on Wednesday."}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("labels.jsonl"),
        concat!(
            r#"{"id": "page", "source": "page.html", "topics": ["military_aid_arms"], "countries": ["DE", "UA", "RU"]}"#,
            "\n",
            r#"{"id": "brief", "source": "brief.txt", "topics": ["sanctions_trade"], "countries": ["RU"]}"#,
            "\n",
            r#"{"id": "a", "source": "truth.json", "topics": ["governance_elections"], "countries": ["GA"]}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = root.join("predictions.json");
    let report = newsworker::eval::geo::classification(
        newsworker::eval::geo::LabelSet::whole(&root.join("labels.jsonl")),
        &newsworker::classify::Classifier::built_in().unwrap(),
        Some(&out),
    )
    .unwrap();
    assert_eq!(report.documents, 3);
    let predictions: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        predictions["page"]["topics"],
        serde_json::json!(["military_aid_arms"])
    );
    assert!(report.mistakes.is_empty(), "{:?}", report.mistakes);
    assert_eq!(report.topic_micro.f1, 1.0);
    assert_eq!(report.countries.f1, 1.0);
}

/// An office only a state has settles an ambiguous name: "the president of
/// Niger", "Jordan's king"; a US governor, a player's "army" of fans and a
/// river do not.
#[test]
fn state_roles_corroborate_ambiguous_names() {
    for (body, want) in [
        (
            "Soldiers ousted the president of Niger in a coup.",
            vec!["NE"],
        ),
        ("Jordan's king met the envoy on Monday.", vec!["JO"]),
        ("Chad's army said the border was closed.", vec!["TD"]),
        ("Georgia's governor signed the bill.", vec![]),
        ("Michael Jordan's army of fans cheered.", vec![]),
        ("The Niger river flooded the capital of Mali.", vec!["ML"]),
    ] {
        assert_eq!(codes(&geo("", body, "en")), want, "{body}");
    }
}

/// A leader named stands for the state, and the record says so: the
/// country's evidence cites the person ("Trump said" is the US).
#[test]
fn an_office_holder_is_cited_as_the_countrys_evidence() {
    let found = geo(
        "",
        "Trump said the talks would go on. Trump left early.",
        "en",
    );
    assert_eq!(codes(&found), ["US"]);
    let evidence = &found.countries[0].evidence;
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    assert_eq!(evidence[0].term, "donald trump");
    assert_eq!(evidence[0].count, found.countries[0].mentions);
}

#[test]
fn a_story_naming_no_country_is_placed_by_its_publishers_domain() {
    let c = common::classifier();
    // Local news names its town and its council, not its country.
    let local = |url: &str| {
        let mut g = c.classify(
            "В Оренбурге отремонтируют школы",
            "Городская администрация выделила средства на ремонт трёх школ.",
            Some("ru"),
        );
        c.place_by_domain(&mut g, Some(url));
        g
    };
    let g = local("https://oren.mk.ru/social/2020/02/18/schools.html");
    assert_eq!(codes(&g), ["RU"]);
    assert_eq!(g.countries[0].mentions, 0);
    assert_eq!(g.countries[0].evidence[0].term, "domain .ru");
    assert_eq!(codes(&local("https://www.radionacional.com.ar/x")), ["AR"]);
    assert_eq!(codes(&local("https://www.bbc.co.uk/news/x")), ["GB"]);
    // Generic domains, codes sold as generic ones, no URL: nothing.
    for url in [
        "https://example.com/x",
        "https://news.example.tv/x",
        "https://a.io/x",
        "not a url",
    ] {
        assert!(local(url).countries.is_empty(), "{url}");
    }
    let mut none = c.classify(
        "Schools repaired",
        "The council paid for three schools.",
        Some("en"),
    );
    c.place_by_domain(&mut none, None);
    assert!(none.countries.is_empty());
    // A story that names a country is placed by its text, not its domain.
    let mut named = c.classify(
        "Macron visits Kyiv",
        "The French president met Ukraine's leaders in Kyiv.",
        Some("en"),
    );
    c.place_by_domain(&mut named, Some("https://www.example.ru/x"));
    assert_eq!(codes(&named), ["FR", "UA"]);
}

#[test]
fn a_country_named_only_far_down_the_article_is_a_passing_mention() {
    // 700 words of a council story, then one sentence naming France and
    // one naming the French president.
    let filler = "The council met again on Tuesday to discuss the budget. ".repeat(70);
    let body = format!(
        "The mayor of Kyiv opened the session. {filler} As in France, the debate ran late. \
         Emmanuel Macron had said much the same."
    );
    let g = geo("Council debates the budget", &body, "en");
    assert_eq!(codes(&g), ["UA"]);
    let passing: Vec<&str> = g
        .countries_in_passing
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(passing, ["FR"]);
    assert_eq!(g.countries_in_passing[0].mentions, 2, "{g:?}");
    // The same sentence early on names the country the story refers to.
    let early = geo(
        "Council debates the budget",
        &format!("As in France, the debate ran late. {filler}"),
        "en",
    );
    assert_eq!(codes(&early), ["FR"]);
    assert!(early.countries_in_passing.is_empty());
    // A leader named first early and again late is one country, read.
    let leader = geo(
        "",
        &format!("Emmanuel Macron spoke first. {filler} Emmanuel Macron spoke last."),
        "en",
    );
    assert_eq!(codes(&leader), ["FR"]);
    assert!(leader.countries_in_passing.is_empty());
}

/// Subjects stated in the words the Portuguese, Italian, Dutch, Russian,
/// Ukrainian and French lists once lacked, and everyday words their stems
/// must not take for topic words.
#[test]
fn thinner_languages_name_their_subjects_in_their_own_words() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "pt",
            "Segundo turno da eleição presidencial será disputado em outubro",
            "O Tribunal Superior Eleitoral confirmou o segundo turno entre os dois candidatos mais votados. A campanha eleitoral recomeça nesta semana, e a oposição denuncia fraude eleitoral em três estados.",
            &["governance_elections"],
        ),
        (
            "it",
            "Crisi di governo, il premier sale al Quirinale",
            "La crisi di governo si è aperta dopo il voto di fiducia perso in Senato. Il presidente della Repubblica avvierà le consultazioni per un governo di transizione; i partiti chiedono elezioni anticipate.",
            &["governance_elections"],
        ),
        (
            "nl",
            "Kabinetscrisis: coalitie valt over asielbeleid",
            "Het kabinet is gevallen nadat de coalitiepartijen geen akkoord bereikten over het asielbeleid. De premier biedt het ontslag van de regering aan; nieuwe verkiezingen volgen in het najaar.",
            &["governance_elections", "migration_refugees"],
        ),
        (
            "ru",
            "Инаугурация президента прошла без объявления",
            "Инаугурация президента прошла в закрытом режиме, без предварительного объявления. Оппозиция назвала церемонию незаконной и призвала к массовым протестам; ЦИК ранее объявил итоги голосования.",
            &["governance_elections"],
        ),
        (
            "uk",
            "Ракетний удар по Харкову: загинули цивільні",
            "Російські війська завдали ракетного удару по житловому кварталу Харкова. Унаслідок обстрілу загинули п'ятеро мирних мешканців; окупаційні війська продовжують наступ на сході.",
            &["armed_conflict"],
        ),
        (
            "ru",
            "Газета: правительство обсуждает новый бюджет школ",
            "Как пишет газета, правительство области обсуждает бюджет школ на следующий год. Газета отмечает, что учителя ждут повышения зарплат.",
            &[],
        ),
        (
            "uk",
            "Наступного тижня у Львові відкриється книжковий ярмарок",
            "Наступного тижня у Львові відкриється книжковий ярмарок. Наступний день фестивалю присвятять дитячій літературі, пише газета.",
            &[],
        ),
        (
            "fr",
            "Le chef de l'opposition dénonce une fraude électorale",
            "Au lendemain du premier tour, le chef de l'opposition a dénoncé une fraude électorale massive et appelé ses partisans à manifester avant le second tour.",
            &["governance_elections"],
        ),
        (
            "pt",
            "Prefeitura divulga edital de concurso",
            "A prefeitura divulgou o edital do concurso para professores. O anexo do edital traz o calendário das provas, e os candidatos podem se inscrever até sexta-feira pelo site.",
            &[],
        ),
    ];
    let mut wrong = Vec::new();
    for (language, title, body, expected) in cases {
        let g = geo(title, body, language);
        let got = topics(&g);
        let mut expected: Vec<&str> = expected.to_vec();
        expected.sort_unstable();
        if got != expected {
            wrong.push(format!(
                "{language} {title:?}: {got:?}, expected {expected:?} ({:?})",
                g.topics
            ));
        }
    }
    assert_none_wrong(&wrong, cases.len());
}

/// Weak words alone do not make a topic: a Bundestag debate on aid to
/// Ukraine names "Bundestag" and "Opposition", governance's weak words,
/// and is about the aid, not about who governs.
#[test]
fn weak_words_alone_make_no_topic_in_a_record() {
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pages");
    let bytes = std::fs::read(pages.join("de-bundestag-ukraine-hilfe.html")).unwrap();
    let article = newsworker::extract::extract(
        newsworker::extract::Page {
            bytes: &bytes,
            url: None,
            charset: None,
        },
        &newsworker::extract::Options::default(),
    )
    .unwrap();
    let g = common::classifier().classify_article(&article, None);
    assert_eq!(topics(&g), ["military_aid_arms"], "{:?}", g.topics);
}
