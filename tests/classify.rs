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
    assert!(t.contains(&"military_aid_arms"), "{t:?}");
    assert!(t.contains(&"armed_conflict"), "{t:?}");

    let pl = geo(
        "Szczyt NATO w Wilnie",
        "Przywódcy państw NATO zebrali się w Wilnie. Polska zapowiedziała kolejne dostawy \
         broni dla Ukrainy, a Rosji grożą nowe sankcje. Sojusznicy rozmawiali o \
         gwarancjach bezpieczeństwa dla Kijowa.",
        "pl",
    );
    assert_eq!(codes(&pl), ["LT", "PL", "RU", "UA"]);
    let t = topics(&pl);
    for id in [
        "alliances_security",
        "military_aid_arms",
        "diplomacy_summits",
    ] {
        assert!(t.contains(&id), "{id} missing from {t:?}");
    }
    assert_eq!(pl.organizations[0].name, "NATO");

    let es = geo(
        "",
        "El Gobierno español condenó la invasión rusa de Ucrania y anunció nuevas sanciones \
         contra Moscú junto a sus socios de la Unión Europea.",
        "es",
    );
    let t = topics(&es);
    assert!(t.contains(&"armed_conflict"), "{t:?}");
    assert!(t.contains(&"sanctions_trade"), "{t:?}");
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
    let mut required = vec![
        "alliances_security",
        "armed_conflict",
        "diplomacy_summits",
        "military_aid_arms",
        "nuclear_wmd",
    ];
    let got: Vec<&str> = topics(&g)
        .into_iter()
        .filter(|t| *t != "governance_elections") // labelled optional
        .collect();
    required.sort_unstable();
    assert_eq!(got, required);
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
