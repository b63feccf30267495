//! Key actors: the people and organizations of `config/actors.toml` that an
//! article names, with how often.
//!
//! A curated list rather than named-entity recognition: analysts filter on
//! "Putin" and "NATO", and a list says exactly which names are known and how
//! they are spelled in each language. Case matters where the list says so
//! ("Trump", not "trump"; "UN", not the French "un").

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::phrases::{self, PhraseIndex, Tokens};

/// The list shipped with newsworker.
pub const BUILT_IN: &str = include_str!("../../../config/actors.toml");

/// The kinds an organization may have.
const KINDS: &[&str] = &[
    "military_alliance",
    "political_union",
    "intergovernmental",
    "forum",
    "court",
    "cartel",
    "armed_group",
];

/// Why an actors file could not be loaded.
#[derive(Debug, Error)]
pub enum ActorsError {
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: String,
    #[serde(default)]
    person: Vec<PersonEntry>,
    #[serde(default)]
    organization: Vec<OrganizationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    name: String,
    country: String,
    role: String,
    /// Holds an office of an international body (UN, NATO, EU): `country`
    /// is their nationality, not a state the article refers to.
    #[serde(default)]
    international: bool,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationEntry {
    name: String,
    kind: String,
    terms: Vec<String>,
}

/// A person the article names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonMention {
    pub name: String,
    /// ISO 3166-1 alpha-2 of the country they lead or come from.
    pub country: String,
    pub role: String,
    pub mentions: u32,
    /// Holds an office of their country (not of an international body):
    /// naming them refers to that state ("Trump said" is the US).
    #[serde(skip)]
    pub holds_state_office: bool,
    /// The token of their first mention ([`Tokens`] index): a leader named
    /// only far down the article is named in passing.
    #[serde(skip)]
    pub first_token: usize,
}

/// An organization the article names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMention {
    pub name: String,
    pub kind: String,
    pub mentions: u32,
}

enum Actor {
    Person(usize),
    Organization(usize),
}

/// How a listed spelling must be written in the text.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    Any,
    Capitalized,
    AllCaps,
}

struct Pattern {
    actor: Actor,
    case: Case,
}

/// The compiled list, built once at start-up.
pub struct Actors {
    version: String,
    people: Vec<PersonEntry>,
    organizations: Vec<OrganizationEntry>,
    patterns: Vec<Pattern>,
    index: PhraseIndex,
}

impl Actors {
    pub fn built_in() -> Result<Actors, ActorsError> {
        Actors::parse(BUILT_IN, "config/actors.toml")
    }

    /// Parses and validates an actors file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Actors, ActorsError> {
        let invalid = |message: String| ActorsError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        // toml's message names the line and column.
        let file: File = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut patterns = Vec::new();
        let mut phrases = Vec::new();
        let mut names = HashSet::new();
        for (i, p) in file.person.iter().enumerate() {
            if p.name.trim().is_empty() || p.role.trim().is_empty() {
                return Err(invalid(format!("person #{}: empty name or role", i + 1)));
            }
            if p.country.len() != 2 || !p.country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid(format!(
                    "person {:?}: country {:?} is not an ISO 3166-1 alpha-2 code",
                    p.name, p.country
                )));
            }
            if !names.insert(p.name.clone()) {
                return Err(invalid(format!("person {:?} is listed twice", p.name)));
            }
        }
        for (i, o) in file.organization.iter().enumerate() {
            if o.name.trim().is_empty() {
                return Err(invalid(format!("organization #{}: empty name", i + 1)));
            }
            if !KINDS.contains(&o.kind.as_str()) {
                return Err(invalid(format!(
                    "organization {:?}: kind {:?} is not one of {}",
                    o.name,
                    o.kind,
                    KINDS.join(", ")
                )));
            }
            if !names.insert(o.name.clone()) {
                return Err(invalid(format!(
                    "organization {:?} is listed twice",
                    o.name
                )));
            }
        }
        let people = file
            .person
            .iter()
            .enumerate()
            .map(|(i, p)| (Actor::Person(i), p.name.as_str(), &p.terms));
        let organizations = file
            .organization
            .iter()
            .enumerate()
            .map(|(i, o)| (Actor::Organization(i), o.name.as_str(), &o.terms));
        for (actor, name, terms) in people.chain(organizations) {
            if terms.is_empty() {
                return Err(invalid(format!("{name:?} has no terms")));
            }
            let mut phrases_of_actor = Vec::new();
            for term in terms {
                let phrase = parse_term(term).map_err(|m| invalid(format!("{name:?}: {m}")))?;
                phrases_of_actor.push((phrase, case_of(term)));
            }
            for (phrase, case) in phrases_of_actor {
                phrases.push(phrase);
                patterns.push(Pattern {
                    actor: match actor {
                        Actor::Person(i) => Actor::Person(i),
                        Actor::Organization(i) => Actor::Organization(i),
                    },
                    case,
                });
            }
        }
        Ok(Actors {
            version: file.version,
            people: file.person,
            organizations: file.organization,
            patterns,
            index: PhraseIndex::build(phrases),
        })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The people and organizations named, most mentioned first.
    pub fn find_in(&self, tokens: &Tokens) -> (Vec<PersonMention>, Vec<OrganizationMention>) {
        let mut found = self.index.find_all(tokens);
        // Longest first, so "UN Security Council" is not also "UN".
        found.sort_by_key(|&(_, start, end)| (start, std::cmp::Reverse(end)));
        let mut people = vec![0u32; self.people.len()];
        let mut first_token = vec![usize::MAX; self.people.len()];
        let mut organizations = vec![0u32; self.organizations.len()];
        let mut covered_until = 0;
        for (id, start, end) in found {
            let pattern = &self.patterns[id];
            let token = &tokens[start];
            let case_ok = match pattern.case {
                Case::Any => true,
                Case::Capitalized => token.capitalized,
                Case::AllCaps => token.all_caps,
            };
            if start < covered_until || !case_ok {
                continue;
            }
            covered_until = end;
            match pattern.actor {
                Actor::Person(i) => {
                    people[i] += 1;
                    first_token[i] = first_token[i].min(start);
                }
                Actor::Organization(i) => organizations[i] += 1,
            }
        }
        let mut people: Vec<PersonMention> = people
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(i, mentions)| {
                let p = &self.people[i];
                PersonMention {
                    name: p.name.clone(),
                    country: p.country.clone(),
                    role: p.role.clone(),
                    mentions,
                    holds_state_office: !p.international,
                    first_token: first_token[i],
                }
            })
            .collect();
        people.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        let mut organizations: Vec<OrganizationMention> = organizations
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(i, mentions)| {
                let o = &self.organizations[i];
                OrganizationMention {
                    name: o.name.clone(),
                    kind: o.kind.clone(),
                    mentions,
                }
            })
            .collect();
        organizations.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        (people, organizations)
    }
}

