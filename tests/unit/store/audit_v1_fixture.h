/*
 * audit_v1_fixture.h – audit rows written by fallnetz at schema version 7
 * (before the chain format covered every column), taken from `fallnetz demo
 * --persons 3` and `audit show` on that version. Their hashes use chain
 * format 1; after the upgrade they must still verify.
 */
#ifndef FN_TEST_AUDIT_V1_FIXTURE_H
#define FN_TEST_AUDIT_V1_FIXTURE_H

#include "store/store_int.h"
#include "test_db.h"

static const char audit_v1_rows_sql[] =
    "INSERT INTO audit_log "
    "VALUES(1,'2026-12-03T14:15:53.571Z','demo',0,0,'collect','person','1','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,NULL,'0000000000000000000000000000000000000000000000000000000000000000','"
    "0a4202905a905935270a4baf35ec9282142e41b90dbd00badcb081948ffcdb61',NULL);"
    "INSERT INTO audit_log "
    "VALUES(2,'2026-12-03T14:15:53.571Z','demo',0,0,'collect','person','1','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"aufenthaltsstatus\",\"id\":1}','"
    "0a4202905a905935270a4baf35ec9282142e41b90dbd00badcb081948ffcdb61','"
    "592f95745e08d040549a3be2affe36318b38000359defe9f7fb0ffdc9fc76022',NULL);"
    "INSERT INTO audit_log "
    "VALUES(3,'2026-12-03T14:15:53.572Z','demo',0,0,'collect','person','1','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"strafverfahren\",\"id\":1}','"
    "592f95745e08d040549a3be2affe36318b38000359defe9f7fb0ffdc9fc76022','"
    "397cb8c949b2c9854fb2e980406782e250bfe279cfffafccaca6a2270022784f',NULL);"
    "INSERT INTO audit_log "
    "VALUES(4,'2026-12-03T14:15:53.572Z','demo',0,0,'collect','person','1','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"fall\",\"id\":1}','"
    "397cb8c949b2c9854fb2e980406782e250bfe279cfffafccaca6a2270022784f','"
    "d67590bf55a99fc77f17330bae2300cf66164d4bd817ca9dd81881adad7c7801',NULL);"
    "INSERT INTO audit_log "
    "VALUES(5,'2026-12-03T14:15:53.572Z','demo',0,0,'collect','person','1','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"aufgabe\",\"id\":1}','"
    "d67590bf55a99fc77f17330bae2300cf66164d4bd817ca9dd81881adad7c7801','"
    "45598decf220bb7cb839e8505c5e9a48834693d4611b062aa82f565bc08f14be',NULL);"
    "INSERT INTO audit_log "
    "VALUES(6,'2026-12-03T14:15:53.572Z','demo',0,0,'collect','person','2','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,NULL,'45598decf220bb7cb839e8505c5e9a48834693d4611b062aa82f565bc08f14be','"
    "0079d8f91743b0a8ff965338f2dfd5b6498d8ed6ed2415f3a27cfa406a8a6537',NULL);"
    "INSERT INTO audit_log "
    "VALUES(7,'2026-12-03T14:15:53.572Z','demo',0,0,'collect','person','2','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"aufenthaltsstatus\",\"id\":2}','"
    "0079d8f91743b0a8ff965338f2dfd5b6498d8ed6ed2415f3a27cfa406a8a6537','"
    "9d2b8469ef04912f8cdc77d4775219fb5629edd30868752f247e44968c06ea29',NULL);"
    "INSERT INTO audit_log "
    "VALUES(8,'2026-12-03T14:15:53.573Z','demo',0,0,'collect','person','2','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"strafverfahren\",\"id\":2}','"
    "9d2b8469ef04912f8cdc77d4775219fb5629edd30868752f247e44968c06ea29','"
    "ed72fe5dc34297a91e843aee26a6b048cb879cc44060c03e3578b5257abf5127',NULL);"
    "INSERT INTO audit_log "
    "VALUES(9,'2026-12-03T14:15:53.573Z','demo',0,0,'collect','person','2','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"hindernis\",\"id\":1}','"
    "ed72fe5dc34297a91e843aee26a6b048cb879cc44060c03e3578b5257abf5127','"
    "e113ed03b925336dbe5d829e0bd8f91a588bb407c179e8dcc8bc0d81cfc95f90',NULL);"
    "INSERT INTO audit_log "
    "VALUES(10,'2026-12-03T14:15:53.573Z','demo',0,0,'collect','person','2','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"feststellung\",\"id\":1}','"
    "e113ed03b925336dbe5d829e0bd8f91a588bb407c179e8dcc8bc0d81cfc95f90','"
    "bc99a98969c235e6e9ea3257d085136a8c77dd7a8c668cf59c763b824841127e',NULL);"
    "INSERT INTO audit_log "
    "VALUES(11,'2026-12-03T14:15:53.573Z','demo',0,0,'collect','person','3','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,NULL,'bc99a98969c235e6e9ea3257d085136a8c77dd7a8c668cf59c763b824841127e','"
    "6cda57f07a0168e8d64e579afd46713acb13ff96fee947b5f14daad43a44a181',NULL);"
    "INSERT INTO audit_log "
    "VALUES(12,'2026-12-03T14:15:53.573Z','demo',0,0,'collect','person','3','Erzeugung "
    "synthetischer "
    "Demodaten',NULL,'{\"fakt\":\"aufenthaltsstatus\",\"id\":3}','"
    "6cda57f07a0168e8d64e579afd46713acb13ff96fee947b5f14daad43a44a181','"
    "038d56bbb11c8b94baf456346ec8b706ab194e40e993e0de6f2d56755dfd125b',NULL);"
    "INSERT INTO audit_log "
    "VALUES(13,'2026-12-03T14:15:53.987Z','cli',0,0,'query','audit',NULL,'Datenschutzkontrolle',"
    "NULL,NULL,'038d56bbb11c8b94baf456346ec8b706ab194e40e993e0de6f2d56755dfd125b','"
    "b059ce8c819ef729f6503aa03a89c897b1ff6010352ca55c7185fb3c81243033','15090-796cfd80d73b-1');"
    "UPDATE audit_head SET seq = 13,"
    " hash = 'b059ce8c819ef729f6503aa03a89c897b1ff6010352ca55c7185fb3c81243033'"
    " WHERE one = 1;";

/* Builds at path a SQLite database at schema 7 holding these rows, as an
 * upgrade finds it. */
static inline void audit_v1_database(const char *path)
{
    test_db_exec(path, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                       " applied_at TEXT NOT NULL) STRICT;");
    for (int v = 1; v <= 7; v++) {
        char sql[128];
        test_db_exec(path, store_schema_sql(v));
        snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, 'x')", v);
        test_db_exec(path, sql);
    }
    test_db_exec(path, audit_v1_rows_sql);
}

#endif
