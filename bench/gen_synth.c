/*
 * gen_synth.c — tg-gen-synth, the generator of the benchmark's synthetic graph.
 *
 * Writes an ASPI-like typed multigraph in two encodings of the same content:
 * DIR/graph.jsonl (tiegraph/1 JSON Lines: one source, then every entity, then
 * every relation) and DIR/entities.csv + DIR/relations.csv (Neo4j bulk-import
 * headers). Labels and relation types follow DESIGN.md in realistic
 * proportions; endpoints are drawn with a heavy-tailed (Zipf-like) choice inside
 * each label, so degrees are heavy-tailed; a small share of relations repeat
 * their predecessor's endpoints (parallel relations) and a few are self-loops.
 *
 * Invariants:
 * - The output depends only on (entities, relations, seed): one xoshiro256**
 *   stream drives every choice, in a fixed order, and no value goes through
 *   printf-style float formatting (amounts are integer cents printed by hand),
 *   so the same arguments give byte-identical files.
 * - Files are written under a temporary name and renamed when complete, so an
 *   interrupted run never leaves a file that looks finished.
 * - Memory is O(entities) (a few bytes per entity); relations are streamed.
 *   Nothing is allocated per line: all three files go through 4 MiB buffers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))
#define OUT_CAP ((size_t)1 << 22)

enum { EXIT_USAGE = 64, EXIT_IO = 74 };

/* ---------------------------------------------------------------- random */

typedef struct {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (size_t i = 0; i < COUNTOF(r->s); i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); n > 0. The modulo bias is below 2^-40 for our sizes. */
static uint64_t rng_below(rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* Uniform in [0, 1). IEEE multiplication is exact enough to be reproducible. */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability permille / 1000. */
static int rng_chance(rng *r, unsigned permille)
{
    return rng_below(r, 1000) < permille;
}

/*
 * Heavy-tailed index in [0, n): floor(n * u^a). Rank k is chosen with
 * probability ~ k^(1/a - 1), i.e. Zipf with exponent 1 - 1/a; a = 3 gives a
 * degree distribution with a power-law tail of exponent ~2.5. Only integer
 * powers (products) are used, so no libm result enters the output.
 */
static size_t rng_zipf(rng *r, size_t n, int a)
{
    double u = rng_unit(r);
    double p = u;
    for (int i = 1; i < a; i++)
        p *= u;
    size_t k = (size_t)(p * (double)n);
    return k < n ? k : n - 1;
}

/* ---------------------------------------------------------------- output */

/* A buffered output file; the first error sticks and is reported at close. */
typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    int failed;
    char path[4096];
    char tmp[4096];
} out;

static void out_flush(out *o)
{
    if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = 1;
    o->len = 0;
}

static void out_mem(out *o, const char *s, size_t n)
{
    if (o->len + n > OUT_CAP)
        out_flush(o);
    if (n > OUT_CAP) {
        if (!o->failed && fwrite(s, 1, n, o->f) != n)
            o->failed = 1;
    } else {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    }
}

static void out_str(out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

static void out_char(out *o, char c)
{
    if (o->len + 1 > OUT_CAP)
        out_flush(o);
    o->buf[o->len++] = c;
}

static void out_u64(out *o, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_mem(o, tmp + sizeof tmp - n, n);
}

/* Fixed-point decimal: whole.frac with exactly `digits` fraction digits. */
static void out_fixed(out *o, uint64_t scaled, unsigned digits)
{
    uint64_t div = 1;
    for (unsigned i = 0; i < digits; i++)
        div *= 10;
    out_u64(o, scaled / div);
    out_char(o, '.');
    uint64_t frac = scaled % div;
    for (unsigned i = digits; i-- > 0;) {
        uint64_t p = 1;
        for (unsigned j = 0; j < i; j++)
            p *= 10;
        out_char(o, (char)('0' + (frac / p) % 10));
    }
}

/* A JSON string literal: quotes, backslashes and control bytes escaped;
 * UTF-8 passes through unchanged. */
static void out_json_str(out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    out_char(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            out_char(o, '\\');
            out_char(o, (char)*p);
        } else if (*p == '\n') {
            out_mem(o, "\\n", 2);
        } else if (*p == '\t') {
            out_mem(o, "\\t", 2);
        } else if (*p < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            out_mem(o, esc, sizeof esc);
        } else {
            out_char(o, (char)*p);
        }
    }
    out_char(o, '"');
}

/* A CSV field (RFC 4180, as Neo4j's importer reads it): quoted only when it
 * holds a comma, a quote or a line break; quotes doubled. */
static void out_csv_str(out *o, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        out_str(o, s);
    } else {
        out_char(o, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                out_char(o, '"');
            out_char(o, *p);
        }
        out_char(o, '"');
    }
}

