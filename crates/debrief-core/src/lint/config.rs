//! Review configuration: the `[lint]` table of `.debrief.toml`.
//!
//! ```toml
//! [lint]
//! disable = ["timeline-gap"]            # rules to turn off
//! enable = []                           # rules to turn back on (wins over disable)
//! required-sections = ["summary", "impact", "timeline", "root-cause", "resolution",
//!                      "action-items", "lessons"]
//! timeline-gap-minutes = 60
//!
//! [lint.severity]                       # error, warning, info or off
//! blame-language = "error"
//!
//! [lint.required-sections-by-severity]  # replaces required-sections for that severity
//! SEV3 = ["summary", "timeline", "action-items"]
//! ```
//!
//! Finding the file (walking up from a postmortem) is the caller's business: this module only
//! reads text, so the server and the CLI share it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use super::{Rule, Severity};

/// A section a postmortem may be required to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Summary,
    Impact,
    Timeline,
    RootCause,
    Resolution,
    ActionItems,
    Lessons,
    Detection,
    Trigger,
}

impl Required {
    pub const ALL: [Required; 9] = [
        Required::Summary,
        Required::Impact,
        Required::Timeline,
        Required::RootCause,
        Required::Resolution,
        Required::ActionItems,
        Required::Lessons,
        Required::Detection,
        Required::Trigger,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Required::Summary => "summary",
            Required::Impact => "impact",
            Required::Timeline => "timeline",
            Required::RootCause => "root-cause",
            Required::Resolution => "resolution",
            Required::ActionItems => "action-items",
            Required::Lessons => "lessons",
            Required::Detection => "detection",
            Required::Trigger => "trigger",
        }
    }

    pub fn from_id(s: &str) -> Option<Required> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let s = match s.as_str() {
            "contributing-factors" | "root-causes" | "cause" | "causes" => "root-cause",
            "action-item" | "actions" | "follow-ups" => "action-items",
            "lessons-learned" => "lessons",
            "resolution-and-recovery" | "remediation" => "resolution",
            other => other,
        };
        Required::ALL.into_iter().find(|r| r.id() == s)
    }

    /// The default set: what the Google SRE, Atlassian and PagerDuty templates all have.
    pub const DEFAULT: [Required; 7] = [
        Required::Summary,
        Required::Impact,
        Required::Timeline,
        Required::RootCause,
        Required::Resolution,
        Required::ActionItems,
        Required::Lessons,
    ];
}

/// What the rules may be configured with.
#[derive(Debug, Clone)]
pub struct Config {
    severities: HashMap<Rule, Option<Severity>>,
    pub required: Vec<Required>,
    /// Keyed by [`severity_key`].
    pub required_by_severity: HashMap<String, Vec<Required>>,
    pub gap_minutes: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            severities: HashMap::new(),
            required: Required::DEFAULT.to_vec(),
            required_by_severity: HashMap::new(),
            gap_minutes: 60,
        }
    }
}

/// `SEV-1`, `sev1`, `Sev 1` all name the same severity.
pub fn severity_key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase()
}

