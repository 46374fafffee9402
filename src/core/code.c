/*
 * code.c – XÖV code triples and the country crosswalk (see code.h).
 *
 * Country table sources (docs/codes.md has the full list of checks):
 *  - DESTATIS code list "Staatsangehörigkeit aus der Staats- und
 *    Gebietssystematik", urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:
 *    staatsangehoerigkeit, version 2021-02-19 (211 entries), as published in
 *    XRepository and mirrored in flxbe/xdatenfelder-ts
 *    (modules/xdatenfelder/src/codelists/staatsangehoerigkeit.ts, commit 85b9833):
 *    code and German name of every entry.
 *  - The NRW school administration's nationality catalogue, SVWS-NRW/SVWS-Server
 *    (svws-webclient/core/src/core/types/schule/Nationalitaeten.ts, commit 0cd4bc4):
 *    ISO alpha-3, alpha-2 and DESTATIS code of every state.
 * An entry carries FN_COUNTRY_VERIFIED_DESTATIS when its code and name agree
 * with the DESTATIS list, FN_COUNTRY_VERIFIED_ISO when the ISO ↔ DESTATIS pair
 * is also in the SVWS catalogue. Known discrepancy: SVWS gives Taiwan 158
 * (the code of Switzerland); the DESTATIS list has 465, used here.
 * bfj.staat: the list "baut auf der Staats- und Gebietssystematik auf"
 * (XJustiz 3.5.1 xjustiz_0050_cl_staaten_3_2.xsd); its values could not be
 * obtained, so no deviation is recorded (bfj == NULL) – unverified.
 */
#include "core/code.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"