static int out_open(out *o, const char *dir, const char *name)
{
    int rc = -1;
    int n1 = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    int n2 = snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof o->path || (size_t)n2 >= sizeof o->tmp) {
        fprintf(stderr, "tg-gen-synth: output directory name too long: %s\n", dir);
        goto done;
    }
    o->buf = malloc(OUT_CAP);
    o->f = fopen(o->tmp, "wb");
    if (!o->buf || !o->f) {
        fprintf(stderr, "tg-gen-synth: cannot write %s: %s\n", o->tmp, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    return rc; /* on failure out_close and out_commit release what was opened */
}

/* Flushes and closes; frees the buffer. Returns -1 when a write failed. */
static int out_close(out *o)
{
    int rc = 0;
    if (o->f) {
        out_flush(o);
        if (fclose(o->f) != 0)
            o->failed = 1;
        o->f = NULL;
        if (o->failed) {
            fprintf(stderr, "tg-gen-synth: write error on %s: %s\n", o->tmp, strerror(errno));
            rc = -1;
        }
    }
    free(o->buf);
    o->buf = NULL;
    return rc;
}

/* Renames a closed file into place when `keep`, else removes it. */
static int out_commit(out *o, int keep)
{
    int rc = 0;
    if (!o->tmp[0]) {
        /* never opened */
    } else if (!keep) {
        remove(o->tmp);
    } else if (rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "tg-gen-synth: cannot rename %s: %s\n", o->tmp, strerror(errno));
        remove(o->tmp);
        rc = -1;
    }
    return rc;
}

/* ---------------------------------------------------------------- vocabulary */

/* Entity kinds; the first label of each. Country entities are counted apart. */
typedef enum {
    K_COMPANY,
    K_PROJECT,
    K_GOVERNMENT,
    K_UNIVERSITY,
    K_PERSON,
    K_LENDER,
    K_ORGANIZATION,
    K_LAW,
    K_COUNTRY,
    K_COUNT
} kind;

static const char *const kind_label[K_COUNT] = {
    "Company", "Project", "Government", "University", "Person",
    "Lender",  "Organization", "Law", "Country",
};

/* Percentages of the non-country entities, summing to 100. */
static const unsigned kind_pct[K_COUNT - 1] = {45, 20, 10, 8, 5, 2, 7, 3};

enum { SUBSIDIARY_PERMILLE = 150, HOSTILE_PERMILLE = 5 };

static const char *const categories[] = {
    "safe_city", "5g", "cable", "data_centre", "rd_lab", "telecom", "university_partnership",
};
static const char *const category_title[COUNTOF(categories)] = {
    "Safe City", "5G Network", "Submarine Cable", "Data Centre",
    "R&D Lab",   "Telecom Backbone", "University Partnership",
};

/* ISO 3166-1 alpha-2, most frequent in the data first (CN leads, as in ASPI's
 * map); the heavy-tailed country choice relies on this order. */
static const char *const country_codes[] = {
    "CN", "US", "GB", "DE", "FR", "AU", "JP", "KR", "IN", "RU", "BR", "ZA", "KE", "NG", "EG",
    "PK", "MY", "ID", "TH", "VN", "PH", "SG", "AE", "SA", "TR", "IT", "ES", "NL", "SE", "CA",
    "MX", "AR", "CL", "PE", "EC", "VE", "BO", "ET", "TZ", "UG", "ZM", "ZW", "AO", "GH", "CM",
    "SN", "CI", "DZ", "MA", "TN", "KZ", "UZ", "KG", "TJ", "MN", "LA", "KH", "MM", "BD", "LK",
    "NP", "IR", "IQ", "QA", "OM", "KW", "BH", "JO", "IL", "RS", "HU", "PL", "CZ", "AT", "CH",
    "BE", "DK", "NO", "FI", "IE", "PT", "GR", "RO", "BG", "HR", "SI", "SK", "UA", "BY", "GE",
    "AM", "AZ", "NZ", "PG", "FJ", "TW", "HK", "MO", "AF", "AG", "AI", "AL", "AQ", "AS", "AW",
    "AX", "BA", "BB", "BF", "BI", "BJ", "BL", "BM", "BN", "BQ", "BS", "BT", "BV", "BW", "BZ",
    "CC", "CD", "CF", "CG", "CK", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "DJ", "DM", "DO",
    "EE", "EH", "ER", "FK", "FM", "FO", "GA", "GD", "GF", "GG", "GI", "GL", "GM", "GN", "GP",
    "GQ", "GS", "GT", "GU", "GW", "GY", "HM", "HN", "HT", "IM", "IO", "IS", "JE", "JM", "KI",
    "KM", "KN", "KP", "KY", "LB", "LC", "LI", "LR", "LS", "LT", "LU", "LV", "LY", "MC", "MD",
    "ME", "MF", "MG", "MH", "MK", "ML", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MZ",
    "NA", "NC", "NE", "NF", "NI", "NR", "NU", "PA", "PF", "PM", "PN", "PR", "PS", "PW", "PY",
    "RE", "RW", "SB", "SC", "SD", "SH", "SJ", "SL", "SM", "SO", "SR", "SS", "ST", "SV", "SX",
    "SY", "SZ", "TC", "TD", "TF", "TG", "TK", "TL", "TM", "TO", "TT", "TV", "UM", "UY", "VA",
    "VC", "VG", "VI", "VU", "WF", "WS", "YE", "YT",
};
static const char *const country_names[] = {
    "China", "United States", "United Kingdom", "Germany", "France", "Australia", "Japan",
    "South Korea", "India", "Russia", "Brazil", "South Africa", "Kenya", "Nigeria", "Egypt",
    "Pakistan", "Malaysia", "Indonesia", "Thailand", "Vietnam", "Philippines", "Singapore",
    "United Arab Emirates", "Saudi Arabia", "Türkiye", "Italy", "Spain", "Netherlands", "Sweden",
    "Canada", "Mexico", "Argentina", "Chile", "Peru", "Ecuador", "Venezuela", "Bolivia",
    "Ethiopia", "Tanzania", "Uganda", "Zambia", "Zimbabwe", "Angola", "Ghana", "Cameroon",
    "Senegal", "Côte d'Ivoire", "Algeria", "Morocco", "Tunisia", "Kazakhstan", "Uzbekistan",
    "Kyrgyzstan", "Tajikistan", "Mongolia", "Laos", "Cambodia", "Myanmar", "Bangladesh",
    "Sri Lanka",
};

