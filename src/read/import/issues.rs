//! `import --issues FILE`: a CSV with the columns `id,key` that maps the
//! `issueId` of plain Jira REST worklogs to their issue keys (SPEC §11).
//! Read like the ledger's CSV files: header by name, editor line numbers.

use std::collections::HashMap;

use super::valid_issue_key;
use crate::read::problem::Problems;
use crate::read::table::{self, Column};

/// Issue id → key. Problems go to `problems`, named by `file`.
pub fn read(file: &str, data: &[u8], problems: &mut Problems) -> HashMap<String, String> {
    let cols = [Column { name: "id", required: true }, Column { name: "key", required: true }];
    let mut map: HashMap<String, String> = HashMap::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    table::read_rows(file, data, &cols, problems, |r| {
        let (id, key) = (r.get(0).trim(), r.get(1).trim());
        if id.is_empty() {
            return Err("id: is empty".into());
        }
        if !valid_issue_key(key) {
            return Err(format!("key: \"{key}\" is not an issue key (such as SD-123)"));
        }
        match map.get(id) {
            Some(k) if k != key => {
                let at = first_line.get(id).copied().unwrap_or(0);
                Err(format!("id: {id} is already the issue {k} at line {at}"))
            }
            Some(_) => Ok(()),
            None => {
                map.insert(id.to_string(), key.to_string());
                first_line.insert(id.to_string(), r.line());
                Ok(())
            }
        }
    });
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(data: &str) -> (HashMap<String, String>, Vec<String>) {
        let mut p = Problems::default();
        let m = read("issues.csv", data.as_bytes(), &mut p);
        (m, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn maps_ids_to_keys() {
        let (m, errs) = read_str("\u{feff}key,id,summary\r\nSD-1,10030,x\r\nSD-2,10002,y\r\nSD-2,10002,again\r\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(m.get("10030").map(String::as_str), Some("SD-1"));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn problems_at_their_lines() {
        let (_, errs) = read_str("id,key\n1,SD-1\n2,sd\n1,SD-9\n,SD-3\n");
        assert_eq!(
            errs,
            [
                "issues.csv:3: key: \"sd\" is not an issue key (such as SD-123)",
                "issues.csv:4: id: 1 is already the issue SD-1 at line 2",
                "issues.csv:5: id: is empty",
            ]
        );
        let (_, errs) = read_str("id,issue\n1,SD-1\n");
        assert_eq!(errs, ["issues.csv:1: header has no column \"key\""]);
    }
}