/* Sorted by iso3 (checked by the unit tests). */
static const struct fn_country countries[] = {
    {"AFG", "AF", "423", NULL, "Afghanistan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"AGO", "AO", "223", NULL, "Angola", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ALB", "AL", "121", NULL, "Albanien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"AND", "AD", "123", NULL, "Andorra", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ARE", "AE", "469", NULL, "Vereinigte Arabische Emirate",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ARG", "AR", "323", NULL, "Argentinien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ARM", "AM", "422", NULL, "Armenien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ATG", "AG", "320", NULL, "Antigua und Barbuda",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"AUS", "AU", "523", NULL, "Australien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"AUT", "AT", "151", NULL, "Österreich",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"AZE", "AZ", "425", NULL, "Aserbaidschan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BDI", "BI", "291", NULL, "Burundi", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BEL", "BE", "124", NULL, "Belgien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BEN", "BJ", "229", NULL, "Benin", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BFA", "BF", "258", NULL, "Burkina Faso",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BGD", "BD", "460", NULL, "Bangladesch",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BGR", "BG", "125", NULL, "Bulgarien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BHR", "BH", "424", NULL, "Bahrain", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BHS", "BS", "324", NULL, "Bahamas", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BIH", "BA", "122", NULL, "Bosnien und Herzegowina",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BLR", "BY", "169", NULL, "Belarus", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BLZ", "BZ", "330", NULL, "Belize", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BOL", "BO", "326", NULL, "Bolivien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BRA", "BR", "327", NULL, "Brasilien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BRB", "BB", "322", NULL, "Barbados", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BRN", "BN", "429", NULL, "Brunei Darussalam",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BTN", "BT", "426", NULL, "Bhutan", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"BWA", "BW", "227", NULL, "Botsuana", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CAF", "CF", "289", NULL, "Zentralafrikanische Republik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CAN", "CA", "348", NULL, "Kanada", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CHE", "CH", "158", NULL, "Schweiz", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CHL", "CL", "332", NULL, "Chile", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CHN", "CN", "479", NULL, "China", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CIV", "CI", "231", NULL, "Côte d’Ivoire",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CMR", "CM", "262", NULL, "Kamerun", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"COD", "CD", "246", NULL, "Kongo, Demokratische Republik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"COG", "CG", "245", NULL, "Kongo", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"COL", "CO", "349", NULL, "Kolumbien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"COM", "KM", "244", NULL, "Komoren", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CPV", "CV", "242", NULL, "Cabo Verde",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CRI", "CR", "334", NULL, "Costa Rica",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CSK", "CS", "162", NULL, "Tschechoslowakei",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO | FN_COUNTRY_HISTORIC},
    {"CUB", "CU", "351", NULL, "Kuba", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CYP", "CY", "181", NULL, "Zypern", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"CZE", "CZ", "164", NULL, "Tschechien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DEU", "DE", "000", NULL, "Deutschland",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DJI", "DJ", "230", NULL, "Dschibuti", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DMA", "DM", "333", NULL, "Dominica", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DNK", "DK", "126", NULL, "Dänemark", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DOM", "DO", "335", NULL, "Dominikanische Republik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"DZA", "DZ", "221", NULL, "Algerien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ECU", "EC", "336", NULL, "Ecuador", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"EGY", "EG", "287", NULL, "Ägypten", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ERI", "ER", "224", NULL, "Eritrea", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ESP", "ES", "161", NULL, "Spanien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"EST", "EE", "127", NULL, "Estland", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ETH", "ET", "225", NULL, "Äthiopien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"FIN", "FI", "128", NULL, "Finnland", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"FJI", "FJ", "526", NULL, "Fidschi", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"FRA", "FR", "129", NULL, "Frankreich",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"FSM", "FM", "545", NULL, "Mikronesien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GAB", "GA", "236", NULL, "Gabun", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GBR", "GB", "168", NULL, "Vereinigtes Königreich",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GEO", "GE", "430", NULL, "Georgien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GHA", "GH", "238", NULL, "Ghana", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GIN", "GN", "261", NULL, "Guinea", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GMB", "GM", "237", NULL, "Gambia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GNB", "GW", "259", NULL, "Guinea-Bissau",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GNQ", "GQ", "274", NULL, "Äquatorialguinea",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GRC", "GR", "134", NULL, "Griechenland",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GRD", "GD", "340", NULL, "Grenada", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GTM", "GT", "345", NULL, "Guatemala", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"GUY", "GY", "328", NULL, "Guyana", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"HKG", "HK", "411", NULL, "Hongkong", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"HND", "HN", "347", NULL, "Honduras", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"HRV", "HR", "130", NULL, "Kroatien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"HTI", "HT", "346", NULL, "Haiti", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"HUN", "HU", "165", NULL, "Ungarn", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"IDN", "ID", "437", NULL, "Indonesien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"IND", "IN", "436", NULL, "Indien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"IRL", "IE", "135", NULL, "Irland", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"IRN", "IR", "439", NULL, "Iran", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"IRQ", "IQ", "438", NULL, "Irak", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ISL", "IS", "136", NULL, "Island", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ISR", "IL", "441", NULL, "Israel", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ITA", "IT", "137", NULL, "Italien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"JAM", "JM", "355", NULL, "Jamaika", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"JOR", "JO", "445", NULL, "Jordanien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"JPN", "JP", "442", NULL, "Japan", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KAZ", "KZ", "444", NULL, "Kasachstan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KEN", "KE", "243", NULL, "Kenia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KGZ", "KG", "450", NULL, "Kirgisistan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KHM", "KH", "446", NULL, "Kambodscha",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KIR", "KI", "530", NULL, "Kiribati", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KNA", "KN", "370", NULL, "St. Kitts und Nevis",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KOR", "KR", "467", NULL, "Korea, Republik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"KWT", "KW", "448", NULL, "Kuwait", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LAO", "LA", "449", NULL, "Laos", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LBN", "LB", "451", NULL, "Libanon", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LBR", "LR", "247", NULL, "Liberia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LBY", "LY", "248", NULL, "Libyen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LCA", "LC", "366", NULL, "St. Lucia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LIE", "LI", "141", NULL, "Liechtenstein",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LKA", "LK", "431", NULL, "Sri Lanka", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LSO", "LS", "226", NULL, "Lesotho", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LTU", "LT", "142", NULL, "Litauen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LUX", "LU", "143", NULL, "Luxemburg", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"LVA", "LV", "139", NULL, "Lettland", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MAC", "MO", "412", NULL, "Macau", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MAR", "MA", "252", NULL, "Marokko", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MCO", "MC", "147", NULL, "Monaco", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MDA", "MD", "146", NULL, "Moldau", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MDG", "MG", "249", NULL, "Madagaskar",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MDV", "MV", "454", NULL, "Malediven", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MEX", "MX", "353", NULL, "Mexiko", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MHL", "MH", "544", NULL, "Marshallinseln",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MKD", "MK", "144", NULL, "Nordmazedonien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MLI", "ML", "251", NULL, "Mali", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MLT", "MT", "145", NULL, "Malta", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MMR", "MM", "427", NULL, "Myanmar", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MNE", "ME", "140", NULL, "Montenegro",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MNG", "MN", "457", NULL, "Mongolei", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MOZ", "MZ", "254", NULL, "Mosambik", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MRT", "MR", "239", NULL, "Mauretanien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MUS", "MU", "253", NULL, "Mauritius", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MWI", "MW", "256", NULL, "Malawi", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"MYS", "MY", "482", NULL, "Malaysia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NAM", "NA", "267", NULL, "Namibia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NER", "NE", "255", NULL, "Niger", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NGA", "NG", "232", NULL, "Nigeria", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NIC", "NI", "354", NULL, "Nicaragua", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NLD", "NL", "148", NULL, "Niederlande",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NOR", "NO", "149", NULL, "Norwegen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NPL", "NP", "458", NULL, "Nepal", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NRU", "NR", "531", NULL, "Nauru", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"NZL", "NZ", "536", NULL, "Neuseeland",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"OMN", "OM", "456", NULL, "Oman", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PAK", "PK", "461", NULL, "Pakistan", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PAN", "PA", "357", NULL, "Panama", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PER", "PE", "361", NULL, "Peru", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PHL", "PH", "462", NULL, "Philippinen",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PLW", "PW", "537", NULL, "Palau", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PNG", "PG", "538", NULL, "Papua-Neuguinea",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"POL", "PL", "152", NULL, "Polen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PRK", "KP", "434", NULL, "Korea, Demokratische Volksrepublik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PRT", "PT", "153", NULL, "Portugal", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PRY", "PY", "359", NULL, "Paraguay", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"PSE", "PS", "459", NULL, "Palästinensische Gebiete",
     FN_COUNTRY_VERIFIED_DESTATIS}, /* ISO side not in the SVWS catalogue */
    {"QAT", "QA", "447", NULL, "Katar", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ROU", "RO", "154", NULL, "Rumänien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"RUS", "RU", "160", NULL, "Russische Föderation",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"RWA", "RW", "265", NULL, "Ruanda", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SAU", "SA", "472", NULL, "Saudi-Arabien",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SCG", "CS", "132", NULL, "Serbien und Montenegro",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO | FN_COUNTRY_HISTORIC},
    {"SDN", "SD", "277", NULL, "Sudan", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SEN", "SN", "269", NULL, "Senegal", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SGP", "SG", "474", NULL, "Singapur", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SLB", "SB", "524", NULL, "Salomonen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SLE", "SL", "272", NULL, "Sierra Leone",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SLV", "SV", "337", NULL, "El Salvador",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SMR", "SM", "156", NULL, "San Marino",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SOM", "SO", "273", NULL, "Somalia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SRB", "RS", "170", NULL, "Serbien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SSD", "SS", "278", NULL, "Südsudan", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"STP", "ST", "268", NULL, "São Tomé und Príncipe",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SUN", "SU", "159", NULL, "Sowjetunion",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO | FN_COUNTRY_HISTORIC},
    {"SUR", "SR", "364", NULL, "Suriname", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SVK", "SK", "155", NULL, "Slowakei", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SVN", "SI", "131", NULL, "Slowenien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SWE", "SE", "157", NULL, "Schweden", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SWZ", "SZ", "281", NULL, "Eswatini", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SYC", "SC", "271", NULL, "Seychellen",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"SYR", "SY", "475", NULL, "Syrien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TCD", "TD", "284", NULL, "Tschad", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TGO", "TG", "283", NULL, "Togo", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"THA", "TH", "476", NULL, "Thailand", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TJK", "TJ", "470", NULL, "Tadschikistan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TKM", "TM", "471", NULL, "Turkmenistan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TLS", "TL", "483", NULL, "Timor-Leste",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TON", "TO", "541", NULL, "Tonga", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TTO", "TT", "371", NULL, "Trinidad und Tobago",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TUN", "TN", "285", NULL, "Tunesien", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TUR", "TR", "163", NULL, "Türkei", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TUV", "TV", "540", NULL, "Tuvalu", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"TWN", "TW", "465", NULL, "Taiwan",
     FN_COUNTRY_VERIFIED_DESTATIS |
         FN_COUNTRY_VERIFIED_ISO}, /* SVWS lists 158 (= Schweiz), DESTATIS 465 */
    {"TZA", "TZ", "282", NULL, "Tansania", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"UGA", "UG", "286", NULL, "Uganda", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"UKR", "UA", "166", NULL, "Ukraine", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"URY", "UY", "365", NULL, "Uruguay", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"USA", "US", "368", NULL, "Vereinigte Staaten",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"UZB", "UZ", "477", NULL, "Usbekistan",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"VAT", "VA", "167", NULL, "Vatikanstadt",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"VCT", "VC", "369", NULL, "St. Vincent und die Grenadinen",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"VEN", "VE", "367", NULL, "Venezuela", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"VNM", "VN", "432", NULL, "Vietnam", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"VUT", "VU", "532", NULL, "Vanuatu", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"WSM", "WS", "543", NULL, "Samoa", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"XKX", "XK", "150", NULL, "Kosovo",
     FN_COUNTRY_VERIFIED_DESTATIS |
         FN_COUNTRY_SPECIAL}, /* SVWS: XXK; register format and EU: XKX */
    {"XXA", NULL, "997", NULL, "staatenlos",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_SPECIAL}, /* ICAO 9303 */
    {"XXX", NULL, "998", NULL, "ungeklärt",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_SPECIAL}, /* ICAO 9303: unspecified */
    {"YEM", "YE", "421", NULL, "Jemen", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"YUG", "YU", "138", NULL, "Jugoslawien, Bundesrepublik",
     FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO | FN_COUNTRY_HISTORIC},
    {"ZAF", "ZA", "263", NULL, "Südafrika", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ZMB", "ZM", "257", NULL, "Sambia", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
    {"ZWE", "ZW", "233", NULL, "Simbabwe", FN_COUNTRY_VERIFIED_DESTATIS | FN_COUNTRY_VERIFIED_ISO},
};

#define COUNTRY_COUNT (sizeof(countries) / sizeof(countries[0]))

/* Superseded DESTATIS codes and the Ersatzwert 999 that resolve to an entry
 * whose own code differs. */
static const struct {
    const char *destatis;
    const char *iso3;
} destatis_aliases[] = {
    {"120", "YUG"}, /* Jugoslawien (SFRJ, until 1991) */
    {"133", "SRB"}, /* Serbien einschließlich Kosovo (2006–2008) */
    {"276", "SDN"}, /* Sudan einschließlich Südsudan (until 2011) */
    {"999", "XXX"}, /* ohne Angabe – lossy: the original triple is kept */
};

/* Direct indexes (entry index + 1, 0 = none), built once. */
static uint16_t destatis_index[1000];
static uint16_t iso2_index[26 * 26];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static int ascii_upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

/* Parses exactly three ASCII digits; -1 otherwise. */
static int destatis_number(const char *s)
{
    if (!s || strlen(s) != 3)
        return -1;
    int n = 0;
    for (size_t i = 0; i < 3; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

/* Index of a two-letter code in iso2_index; -1 if s is not two letters. */
static int iso2_slot(const char *s)
{
    if (!s || strlen(s) != 2)
        return -1;
    int a = ascii_upper((unsigned char)s[0]), b = ascii_upper((unsigned char)s[1]);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        return -1;
    return (a - 'A') * 26 + (b - 'A');
}

static void build_indexes(void)
{
    for (size_t i = 0; i < COUNTRY_COUNT; i++) {
        int n = destatis_number(countries[i].destatis);
        if (n >= 0)
            destatis_index[n] = (uint16_t)(i + 1);
        int slot = iso2_slot(countries[i].iso2);
        if (slot >= 0 && !(countries[i].flags & FN_COUNTRY_HISTORIC))
            iso2_index[slot] = (uint16_t)(i + 1);
    }
    for (size_t i = 0; i < sizeof destatis_aliases / sizeof destatis_aliases[0]; i++) {
        const struct fn_country *c = fn_country_by_iso3(destatis_aliases[i].iso3);
        int n = destatis_number(destatis_aliases[i].destatis);
        if (c && n >= 0 && destatis_index[n] == 0)
            destatis_index[n] = (uint16_t)(c - countries + 1);
    }
}

size_t fn_countries(const struct fn_country **out)
{
    *out = countries;
    return COUNTRY_COUNT;
}

const struct fn_country *fn_country_by_iso3(const char *iso3)
{
    if (!iso3 || strlen(iso3) != 3)
        return NULL;
    char key[4];
    for (size_t i = 0; i < 3; i++) {
        int c = ascii_upper((unsigned char)iso3[i]);
        if (c < 'A' || c > 'Z')
            return NULL;
        key[i] = (char)c;
    }
    key[3] = '\0';
    size_t lo = 0, hi = COUNTRY_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(key, countries[mid].iso3);
        if (cmp == 0)
            return &countries[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct fn_country *fn_country_by_iso2(const char *iso2)
{
    int slot = iso2_slot(iso2);
    if (slot < 0)
        return NULL;
    pthread_once(&index_once, build_indexes);
    return iso2_index[slot] ? &countries[iso2_index[slot] - 1] : NULL;
}

const struct fn_country *fn_country_by_destatis(const char *code)
{
    int n = destatis_number(code);
    if (n < 0)
        return NULL;
    pthread_once(&index_once, build_indexes);
    return destatis_index[n] ? &countries[destatis_index[n] - 1] : NULL;
}

const struct fn_country *fn_country_by_bfj(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < COUNTRY_COUNT; i++) {
        if (countries[i].bfj && strcmp(countries[i].bfj, code) == 0)
            return &countries[i];
    }
    const struct fn_country *c = fn_country_by_destatis(code);
    /* an entry with its own bfj code is not reachable by its DESTATIS code */
    return (c && !c->bfj) ? c : NULL;
}

int fn_country_valid_iso3(const char *iso3)
{
    return fn_country_by_iso3(iso3) != NULL;
}

/* Checks one string of a received triple. */
static fn_status check_part(const char *s, size_t max, int required)
{
    if (!s)
        return required ? FN_INVALID : FN_OK;
    size_t len = strnlen(s, max + 1);
    if (len == 0 || len > max)
        return FN_INVALID;
    if (!fn_utf8_valid(s, len, NULL))
        return FN_INVALID;
    return FN_OK;
}

fn_status fn_code_copy(struct fn_code_owned *dst, const struct fn_code *src)
{
    fn_status rc = FN_OK;
    struct fn_code_owned tmp = {NULL, NULL, NULL};
    if (!dst || !src)
        return FN_INVALID;
    rc = check_part(src->list_uri, FN_CODE_URI_MAX, 1);
    if (rc)
        goto out;
    rc = check_part(src->list_version, FN_CODE_VERSION_MAX, 0);
    if (rc)
        goto out;
    rc = check_part(src->code, FN_CODE_VALUE_MAX, 1);
    if (rc)
        goto out;
    tmp.list_uri = fn_strdup(src->list_uri);
    tmp.code = fn_strdup(src->code);
    if (src->list_version)
        tmp.list_version = fn_strdup(src->list_version);
    if (!tmp.list_uri || !tmp.code || (src->list_version && !tmp.list_version)) {
        rc = FN_NOMEM;
        goto out;
    }
    *dst = tmp;
    tmp = (struct fn_code_owned){NULL, NULL, NULL};
out:
    fn_code_owned_free(&tmp);
    return rc;
}

void fn_code_owned_free(struct fn_code_owned *c)
{
    if (!c)
        return;
    fn_free(c->list_uri);
    fn_free(c->list_version);
    fn_free(c->code);
    c->list_uri = c->list_version = c->code = NULL;
}

struct fn_code fn_code_owned_view(const struct fn_code_owned *c)
{
    struct fn_code v = {c->list_uri, c->list_version, c->code};
    return v;
}

enum country_list { LIST_NONE, LIST_ISO3, LIST_DESTATIS, LIST_BFJ };

static enum country_list country_list_of(const char *uri)
{
    if (strcmp(uri, FN_LIST_ISO3166_ALPHA3) == 0)
        return LIST_ISO3;
    if (strcmp(uri, FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT) == 0 ||
        strcmp(uri, FN_LIST_DESTATIS_STAAT) == 0)
        return LIST_DESTATIS;
    if (strcmp(uri, FN_LIST_BFJ_STAAT) == 0)
        return LIST_BFJ;
    return LIST_NONE;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

fn_status fn_code_to_country(const struct fn_code *in, const struct fn_country **out)
{
    if (!in || !out)
        return FN_INVALID;
    *out = NULL;
    if (check_part(in->list_uri, FN_CODE_URI_MAX, 1) ||
        check_part(in->list_version, FN_CODE_VERSION_MAX, 0) ||
        check_part(in->code, FN_CODE_VALUE_MAX, 1))
        return FN_INVALID;
    enum country_list list = country_list_of(in->list_uri);
    if (list == LIST_NONE)
        return FN_UNSUPPORTED;
    /* trim: senders pad codes in fixed-width exports */
    const char *s = in->code;
    size_t len = strlen(s);
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    if (len == 0 || len > 7)
        return len == 0 ? FN_INVALID : FN_NOTFOUND;
    char key[8];
    memcpy(key, s, len);
    key[len] = '\0';
    const struct fn_country *c = NULL;
    if (list == LIST_ISO3)
        c = fn_country_by_iso3(key);
    else if (list == LIST_DESTATIS)
        c = fn_country_by_destatis(key);
    else
        c = fn_country_by_bfj(key);
    if (!c)
        return FN_NOTFOUND;
    *out = c;
    return FN_OK;
}

fn_status fn_country_value_from_code(const struct fn_code *in, struct fn_country_value *out)
{
    fn_status rc = FN_OK;
    const struct fn_country *c = NULL;
    if (!out)
        return FN_INVALID;
    out->original = (struct fn_code_owned){NULL, NULL, NULL};
    out->country = NULL;
    rc = fn_code_to_country(in, &c);
    if (rc)
        goto out;
    rc = fn_code_copy(&out->original, in);
    if (rc)
        goto out;
    out->country = c;
out:
    return rc;
}

void fn_country_value_free(struct fn_country_value *v)
{
    if (!v)
        return;
    fn_code_owned_free(&v->original);
    v->country = NULL;
}

fn_status fn_country_to_code(const struct fn_country *c, const char *list_uri,
                             const char *list_version, struct fn_code *out)
{
    if (!c || !list_uri || !out)
        return FN_INVALID;
    const char *code = NULL;
    switch (country_list_of(list_uri)) {
    case LIST_ISO3:
        code = c->iso3;
        break;
    case LIST_DESTATIS:
        code = c->destatis;
        break;
    case LIST_BFJ:
        code = c->bfj ? c->bfj : c->destatis;
        break;
    case LIST_NONE:
        return FN_UNSUPPORTED;
    }
    out->list_uri = list_uri;
    out->list_version = list_version;
    out->code = code;
    return FN_OK;
}