_Static_assert(COUNTOF(country_names) <= COUNTOF(country_codes), "a name per listed code");
#define MAX_COUNTRIES COUNTOF(country_codes)

static const char *const places[] = {
    "Shenzhen", "Hangzhou", "Beijing", "Shanghai", "Wuhan", "Chengdu", "Guangzhou", "Nanjing",
    "Xi'an",    "Tianjin",  "Hefei",   "Zhuhai",   "Global", "Pacific", "Nordic",    "Atlas",
    "Delta",    "Sino",     "Euro",    "Trans",    "Silk Road", "Meridian", "Orient", "Apex",
};
static const char *const cores[] = {
    "Huaxin", "Zhongke", "Tianyu", "Longhai", "Jinqiao", "Dahua", "Guoxin", "Kexun",
    "Haiguang", "Xinhua", "Ruijie", "Yuntian", "Hengtong", "Fiberhome", "Inspur", "Sugon",
    "Vantage", "Northstar", "Bluewave", "Keystone",
};
static const char *const fields[] = {
    "Technology", "Digital", "Telecom", "Electronics", "Networks", "Security", "Vision",
    "Semiconductor", "Cloud", "Systems", "Communications", "Photonics", "Intelligence",
};
static const char *const suffixes[] = {
    "Co., Ltd.", "Group", "Holdings", "Inc.", "GmbH", "S.A.", "LLC", "Corporation", "Pty Ltd",
};
static const char *const cities[] = {
    "Nairobi", "Quito", "Lahore", "Belgrade", "Kuala Lumpur", "Jakarta", "Lusaka", "Harare",
    "Addis Ababa", "Dhaka", "Colombo", "Tashkent", "Ulaanbaatar", "Manila", "Bangkok", "Karachi",
    "Luanda", "Accra", "Dakar", "Abidjan", "Algiers", "Rabat", "Cairo", "Riyadh", "Dubai",
    "Ankara", "Budapest", "Warsaw", "Lisbon", "Valencia", "Milan", "Munich", "Lyon",
};
static const char *const gov_bodies[] = {
    "Ministry of Communications", "Ministry of Interior", "National Police",
    "Public Security Bureau", "Telecom Regulatory Authority", "Ministry of Finance",
    "National Telecom Company", "Ministry of Education", "State Broadcasting Agency",
    "Municipal Government",
};
static const char *const univ_kinds[] = {
    "University of Science and Technology", "Institute of Technology", "University",
    "Polytechnic University", "University of Posts and Telecommunications",
};
static const char *const first_names[] = {
    "Wei", "Li", "Ming", "Jun", "Hui", "Anna", "James", "Maria", "Ahmed", "Fatima", "Olga",
    "Kenji", "Priya", "Carlos", "Amina", "Lars", "Sofia", "Chen", "Yan", "David",
};
static const char *const last_names[] = {
    "Zhang", "Wang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Smith", "Müller", "Okafor",
    "Kowalski", "Rossi", "Tanaka", "Kim", "Singh", "Haddad", "Ivanova", "García", "Ng", "Dubois",
};
static const char *const lender_kinds[] = {
    "Export-Import Bank", "Development Bank", "Investment Fund", "Commercial Bank",
    "Infrastructure Fund", "Policy Bank",
};
static const char *const org_kinds[] = {
    "Alliance for", "Consortium for", "Forum on", "Association of", "Standards Committee on",
};
static const char *const org_topics[] = {
    "Smart Cities", "5G Standards", "Artificial Intelligence", "Cybersecurity", "Cloud Computing",
    "Digital Silk Road", "Submarine Cables", "Public Safety",
};
static const char *const laws[] = {
    "National Intelligence Law", "Cybersecurity Law", "Data Security Law", "Export Control Law",
    "Counter-Espionage Law", "Personal Information Protection Law", "Entity List Rule",
};

