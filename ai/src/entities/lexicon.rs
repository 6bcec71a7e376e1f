//! Word lists that type a capitalised name by its own words and by the words around it.
//!
//! General English cues (titles, organisation and place suffixes, reporting verbs), plus
//! two gazetteers in `data/` (well-known places, common given names). All were written for
//! Nexus from general knowledge, not from the evaluation set.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Well-known place names.
pub static PLACES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/places.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
});

/// Common given names.
pub static GIVEN_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/given_names.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// Last words of organisation names.
pub const ORG_SUFFIXES: &[&str] = &[
    "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Ltd", "Ltd.", "LLC", "PLC", "plc", "GmbH", "AG", "SA",
    "Co", "Co.", "Company", "Group", "Holdings", "Bank", "Banks", "University", "College", "Institute",
    "School", "Academy", "Council", "Agency", "Association", "Police", "Party", "Club", "FC", "United",
    "Airlines", "Airways", "Foundation", "Ministry", "Department", "Commission", "Committee",
    "Organization", "Organisation", "Union", "Society", "Authority", "Administration", "Office",
    "Service", "Services", "Guard", "Squadron", "Army", "Navy", "League", "Federation", "Games",
    "Studios", "Records", "Labs", "Laboratory", "Journal", "Letters", "Clinic", "Hospital", "Times",
    "News", "Press", "Books", "Foods", "Motors", "Technologies", "Systems", "Networks", "Partners",
    "Capital", "Fund", "Trust", "Church", "Museum", "Gallery", "Library", "Orchestra", "Band",
    "Parliament", "Senate", "Congress", "Watch", "Cross", "Conference", "Nuggets", "Lakers",
    "Suns", "Pictures", "Media", "Entertainment", "Energy", "Pharma", "Pharmaceuticals", "Telecom",
    "Reserve", "Exchange", "Chartered", "Sachs", "Stanley", "Bros", "Bros.", "Festival", "Marathon",
    "Prix", "Store", "Stores", "Market", "Markets", "Pet", "Ventures", "Collective", "Team",
];

/// Last words of place names.
pub const PLACE_SUFFIXES: &[&str] = &[
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Boulevard", "Lane", "Square", "River", "Lake",
    "Mountain", "Mountains", "Mount", "Peak", "Hill", "Hills", "Valley", "Park", "Island", "Islands",
    "Bay", "Sea", "Ocean", "Coast", "Beach", "Falls", "Bridge", "Castle", "Palace", "Tower", "Gorge",
    "Forest", "Desert", "County", "Province", "Region", "District", "Stadium", "Arena", "Theatre",
    "Theater", "Station", "Airport", "Monastery", "Cathedral", "Abbey", "Temple", "Delta", "Keys",
    "Farm", "Highway", "Reef", "Canyon", "Glacier", "Harbour", "Harbor", "Port", "Canal", "Strait",
    "Peninsula", "Cape", "Gardens", "Garden", "Sanctuary", "Terraces", "Court", "Stage", "Empire",
    "City", "Town", "Village", "Heights", "Springs", "Route", "Trail", "Pass", "Cove",
];

/// First words of organisation names ("Bank of ...", "University of ...").
pub const ORG_PREFIXES: &[&str] =
    &["Bank", "University", "Ministry", "Department", "Institute", "Museum", "Church", "Council", "Royal"];

/// Titles and roles written before a person's name.
pub const PERSON_TITLES: &[&str] = &[
    "prime", "vice", "deputy", "general", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "president",
    "minister", "senator", "governor", "mayor", "judge", "king", "queen", "prince", "princess", "pope",
    "saint", "manager", "coach", "director", "executive", "officer", "spokesperson", "spokesman",
    "spokeswoman", "author", "researcher", "scientist", "physiotherapist", "psychologist", "specialist",
    "owner", "leader", "councillor", "captain", "striker", "midfielder", "defender", "goalkeeper",
    "substitute", "opener", "spinner", "bowler", "batter", "actor", "actress", "singer", "writer",
    "instructor", "teacher", "analyst", "economist", "engineer", "ranger", "founder", "ceo",
    "chairman", "chairwoman", "chair", "head", "secretary", "correspondent", "reporter", "editor",
    "by", "with", "star", "starring", "player", "driver", "runner", "champion", "rival", "coordinator",
    "organiser", "organizer", "warden", "lawyer", "doctor", "nurse", "chef", "artist", "designer",
    "co-author", "student", "students", "officials", "dear", "thanks", "congrats", "hi", "hello",
];

/// Words after a name that show a person speaks or acts.
pub const PERSON_VERBS: &[&str] = &[
    "said", "says", "told", "added", "wrote", "argued", "explained", "admitted", "warned", "praised",
    "thanked", "promised", "recommends", "suggests", "believes", "thinks", "scored", "won", "finished",
    "visited", "ordered", "apologised", "apologized", "replied", "asked", "announced", "led",
];

