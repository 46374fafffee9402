/*
 * mandatory_gates.h – the legal bars every loadable catalogue must gate
 * (catalog.c, assess_mandatory_gates), as catalogue text for the tests'
 * own small catalogues. Appended after a test's rules, so the line numbers
 * the tests check stay where they were.
 */
#ifndef FN_TEST_MANDATORY_GATES_H
#define FN_TEST_MANDATORY_GATES_H

#define TEST_GATE(id, cond)                                                                        \
    "\nregel: " id "\ntitel: Pflichtsperre\nnorm: § 60 AufenthG\nfassung: 2024\nwenn: " cond       \
    "\nwirkung: sperre\nerklaerung: Sperre.\n"

#define TEST_MANDATORY_GATES                                                                       \
    TEST_GATE("ZG1", "ausreisepflicht_vollziehbar = nein")                                         \
    TEST_GATE("ZG2", "abschiebungsverbot = ja oder asyl_oder_eilverfahren_anhaengig = ja")         \
    TEST_GATE("ZG3", "duldung = ja")                                                               \
    TEST_GATE("ZG4", "einvernehmen_sta_fehlt = ja")                                                \
    TEST_GATE("ZG6", "minderjaehrig_uebergabe_ungesichert = ja")                                   \
    TEST_GATE("ZB2", "schutzstatus_53_3 = ja")

#endif