/* Names that must survive every encoder: quotes, markup, separators, scripts. */
static const char *const hostile_names[] = {
    "\"Quoted\" Holdings",
    "O'Neil & Sons <Ltd>",
    "<script>alert('x')</script> Ltd",
    "Back\\slash, Comma; Semi Co.",
    "华为技术有限公司",
    "海康威视数字技术股份有限公司 📷",
    "Ünïcödé Télécom 🚀📡",
    "مؤسسة الاتصالات الوطنية",
    "Robert'); DROP TABLE entities;--",
    "{\"json\": \"inside\"} Ltd",
    "Pipe|Separated|Name",
    "Tab\tSeparated Name",
    "  Leading and trailing spaces  ",
    "]]> <!-- -->&amp; Ltd",
};

static const char *const currencies[] = {"USD", "CNY", "EUR", "XDR"};
static const unsigned currency_permille[] = {700, 200, 70, 30};
_Static_assert(COUNTOF(currency_permille) == COUNTOF(currencies), "a weight per currency");

/* ---------------------------------------------------------------- relation types */

typedef enum {
    R_LOCATED_IN,
    R_OPERATES_IN,
    R_OWNS,
    R_FINANCES,
    R_CONTRACTS,
    R_SUBCONTRACTS,
    R_SUPPLIES,
    R_BUILDS,
    R_PARTNERS_WITH,
    R_MEMBER_OF,
    R_LEADS,
    R_SANCTIONS,
    R_SUBJECT_TO,
    R_TRAINS,
    R_COUNT
} rel_type;

static const struct {
    const char *name;
    unsigned permille;
} rel_info[R_COUNT] = {
    {"LOCATED_IN", 150}, {"OPERATES_IN", 100}, {"OWNS", 120},         {"FINANCES", 100},
    {"CONTRACTS", 100},  {"SUBCONTRACTS", 40}, {"SUPPLIES", 120},     {"BUILDS", 80},
    {"PARTNERS_WITH", 100}, {"MEMBER_OF", 30}, {"LEADS", 30},         {"SANCTIONS", 10},
    {"SUBJECT_TO", 10},  {"TRAINS", 10},
};

enum { PARALLEL_PERMILLE = 20 };

/* ---------------------------------------------------------------- the graph */

typedef struct {
    size_t n;              /* entities */
    uint64_t m;            /* relations */
    uint8_t *kind;         /* kind per entity */
    uint8_t *subsidiary;   /* 1 if the Company also has the Subsidiary label */
    uint8_t *category;     /* Project category index */
    uint16_t *country;     /* index into country_codes */
    size_t *members[K_COUNT]; /* entity indexes per kind, shuffled: rank 0 is the hub */
    size_t count[K_COUNT];
    size_t *subs;          /* Subsidiary companies, shuffled */
    size_t nsubs;
    size_t *noncountry;    /* every non-country entity, for LOCATED_IN */
    size_t nnoncountry;
    size_t ncountries;
} graph;

