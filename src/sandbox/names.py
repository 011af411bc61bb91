"""Names for the synthetic population: a mix of scripts and punctuation, so encodings and escaping get used."""

FIRST_NAMES = (
    "Ada", "Grace", "Alan", "Margaret", "Katherine", "Dorothy", "Edsger", "Barbara", "Donald", "Frances",
    "John", "Mary", "Wei", "Aiko", "José", "Zoë", "Søren", "Chloé", "Mateus", "Priya",
    "Olúwaseun", "Łukasz", "Ngọc", "Anaïs", "Björn", "Fatima", "Hiroshi", "Amara", "Liam", "Noor",
    "Émile", "Ines", "Kwame", "Sakura", "Dmitri", "Elena", "Tomás", "Yasmin", "Arjun", "Maeve",
)  # fmt: skip

LAST_NAMES = (
    "Lovelace", "Hopper", "Turing", "Hamilton", "Johnson", "Vaughan", "Dijkstra", "Liskov", "Knuth", "Allen",
    "McCarthy", "Shaw", "Zhang", "Tanaka", "García", "Müller", "Kierkegaard", "Dubois", "Silva", "Raman",
    "Adébáyọ̀", "Wójcik", "Nguyễn", "Lefèvre", "Ångström", "Haddad", "Sato", "Okafor", "O'Brien", "Khan",
    "D'Souza", "van der Berg", "Rossi", "Yamamoto", "Ivanova", "Petrov", "Hernández", "Said", "Patel",
    "Ní Bhriain",
)  # fmt: skip
