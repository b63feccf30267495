//! The text-level consent filter: banner paragraphs that sit inside the
//! article container, where no class name gives them away (the way the seed
//! article's CookieLawInfo text leaked).
//!
//! A banner talks to the reader about this site's cookies ("we use cookies",
//! "this website uses cookies", "by continuing you agree"); a news paragraph
//! about cookies talks about someone else ("the court fined the publisher for
//! setting cookies without consent"). So a block is a banner when it is short
//! and either has a phrase only banners use, or names cookies together with
//! both a second-person address and a consent verb.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};

/// Banners are short; a long paragraph that mentions cookies is an article.
pub const MAX_BANNER_CHARS: usize = 700;

/// Phrases that only consent banners use, in en, de, fr, es, it, pl, pt, nl.
static BANNER_PHRASES: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [
        // en
        r"\b(?:this|our) (?:web ?)?(?:site|website|portal|page|service)s? (?:uses|use|is using|utili[sz]es|employs|stores) (?:\S+ )?cookies",
        r"\bwe (?:and our (?:partners|vendors) )?(?:use|are using|utili[sz]e|set|store) (?:\S+ )?cookies",
        r"\bwe'?ll assume you'?re (?:ok|okay|happy)",
        r"\byou can opt[- ]?out if you wish",
        r"\bby (?:continuing|using|browsing|clicking|remaining)[^.]{0,80}(?:you (?:agree|accept|consent)|consent to|agree to)",
        r"\b(?:accept|allow|reject|decline|manage|customi[sz]e) (?:all |our |the )?cookies\b",
        r"\bstore and/or access information on a device",
        r"\bwe and our (?:partners|vendors)",
        r"\buse of cookies[^.]{0,60}\b(?:you|your)\b",
        r"\bcookies? (?:settings|preferences)\b.{0,40}$",
        // de
        r"\b(?:diese|unsere) (?:web)?(?:seite|site|website|webseite|internetseite|homepage) (?:verwendet|nutzt|benutzt|setzt) (?:\S+ )?cookies",
        r"\bwir (?:verwenden|nutzen|benutzen|setzen) (?:\S+ )?cookies",
        r"\bgehen wir von ihrem einverständnis aus",
        r"\b(?:mit der|durch die) (?:weiteren? )?nutzung (?:dieser|unserer|der) (?:web)?(?:seite|site|website|webseite)[^.]{0,80}(?:stimmen sie|erklären sie sich|einverstanden)",
        r"\bcookies? (?:akzeptieren|zulassen|ablehnen)\b|\bcookie-einstellungen\b|\balle akzeptieren\b",
        // fr
        r"\b(?:ce|notre) site (?:web |internet )?(?:utilise|emploie|dépose) (?:des )?(?:cookies|traceurs)",
        r"\bnous utilisons (?:des )?(?:cookies|traceurs)",
        r"\ben (?:poursuivant|continuant) (?:votre|la) navigation",
        r"\bvous acceptez l.(?:utilisation|usage|emploi) (?:des|de) (?:cookies|traceurs)",
        r"\b(?:accepter|refuser) (?:tous )?(?:les )?cookies\b|\bcontinuer sans accepter\b|\btout (?:accepter|refuser)\b",
        // es
        r"\b(?:este|nuestro) (?:sitio|portal|web)(?: web)? (?:utiliza|usa|emplea) (?:\S+ )?cookies",
        r"\b(?:utilizamos|usamos|empleamos) (?:\S+ )?cookies",
        r"\bsi (?:continúa|continúas|continua|sigue|sigues) navegando",
        r"\b(?:acepta|aceptas|aceptar|rechazar) (?:el uso de |todas las |las )?cookies\b",
        // it
        r"\b(?:questo|il nostro) sito (?:web )?(?:utilizza|usa|fa uso di) (?:i |dei )?cookie",
        r"\b(?:utilizziamo|usiamo) (?:i |dei )?cookie",
        r"\b(?:acconsenti|accetti|acconsente) all.(?:uso|utilizzo) dei cookie",
        r"\bproseguendo (?:la|nella) navigazione",
        r"\baccett(?:a|o) (?:tutti )?(?:i )?cookie\b",
        // pl
        r"\b(?:ta|nasza|niniejsza) (?:strona|witryna|serwis)(?: internetowa| www)? (?:używa|wykorzystuje|korzysta z|stosuje) (?:plików )?(?:cookie|cookies|ciasteczek)",
        r"\b(?:używamy|wykorzystujemy|stosujemy) (?:plików )?(?:cookie|cookies|ciasteczek)",
        r"\bwyrażasz zgodę na (?:używanie|wykorzystywanie|zapisywanie|stosowanie)",
        r"\bakceptuj(?:ę)? (?:wszystkie )?(?:pliki )?cookie",
        // pt
        r"\b(?:este|nosso|o nosso) (?:site|sítio|portal|website) (?:utiliza|usa) (?:\S+ )?cookies",
        r"\b(?:utilizamos|usamos) (?:\S+ )?cookies",
        r"\bao continuar (?:a )?navegar",
        r"\baceit(?:ar|a|o) (?:todos )?(?:os )?cookies\b",
        // nl
        r"\b(?:deze|onze) (?:web)?site (?:maakt gebruik van|gebruikt) (?:\S+ )?cookies",
        r"\b(?:we|wij) (?:maken gebruik van|gebruiken) (?:\S+ )?cookies",
        r"\bcookies (?:accepteren|weigeren)\b|\balles accepteren\b|\bcookie-?instellingen\b",
    ];
    RegexSet::new(patterns).unwrap_or_else(|err| panic!("bad consent pattern: {err}"))
});

