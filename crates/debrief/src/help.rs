//! The examples and exit statuses each command's `--help` ends with.

macro_rules! help {
    ($($name:ident: [$($example:literal),+ $(,)?], $status:literal;)+) => {
        $(pub const $name: &str = concat!(
            "Examples:\n",
            $("  ", $example, "\n",)+
            "\nExit status: ", $status
        );)+
    };
}

help! {
    PARSE: ["debrief parse incident.md", "debrief parse --format json reports/*.md | jq '.record.instants'"],
        "0 when every file was read, 2 when one could not be (missing, a directory, binary, empty).";
    EXPORT: ["debrief export incident.docx.md --to markdown > canonical.md", "debrief export incident.md --to json", "debrief export --all postmortems/"],
        "0 on success, 2 when the file or the directory cannot be read or written.";
    SCHEMA: ["debrief schema > schema/postmortem.schema.json", "debrief schema --openapi"],
        "0.";
    LINT: ["debrief lint postmortems/", "debrief lint --deny warnings --format sarif incident.md > lint.sarif"],
        "0 without errors, 1 with errors (or warnings with --deny warnings), 2 on usage or file errors.";
    IMPORT_CHAT: ["debrief import-chat slack-export.zip --channel inc-checkout --from '2026-03-14 09:30' --to '2026-03-14 13:00'", "debrief import-chat slack-export/ --channel inc-checkout --into 3f2a9c --anonymise"],
        "0, or 2 when the export, the channel, a file of it or a time cannot be read (the message names the file and the field).";
    IMPORT: ["debrief --database sqlite:team.db init", "debrief --database sqlite:team.db import postmortems/", "debrief import --format json exported/"],
        "0 on success, 1 when a file is in conflict (someone else saved its postmortem since it was exported), 2 when a file or the database cannot be read.";
    LIST: ["debrief list", "debrief list --severity SEV1 --from 2024-01-01 --format json"],
        "0, or 2 when the database cannot be opened.";
    SHOW: ["debrief show 3f2a9c", "debrief show 3f2a9c --format json"],
        "0, or 2 when no postmortem has this id (or the start of one) or the database cannot be opened.";
    REVISIONS: ["debrief revisions 3f2a9c"],
        "0, or 2 when no postmortem has this id or the database cannot be opened.";
    DIFF: ["debrief diff 3f2a9c 1 2"],
        "0, or 2 when the postmortem or a revision does not exist.";
    SEARCH: ["debrief search \"connection pool\"", "debrief search 'replica*' --service payments --format json"],
        "0 when something matches, 1 when nothing does (like grep), 2 on a bad query or database.";
    FACETS: ["debrief facets", "debrief facets 'dns' --from 2024-01-01 --format json"],
        "0, or 2 on a bad query or database.";
    ACTIONS: ["debrief actions --open", "debrief actions --overdue --owner @dana --format json"],
        "0, or 2 when the database cannot be opened.";
    DELETE: ["debrief delete 3f2a9c"],
        "0, or 2 when no postmortem has this id.";
    UNDELETE: ["debrief undelete 3f2a9c"],
        "0, or 2 when no deleted postmortem has this id.";
    VERIFY: ["debrief verify", "debrief verify --repair --format json"],
        "0 when everything checks, 1 on any problem found, 2 when the database cannot be opened.";
    SERVE: ["debrief --database sqlite:demo.db serve --demo", "debrief serve --bind localhost:8080 --behind-proxy"],
        "0 after a clean shutdown (SIGTERM or Ctrl-C), 2 when the address or the database cannot be used.";
    INIT: ["debrief --database sqlite:team.db init", "debrief --database postgres://debrief@db/debrief init"],
        "0 when the database is ready, 2 when it cannot be created.";
    METRICS: ["debrief metrics incident.md", "debrief metrics postmortems/ --summary --by service --format csv"],
        "0, or 2 when a named file cannot be read.";
    BACKUP_CREATE: ["debrief backup create nightly.bak"],
        "0 when the backup is written, 2 when it cannot be.";
    BACKUP_DRILL: ["debrief backup drill nightly.bak", "debrief backup drill nightly.bak --into postgres://debrief@db/drill"],
        "0 only when the restore equals the backup, 1 when it differs, 2 when the file cannot be read.";
    USER_ADD: ["debrief user add dana --role editor --password-file pw.txt"],
        "0, or 2 when the database cannot be written.";
    USER_REMOVE: ["debrief user remove rita"],
        "0, or 2 when there is no such user.";
    USER_PASSWD: ["debrief user passwd rita", "debrief user passwd ci --password-file /run/secrets/ci"],
        "0, or 2 when there is no such user or the password is refused.";
    USER_LIST: ["debrief user list --format json"],
        "0, or 2 when the database cannot be opened.";
    TOKEN_CREATE: ["debrief token create --user ci --label deploys --expires-days 90"],
        "0, or 2 when the user does not exist.";
    TOKEN_REVOKE: ["debrief token revoke --user dana", "debrief token revoke --token 8c1f0a3b22"],
        "0, or 2 when the user or the token is unknown.";
    TOKEN_LIST: ["debrief token list"],
        "0, or 2 when the database cannot be opened.";
    HOOK_CREATE: ["debrief hook create prod-alerts", "debrief hook create prod-alerts --service-label app --severity critical=SEV1 --severity warning=SEV3", "debrief hook create deploys --kind events --window-minutes 120"],
        "0, or 2 when the name is taken or not a valid name.";
    EVENT_ADD: ["debrief event add --service checkout --text 'deployed checkout-api 812' --source deploy --id deploy-812 --link https://ci.example/812", "debrief event add --postmortem 3f2a9c --at '2026-03-14 10:21' --text 'feature flag new-cart off' --source feature-flag"],
        "0, or 2 when the postmortem, the service's draft, a time or a kind cannot be found or read.";
    HOOK_REVOKE: ["debrief hook revoke prod-alerts"],
        "0, or 2 when there is no live hook of that name.";
    HOOK_LIST: ["debrief hook list"],
        "0, or 2 when the database cannot be opened.";
    AUDIT_VERIFY: ["debrief audit verify"],
        "0 when the hash chain is whole, 1 when a row was edited or removed.";
    ADMIN_PURGE: ["debrief admin purge 3f2a9c --yes"],
        "0, or 2 without --yes or when no postmortem has this id.";
}
