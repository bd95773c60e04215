//! An amount in words as an accountant writes it on a document: rubles in words with a
//! capital letter, kopecks in two digits («Сорок шесть тысяч восемьсот девять рублей
//! 90 копеек»).

use super::Money;
use super::lang::Lang;

const UNITS_MASCULINE: [&str; 10] = [
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];
const UNITS_FEMININE: [&str; 10] = [
    "",
    "одна",
    "две",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];
const TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];

/// The word for `n` of something, by the Russian rule: one, a few (2–4), many.
pub fn plural(n: u64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// Words of a number below a thousand, the units in the gender of what is counted.
fn below_thousand(n: u64, feminine: bool, out: &mut Vec<&'static str>) {
    let units = if feminine {
        &UNITS_FEMININE
    } else {
        &UNITS_MASCULINE
    };
    let (h, rest) = ((n / 100) as usize, n % 100);
    if h > 0 {
        out.push(HUNDREDS[h]);
    }
    if (10..20).contains(&rest) {
        out.push(TEENS[(rest - 10) as usize]);
        return;
    }
    let (t, u) = ((rest / 10) as usize, (rest % 10) as usize);
    if t > 0 {
        out.push(TENS[t]);
    }
    if u > 0 {
        out.push(units[u]);
    }
}

/// A whole number of rubles in words, lower case («сорок шесть тысяч восемьсот девять»).
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return "ноль".to_owned();
    }
    // (scale, feminine, one, few, many), from the largest.
    const SCALES: [(u64, bool, &str, &str, &str); 4] = [
        (
            1_000_000_000_000,
            false,
            "триллион",
            "триллиона",
            "триллионов",
        ),
        (1_000_000_000, false, "миллиард", "миллиарда", "миллиардов"),
        (1_000_000, false, "миллион", "миллиона", "миллионов"),
        (1_000, true, "тысяча", "тысячи", "тысяч"),
    ];
    let mut words = Vec::new();
    let mut rest = n;
    for (scale, feminine, one, few, many) in SCALES {
        let count = rest / scale;
        rest %= scale;
        if count > 0 {
            below_thousand(count, feminine, &mut words);
            words.push(plural(count, one, few, many));
        }
    }
    below_thousand(rest, false, &mut words);
    words.join(" ")
}

/// The amount in words, of its absolute value: «Сорок шесть тысяч восемьсот девять рублей
/// 90 копеек» (a negative amount is said by its line: «К удержанию»).
pub fn rubles_in_words(amount: Money) -> String {
    let kopecks = amount.kopecks().unsigned_abs();
    let (rubles, kop) = (kopecks / 100, kopecks % 100);
    let capital = capitalized(&number_in_words(rubles));
    format!(
        "{capital} {} {kop:02} {}",
        plural(rubles, "рубль", "рубля", "рублей"),
        plural(kop, "копейка", "копейки", "копеек")
    )
}

