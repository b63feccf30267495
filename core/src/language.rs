//! Languages, in one place: a page's declared language reduced to its
//! ISO 639-1 code ([`primary`]), whatlang's detection mapped to ISO 639-1
//! ([`detect`], one code table), and the classifier's function-word vote
//! over the words it has already tokenized ([`detect_in`]), which costs one
//! look-up per word where whatlang's trigrams are far slower.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use whatlang::Lang;

use crate::classify::phrases::Tokens;

/// "en-GB" / "pl_PL" / "de" -> "en" / "pl" / "de"; None for what is not a
/// two-letter code.
pub fn primary(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_', ',', ' '])
        .next()?
        .to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// Detects the language of `text` (ISO 639-1), if it is reliable enough.
pub fn detect(text: &str) -> Option<&'static str> {
    // A few kilobytes decide as well as the whole text, at a fraction of the cost.
    let sample = match text.char_indices().nth(500) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let info = whatlang::detect(sample)?;
    (info.is_reliable() || info.confidence() > 0.5).then(|| iso639_1(info.lang()))?
}

/// ISO 639-1 code of a whatlang language (None for those without one).
pub fn iso639_1(lang: Lang) -> Option<&'static str> {
    let code = match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        _ => return None,
    };
    Some(code)
}

/// Function words per language: frequent, short, and together distinctive.
/// A word shared by several languages ("de", "en", "la") is listed under
/// each, so it votes for all of them and tips none: Dutch "de" must not
/// outvote a Spanish or Portuguese text's own words.
const FUNCTION_WORDS: &[(&str, &str)] = &[
    (
        "en",
        "the and of to is that for was with on said by it as from at this be have are were has not will which would their they been",
    ),
    (
        "de",
        "der die und das den nicht ist mit sich auf für von dem des ein eine auch es zu im wurde werden hat nach bei wie einer sind noch aus",
    ),
    (
        "fr",
        "de en le la les des et est une du dans que pour qui pas sur au avec il par ce sont plus ont aux cette été mais ses leur être",
    ),
    (
        "es",
        "de la en el los las del y que por con una para es se su al lo como más pero sus fue ha este está sobre entre también desde han muy",
    ),
    (
        "it",
        "la in i il della di che per un del le non con sono gli alla nel una ha dei è anche come più delle nella questo stato ma essere dal sul",
    ),
    (
        "pt",
        "de e o os da do das dos que em um uma para com não por se na no mais ao como foi pelo pela seu sua são também está entre já",
    ),
    (
        "pl",
        "w i z na się nie do że jest to jak po od za dla przez oraz już tym ale są jego ich był była być może także który",
    ),
    (
        "nl",
        "de het een en van is dat op te voor niet met zijn er aan om ook als bij door maar naar wordt dan nog werd heeft deze over",
    ),
    (
        "ru",
        "и в не на что с по как это из к о за от для его но также было был были он она они при после уже которые может более",
    ),
    (
        "uk",
        "і в у не на що з до як це із від для його але також було був були він вона вони при після вже які може та й щоб",
    ),
];

/// Votes needed before the vote decides...
const MIN_VOTES: u32 = 5;
/// ...and the winner's lead over the runner-up...
const MIN_LEAD: f32 = 1.3;
/// ...and the share of the text's words that are the winner's function words:
/// a language we do not list (Indonesian "dan" is Dutch "dan") matches a
/// few, a listed one far more (a tenth to a third of its words).
const MIN_SHARE: f32 = 0.05;
/// Word -> bit set of the languages it votes for.
static VOTES: LazyLock<FxHashMap<&'static str, u16>> = LazyLock::new(|| {
    // Fx: a look-up per word of every article, on trusted keys.
    let mut map: FxHashMap<&'static str, u16> = FxHashMap::default();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for word in words.split(' ') {
            *map.entry(word).or_default() |= 1 << i;
        }
    }
    map
});

/// Makes the vote table ready, so the first article does not pay for it.
pub fn warm_up() {
    LazyLock::force(&VOTES);
}

