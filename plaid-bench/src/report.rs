//! The table the benchmark prints.

use std::fmt::Write as _;

/// What a ratio must be to meet its goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// The ratio must not exceed this.
    AtMost(f64),
    /// The ratio must reach at least this.
    AtLeast(f64),
    /// Reported for comparison only.
    Report,
}

impl Goal {
    fn describe(self) -> String {
        match self {
            Self::AtMost(limit) => format!("≤ {limit}"),
            Self::AtLeast(limit) => format!("≥ {limit}"),
            Self::Report => "reported".into(),
        }
    }

    /// Whether `ratio` meets the goal (`None` for [`Goal::Report`]).
    pub fn met_by(self, ratio: f64) -> Option<bool> {
        match self {
            Self::AtMost(limit) => Some(ratio <= limit),
            Self::AtLeast(limit) => Some(ratio >= limit),
            Self::Report => None,
        }
    }
}

/// One line of the table: a figure for our code, its floor, and their ratio.
#[derive(Debug, Clone)]
pub struct Row {
    /// What is measured.
    pub figure: String,
    /// Our code's median, formatted with its unit.
    pub ours: String,
    /// The floor's median (or the reference), formatted with its unit.
    pub floor: String,
    /// How the ratio is formed, e.g. `ours / floor`.
    pub ratio_of: &'static str,
    /// The ratio of the medians.
    pub ratio: f64,
    /// What the ratio must be.
    pub goal: Goal,
}

impl Row {
    /// "met", "MISSED" or "-".
    pub fn verdict(&self) -> &'static str {
        match self.goal.met_by(self.ratio) {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "-",
        }
    }
}

/// The rows as a Markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| figure | ours (median) | floor (median) | ratio | goal | verdict |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2} ({}) | {} | {} |",
            row.figure,
            row.ours,
            row.floor,
            row.ratio,
            row.ratio_of,
            row.goal.describe(),
            row.verdict()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ratio: f64, goal: Goal) -> Row {
        Row {
            figure: "f".into(),
            ours: "1 s".into(),
            floor: "2 s".into(),
            ratio_of: "ours / floor",
            ratio,
            goal,
        }
    }

    #[test]
    fn verdicts_follow_the_goal() {
        assert_eq!(row(1.05, Goal::AtMost(1.1)).verdict(), "met");
        assert_eq!(row(1.15, Goal::AtMost(1.1)).verdict(), "MISSED");
        assert_eq!(row(0.95, Goal::AtLeast(1.0)).verdict(), "MISSED");
        assert_eq!(row(3.0, Goal::Report).verdict(), "-");
    }

    #[test]
    fn table_has_a_line_per_row() {
        let text = table(&[row(0.5, Goal::AtLeast(0.5)), row(2.0, Goal::AtMost(2.0))]);
        assert_eq!(text.lines().count(), 4);
        assert!(
            text.contains("| 0.50 (ours / floor) | ≥ 0.5 | met |"),
            "{text}"
        );
    }
}