/// Words before a name that point to a place.
pub const PLACE_PREPOSITIONS: &[&str] =
    &["in", "near", "across", "outside", "around", "through", "via", "towards", "visit", "visiting", "to"];

/// Words that are capitalised only because they start a sentence or a heading; never names
/// on their own.
pub const COMMON_CAPITALISED: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "This", "That", "These", "Those", "It", "Its", "He", "She",
    "They", "We", "I", "You", "Our", "Your", "His", "Her", "Their", "My", "After", "Before", "When",
    "While", "If", "But", "And", "Or", "As", "For", "From", "With", "Without", "By", "To", "Of",
    "Most", "Many", "Some", "All", "Every", "Each", "One", "Two", "Three", "Four", "Five", "There",
    "Here", "What", "Who", "How", "Why", "Where", "Which", "Do", "Don't", "Does", "Is", "Are", "Was",
    "Not", "No", "Yes", "Also", "Even", "Only", "Just", "Then", "Now", "So", "Still", "Instead",
    "Earlier", "Later", "Further", "Worse", "Better", "Both", "Other", "Another", "Such", "Than",
    "Thanks", "Please", "Top", "Key", "Step", "Day", "Week", "Year", "Part", "Lesson",
    "Reply", "Replies", "Posted", "Price", "Sale", "Size", "Colour", "Color", "Free", "Save",
    "Order", "Add", "Buy", "Read", "See", "Watch", "Follow", "Join", "Share", "Like", "Book",
    "Check", "Take", "Visit", "Walk", "Try", "Start", "Use", "Keep", "Bring", "Put", "Get", "Make",
    "Avoid", "Ask", "Talk", "Stop", "Call", "Contact", "Email", "Write", "Apply", "Run", "Set",
    "Scientists", "Researchers", "Officials", "Police", "Investigators", "Analysts", "Investors",
    "Customers", "Residents", "Students", "Parents", "Players", "Teachers", "Doctors", "Shares",
    "Stocks", "Markets", "Tickets", "Tuition", "Notes", "Options", "Parameters", "Returns",
    "Example", "Examples", "Definition", "Origin", "Synonyms", "Description", "Synopsis", "Overview",
    "Uses", "History", "Geography", "Etymology", "Ecology", "Legacy", "Production", "Design",
    "Performance", "Camera", "Battery", "Verdict", "Rating", "Score", "Symptoms", "Causes",
    "Diagnosis", "Treatment", "Dosage", "Side", "Fees", "Modules", "Entry", "Customs", "Money",
    "Food", "Films", "Series", "Documentaries", "Bestsellers", "Specifications", "Shipping",
    "Penalties", "Dates", "Practical", "Common", "Worked", "Practice", "Early", "Late", "Scientific",
    "Later", "Frequently", "Format", "Feeding", "Weather", "Things", "Where", "Breaking", "Updated",
    "Sorry", "Same", "Congratulations", "Welcome", "Honestly", "Appreciate", "Gutted", "Absolutely",
];

/// All-capital words that are not organisations.
pub const NOT_ACRONYMS: &[&str] = &[
    "I", "A", "OK", "TV", "PC", "PDF", "FAQ", "API", "AI", "GB", "MB", "KB", "TB", "CEO", "CFO", "DNA",
    "RNA", "MRI", "SSD", "OLED", "LED", "GPU", "CPU", "HTML", "CSS", "ATM", "ATMs", "ISBN", "ET", "AM",
    "PM", "GMT", "UTC", "USB", "HD", "UHD", "VAT", "ID", "IT", "VR", "AR", "RRP", "NB", "PS", "ASAP",
    "LOL", "AMA", "DIY", "FYI", "HEAD", "URL", "RSS", "SMS", "GPS", "CVE", "UV", "IQ", "PhD", "COVID",
];

/// Nationality, language and other adjectives that are capitalised but name no entity.
pub const DEMONYMS: &[&str] = &[
    "British", "English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch", "Polish",
    "Russian", "Chinese", "Japanese", "Korean", "Indian", "American", "Canadian", "Australian",
    "European", "African", "Asian", "Persian", "Latin", "Greek", "Roman", "Arab", "Arabic", "Irish",
    "Scottish", "Welsh", "Swedish", "Norwegian", "Danish", "Finnish", "Swiss", "Austrian", "Belgian",
    "Turkish", "Mexican", "Brazilian", "Kenyan", "Ethiopian", "Ukrainian", "Israeli", "Iranian",
    "Egyptian", "Nigerian", "Celsius", "Fahrenheit", "Muslim", "Jewish", "Catholic",
    "Hindu", "Buddhist", "Islamic",
];