/// The article's language (ISO 639-1): by the function-word vote when it is
/// clear, else by whatlang on the start of `text`.
pub fn detect_in(tokens: &Tokens, text: &str) -> Option<&'static str> {
    vote(tokens).or_else(|| whatlang_detect(text))
}

/// The language whose function words the text uses most, when clearly so.
pub fn vote(tokens: &Tokens) -> Option<&'static str> {
    decide((0..tokens.len()).map(|i| tokens.text(i)))
}

/// Characters of a text's beginning that [`markup_or_vote`] reads: a few
/// hundred words decide as well as all of them.
const VOTE_SAMPLE_BYTES: usize = 2_000;

/// The language a page declares in its markup, unless its text clearly
/// votes for another of the vote's languages: templates declare the
/// site's default whatever the article's language ("en" on a Spanish
/// story), and every language-dependent step (dates' day/month order,
/// names, topic terms) would read the article as that language. A
/// declared language the vote does not know (Catalan, Bulgarian) stands:
/// the vote would mistake it for a neighbour.
pub fn markup_or_vote<'a>(declared: &'a str, text: &str) -> &'a str {
    if !FUNCTION_WORDS.iter().any(|(l, _)| *l == declared) {
        return declared;
    }
    let mut end = VOTE_SAMPLE_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // One buffer for every capitalized word's lower case.
    let mut lower = String::new();
    let mut counts = Counts::default();
    for word in text[..end]
        .split(|c: char| !crate::classify::script::is_word_char(c))
        .filter(|w| !w.is_empty())
    {
        if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            counts.add(&lower);
        } else {
            counts.add(word);
        }
    }
    match counts.winner() {
        Some(voted) if voted != declared => voted,
        _ => declared,
    }
}

/// The vote over `words` (lower case): the language whose function words
/// they hold most, when clearly so.
fn decide<W: AsRef<str>>(words: impl Iterator<Item = W>) -> Option<&'static str> {
    let mut counts = Counts::default();
    for word in words {
        counts.add(word.as_ref());
    }
    counts.winner()
}

/// Function words counted per language, and words in all.
#[derive(Default)]
struct Counts {
    votes: [u32; FUNCTION_WORDS.len()],
    words: usize,
}

impl Counts {
    /// Counts one lower-case word.
    fn add(&mut self, word: &str) {
        self.words += 1;
        if let Some(&languages) = VOTES.get(word) {
            for (l, count) in self.votes.iter_mut().enumerate() {
                *count += u32::from(languages >> l & 1);
            }
        }
    }

    /// The language with the most votes, when clearly so.
    fn winner(&self) -> Option<&'static str> {
        let mut order: Vec<usize> = (0..self.votes.len()).collect();
        order.sort_by_key(|&l| std::cmp::Reverse(self.votes[l]));
        let (best, second) = (self.votes[order[0]], self.votes[order[1]]);
        (best >= MIN_VOTES
            && best as f32 >= second as f32 * MIN_LEAD
            && best as f32 >= self.words as f32 * MIN_SHARE)
            .then(|| FUNCTION_WORDS[order[0]].0)
    }
}