static COOKIE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:cookies?|ciasteczk\w*|traceurs|tracking technologies)\b")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static READER_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:you|your|we|our|vous|votre|vos|nous|sie|ihr|ihre|ihrem|ihren|wir|unsere|",
        r"usted|tu|tus|nosotros|voi|tuo|tua|noi|nostro|ty|twoje|twojej|państwa|my|",
        r"você|seu|sua|nós|u|uw|jij|je|wij|we)\b"
    ))
    .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static CONSENT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Stems share one `\w*`: each copy of Unicode's word class costs
        // compile time in every process that meets a cookie notice.
        r"\b(?:(?:accept|agree|consent|zustimm|einverst|akzeptier|acept|accett|akceptuj|zgod|aceit|",
        r"datenschutz)\w*|opt[- ]?out|consenso|akkoord|toestemming|instellingen|einwilligung|",
        r"privacy policy|politique de confidentialité|política de privacidad)\b"
    ))
    .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// Button captions left behind when a banner's text is removed.
static BUTTON_RESIDUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:accept|ok|okay|got it|i agree|agree|read more|more info|learn more|",
        r"reject|decline|settings|cookie settings|privacy policy|akzeptieren|ablehnen|",
        r"einverstanden|mehr erfahren|mehr informationen|datenschutz|j'accepte|accepter|",
        r"refuser|en savoir plus|aceptar|rechazar|más información|leer más|accetto|accetta|",
        r"rifiuta|ulteriori informazioni|akceptuję|akceptuj|odrzuć|więcej|aceitar|",
        r"rejeitar|saiba mais|akkoord|accepteren|weigeren|meer informatie|close|x|×)",
        r"[\s.!]*)+$"
    ))
    .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// Words without which no rule below can match: a cheap gate before the regexes.
static HINTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "cook",
            "ciastecz",
            "traceur",
            "store and/or access",
            "our partners",
            "einverständnis",
            "navigation",
            "navegando",
            "navigazione",
            "navegar",
            "tracking technolog",
        ])
        .unwrap_or_else(|err| panic!("bad consent hints: {err}"))
});

/// Whether a text block is a cookie or consent banner.
pub fn is_banner_text(text: &str) -> bool {
    if text.len() > MAX_BANNER_CHARS * 4 {
        return false;
    }
    if !HINTS.is_match(text) {
        return false;
    }
    let lower = text.to_lowercase();
    if lower.chars().count() > MAX_BANNER_CHARS {
        return false;
    }
    if BANNER_PHRASES.is_match(&lower) {
        return true;
    }
    COOKIE_WORD.is_match(&lower) && READER_ADDRESS.is_match(&lower) && CONSENT_VERB.is_match(&lower)
}

/// Whether a short block is only banner button captions ("Accept Read More").
pub fn is_button_residue(text: &str) -> bool {
    text.len() < 80 && BUTTON_RESIDUE.is_match(&text.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners_in_many_languages_are_caught() {
        for text in [
            "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More",
            "Diese Website verwendet Cookies, um Ihnen ein optimales Nutzungserlebnis zu bieten. Wenn Sie die Website weiter nutzen, gehen wir von Ihrem Einverständnis aus.",
            "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site. En poursuivant votre navigation, vous acceptez leur utilisation.",
            "Este sitio web utiliza cookies para mejorar su experiencia. Si continúa navegando, acepta su uso.",
            "Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.",
            "Ta strona używa plików cookie. Korzystając ze strony wyrażasz zgodę na ich używanie.",
            "Este site utiliza cookies para melhorar a sua experiência.",
            "Deze website maakt gebruik van cookies om uw ervaring te verbeteren.",
            "By continuing to browse the site you are agreeing to our use of cookies.",
        ] {
            assert!(is_banner_text(text), "missed: {text}");
        }
    }

    #[test]
    fn news_about_cookies_is_kept() {
        for text in [
            "France's data regulator fined the publisher 250,000 euros for setting tracking cookies without users' consent, the court said on Tuesday.",
            "Preheat the oven and bake the chocolate chip cookies for twelve minutes, until golden.",
            "The EU's top court ruled that websites must obtain active consent before storing cookies, a decision that could reshape online advertising.",
            "Google said it would phase out third-party cookies in Chrome, a move advertisers have warned will hurt publishers.",
        ] {
            assert!(!is_banner_text(text), "removed: {text}");
        }
    }

    #[test]
    fn button_captions_are_residue() {
        assert!(is_button_residue("Accept Read More"));
        assert!(is_button_residue("OK"));
        assert!(!is_button_residue("Read more about the summit in Vilnius"));
    }
}