/// `words` with a capital first letter, as a sum in words begins.
fn capitalized(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A number in English words, lowercase: `10658` → «ten thousand six hundred fifty-eight».
pub fn number_in_english_words(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    const SCALES: [&str; 7] = [
        "",
        "thousand",
        "million",
        "billion",
        "trillion",
        "quadrillion",
        "quintillion",
    ];
    let below_thousand = |n: u64| -> String {
        let (hundreds, rest) = (n / 100, n % 100);
        let mut words = Vec::new();
        if hundreds > 0 {
            words.push(format!("{} hundred", ONES[hundreds as usize]));
        }
        match rest {
            0 => {}
            1..=19 => words.push(ONES[rest as usize].to_owned()),
            _ if rest % 10 == 0 => words.push(TENS[(rest / 10) as usize].to_owned()),
            _ => words.push(format!(
                "{}-{}",
                TENS[(rest / 10) as usize],
                ONES[(rest % 10) as usize]
            )),
        }
        words.join(" ")
    };
    if n == 0 {
        return ONES[0].to_owned();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    groups
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, group)| **group > 0)
        .map(|(scale, group)| match SCALES[scale] {
            "" => below_thousand(*group),
            name => format!("{} {name}", below_thousand(*group)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The amount in words in the document's language, of its absolute value: «Сорок шесть
/// тысяч восемьсот девять рублей 90 копеек», «Forty-six thousand eight hundred nine rubles
/// 90 kopecks».
pub fn amount_in_words(amount: Money, lang: Lang) -> String {
    if lang == Lang::Ru {
        return rubles_in_words(amount);
    }
    let kopecks = amount.kopecks().unsigned_abs();
    let (rubles, kop) = (kopecks / 100, kopecks % 100);
    let capital = capitalized(&number_in_english_words(rubles));
    let noun = |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    format!(
        "{capital} {} {kop:02} {}",
        noun(rubles, "ruble", "rubles"),
        noun(kop, "kopeck", "kopecks")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_english_words_read_as_an_english_document_writes_them() {
        let said = |kopecks| amount_in_words(Money::from_kopecks(kopecks), Lang::En);
        assert_eq!(
            said(1_065_867),
            "Ten thousand six hundred fifty-eight rubles 67 kopecks"
        );
        assert_eq!(said(101), "One ruble 01 kopeck");
        assert_eq!(said(1), "Zero rubles 01 kopeck");
        assert_eq!(said(100_000_000_000), "One billion rubles 00 kopecks");
        assert_eq!(
            said(4_680_990),
            "Forty-six thousand eight hundred nine rubles 90 kopecks"
        );
        assert_eq!(
            said(200_311_500),
            "Two million three thousand one hundred fifteen rubles 00 kopecks"
        );
        assert_eq!(said(-1_065_867), said(1_065_867), "of its absolute value");
        assert_eq!(
            amount_in_words(Money::from_kopecks(101), Lang::Ru),
            "Один рубль 01 копейка"
        );
    }

    /// The table of values, each checked by hand.
    #[test]
    fn amounts_in_words_read_as_an_accountant_writes_them() {
        let table = [
            (1, "Ноль рублей 01 копейка"),
            (100, "Один рубль 00 копеек"),
            (200, "Два рубля 00 копеек"),
            (500, "Пять рублей 00 копеек"),
            (1_100, "Одиннадцать рублей 00 копеек"),
            (1_200, "Двенадцать рублей 00 копеек"),
            (2_100, "Двадцать один рубль 00 копеек"),
            (2_200, "Двадцать два рубля 00 копеек"),
            (10_100, "Сто один рубль 00 копеек"),
            (11_100, "Сто одиннадцать рублей 00 копеек"),
            (100_000, "Одна тысяча рублей 00 копеек"),
            (200_000, "Две тысячи рублей 00 копеек"),
            (500_000, "Пять тысяч рублей 00 копеек"),
            (1_100_000, "Одиннадцать тысяч рублей 00 копеек"),
            (2_100_000, "Двадцать одна тысяча рублей 00 копеек"),
            (100_000_000, "Один миллион рублей 00 копеек"),
            (200_000_100, "Два миллиона один рубль 00 копеек"),
            (
                123_456_789,
                "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек",
            ),
            (
                4_680_990,
                "Сорок шесть тысяч восемьсот девять рублей 90 копеек",
            ),
            (22, "Ноль рублей 22 копейки"),
            (
                -4_680_990,
                "Сорок шесть тысяч восемьсот девять рублей 90 копеек",
            ),
        ];
        for (kopecks, words) in table {
            assert_eq!(
                rubles_in_words(Money::from_kopecks(kopecks)),
                words,
                "{kopecks}"
            );
        }
    }

    #[test]
    fn large_amounts_name_their_billions() {
        assert_eq!(
            number_in_words(999_999_999_999),
            "девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов \
             девятьсот девяносто девять тысяч девятьсот девяносто девять"
        );
        assert_eq!(number_in_words(1_000_000_000_000), "один триллион");
    }
}