/// "UN" must be written in capitals, "Putin" with one; "путин*" any way.
fn case_of(term: &str) -> Case {
    let letters: Vec<char> = term.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && !term.contains(' ') && letters.iter().all(|c| c.is_uppercase()) {
        Case::AllCaps
    } else if term.chars().next().is_some_and(char::is_uppercase) {
        Case::Capitalized
    } else {
        Case::Any
    }
}

fn parse_term(term: &str) -> Result<Vec<phrases::PhraseWord>, String> {
    if term.trim() != term || term.is_empty() {
        return Err(format!("term {term:?} is empty or has surrounding spaces"));
    }
    let mut words = Vec::new();
    for w in term.split(' ') {
        let stem = w.ends_with('*');
        let text = w.trim_end_matches('*');
        if text.is_empty() || (stem && text.chars().count() < 3) {
            return Err(format!("term {term:?} has an empty or too short word"));
        }
        words.push((text.to_lowercase(), stem));
    }
    let phrase = phrases::phrase(words);
    if phrase.is_empty() {
        return Err(format!("term {term:?} has no letters or digits"));
    }
    Ok(phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> (Vec<String>, Vec<String>) {
        let actors = Actors::built_in().unwrap();
        let (p, o) = actors.find_in(&Tokens::new("", text));
        (
            p.into_iter()
                .map(|p| format!("{}x{}", p.name, p.mentions))
                .collect(),
            o.into_iter()
                .map(|o| format!("{}x{}", o.name, o.mentions))
                .collect(),
        )
    }

    #[test]
    fn people_and_organizations_in_several_languages() {
        let (people, orgs) = names(
            "Putin warned NATO. Selenskyj traf Scholz in Berlin; Zełenski rozmawiał z Tuskiem. \
             The UN Security Council and the IAEA met; l'OTAN et l'Union européenne aussi.",
        );
        assert_eq!(
            people,
            [
                "Volodymyr Zelenskyx2",
                "Donald Tuskx1",
                "Olaf Scholzx1",
                "Vladimir Putinx1",
            ]
        );
        assert_eq!(
            orgs,
            [
                "NATOx2",
                "European Unionx1",
                "IAEAx1",
                "UN Security Councilx1"
            ]
        );
    }

    #[test]
    fn case_keeps_common_words_out() {
        // French "un", the card game's "trump", a lower-case "hamas" typo-free.
        let (people, orgs) = names("Il a joué un atout: trump card. Un homme est venu.");
        assert!(people.is_empty(), "{people:?}");
        assert!(orgs.is_empty(), "{orgs:?}");
        // Surnames that are common names need the first name.
        let (people, _) = names("Johnson and May met Harris in Austin.");
        assert!(people.is_empty(), "{people:?}");
    }

    #[test]
    fn a_broken_file_names_the_problem() {
        let bad_kind =
            "version = \"x\"\n[[organization]]\nname = \"X\"\nkind = \"club\"\nterms = [\"X\"]\n";
        let err = Actors::parse(bad_kind, "a.toml").err().unwrap().to_string();
        assert!(err.contains("kind \"club\""), "{err}");
        let bad_country = "version = \"x\"\n[[person]]\nname = \"X\"\ncountry = \"usa\"\nrole = \"r\"\nterms = [\"X\"]\n";
        let err = Actors::parse(bad_country, "a.toml")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("ISO 3166-1"), "{err}");
        let unknown_key = "version = \"x\"\n[[person]]\nname = \"X\"\nnation = \"US\"\n";
        let err = Actors::parse(unknown_key, "a.toml")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("line 4"), "{err}");
    }
}
