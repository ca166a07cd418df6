//! Small built-in lists for fictional names, streets, line brands and handset models.
//! Everything here is invented; any likeness to a real person or line is chance.

pub(crate) const FIRST: &[&str] = &[
    "Aisha", "Ben", "Chloe", "Daniel", "Ellie", "Faisal", "Grace", "Harry", "Imran", "Jade",
    "Kieran", "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Quinn", "Ryan", "Sophie", "Tom",
    "Uma", "Victor", "Wendy", "Xavier", "Yasmin", "Zak", "Amelia", "Callum", "Demi", "Ethan",
    "Freya", "George", "Holly", "Isaac", "Jasmine", "Kyle", "Leah", "Mason", "Niamh", "Owen",
    "Paige", "Reece", "Shannon", "Tyler",
];

pub(crate) const LAST: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Hill", "Moore", "Lewis", "Harris",
    "Martin", "Cooper", "Ward", "Turner", "Baker", "Okafor", "Nowak", "Kowalski", "Murphy",
    "Begum", "Ali", "Shah",
];

pub(crate) const STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Victoria Road",
    "Mill Lane",
    "London Road",
    "Queens Road",
    "Green Lane",
    "Kings Road",
    "Manor Close",
    "Grove Road",
    "Marine Parade",
    "Harbour Street",
    "Sea View Road",
    "Orchard Way",
    "The Crescent",
    "Elm Drive",
];

/// Line brands ("Bando", "Tiny", …): a line is known by its brand, not its number.
pub(crate) const BRANDS: &[&str] = &[
    "Bando",
    "Tiny",
    "Ricky",
    "Blade",
    "Jay",
    "Sparky",
    "Banjo",
    "Gucci",
    "Duke",
    "Flex",
    "Milo",
    "Nitro",
    "Ghost",
    "Dotty",
    "Zed",
    "Ace",
    "Bravo",
    "Scrappy",
    "Snow",
    "Rico",
    "Lex",
    "Tinks",
    "Mack",
    "Skittles",
    "Boss",
    "Dizzy",
    "Kilo",
    "Lucky",
    "Marley",
    "Ninja",
    "Ozzy",
    "Puff",
    "Rambo",
    "Sonic",
    "Turbo",
    "Viper",
    "Wizz",
    "Yardie Joe",
    "Zoom",
    "Chico",
];

/// Type allocation codes (first 8 IMEI digits) for invented handset models; the
/// burner-style ones are used for line phones.
pub(crate) const TAC_SMART: &[u64] = &[
    35_332_509, 35_875_207, 35_290_611, 35_674_108, 86_720_604, 35_391_805,
];
/// Cheap feature-phone TACs, as line handsets are "cheap, disposable and old fashioned".
pub(crate) const TAC_BURNER: &[u64] = &[1_215_800, 35_170_906, 35_941_003, 86_012_302];

/// Country codes of foreign contacts (relatives abroad).
pub(crate) const FOREIGN_CC: &[(u64, u32)] = &[
    (48, 9),
    (40, 9),
    (353, 9),
    (33, 9),
    (91, 10),
    (234, 10),
    (92, 10),
    (351, 9),
];

/// Delivery firm name stems.
pub(crate) const DELIVERY_NAMES: &[&str] = &[
    "Parcel Runner",
    "QuickDrop Couriers",
    "Eastway Logistics",
    "DayNet Delivery",
];