static void shuffle(rng *r, size_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(r, i);
        size_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* Heavy-tailed choice among the countries that exist (CN first). */
static uint16_t pick_country_code(rng *r, const graph *g, kind k)
{
    /* Governments spread evenly: every state has its ministries. */
    unsigned cn_permille = k == K_COMPANY ? 450 : k == K_LENDER ? 600 : k == K_GOVERNMENT ? 0 : 200;
    uint16_t c = 0;
    if (rng_chance(r, cn_permille))
        c = 0;
    else if (k == K_GOVERNMENT)
        c = (uint16_t)rng_below(r, g->ncountries);
    else
        c = (uint16_t)rng_zipf(r, g->ncountries, 2);
    return c;
}

static void graph_free(graph *g)
{
    free(g->kind);
    free(g->subsidiary);
    free(g->category);
    free(g->country);
    for (size_t k = 0; k < K_COUNT; k++)
        free(g->members[k]);
    free(g->subs);
    free(g->noncountry);
}

/* Draws every entity's kind, labels, category and country. */
static int graph_build(graph *g, rng *r)
{
    int rc = -1;
    size_t n = g->n;
    /* One country per 40 entities up to the ISO list; at least one. */
    g->ncountries = n / 40;
    if (g->ncountries > MAX_COUNTRIES)
        g->ncountries = MAX_COUNTRIES;
    else if (g->ncountries == 0)
        g->ncountries = 1;
    size_t rest = n - g->ncountries;
    size_t assigned = 0;
    for (size_t k = 1; k < K_COUNTRY; k++) {
        g->count[k] = rest * kind_pct[k] / 100;
        assigned += g->count[k];
    }
    g->count[K_COMPANY] = rest - assigned;
    g->count[K_COUNTRY] = g->ncountries;

    g->kind = malloc(n);
    g->subsidiary = calloc(n, 1);
    g->category = calloc(n, 1);
    g->country = malloc(n * sizeof *g->country);
    for (size_t k = 0; k < K_COUNT; k++)
        g->members[k] = malloc((g->count[k] ? g->count[k] : 1) * sizeof(size_t));
    g->subs = malloc((g->count[K_COMPANY] ? g->count[K_COMPANY] : 1) * sizeof(size_t));
    g->noncountry = malloc((rest ? rest : 1) * sizeof(size_t));
    int ok = g->kind && g->subsidiary && g->category && g->country && g->subs && g->noncountry;
    for (size_t k = 0; k < K_COUNT; k++)
        ok = ok && g->members[k];
    if (!ok) {
        fprintf(stderr, "tg-gen-synth: out of memory for %zu entities\n", n);
        goto done; /* graph_free releases what was allocated */
    }

    /* Country entities take the first ids; the others are shuffled by kind. */
    size_t pos = 0;
    for (size_t i = 0; i < g->ncountries; i++)
        g->kind[pos++] = K_COUNTRY;
    for (size_t k = 0; k < K_COUNTRY; k++)
        for (size_t i = 0; i < g->count[k]; i++)
            g->kind[pos++] = (uint8_t)k;
    for (size_t i = n; i > g->ncountries + 1; i--) {
        size_t j = g->ncountries + (size_t)rng_below(r, i - g->ncountries);
        uint8_t t = g->kind[i - 1];
        g->kind[i - 1] = g->kind[j];
        g->kind[j] = t;
    }

    size_t filled[K_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        kind k = (kind)g->kind[i];
        g->members[k][filled[k]++] = i;
        if (k == K_COUNTRY) {
            g->country[i] = (uint16_t)i;
            continue;
        }
        g->noncountry[g->nnoncountry++] = i;
        g->country[i] = pick_country_code(r, g, k);
        if (k == K_COMPANY && rng_chance(r, SUBSIDIARY_PERMILLE)) {
            g->subsidiary[i] = 1;
            g->subs[g->nsubs++] = i;
        }
        if (k == K_PROJECT)
            g->category[i] = (uint8_t)rng_below(r, COUNTOF(categories));
    }
    /* Hub rank is independent of id. Countries keep their order: rank 0 is CN. */
    for (size_t k = 0; k < K_COUNTRY; k++)
        shuffle(r, g->members[k], g->count[k]);
    shuffle(r, g->subs, g->nsubs);
    rc = 0;
done:
    return rc;
}

/* A heavy-tailed member of kind k; falls back to companies when k is empty
 * (only for tiny graphs). */
static size_t pick(rng *r, const graph *g, kind k, int a)
{
    if (g->count[k] == 0)
        k = g->count[K_COMPANY] ? K_COMPANY : K_COUNTRY;
    return g->members[k][rng_zipf(r, g->count[k], a)];
}

/* ---------------------------------------------------------------- entities */

static const char *pick_word(rng *r, const char *const *list, size_t n)
{
    return list[rng_below(r, n)];
}

#define WORD(list) pick_word(r, list, COUNTOF(list))

/* Every draw sits in its own declaration: the order in which a compiler
 * evaluates function arguments is unspecified, and the stream must not
 * depend on it. */
static void make_name(rng *r, const graph *g, size_t i, char *buf, size_t cap)
{
    kind k = (kind)g->kind[i];
    const char *cc = country_codes[g->country[i]];
    if (k != K_COUNTRY && rng_chance(r, HOSTILE_PERMILLE))
        k = K_COUNT; /* a hostile name instead of the kind's pattern */
    switch (k) {
    case K_COMPANY: {
        const char *a = WORD(places);
        const char *b = WORD(cores);
        const char *c = WORD(fields);
        const char *d = WORD(suffixes);
        snprintf(buf, cap, "%s %s %s %s", a, b, c, d);
        break;
    }
    case K_PROJECT: {
        const char *a = WORD(cities);
        unsigned n = (unsigned)rng_below(r, 1000);
        snprintf(buf, cap, "%s %s Project %u", a, category_title[g->category[i]], n);
        break;
    }
    case K_GOVERNMENT:
        snprintf(buf, cap, "%s (%s)", WORD(gov_bodies), cc);
        break;
    case K_UNIVERSITY: {
        const char *a = WORD(cities);
        const char *b = WORD(univ_kinds);
        snprintf(buf, cap, "%s %s", a, b);
        break;
    }
    case K_PERSON: {
        const char *a = WORD(first_names);
        const char *b = WORD(last_names);
        snprintf(buf, cap, "%s %s", a, b);
        break;
    }
    case K_LENDER: {
        const char *a = WORD(places);
        const char *b = WORD(lender_kinds);
        snprintf(buf, cap, "%s %s %s", a, b, cc);
        break;
    }
    case K_ORGANIZATION: {
        const char *a = WORD(org_kinds);
        const char *b = WORD(org_topics);
        snprintf(buf, cap, "%s %s", a, b);
        break;
    }
    case K_LAW: {
        const char *a = WORD(laws);
        unsigned year = 2000 + (unsigned)rng_below(r, 24);
        snprintf(buf, cap, "%s (%s, %u)", a, cc, year);
        break;
    }
    case K_COUNT:
        snprintf(buf, cap, "%s", WORD(hostile_names));
        break;
    case K_COUNTRY:
        if (g->country[i] < COUNTOF(country_names))
            snprintf(buf, cap, "%s", country_names[g->country[i]]);
        else
            snprintf(buf, cap, "Country %s", cc);
        break;
    }
}

#undef WORD

static void write_entities(rng *r, const graph *g, out *js, out *csv)
{
    char name[256];
    out_str(csv, "id:ID,:LABEL,name,country,category\n");
    for (size_t i = 0; i < g->n; i++) {
        kind k = (kind)g->kind[i];
        const char *cc = country_codes[g->country[i]];
        make_name(r, g, i, name, sizeof name);

        out_str(js, "{\"entity\":{\"id\":\"e");
        out_u64(js, i);
        out_str(js, "\",\"labels\":[\"");
        out_str(js, kind_label[k]);
        if (g->subsidiary[i])
            out_str(js, "\",\"Subsidiary");
        out_str(js, "\"],\"name\":");
        out_json_str(js, name);
        out_str(js, ",\"country\":\"");
        out_str(js, cc);
        if (k == K_PROJECT) {
            out_str(js, "\",\"category\":\"");
            out_str(js, categories[g->category[i]]);
        }
        out_str(js, "\",\"sources\":[\"synthetic\"]}}\n");

        out_char(csv, 'e');
        out_u64(csv, i);
        out_char(csv, ',');
        out_str(csv, kind_label[k]);
        if (g->subsidiary[i])
            out_str(csv, ";Subsidiary");
        out_char(csv, ',');
        out_csv_str(csv, name);
        out_char(csv, ',');
        out_str(csv, cc);
        out_char(csv, ',');
        if (k == K_PROJECT)
            out_str(csv, categories[g->category[i]]);
        out_char(csv, '\n');
    }
}

/* ---------------------------------------------------------------- relations */

/* One relation's properties; absent ones are 0 / NULL. */
typedef struct {
    rel_type type;
    size_t from, to;
    uint64_t amount_cents; /* 0: absent */
    unsigned year;         /* 0: absent */
    const char *currency;
    const char *role;
    unsigned share_pct;    /* 0: absent; else 1..100, written as 0.01..1.00 */
} relation;

static rel_type pick_type(rng *r)
{
    uint64_t x = rng_below(r, 1000);
    unsigned acc = 0;
    size_t t = 0;
    for (; t + 1 < R_COUNT; t++) {
        acc += rel_info[t].permille;
        if (x < acc)
            break;
    }
    return (rel_type)t;
}

static unsigned pick_year(rng *r)
{
    /* Triangular over 2000..2023, peaking around 2011 like the lending data. */
    uint64_t a = rng_below(r, 24);
    uint64_t b = rng_below(r, 24);
    return 2000 + (unsigned)((a + b) / 2);
}

static uint64_t pick_amount_cents(rng *r)
{
    static const uint64_t scale[] = {100000ull, 1000000ull, 10000000ull, 100000000ull};
    uint64_t mantissa = 1 + rng_below(r, 999);
    uint64_t whole = mantissa * scale[rng_zipf(r, COUNTOF(scale), 2)]; /* mostly millions */
    uint64_t cents = rng_chance(r, 300) ? rng_below(r, 100) : 0;
    return whole * 100 + cents;
}

static const char *pick_currency(rng *r)
{
    uint64_t x = rng_below(r, 1000);
    unsigned acc = 0;
    size_t i = 0;
    for (; i + 1 < COUNTOF(currencies); i++) {
        acc += currency_permille[i];
        if (x < acc)
            break;
    }
    return currencies[i];
}

/* Draws the endpoints of a relation of type t with sensible labels. */
static void draw_endpoints(rng *r, const graph *g, relation *rel)
{
    size_t from = 0, to = 0;
    switch (rel->type) {
    case R_LOCATED_IN:
        from = g->nnoncountry ? g->noncountry[rng_below(r, g->nnoncountry)] : 0;
        to = g->members[K_COUNTRY][g->country[from] < g->ncountries ? g->country[from] : 0];
        break;
    case R_OPERATES_IN:
        from = pick(r, g, K_COMPANY, 3);
        to = pick(r, g, K_COUNTRY, 2);
        break;
    case R_OWNS:
        from = pick(r, g, K_COMPANY, 3);
        if (g->nsubs && rng_chance(r, 600))
            to = g->subs[rng_zipf(r, g->nsubs, 2)];
        else
            to = pick(r, g, K_COMPANY, 2);
        break;
    case R_FINANCES:
        from = pick(r, g, K_LENDER, 3);
        to = rng_chance(r, 600) ? pick(r, g, K_GOVERNMENT, 2) : pick(r, g, K_PROJECT, 2);
        break;
    case R_CONTRACTS:
        from = pick(r, g, K_GOVERNMENT, 2);
        to = pick(r, g, K_COMPANY, 3);
        break;
    case R_SUBCONTRACTS:
        from = pick(r, g, K_COMPANY, 3);
        to = pick(r, g, K_COMPANY, 2);
        break;
    case R_SUPPLIES: {
        from = pick(r, g, K_COMPANY, 3);
        uint64_t x = rng_below(r, 10);
        to = pick(r, g, x < 4 ? K_COMPANY : x < 7 ? K_GOVERNMENT : K_PROJECT, 2);
        break;
    }
    case R_BUILDS:
        from = pick(r, g, K_COMPANY, 3);
        to = pick(r, g, K_PROJECT, 1);
        break;
    case R_PARTNERS_WITH:
        from = pick(r, g, rng_chance(r, 500) ? K_COMPANY : K_UNIVERSITY, 2);
        to = pick(r, g, rng_chance(r, 500) ? K_COMPANY : K_UNIVERSITY, 2);
        break;
    case R_MEMBER_OF:
        from = pick(r, g, rng_chance(r, 400) ? K_PERSON : K_COMPANY, 2);
        to = pick(r, g, K_ORGANIZATION, 2);
        break;
    case R_LEADS: {
        from = pick(r, g, K_PERSON, 1);
        uint64_t x = rng_below(r, 10);
        to = pick(r, g, x < 5 ? K_COMPANY : x < 8 ? K_GOVERNMENT : K_ORGANIZATION, 3);
        break;
    }
    case R_SANCTIONS:
        from = pick(r, g, K_GOVERNMENT, 3);
        to = pick(r, g, rng_chance(r, 700) ? K_COMPANY : K_PERSON, 3);
        break;
    case R_SUBJECT_TO:
        from = pick(r, g, K_COMPANY, 2);
        to = pick(r, g, K_LAW, 2);
        break;
    case R_TRAINS:
        from = pick(r, g, rng_chance(r, 700) ? K_UNIVERSITY : K_COMPANY, 2);
        to = pick(r, g, rng_chance(r, 700) ? K_GOVERNMENT : K_PERSON, 2);
        break;
    case R_COUNT:
        break;
    }
    rel->from = from;
    rel->to = to;
}

/* Self-loops are placed on purpose (write_relations); redraw accidental ones.
 * Only a graph with a single member of a kind can exhaust the retries. */
static void pick_endpoints(rng *r, const graph *g, relation *rel)
{
    draw_endpoints(r, g, rel);
    for (int tries = 0; rel->from == rel->to && tries < 16; tries++)
        draw_endpoints(r, g, rel);
}

static void pick_properties(rng *r, relation *rel)
{
    rel->amount_cents = 0;
    rel->year = 0;
    rel->currency = NULL;
    rel->role = NULL;
    rel->share_pct = 0;
    switch (rel->type) {
    case R_FINANCES:
        rel->amount_cents = pick_amount_cents(r);
        rel->year = pick_year(r);
        rel->currency = pick_currency(r);
        break;
    case R_CONTRACTS:
        rel->role = rng_chance(r, 700) ? "prime" : "sub";
        rel->year = pick_year(r);
        if (rng_chance(r, 300)) {
            rel->amount_cents = pick_amount_cents(r);
            rel->currency = pick_currency(r);
        }
        break;
    case R_OWNS:
        if (rng_chance(r, 700))
            rel->share_pct = 1 + (unsigned)rng_below(r, 100);
        break;
    case R_BUILDS:
    case R_SANCTIONS:
    case R_SUBCONTRACTS:
        if (rng_chance(r, 800))
            rel->year = pick_year(r);
        break;
    default:
        break;
    }
}

static void write_relation(const relation *rel, out *js, out *csv)
{
    out_str(js, "{\"relation\":{\"type\":\"");
    out_str(js, rel_info[rel->type].name);
    out_str(js, "\",\"from\":\"e");
    out_u64(js, rel->from);
    out_str(js, "\",\"to\":\"e");
    out_u64(js, rel->to);
    out_char(js, '"');
    if (rel->amount_cents) {
        out_str(js, ",\"amount\":");
        out_fixed(js, rel->amount_cents, 2);
    }
    if (rel->year) {
        out_str(js, ",\"year\":");
        out_u64(js, rel->year);
    }
    if (rel->currency) {
        out_str(js, ",\"currency\":\"");
        out_str(js, rel->currency);
        out_char(js, '"');
    }
    if (rel->role) {
        out_str(js, ",\"role\":\"");
        out_str(js, rel->role);
        out_char(js, '"');
    }
    if (rel->share_pct) {
        out_str(js, ",\"share\":");
        out_fixed(js, rel->share_pct, 2);
    }
    out_str(js, ",\"sources\":[\"synthetic\"]}}\n");

    out_char(csv, 'e');
    out_u64(csv, rel->from);
    out_str(csv, ",e");
    out_u64(csv, rel->to);
    out_char(csv, ',');
    out_str(csv, rel_info[rel->type].name);
    out_char(csv, ',');
    if (rel->amount_cents)
        out_fixed(csv, rel->amount_cents, 2);
    out_char(csv, ',');
    if (rel->year)
        out_u64(csv, rel->year);
    out_char(csv, ',');
    if (rel->currency)
        out_str(csv, rel->currency);
    out_char(csv, ',');
    if (rel->role)
        out_str(csv, rel->role);
    out_char(csv, ',');
    if (rel->share_pct)
        out_fixed(csv, rel->share_pct, 2);
    out_char(csv, '\n');
}

static void write_relations(rng *r, const graph *g, out *js, out *csv)
{
    /* About one self-loop per 200,000 relations, at least one, evenly spaced. */
    uint64_t nself = g->m ? 1 + g->m / 200000 : 0;
    uint64_t self_every = nself ? g->m / nself : 0;
    relation rel = {0};
    int have_prev = 0;

    out_str(csv, ":START_ID,:END_ID,:TYPE,amount:float,year:int,currency,role,share:float\n");
    for (uint64_t i = 0; i < g->m; i++) {
        if (self_every && i % self_every == self_every / 2) {
            rel.type = rng_chance(r, 500) ? R_OWNS : R_PARTNERS_WITH;
            rel.from = rel.to = pick(r, g, K_COMPANY, 2);
        } else if (have_prev && rel.from != rel.to && rng_chance(r, PARALLEL_PERMILLE)) {
            /* Same endpoints and type again: a second loan, a renewed contract. */
        } else {
            rel.type = pick_type(r);
            pick_endpoints(r, g, &rel);
        }
        pick_properties(r, &rel);
        write_relation(&rel, js, csv);
        have_prev = 1;
    }
}

/* ---------------------------------------------------------------- main */

/* Parses a count with an optional k/m suffix ("50k", "5M"). */
static int parse_count(const char *s, uint64_t *v)
{
    char *end = NULL;
    int rc = -1;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        goto done;
    if (*end == 'k' || *end == 'K') {
        x *= 1000;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        x *= 1000000;
        end++;
    }
    if (*end)
        goto done;
    *v = x;
    rc = 0;
done:
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tg-gen-synth --entities N --relations M --out DIR [--seed S]\n"
               "  Writes DIR/graph.jsonl (tiegraph/1 JSON Lines), DIR/entities.csv and\n"
               "  DIR/relations.csv (Neo4j bulk-import headers) describing the same\n"
               "  synthetic graph. N and M accept k/M suffixes; N >= 10. The same\n"
               "  arguments give byte-identical files (default seed 42).\n");
}

