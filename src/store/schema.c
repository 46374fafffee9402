/* schema.c – versioned schema of the SQLite store (one entry per version). */
#include "store/store_int.h"

static const char *const migrations[] = {
    /* version 1 */
    "CREATE TABLE region ("
    " id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL) STRICT;"
    "CREATE TABLE organisation ("
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " region_id INTEGER REFERENCES region(id)) STRICT;"
    "CREATE TABLE app_user ("
    " id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,"
    " role TEXT NOT NULL, org_id INTEGER REFERENCES organisation(id)) STRICT;"
    "CREATE TABLE person ("
    " id INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, azr_nr TEXT,"
    " family_name TEXT, given_names TEXT, birth_name TEXT, sex TEXT NOT NULL DEFAULT 'u',"
    " birth_date TEXT, birth_place TEXT, birth_country TEXT, nationalities TEXT,"
    " identity TEXT, identity_basis TEXT, residence TEXT, residence_since TEXT,"
    " address_street TEXT, address_postcode TEXT, address_municipality TEXT,"
    " authority_id INTEGER REFERENCES organisation(id), authority_code TEXT,"
    " updated_at TEXT) STRICT;"
    "CREATE INDEX person_authority ON person(authority_id);"
    "CREATE INDEX person_azr ON person(azr_nr);"
    "CREATE TABLE person_alias ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " family_name TEXT, given_names TEXT, birth_date TEXT) STRICT;"
    "CREATE INDEX person_alias_person ON person_alias(person_id);"
    "CREATE TABLE travel_document ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " kind TEXT, number TEXT, issuing_state TEXT, valid_until TEXT,"
    " verified INTEGER NOT NULL DEFAULT 0) STRICT;"
    "CREATE INDEX travel_document_person ON travel_document(person_id);"
    "CREATE TABLE residence_status ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " status TEXT NOT NULL, since TEXT, until TEXT, legal_basis TEXT, enforceable_since TEXT,"
    " departure_deadline TEXT) STRICT;"
    "CREATE INDEX residence_status_person ON residence_status(person_id);"
    "CREATE TABLE proceeding ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, file_number TEXT, authority_id INTEGER REFERENCES organisation(id),"
    " offences TEXT, offence_date TEXT, decision_date TEXT, sentence TEXT,"
    " sentence_months INTEGER NOT NULL DEFAULT 0, suspended INTEGER NOT NULL DEFAULT 0,"
    " intentional INTEGER NOT NULL DEFAULT 0, final_date TEXT, consent TEXT) STRICT;"
    "CREATE INDEX proceeding_person ON proceeding(person_id);"
    "CREATE TABLE custody ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " prison_id INTEGER REFERENCES organisation(id), kind TEXT NOT NULL, start TEXT,"
    " planned_release TEXT, released TEXT, decision_456a INTEGER NOT NULL DEFAULT 0,"
    " decision_456a_date TEXT, transferred_from INTEGER REFERENCES custody(id)) STRICT;"
    "CREATE INDEX custody_person ON custody(person_id);"
    "CREATE TABLE legal_obstacle ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, since TEXT, until TEXT, note TEXT) STRICT;"
    "CREATE INDEX legal_obstacle_person ON legal_obstacle(person_id);"
    "CREATE TABLE finding ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, established_by INTEGER REFERENCES organisation(id), date TEXT,"
    " reference TEXT, note TEXT) STRICT;"
    "CREATE INDEX finding_person ON finding(person_id);"
    "CREATE TABLE case_file ("
    " id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " authority_id INTEGER REFERENCES organisation(id), region_id INTEGER REFERENCES region(id),"
    " status TEXT NOT NULL, tags TEXT, opened TEXT, closed TEXT) STRICT;"
    "CREATE INDEX case_file_person ON case_file(person_id);"
    "CREATE TABLE case_conference ("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,"
    " date TEXT, participants TEXT, minutes TEXT) STRICT;"
    "CREATE INDEX case_conference_case ON case_conference(case_id);"
    "CREATE TABLE task ("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,"
    " owner_id INTEGER REFERENCES app_user(id), title TEXT NOT NULL, deadline TEXT,"
    " status TEXT NOT NULL) STRICT;"
    "CREATE INDEX task_case ON task(case_id);"
    "CREATE TABLE document ("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,"
    " title TEXT NOT NULL, kind TEXT, file_name TEXT, media_type TEXT, size INTEGER,"
    " sha256 TEXT) STRICT;"
    "CREATE INDEX document_case ON document(case_id);"
    /* The audit log is append-only: triggers refuse changes; the head row
     * lets verify notice rows cut off at the end. */
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY, at TEXT NOT NULL, login TEXT NOT NULL, user_id INTEGER,"
    " org_id INTEGER, kind TEXT NOT NULL, entity TEXT NOT NULL, record_ids TEXT,"
    " purpose TEXT NOT NULL, recipient TEXT, details TEXT, prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL) STRICT;"
    "CREATE TABLE audit_head (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;"
    "INSERT INTO audit_head VALUES (1, 0, "
    "'0000000000000000000000000000000000000000000000000000000000000000');"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head"
    " BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;",
    /* version 2: retention (§ 76 Abs. 4 BDSG). Rows up to the checkpoint may
     * be deleted; the checkpoint keeps the seq and hash of the last deleted
     * row so that the rest of the chain still verifies. The checkpoint only
     * moves forward and only onto a row that exists with that hash. */
    "CREATE TABLE audit_checkpoint (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " seq INTEGER NOT NULL, hash TEXT NOT NULL, pruned_at TEXT) STRICT;"
    "INSERT INTO audit_checkpoint VALUES (1, 0, "
    "'0000000000000000000000000000000000000000000000000000000000000000', NULL);"
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint"
    " BEGIN SELECT RAISE(ABORT, 'audit_checkpoint cannot be deleted'); END;"
    "CREATE TRIGGER audit_checkpoint_forward BEFORE UPDATE ON audit_checkpoint"
    " WHEN NEW.seq < OLD.seq OR NOT EXISTS (SELECT 1 FROM audit_log"
    " WHERE seq = NEW.seq AND hash = NEW.hash)"
    " BEGIN SELECT RAISE(ABORT, 'audit_checkpoint moves only forward onto an existing row');"
    " END;"
    "DROP TRIGGER audit_log_no_delete;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " WHEN OLD.seq > (SELECT seq FROM audit_checkpoint WHERE one = 1)"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
    /* version 3: rows chained from a read spool (spool.c) carry the spool's
     * row key, so a spool chained twice after a crash adds each row once. */
    "ALTER TABLE audit_log ADD COLUMN spool_id TEXT;"
    "CREATE UNIQUE INDEX audit_log_spool ON audit_log(spool_id) WHERE spool_id IS NOT NULL;",
    /* version 4: person.fact_mask says which child tables hold rows for the
     * person (bits in the order alias, document, residence, proceeding,
     * custody, obstacle, finding, case), so reading a file skips empty
     * tables. Triggers set the bits on every insert, whatever the code path;
     * deletes leave them set, which only costs a query that finds nothing. */
    "ALTER TABLE person ADD COLUMN fact_mask INTEGER NOT NULL DEFAULT 0;"
    "UPDATE person SET fact_mask ="
    " (CASE WHEN EXISTS (SELECT 1 FROM person_alias WHERE person_id = person.id)"
    " THEN 1 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM travel_document WHERE person_id = person.id)"
    " THEN 2 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM residence_status WHERE person_id = person.id)"
    " THEN 4 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM proceeding WHERE person_id = person.id)"
    " THEN 8 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM custody WHERE person_id = person.id)"
    " THEN 16 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM legal_obstacle WHERE person_id = person.id)"
    " THEN 32 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM finding WHERE person_id = person.id)"
    " THEN 64 ELSE 0 END)"
    " |"
    " (CASE WHEN EXISTS (SELECT 1 FROM case_file WHERE person_id = person.id)"
    " THEN 128 ELSE 0 END)"
    ";"
    "CREATE TRIGGER person_alias_mask_insert AFTER INSERT ON person_alias"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 1 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER person_alias_mask_move AFTER UPDATE OF person_id ON person_alias"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 1 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER travel_document_mask_insert AFTER INSERT ON travel_document"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 2 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER travel_document_mask_move AFTER UPDATE OF person_id ON travel_document"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 2 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER residence_status_mask_insert AFTER INSERT ON residence_status"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 4 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER residence_status_mask_move AFTER UPDATE OF person_id ON residence_status"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 4 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER proceeding_mask_insert AFTER INSERT ON proceeding"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 8 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER proceeding_mask_move AFTER UPDATE OF person_id ON proceeding"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 8 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER custody_mask_insert AFTER INSERT ON custody"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 16 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER custody_mask_move AFTER UPDATE OF person_id ON custody"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 16 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER legal_obstacle_mask_insert AFTER INSERT ON legal_obstacle"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 32 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER legal_obstacle_mask_move AFTER UPDATE OF person_id ON legal_obstacle"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 32 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER finding_mask_insert AFTER INSERT ON finding"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 64 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER finding_mask_move AFTER UPDATE OF person_id ON finding"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 64 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER case_file_mask_insert AFTER INSERT ON case_file"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 128 WHERE id = NEW.person_id; END;"
    "CREATE TRIGGER case_file_mask_move AFTER UPDATE OF person_id ON case_file"
    " BEGIN UPDATE person SET fact_mask = fact_mask | 128 WHERE id = NEW.person_id; END;",
    /* version 5: assessments with their trace, and the decisions people make
     * on them. Both are append-only: a new assessment or decision supersedes,
     * nothing is rewritten. */
    "CREATE TABLE assessment ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " at TEXT NOT NULL, catalog_version TEXT NOT NULL, catalog_hash TEXT NOT NULL,"
    " blocked INTEGER NOT NULL, band TEXT NOT NULL, points INTEGER NOT NULL,"
    " feasibility TEXT NOT NULL, trace TEXT NOT NULL) STRICT;"
    "CREATE INDEX assessment_person ON assessment(person_id, id);"
    "CREATE TABLE decision ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " assessment_id INTEGER NOT NULL REFERENCES assessment(id),"
    " at TEXT NOT NULL, login TEXT NOT NULL, second_login TEXT,"
    " outcome TEXT NOT NULL CHECK (outcome IN ('aufnehmen', 'ablehnen')),"
    " reason TEXT NOT NULL CHECK (length(reason) > 0), override_kind TEXT) STRICT;"
    "CREATE INDEX decision_person ON decision(person_id, id);"
    "CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment"
    " BEGIN SELECT RAISE(ABORT, 'assessments are kept as computed'); END;"
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision"
    " BEGIN SELECT RAISE(ABORT, 'decisions are kept as recorded'); END;",
    /* version 6: a digest per assessment, so `assess --all --store` keeps a new
     * assessment only when something it depends on changed. */
    "ALTER TABLE assessment ADD COLUMN digest TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX assessment_digest ON assessment(person_id, digest);",
    /* version 7: every change to a person or a fact about them marks the
     * person as due for re-assessment (assess --due, and the server's
     * background re-assessment); triggers, so no write path can forget it. */
    "CREATE TABLE assessment_due (person_id INTEGER PRIMARY KEY) STRICT;"
    "INSERT INTO assessment_due SELECT id FROM person;"
    "CREATE TRIGGER person_due_insert AFTER INSERT ON person"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.id); END;"
    "CREATE TRIGGER person_due_update AFTER UPDATE ON person"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.id); END;"
    "CREATE TRIGGER person_alias_due_insert AFTER INSERT ON person_alias"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER person_alias_due_update AFTER UPDATE ON person_alias"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER person_alias_due_delete AFTER DELETE ON person_alias"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER travel_document_due_insert AFTER INSERT ON travel_document"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER travel_document_due_update AFTER UPDATE ON travel_document"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER travel_document_due_delete AFTER DELETE ON travel_document"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER residence_status_due_insert AFTER INSERT ON residence_status"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER residence_status_due_update AFTER UPDATE ON residence_status"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER residence_status_due_delete AFTER DELETE ON residence_status"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER proceeding_due_insert AFTER INSERT ON proceeding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER proceeding_due_update AFTER UPDATE ON proceeding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER proceeding_due_delete AFTER DELETE ON proceeding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER custody_due_insert AFTER INSERT ON custody"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER custody_due_update AFTER UPDATE ON custody"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER custody_due_delete AFTER DELETE ON custody"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER legal_obstacle_due_insert AFTER INSERT ON legal_obstacle"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER legal_obstacle_due_update AFTER UPDATE ON legal_obstacle"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER legal_obstacle_due_delete AFTER DELETE ON legal_obstacle"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER finding_due_insert AFTER INSERT ON finding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER finding_due_update AFTER UPDATE ON finding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER finding_due_delete AFTER DELETE ON finding"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;"
    "CREATE TRIGGER case_file_due_insert AFTER INSERT ON case_file"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER case_file_due_update AFTER UPDATE ON case_file"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (NEW.person_id); END;"
    "CREATE TRIGGER case_file_due_delete AFTER DELETE ON case_file"
    " BEGIN INSERT OR IGNORE INTO assessment_due VALUES (OLD.person_id); END;",
    /* version 8: chain format 2 hashes every column of a row (format 1 left
     * out spool_id). Rows written before keep format 1 and verify with it;
     * every new row must be format 2, and audit verify refuses a format 1
     * row after a format 2 row, so the switch point cannot move back. */
    "ALTER TABLE audit_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TRIGGER audit_log_current_format BEFORE INSERT ON audit_log"
    " WHEN NEW.hash_version IS NOT 2"
    " BEGIN SELECT RAISE(ABORT, 'audit_log rows are written in chain format 2'); END;",
    /* version 9: accounts with roles (auth/role.h), an argon2id hash and an
     * active flag; the single legacy role column goes (its values map onto
     * the roles of issue 11). API tokens of machine clients, kept as digests. */
    "ALTER TABLE app_user ADD COLUMN roles TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE app_user ADD COLUMN password_hash TEXT;"
    "ALTER TABLE app_user ADD COLUMN active INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE app_user ADD COLUMN created_at TEXT;"
    "UPDATE app_user SET roles = CASE role WHEN 'sachbearbeitung' THEN 'sachbearbeitung'"
    " WHEN 'leitung' THEN 'koordination' WHEN 'datenschutz' THEN 'datenschutz'"
    " WHEN 'administration' THEN 'admin' ELSE 'sachbearbeitung' END;"
    "ALTER TABLE app_user DROP COLUMN role;"
    "CREATE TABLE api_token ("
    " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisation(id),"
    " scope TEXT NOT NULL CHECK (scope IN ('intake')), digest TEXT NOT NULL UNIQUE,"
    " label TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL, created_at TEXT NOT NULL,"
    " expires_at TEXT NOT NULL, revoked_at TEXT) STRICT;",
    /* version 10: web sessions in the store (issue 12), so that a restart
     * keeps them and every server on the database accepts them. Only the
     * digest of the cookie's token is kept; the CSRF token is derived from
     * the token (auth/session.h), so nothing of it is stored. roles and
     * org_id are the account's at login: a change ends the session. Times
     * are seconds since the epoch; last_seen is written at most once a
     * minute per session. */
    "CREATE TABLE web_session ("
    " id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE,"
    " user_id INTEGER NOT NULL REFERENCES app_user(id), roles TEXT NOT NULL,"
    " org_id INTEGER NOT NULL, idle_s INTEGER NOT NULL, created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL, expires_at INTEGER NOT NULL, ended_at INTEGER) STRICT;"
    "CREATE INDEX web_session_user ON web_session(user_id);",
    /* version 11: a version per person record (issue 12), for optimistic
     * concurrency: every change of the row increments it in the same
     * UPDATE, and a change names the version it was made on, so two
     * servers editing the same person cannot both win (no lost update).
     * Plain SQL that PostgreSQL runs unchanged. */
    "ALTER TABLE person ADD COLUMN version INTEGER NOT NULL DEFAULT 1;",
};

const char *store_schema_sql(int version)
{
    if (version < 1 || (size_t)version > sizeof migrations / sizeof migrations[0])
        return NULL;
    return migrations[version - 1];
}
