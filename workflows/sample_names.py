"""Names common in Burundi, for the dossiers the demo and the benchmarks make up."""

FIRST_NAMES = (
    "Aline",
    "Jean-Bosco",
    "Gloriose",
    "Pacifique",
    "Divine",
    "Emmanuel",
    "Claudine",
    "Léonidas",
    "Espérance",
    "Ferdinand",
    "Béatrice",
)
LAST_NAMES = (
    "Ndayishimiye",
    "Nshimirimana",
    "Uwimana",
    "Niyonzima",
    "Irakoze",
    "Hakizimana",
    "Bizimana",
    "Ndikumana",
    "Nkurunziza",
    "Havyarimana",
)