impl Config {
    /// The severity a rule reports at, `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.severities.get(&rule) {
            Some(s) => *s,
            None => Some(rule.default_severity()),
        }
    }

    /// Turns a rule off (`None`) or sets its severity.
    pub fn set(&mut self, rule: Rule, severity: Option<Severity>) {
        self.severities.insert(rule, severity);
    }

    /// The sections required of a postmortem of this severity.
    pub fn required_for(&self, severity: Option<&str>) -> &[Required] {
        severity
            .and_then(|s| self.required_by_severity.get(&severity_key(s)))
            .unwrap_or(&self.required)
    }

    /// Reads the `[lint]` table of a `.debrief.toml`. Other top-level tables are left to the
    /// components they belong to.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut cfg = Config::default();
        let Some(lint) = file.lint else {
            return Ok(cfg);
        };
        let rule = |name: &str| {
            Rule::from_id(name).ok_or_else(|| ConfigError {
                line: locate(text, name),
                message: format!("unknown rule `{name}`; the rules are: {}", Rule::ids()),
            })
        };
        let sections = |names: &[String]| -> Result<Vec<Required>, ConfigError> {
            names
                .iter()
                .map(|n| {
                    Required::from_id(n).ok_or_else(|| ConfigError {
                        line: locate(text, n),
                        message: format!(
                            "unknown section `{n}`; the sections are: {}",
                            Required::ALL.map(Required::id).join(", ")
                        ),
                    })
                })
                .collect()
        };
        for name in &lint.disable {
            cfg.set(rule(name)?, None);
        }
        for (name, level) in &lint.severity {
            let r = rule(name)?;
            let s = match level.as_str() {
                "off" | "none" | "disabled" => None,
                other => Some(Severity::from_name(other).ok_or_else(|| ConfigError {
                    line: locate(text, name),
                    message: format!(
                        "`{name} = \"{other}\"`: a severity is error, warning, info or off"
                    ),
                })?),
            };
            cfg.set(r, s);
        }
        for name in &lint.enable {
            let r = rule(name)?;
            if cfg.severity(r).is_none() {
                cfg.set(r, Some(r.default_severity()));
            }
        }
        if let Some(req) = &lint.required_sections {
            cfg.required = sections(req)?;
        }
        for (sev, req) in &lint.required_sections_by_severity {
            cfg.required_by_severity
                .insert(severity_key(sev), sections(req)?);
        }
        if let Some(m) = lint.timeline_gap_minutes {
            if m == 0 {
                return Err(ConfigError {
                    line: locate(text, "timeline-gap-minutes"),
                    message: "timeline-gap-minutes must be at least 1".into(),
                });
            }
            cfg.gap_minutes = i64::from(m);
        }
        Ok(cfg)
    }
}

#[derive(Deserialize)]
struct File {
    lint: Option<Lint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Lint {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    required_sections: Option<Vec<String>>,
    #[serde(default)]
    required_sections_by_severity: BTreeMap<String, Vec<String>>,
    timeline_gap_minutes: Option<u32>,
}

/// What is wrong with a configuration file, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn locate(text: &str, word: &str) -> Option<usize> {
    text.find(word).map(|i| line_of(text, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_severities_and_sections() {
        let cfg = Config::from_toml(
            "[lint]\ndisable = [\"timeline-gap\"]\nrequired-sections = [\"summary\", \"Action Items\"]\ntimeline-gap-minutes = 30\n[lint.severity]\nblame-language = \"error\"\nvague-action = \"off\"\n[lint.required-sections-by-severity]\n\"SEV-1\" = [\"lessons\"]\n[server]\nbind = \"x\"\n",
        )
        .unwrap();
        assert_eq!(cfg.severity(Rule::TimelineGap), None);
        assert_eq!(cfg.severity(Rule::VagueAction), None);
        assert_eq!(cfg.severity(Rule::BlameLanguage), Some(Severity::Error));
        assert_eq!(cfg.severity(Rule::TimelineOrder), Some(Severity::Error));
        assert_eq!(cfg.required, vec![Required::Summary, Required::ActionItems]);
        assert_eq!(cfg.required_for(Some("sev1")), &[Required::Lessons]);
        assert_eq!(cfg.required_for(Some("SEV2")), cfg.required.as_slice());
        assert_eq!(cfg.gap_minutes, 30);
    }

    #[test]
    fn errors_name_the_line_and_what_is_allowed() {
        let e = Config::from_toml("[lint]\n\ndisable = [\"blame\"]\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("unknown rule `blame`"), "{e}");
        assert!(e.message.contains("blame-language"), "{e}");
        let e = Config::from_toml("[lint]\ndisabel = []\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::from_toml("[lint.severity]\nvague-action = \"loud\"\n").unwrap_err();
        assert!(e.to_string().contains("error, warning, info or off"), "{e}");
        let e = Config::from_toml("[lint\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
