//! Properties of scripts that matching depends on, in one place: the
//! tokenizer, the terms and names, and `build.rs` (which includes this
//! file to write the subdivision names as the gazetteer reads words) must
//! agree on them.

/// Marks a word may carry or not, dropped from words so that both
/// spellings match: the combining dot above that Turkish "İ" lower-cases
/// to ("İzmir" to "i̇zmir", which would also split the word), and Arabic's
/// short vowels, shadda and tatweel, which dictionaries write ("تركيّا")
/// and news mostly does not ("تركيا").
pub fn is_optional_mark(c: char) -> bool {
    matches!(c, '\u{307}' | '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{640}')
}

/// Characters of scripts written without spaces between words: Han
/// ideographs and hiragana. (A run of katakana is one loanword, "タイトル"
/// not "タイ" + "トル", so it stays a word; Hangul spaces its words.)
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{309F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}')
}

/// Characters that are a syllable or a word each (Hangul syllables, kana,
/// Han): a name of two of them is a name (미국, 日本), where two letters of
/// an alphabet are a code.
pub fn is_syllabic(c: char) -> bool {
    is_unspaced(c) || matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{30A0}'..='\u{30FF}')
}

/// `char::is_alphanumeric`, with the blocks most news is written in
/// answered by their ranges: the standard library searches a table for
/// every character beyond ASCII, which was a tenth of building a
/// language's names (every Cyrillic, Arabic, Hangul or Han letter of
/// every name) and shows in tokenizing each article. A test checks it
/// against the standard library for every character.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        // Latin-1 letters but the multiplication and division signs,
        // Latin Extended-A and -B.
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        // Greek and Coptic letters, Cyrillic's letters.
        '\u{386}' | '\u{388}'..='\u{3CE}' | '\u{400}'..='\u{481}' => {
            c != '\u{38B}' && c != '\u{38D}' && c != '\u{3A2}'
        }
        // Arabic letters, Hangul syllables, CJK ideographs.
        '\u{621}'..='\u{64A}' | '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FEF}' => true,
        _ => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_are_the_standard_librarys_alphanumerics() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }
}