int main(int argc, char **argv)
{
    uint64_t n = 0, m = 0, seed = 42;
    const char *dir = NULL;
    int status = EXIT_USAGE;
    int have_n = 0, have_m = 0;
    graph g = {0};
    out js = {0}, ecsv = {0}, rcsv = {0};
    rng r;

    /* Options come in pairs (name, value); --help stands alone. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            status = 0;
            goto done;
        }
        if (!v) {
            fprintf(stderr, "tg-gen-synth: %s: missing value or unknown option\n", a);
            usage(stderr);
            goto done;
        }
        if (!strcmp(a, "--entities") && !parse_count(v, &n)) {
            have_n = 1;
        } else if (!strcmp(a, "--relations") && !parse_count(v, &m)) {
            have_m = 1;
        } else if (!strcmp(a, "--seed") && !parse_count(v, &seed)) {
        } else if (!strcmp(a, "--out")) {
            dir = v;
        } else {
            fprintf(stderr, "tg-gen-synth: bad option or value: %s %s\n", a, v);
            usage(stderr);
            goto done;
        }
    }
    if (!have_n || !have_m || !dir || n < 10 || n > 100000000ull) {
        fprintf(stderr, "tg-gen-synth: --entities (10..1e8), --relations and --out are required\n");
        usage(stderr);
        goto done;
    }

    status = EXIT_IO;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tg-gen-synth: cannot create %s: %s\n", dir, strerror(errno));
        goto done;
    }
    if (out_open(&js, dir, "graph.jsonl") || out_open(&ecsv, dir, "entities.csv") ||
        out_open(&rcsv, dir, "relations.csv"))
        goto done;

    rng_seed(&r, seed);
    g.n = (size_t)n;
    g.m = m;
    if (graph_build(&g, &r))
        goto done;

    out_str(&js, "{\"source\":{\"id\":\"synthetic\",\"title\":\"Synthetic ASPI-like graph (");
    out_u64(&js, n);
    out_str(&js, " entities, ");
    out_u64(&js, m);
    out_str(&js, " relations, seed ");
    out_u64(&js, seed);
    out_str(&js, ")\",\"publisher\":\"tiegraph bench/tg-gen-synth\",\"date\":\"2026-01-01\","
                 "\"url\":\"https://example.invalid/tiegraph/bench/synthetic\"}}\n");
    write_entities(&r, &g, &js, &ecsv);
    write_relations(&r, &g, &js, &rcsv);
    status = 0;

done:
    /* The files appear only when all were written; the first failed rename
     * drops the files not yet renamed. */
    if (out_close(&js) | out_close(&ecsv) | out_close(&rcsv))
        status = EXIT_IO;
    if (out_commit(&js, status == 0))
        status = EXIT_IO;
    if (out_commit(&ecsv, status == 0))
        status = EXIT_IO;
    if (out_commit(&rcsv, status == 0))
        status = EXIT_IO;
    graph_free(&g);
    return status;
}