/// whatlang's answer when it is one of the vote's languages: for others the
/// classifier has no terms, and says so with None (every language's terms
/// then apply).
fn whatlang_detect(text: &str) -> Option<&'static str> {
    detect(text).filter(|code| FUNCTION_WORDS.iter().any(|(l, _)| l == code))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_reduce_to_their_primary_code() {
        assert_eq!(primary("en-GB").as_deref(), Some("en"));
        assert_eq!(primary("pl_PL").as_deref(), Some("pl"));
        assert_eq!(primary(" DE ").as_deref(), Some("de"));
        assert_eq!(primary("eng"), None);
    }

    #[test]
    fn common_news_languages_are_detected() {
        let cases = [
            (
                "en",
                "The second day of the NATO summit in Vilnius was marked by several announcements about security guarantees.",
            ),
            (
                "de",
                "Der zweite Tag des Nato-Gipfels in Vilnius war von mehreren Ankündigungen über Sicherheitsgarantien geprägt.",
            ),
            (
                "pl",
                "Drugi dzień szczytu NATO w Wilnie upłynął pod znakiem kilku zapowiedzi dotyczących gwarancji bezpieczeństwa.",
            ),
            (
                "fr",
                "La deuxième journée du sommet de l'Otan à Vilnius a été marquée par plusieurs annonces sur les garanties de sécurité.",
            ),
        ];
        for (code, text) in cases {
            assert_eq!(detect(text), Some(code), "{text}");
        }
    }

    fn lang(text: &str) -> Option<&'static str> {
        vote(&Tokens::new("", text))
    }

    #[test]
    fn the_vote_names_each_language() {
        for (text, want) in [
            (
                "The president said that the talks with the allies were over and that it was time to act.",
                "en",
            ),
            (
                "Die Regierung hat nach dem Treffen mit den Verbündeten erklärt, dass sie die Hilfe für das Land fortsetzen wird.",
                "de",
            ),
            (
                "Le président a déclaré que les discussions avec les alliés sont terminées et qu'il est temps pour la France d'agir.",
                "fr",
            ),
            (
                "El presidente dijo que las conversaciones con los aliados han terminado y que es el momento de actuar por el país.",
                "es",
            ),
            (
                "Il presidente ha detto che i colloqui con gli alleati sono finiti e che è il momento di agire per il paese della pace.",
                "it",
            ),
            (
                "O presidente disse que as conversas com os aliados acabaram e que é hora de agir pelo país, como foi dito na reunião.",
                "pt",
            ),
            (
                "Prezydent powiedział, że rozmowy z sojusznikami się zakończyły i że jest to czas, by działać dla kraju, jak już mówił.",
                "pl",
            ),
            (
                "De president zei dat de gesprekken met de bondgenoten voorbij zijn en dat het tijd is om op te treden voor het land.",
                "nl",
            ),
            (
                "Президент заявил, что переговоры с союзниками завершены и что это время действовать для страны, как он и говорил.",
                "ru",
            ),
            (
                "Президент заявив, що переговори з союзниками завершені і що це час діяти для країни, як він і казав, та вже після.",
                "uk",
            ),
        ] {
            assert_eq!(lang(text), Some(want), "{text}");
        }
    }

    #[test]
    fn dutch_de_and_en_do_not_outvote_romance_languages() {
        // "de" and "en" are Dutch function words too; these texts have many.
        // The vote may be unsure (then whatlang decides), never Dutch.
        for (text, want) in [
            (
                "Militares bolivianos irrumpieron con tanquetas en la plaza Murillo de La Paz en un intento de golpe de Estado contra el presidente Luis Arce, que llamó a la población a movilizarse en defensa de la democracia.",
                "es",
            ),
            (
                "Uma comissão de inquérito da ONU acusou Israel de crimes de guerra e crimes contra a humanidade na Faixa de Gaza, citando ataques contra civis e o bloqueio da ajuda humanitária.",
                "pt",
            ),
            (
                "Des dizaines de soldats ont été tués dans une attaque en début de semaine dans le centre du pays, selon des sources de sécurité.",
                "fr",
            ),
        ] {
            assert_eq!(
                detect_in(&Tokens::new("", text), text),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn too_little_text_falls_back_to_whatlang() {
        assert_eq!(lang("NATO summit"), None);
        assert_eq!(
            detect_in(
                &Tokens::new("", "Ostatnie wiadomości z kraju"),
                "Ostatnie wiadomości z kraju i ze świata, polityka, gospodarka"
            ),
            Some("pl")
        );
    }

    #[test]
    fn a_declared_language_yields_to_a_clear_vote_of_the_text() {
        let spanish = "Los pescadores de la región gestionarán las crías de peces para el \
            embalse, según informó el gobierno del estado, que también ha dicho que la \
            medida es parte de un programa más amplio para la pesca en la zona.";
        // A template's default ("en") on a Spanish story.
        assert_eq!(markup_or_vote("en", spanish), "es");
        assert_eq!(markup_or_vote("es", spanish), "es");
        // A language the vote does not know stands: Catalan is not Spanish.
        assert_eq!(markup_or_vote("ca", spanish), "ca");
        // Too little text to vote: the markup stands.
        assert_eq!(markup_or_vote("de", "Los pescadores"), "de");
    }
}
