//! Worklog comments as one line of plain text: a Jira REST v3 comment in
//! Atlassian Document Format (a tree of nodes) or a v2/Tempo plain string,
//! flattened so that it fits a time-log `note` cell (SPEC §2.3, §11).

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::read::table::MAX_FIELD_BYTES;

/// A worklog's `comment`: plain text (v2, Tempo), a document (v3) or none.
#[derive(Debug, Default)]
pub enum Comment {
    #[default]
    None,
    Text(String),
    Doc(Node),
}

impl<'de> Deserialize<'de> for Comment {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Comment, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Comment;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a comment (a string or an Atlassian Document Format object)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Comment, E> {
                Ok(Comment::Text(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Comment, E> {
                Ok(Comment::Text(s))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Comment, E> {
                Ok(Comment::None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Comment, E> {
                Ok(Comment::None)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Comment, A::Error> {
                Node::deserialize(de::value::MapAccessDeserializer::new(map)).map(Comment::Doc)
            }
        }
        d.deserialize_any(V)
    }
}

/// One node of an Atlassian Document Format tree. Only what text is made
/// of is kept; other attributes and marks are skipped.
#[derive(Debug, Default, Deserialize)]
pub struct Node {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub content: Option<Vec<Node>>,
    #[serde(default)]
    pub attrs: Option<Attrs>,
}

/// The attributes that carry text in inline nodes (mention, emoji, status,
/// inline card); any other attribute, of any type, is skipped.
#[derive(Debug, Default, Deserialize)]
pub struct Attrs {
    #[serde(default)]
    pub text: AnyText,
    #[serde(default, rename = "shortName")]
    pub short_name: AnyText,
    #[serde(default)]
    pub url: AnyText,
}

/// A string attribute, or nothing when it holds another kind of value.
#[derive(Debug, Default)]
pub struct AnyText(pub Option<String>);

impl<'de> Deserialize<'de> for AnyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<AnyText, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<AnyText, E> {
                Ok(AnyText(Some(s.to_string())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnyText, E> {
                Ok(AnyText(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyText, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(AnyText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyText, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyText(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Node types that flow within a line of text; every other node (paragraph,
/// heading, list item, table cell, code block, …) is a block, set apart from
/// its neighbours by a space.
const INLINE: &[&str] = &["text", "mention", "emoji", "inlineCard", "date", "status", "placeholder", "mediaInline"];

impl Comment {
    /// The comment as raw text, blocks and line breaks still in it.
    pub fn raw_text(&self) -> String {
        match self {
            Comment::None => String::new(),
            Comment::Text(s) => s.clone(),
            Comment::Doc(n) => {
                let mut out = String::new();
                n.flatten(&mut out);
                out
            }
        }
    }
}

impl Node {
    fn flatten(&self, out: &mut String) {
        let kind = self.kind.as_deref().unwrap_or("");
        let inline = INLINE.contains(&kind);
        if kind == "hardBreak" || !inline {
            out.push(' ');
        }
        if let Some(t) = &self.text {
            out.push_str(t);
        } else if let Some(a) = &self.attrs
            && inline
            && let Some(t) = a.text.0.as_ref().or(a.short_name.0.as_ref()).or(a.url.0.as_ref())
        {
            out.push_str(t);
        }
        for c in self.content.iter().flatten() {
            c.flatten(out);
        }
        if !inline {
            out.push(' ');
        }
    }
}

/// Text for one CSV cell of the time log: every run of whitespace and
/// control characters (line breaks, tabs, NUL, …) becomes one space, the
/// ends are trimmed; text longer than the longest cell the time log reads
/// is cut at a character boundary and ends with `…`. Returns whether it was
/// cut.
pub fn one_line(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len().min(MAX_FIELD_BYTES));
    let mut space = false;
    for c in raw.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if out.len() <= MAX_FIELD_BYTES {
        return (out, false);
    }
    let mut end = MAX_FIELD_BYTES - '…'.len_utf8();
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out.truncate(out.trim_end().len());
    out.push('…');
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(json: &str) -> String {
        let c: Comment = serde_json::from_str(json).unwrap();
        one_line(&c.raw_text()).0
    }

    #[test]
    fn documents_become_one_line() {
        assert_eq!(
            flat(
                r#"{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"text":"I did some work here. 3","type":"text"}]}]}"#
            ),
            "I did some work here. 3"
        );
        // Two paragraphs, a hard break, marks splitting a word, a list, a mention.
        let doc = r#"{"type":"doc","content":[
            {"type":"paragraph","content":[{"type":"text","text":"Fixed "},{"type":"text","text":"perm","marks":[{"type":"strong"}]},{"type":"text","text":"issions"},{"type":"hardBreak"},{"type":"text","text":"for"},{"type":"mention","attrs":{"id":"x","text":"@Anna"}}]},
            {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]},{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]}]},
            {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Done"},{"type":"emoji","attrs":{"shortName":":tada:","id":1}}]},
            {"type":"codeBlock","content":[{"type":"text","text":"a\n\tb"}]},
            {"type":"rule"}
        ]}"#;
        assert_eq!(flat(doc), "Fixed permissions for@Anna one two Done:tada: a b");
    }

    #[test]
    fn plain_text_loses_its_line_breaks_and_control_characters() {
        assert_eq!(
            flat("\"修复数据库结构变更.\\n\\n* 事务重开次数\\n* bugs数\""),
            "修复数据库结构变更. * 事务重开次数 * bugs数"
        );
        assert_eq!(flat("\"  a\\r\\n\\u0000b\\u001b  c\\u2028d  \""), "a b c d");
        assert_eq!(flat("null"), "");
        assert_eq!(flat("{}"), "");
    }

    #[test]
    fn long_text_is_cut_to_a_cell_the_time_log_reads() {
        let (s, cut) = one_line(&"ä".repeat(MAX_FIELD_BYTES));
        assert!(cut);
        assert!(s.len() <= MAX_FIELD_BYTES && s.ends_with('…'), "{}", s.len());
        let (s, cut) = one_line(&"a".repeat(MAX_FIELD_BYTES));
        assert!(!cut);
        assert_eq!(s.len(), MAX_FIELD_BYTES);
    }

    #[test]
    fn other_kinds_of_comment_are_refused() {
        assert!(serde_json::from_str::<Comment>("5").is_err());
        assert!(serde_json::from_str::<Comment>("[\"a\"]").is_err());
        assert!(serde_json::from_str::<Comment>(r#"{"content": 5}"#).is_err());
        assert!(serde_json::from_str::<Comment>(r#"{"content": [{"text": 5}]}"#).is_err());
    }
}
