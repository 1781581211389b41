//! "Did you mean …?" for keys, column names and contract ids.

/// Edit distance (Levenshtein with adjacent transpositions).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo
/// (case and surrounding blanks are ignored when comparing).
/// Failing a typo, the one candidate that starts with `word` (`alpen` for
/// `alpen-kliniken`) is suggested.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.trim().to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let typo = candidates
        .iter()
        .map(|c| (distance(&w, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) || *d == 0)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c);
    typo.or_else(|| {
        let mut prefixed = candidates.iter().filter(|c| w.len() >= 2 && c.to_lowercase().starts_with(&w));
        match (prefixed.next(), prefixed.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    })
}

/// ` (did you mean "x"?)` or the empty string.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map(|c| format!(" (did you mean \"{c}\"?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let ids = ["acme", "beta", "globex"];
        assert_eq!(closest("acem", ids), Some("acme"));
        assert_eq!(closest("ACME", ids), Some("acme"));
        assert_eq!(closest("acme ", ids), Some("acme"));
        assert_eq!(closest("bta", ids), Some("beta"));
        assert_eq!(closest("zzzzzz", ids), None);
        assert_eq!(closest("glo", ids), Some("globex"));
        assert_eq!(closest("gl", ["globex", "glorious"]), None, "two share the prefix");
        assert_eq!(closest("overage_rte", ["overage_rate", "rate"]), Some("overage_rate"));
        assert_eq!(closest("minuts", ["date", "minutes"]), Some("minutes"));
    }
}
