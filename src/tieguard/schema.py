"""Versioned schema migrations of the warehouse.

Each migration is a list of SQL statements; :func:`migrate` applies those not
yet recorded in ``schema_version``. Never edit a released migration: append a
new one. The canonical data model is documented in ``docs/data-model.md``.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "canonical inputs",
        [
            """CREATE TABLE IF NOT EXISTS imports (
                import_id VARCHAR PRIMARY KEY,      -- sha256 of the file content (+ kind, employee)
                kind VARCHAR NOT NULL,              -- linkedin_connections, linkedin_invitations, vcard, crm, roster
                format VARCHAR NOT NULL,            -- variant recognised, e.g. linkedin_current
                file_name VARCHAR NOT NULL,
                content_sha256 VARCHAR NOT NULL,
                employee_id VARCHAR,                -- whose network, for personal exports
                supplied_by VARCHAR NOT NULL,       -- who supplied it
                basis VARCHAR NOT NULL,             -- legal basis / reason, e.g. consent, legitimate_interest
                encoding VARCHAR,
                exported_on DATE,                   -- snapshot date of a personal export
                imported_at TIMESTAMP NOT NULL,
                rows_read INTEGER NOT NULL,
                rows_quarantined INTEGER NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS quarantine (
                import_id VARCHAR NOT NULL,
                file_name VARCHAR NOT NULL,
                line INTEGER,
                column_name VARCHAR,
                reason VARCHAR NOT NULL,
                raw VARCHAR
            )""",
            """CREATE TABLE IF NOT EXISTS employees (
                employee_id VARCHAR PRIMARY KEY,
                full_name VARCHAR,
                email VARCHAR,
                team VARCHAR,
                job_role VARCHAR,                   -- inside_sales, field_sales, engineering, management, support, ...
                country VARCHAR,                    -- ISO 3166-1 alpha-2
                manager_id VARCHAR,
                hired_on DATE,
                left_on DATE
            )""",
            """CREATE TABLE IF NOT EXISTS profiles (
                employee_id VARCHAR NOT NULL,
                network VARCHAR NOT NULL,           -- linkedin, xing
                profile_url VARCHAR,
                shows_company BOOLEAN DEFAULT TRUE, -- does the public profile name our company
                PRIMARY KEY (employee_id, network)
            )""",
            """CREATE TABLE IF NOT EXISTS privacy_settings (
                employee_id VARCHAR NOT NULL,
                network VARCHAR NOT NULL,
                valid_from DATE NOT NULL,
                connections_visibility VARCHAR NOT NULL,  -- connections | only_me
                PRIMARY KEY (employee_id, network, valid_from)
            )""",
            """CREATE TABLE IF NOT EXISTS tie_people (
                person_key VARCHAR NOT NULL,        -- unique (the loader anti-joins; no index: bulk loads): hash of profile URL, else of name+company
                first_name VARCHAR,                 -- NULLed for unresolved people after resolution
                last_name VARCHAR,
                position VARCHAR,                   -- title or headline as exported
                company VARCHAR,
                profile_url VARCHAR,
                email VARCHAR,
                location VARCHAR,
                country VARCHAR,
                is_pseudonymised BOOLEAN DEFAULT FALSE,
                company_known BOOLEAN,              -- after pseudonymisation: did the company match an account
                company_class VARCHAR,              -- own | competitor | account | other (derived, kept after pseudonymisation)
                person_hash VARCHAR                 -- keyed hash kept after pseudonymisation
            )""",
            """CREATE TABLE IF NOT EXISTS snapshots (
                import_id VARCHAR PRIMARY KEY,
                employee_id VARCHAR NOT NULL,
                network VARCHAR NOT NULL,
                exported_on DATE NOT NULL,
                ties INTEGER NOT NULL,
                hidden_members INTEGER NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS ties (
                tie_id VARCHAR NOT NULL,            -- unique (the loader anti-joins; no index: bulk loads): hash(employee, network, person_key or hidden row)
                employee_id VARCHAR NOT NULL,
                network VARCHAR NOT NULL,
                person_key VARCHAR,                 -- NULL for a hidden/deleted member row
                is_hidden_member BOOLEAN NOT NULL DEFAULT FALSE,
                connected_on DATE,
                first_import_id VARCHAR NOT NULL,
                last_seen_import_id VARCHAR NOT NULL,
                last_seen_on DATE,
                removed_on DATE                     -- first snapshot that no longer lists it
            )""",
            """CREATE TABLE IF NOT EXISTS invitations (
                employee_id VARCHAR NOT NULL,
                network VARCHAR NOT NULL,
                direction VARCHAR NOT NULL,         -- outgoing (employee invited) | incoming
                counterpart_name VARCHAR,
                counterpart_url VARCHAR,
                sent_at TIMESTAMP,
                has_message BOOLEAN,
                import_id VARCHAR NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS accounts (
                account_id VARCHAR PRIMARY KEY,
                name VARCHAR,
                domain VARCHAR,
                country VARCHAR,
                industry VARCHAR,
                account_type VARCHAR,               -- customer, prospect, competitor, partner
                owner_employee_id VARCHAR,
                source VARCHAR
            )""",
            """CREATE TABLE IF NOT EXISTS contacts (
                contact_id VARCHAR PRIMARY KEY,
                account_id VARCHAR,
                first_name VARCHAR,
                last_name VARCHAR,
                title VARCHAR,
                email VARCHAR,
                phone VARCHAR,
                profile_url VARCHAR,
                country VARCHAR,
                owner_employee_id VARCHAR,
                source VARCHAR
            )""",
            """CREATE TABLE IF NOT EXISTS opportunities (
                opportunity_id VARCHAR PRIMARY KEY,
                account_id VARCHAR,
                name VARCHAR,
                stage VARCHAR,
                amount DOUBLE,
                currency VARCHAR,
                created_on DATE,
                close_date DATE,
                is_closed BOOLEAN,
                is_won BOOLEAN,
                owner_employee_id VARCHAR,
                source VARCHAR
            )""",
            """CREATE TABLE IF NOT EXISTS opportunity_stages (
                opportunity_id VARCHAR NOT NULL,
                stage VARCHAR NOT NULL,
                changed_on DATE NOT NULL,
                PRIMARY KEY (opportunity_id, stage, changed_on)
            )""",
            """CREATE TABLE IF NOT EXISTS contact_roles (
                opportunity_id VARCHAR NOT NULL,
                contact_id VARCHAR NOT NULL,
                role VARCHAR,                       -- CRM text: Decision Maker, Economic Buyer, ...
                buying_role VARCHAR,                -- mapped to tieguard label, or NULL
                is_primary BOOLEAN,
                PRIMARY KEY (opportunity_id, contact_id)
            )""",
            """CREATE TABLE IF NOT EXISTS competitors (
                name VARCHAR PRIMARY KEY,           -- known competitor company names
                domain VARCHAR
            )""",
            """CREATE TABLE IF NOT EXISTS organisation (
                key VARCHAR PRIMARY KEY,            -- own_company_name, own_domain, ...
                value VARCHAR
            )""",
        ],
    ),
    (
        2,
        "derived stage outputs",
        [
            """CREATE TABLE IF NOT EXISTS tie_matches (
                person_key VARCHAR PRIMARY KEY,
                contact_id VARCHAR,
                account_id VARCHAR,
                match_probability DOUBLE,
                method VARCHAR,                     -- profile_url, email, probabilistic, review
                evidence VARCHAR,                   -- JSON
                job_change BOOLEAN DEFAULT FALSE,
                status VARCHAR                      -- matched, review, unmatched
            )""",
            """CREATE TABLE IF NOT EXISTS review_decisions (
                person_key VARCHAR NOT NULL,
                candidate_id VARCHAR NOT NULL,      -- contact_id or account_id
                candidate_kind VARCHAR NOT NULL,    -- contact | account
                decision VARCHAR NOT NULL,          -- match | no_match
                decided_by VARCHAR,
                decided_at TIMESTAMP,
                PRIMARY KEY (person_key, candidate_id)
            )""",
            """CREATE TABLE IF NOT EXISTS person_roles (
                person_key VARCHAR PRIMARY KEY,
                seniority VARCHAR,
                function VARCHAR,
                buying_roles VARCHAR,               -- '|'-separated
                role_confidence DOUBLE,
                is_buying_role BOOLEAN
            )""",
            """CREATE TABLE IF NOT EXISTS private_marks (
                employee_id VARCHAR NOT NULL,
                contact_id VARCHAR NOT NULL,
                marked_at TIMESTAMP,
                PRIMARY KEY (employee_id, contact_id)
            )""",
        ],
    ),
]

LATEST_VERSION = max(v for v, _, _ in MIGRATIONS)
