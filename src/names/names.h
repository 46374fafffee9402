/*
 * names.h – synthetic name material for demo data and linkage benchmarks.
 *
 * Families, given names and birth places for the populations named in the
 * seeds (Syria, Afghanistan, Iraq, Iran, Turkey, West and North Africa,
 * Western Balkans, Georgia, Russia/Chechnya, ...), each with its form in the
 * original script where there is one and the Latin spellings that really
 * occur in German registers (transliteration variants such as
 * Mohammed/Muhammad/Mohamad, Hüseyin/Huseyin/Hueseyin, Shcherbakov/Scherbakow).
 * The material is invented or common-name statistics: no real person's data.
 * All tables are static and read-only (thread-safe).
 */
#ifndef FN_NAMES_NAMES_H
#define FN_NAMES_NAMES_H

#include <stddef.h>
#include <stdint.h>

enum names_population {
    NAMES_SYRIA,
    NAMES_AFGHANISTAN,
    NAMES_IRAQ,
    NAMES_IRAN,
    NAMES_TURKEY,
    NAMES_NORTH_AFRICA, /* Morocco, Algeria, Tunisia, Libya */
    NAMES_WEST_AFRICA,  /* Nigeria, Guinea, Gambia, Ghana, Senegal, Côte d'Ivoire */
    NAMES_BALKANS,      /* Serbia, Kosovo, Albania, North Macedonia, Bosnia */
    NAMES_GEORGIA,
    NAMES_RUSSIA, /* incl. Chechnya */
    NAMES_POPULATION_COUNT
};

/* One name with its spellings. latin[0] is the most common German-register
 * spelling; further entries are real variants; the list ends with NULL. */
struct names_entry {
    const char *native;       /* original script (UTF-8) or NULL for Latin-script names */
    const char *const *latin; /* NULL-terminated, at least one entry */
    uint32_t weight;          /* relative frequency within its table (>= 1) */
};

struct names_population_info {
    const char *key;         /* "syria", "afghanistan", ... */
    const char *label_de;    /* "Syrien", ... */
    const char *const *iso3; /* NULL-terminated ISO 3166-1 alpha-3 codes, first = main */
    uint32_t share;          /* relative share in the synthetic population (>= 1) */
    int given_names_max;     /* how many given names people typically carry (1..3) */
    int year_only_permille;  /* share of birth dates known by year only, per mille */
};

/* Population metadata; NULL for a bad value. */
const struct names_population_info *names_population(enum names_population p);

/* Population whose key (names_population_info.key) is key; NAMES_POPULATION_COUNT
 * if there is none. Borrows key. */
enum names_population names_population_by_key(const char *key);

/* Tables of a population; *out receives the first entry, the result is the
 * count (0 for a bad value). sex is 'm' or 'f' for given names. */
size_t names_family(enum names_population p, const struct names_entry **out);
size_t names_given(enum names_population p, char sex, const struct names_entry **out);
size_t names_places(enum names_population p, const struct names_entry **out);

/* German place names and streets for synthetic NRW addresses. */
struct names_municipality {
    const char *name;     /* "Münster" */
    const char *postcode; /* a real postcode of that municipality, "48143" */
    const char *region;   /* Regierungsbezirk: Arnsberg, Detmold, Düsseldorf, Köln, Münster */
};
size_t names_municipalities(const struct names_municipality **out);
size_t names_streets(const char *const **out);

#endif
