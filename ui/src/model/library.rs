//! Bookmarks and history as the bookmarks bar, the bookmarks manager and the history page
//! show them. Times are Unix seconds; the shell passes "now" and the local UTC offset in,
//! so the UI reads no clock and tests are deterministic.

/// A bookmark or folder, as the profile identifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookmarkId(pub u64);

/// A bookmark (with a URL) or a folder (with children).
#[derive(Clone, Debug, PartialEq)]
pub struct BookmarkNode {
    /// Its id.
    pub id: BookmarkId,
    /// Its title.
    pub title: String,
    /// The URL of a bookmark; `None` for a folder.
    pub url: Option<String>,
    /// A folder's contents, in order.
    pub children: Vec<BookmarkNode>,
}

impl BookmarkNode {
    /// A bookmark.
    pub fn link(id: u64, title: impl Into<String>, url: impl Into<String>) -> BookmarkNode {
        BookmarkNode {
            id: BookmarkId(id),
            title: title.into(),
            url: Some(url.into()),
            children: Vec::new(),
        }
    }

    /// A folder.
    pub fn folder(id: u64, title: impl Into<String>, children: Vec<BookmarkNode>) -> BookmarkNode {
        BookmarkNode {
            id: BookmarkId(id),
            title: title.into(),
            url: None,
            children,
        }
    }

    /// Whether this is a folder.
    pub fn is_folder(&self) -> bool {
        self.url.is_none()
    }

    /// Find a node by id in this subtree.
    pub fn find(&self, id: BookmarkId) -> Option<&BookmarkNode> {
        if self.id == id {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(id))
    }

    /// The parent of `id` in this subtree and the index of `id` in it.
    pub fn parent_of(&self, id: BookmarkId) -> Option<(&BookmarkNode, usize)> {
        if let Some(i) = self.children.iter().position(|c| c.id == id) {
            return Some((self, i));
        }
        self.children.iter().find_map(|c| c.parent_of(id))
    }
}

/// What the bookmarks manager shows.
#[derive(Clone, Copy, Debug)]
pub struct BookmarksView<'a> {
    /// The top-level folders ("Bookmarks bar", "Other bookmarks").
    pub roots: &'a [BookmarkNode],
}

/// A history entry (one visit), as the profile identifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HistoryId(pub u64);

/// A visit.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// Its id.
    pub id: HistoryId,
    /// The page title.
    pub title: String,
    /// The URL.
    pub url: String,
    /// When, in Unix seconds.
    pub visited_at: i64,
}

/// What the history page shows.
#[derive(Clone, Copy, Debug)]
pub struct HistoryView<'a> {
    /// Visits, newest first.
    pub entries: &'a [HistoryEntry],
    /// Now, in Unix seconds.
    pub now: i64,
    /// The local time zone's offset from UTC in seconds.
    pub utc_offset_secs: i32,
}

/// The local day number (days since 1970-01-01) of a Unix time.
pub(crate) fn local_day(unix: i64, utc_offset_secs: i32) -> i64 {
    (unix + i64::from(utc_offset_secs)).div_euclid(86_400)
}

/// The local time of day "HH:MM" of a Unix time.
pub(crate) fn local_time(unix: i64, utc_offset_secs: i32) -> String {
    let secs = (unix + i64::from(utc_offset_secs)).rem_euclid(86_400);
    format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// The heading of a day of history: "Today", "Yesterday" or "Monday, 24 November 2025".
pub fn day_label(day: i64, today: i64) -> String {
    match today - day {
        0 => return "Today".into(),
        1 => return "Yesterday".into(),
        _ => {}
    }
    let (y, m, d) = civil_from_days(day);
    const WEEKDAYS: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let weekday = WEEKDAYS[day.rem_euclid(7) as usize];
    format!("{weekday}, {d} {} {y}", MONTHS[(m - 1) as usize])
}

/// Year, month (1..=12), day (1..=31) of a day number (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_labelled_like_a_calendar() {
        // 2025-11-24 00:00 UTC is day 20416, a Monday.
        assert_eq!(civil_from_days(20_416), (2025, 11, 24));
        assert_eq!(day_label(20_416, 20_416), "Today");
        assert_eq!(day_label(20_415, 20_416), "Yesterday");
        assert_eq!(day_label(20_416, 20_420), "Monday, 24 November 2025");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn local_day_and_time_follow_the_offset() {
        let t = 20_416 * 86_400 + 23 * 3600 + 30 * 60; // 23:30 UTC
        assert_eq!(local_day(t, 0), 20_416);
        assert_eq!(local_day(t, 3600), 20_417);
        assert_eq!(local_time(t, 3600), "00:30");
    }

    #[test]
    fn tree_lookup_finds_parents() {
        let root = BookmarkNode::folder(
            1,
            "Bar",
            vec![
                BookmarkNode::link(2, "A", "https://a.test"),
                BookmarkNode::folder(3, "F", vec![BookmarkNode::link(4, "B", "https://b.test")]),
            ],
        );
        assert_eq!(root.find(BookmarkId(4)).unwrap().title, "B");
        let (parent, index) = root.parent_of(BookmarkId(4)).unwrap();
        assert_eq!((parent.id, index), (BookmarkId(3), 0));
    }
}
