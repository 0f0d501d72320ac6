/* The command table (libgit2 cli_cmds[]): one row per command, one cmd_<name>.c each, one page
 * docs/cli/<name>.md each (tests/unit/cli/commands.c checks all three). */
#include "cli.h"

#include <string.h>

/* clang-format off */
const khm_cmd khm_commands[] = {
    { "help", khm_cmd_help, "Show the commands, or one command's manual page",
      "Usage: khomun help [COMMAND]\n"
      "\n"
      "Without COMMAND, list the commands. With COMMAND, print its manual page\n"
      "(the same text as docs/cli/COMMAND.md).\n" },
    { "version", khm_cmd_version, "Print the version",
      "Usage: khomun version [--format table|json]\n"
      "\n"
      "  --format FORMAT   table (default) or json\n" },
    { "init", khm_cmd_init, "Create a data directory with its keys, first agency and admin token",
      "Usage: khomun init [OPTIONS]\n"
      "\n"
      "Create the data directory (mode 0700) with khomun.db, resources/ and keys/ (three keys,\n"
      "mode 0600), the first agency, an admin user, and print an admin token once.\n"
      "\n"
      "  --data DIR               data directory (default ./khomun-data, or $KHOMUN_DATA)\n"
      "  --db URI                 database instead of DIR/khomun.db\n"
      "  --agency SLUG            first agency's slug (default demo)\n"
      "  --agency-name-th NAME    its Thai name (default หน่วยงานสาธิต)\n"
      "  --agency-name-en NAME    its English name (default Demo Agency)\n"
      "  --admin NAME             the admin user's name (default admin)\n"
      "  --demo                   also seed the demo agencies and users\n"
      "  --format FORMAT          table (default) or json\n"
      "\n"
      "Exit status: 0 done, 4 already initialised, 5 invalid option value, 8 cannot write DIR.\n" },
    { "serve", khm_cmd_serve, "Run the HTTP API and web UI",
      "Usage: khomun serve [OPTIONS]\n"
      "\n"
      "Serve the HTTP API (/api/v1/...) and the web UI (/) until SIGINT or SIGTERM; then finish\n"
      "in-flight requests and close the store cleanly.\n"
      "\n"
      "  --data DIR          data directory (default ./khomun-data, or $KHOMUN_DATA)\n"
      "  --db URI            database instead of DIR/khomun.db\n"
      "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0 = any free\n"
      "                      port; [::1]:8080 for IPv6)\n"
      "  --threads N         worker threads (default: one per core)\n"
      "  --max-body BYTES    request body cap (default 1048576; suffixes k, m)\n"
      "  --log-level LEVEL   debug, info (default; one access-log line per request), warn, error\n"
      "  --policy FILE       access policy (JSON, docs/policy.md) instead of the default; reloaded\n"
      "                      when the file changes or on SIGHUP (a bad file changes nothing)\n"
      "  --demo              initialise DIR if it is missing (printing an admin token) and seed\n"
      "                      demo agencies and users once\n"
      "\n"
      "Prints 'khomun: listening on http://HOST:PORT' on stderr when ready. Logs are JSON lines\n"
      "on stderr.\n"
      "Exit status: 0 after a clean stop, 3 DIR not initialised, 5 invalid option value,\n"
      "8 cannot listen, 9 store unavailable.\n" },
    { "agency", khm_cmd_agency, "Add and list agencies",
      "Usage: khomun agency add --slug SLUG --name-th NAME [--name-en NAME] [DETAILS]\n"
      "       khomun agency list [--format table|json]\n"
      "       khomun agency show AGENCY [--format table|json]\n"
      "       khomun agency set AGENCY [--name-th NAME] [--name-en NAME] [DETAILS]\n"
      "\n"
      "  --slug SLUG          short id: lower-case letters, digits, '-' (2-63)\n"
      "  --name-th NAME       Thai name (required)\n"
      "  --name-en NAME       English name\n"
      "DETAILS (set changes only those given; '' clears one):\n"
      "  --ministry NAME      the ministry (กระทรวง)\n"
      "  --parent AGENCY      parent agency (slug or id; no cycles)\n"
      "  --address TEXT, --phone TEXT, --email ADDRESS, --website URL   public contact\n"
      "  --dpo-user USER      the DPO, a user of the agency (not with add: no users yet)\n"
      "  --dpo-name NAME      the DPO's public name (PDPA s.41)\n"
      "  --dpo-email ADDRESS, --dpo-phone TEXT   the DPO's public contact (one needed)\n"
      "  --data DIR, --db URI, --format FORMAT as for every command\n"
      "\n"
      "show prints the record and its gaps: no_dpo (PDPA s.41), no_contact (s.39(3)).\n" },
    { "export", khm_cmd_export, "Export records: the record of processing (ROPA)",
      "Usage: khomun export ropa [--format csv|json] [--agency AGENCY] [--output FILE]\n"
      "\n"
      "Write the record of processing activities of PDPA s.39: every agency's, or one's.\n"
      "csv: UTF-8 with a BOM (Excel), Thai headers with the eight items of s.39 in order;\n"
      "json (default): agencies with their completeness and every activity and refusal.\n"
      "\n"
      "  --format FORMAT   csv or json (default json)\n"
      "  --agency AGENCY   only this agency (slug or id)\n"
      "  --output FILE     write FILE (created, never overwritten; default stdout)\n"
      "  --data DIR, --db URI as for every command\n"
      "\n"
      "Exit status: 0 written, 3 not initialised or no such agency, 4 FILE exists, 5 invalid\n"
      "value, 8 cannot write.\n" },
    { "ropa", khm_cmd_ropa, "List and check the record of processing (PDPA s.39)",
      "Usage: khomun ropa list [--agency AGENCY] [--format table|json]\n"
      "       khomun ropa show ID [--format table|json]\n"
      "       khomun ropa completeness --agency AGENCY [--format table|json]\n"
      "\n"
      "list: the activities of the record (every agency's, or one's) with their completeness;\n"
      "show: one activity as JSON; completeness: which s.39 items each activity lacks, the\n"
      "s.41 DPO gap and one figure 0-100.\n"
      "\n"
      "  --agency AGENCY   the agency (slug or id)\n"
      "  --data DIR, --db URI, --format FORMAT as for every command\n" },
    { "user", khm_cmd_user, "Add and list users",
      "Usage: khomun user add --name NAME --agency AGENCY --role ROLE [OPTIONS]\n"
      "       khomun user list [--agency AGENCY] [--format table|json]\n"
      "\n"
      "  --name NAME            login name: lower-case letters, digits, '.', '_', '-' (2-63)\n"
      "  --agency AGENCY        agency slug or id\n"
      "  --role ROLE            admin, dpo, owner, steward, custodian, analyst or auditor\n"
      "  --display-name NAME    name shown to people\n"
      "  --email ADDRESS        e-mail address\n"
      "  --clearance LEVEL      public, internal (default), confidential, secret, top_secret\n"
      "  --data DIR, --db URI, --format FORMAT as for every command\n" },
    { "token", khm_cmd_token, "Create, list and revoke API tokens",
      "Usage: khomun token create --user USER [--name NAME] [--expires DURATION]\n"
      "       khomun token list [--user USER] [--format table|json]\n"
      "       khomun token revoke ID\n"
      "\n"
      "  --user USER          user name or id\n"
      "  --name NAME          label for the token (default api)\n"
      "  --expires DURATION   lifetime: 3600s, 90m, 12h, 30d (60s to 10 years; default never)\n"
      "  --data DIR, --db URI, --format FORMAT as for every command\n"
      "\n"
      "The token is printed once by 'create' and stored only as a SHA-256 hash.\n" },
    { "audit", khm_cmd_audit, "Verify, export and archive the tamper-evident audit trail",
      "Usage: khomun audit verify [--from SEQ] [--export FILE] [--public-key FILE]\n"
      "                           [--format table|json]\n"
      "       khomun audit export [--from SEQ] [--to SEQ] [--output FILE]\n"
      "       khomun audit archive --before SEQ --output FILE [--format table|json]\n"
      "\n"
      "verify checks every hash link and every signed checkpoint of the audit trail in the data\n"
      "directory, or of an export file (--export FILE, '-' for stdin) offline, and names the\n"
      "first bad position: a modified, deleted, inserted or reordered event, a truncated tail,\n"
      "a forged checkpoint, or a broken archive anchor. export writes JSON Lines (a header, the\n"
      "checkpoints, the events). archive moves the oldest events, up to SEQ rounded down to a\n"
      "signed checkpoint, into FILE (an export that verifies offline), then deletes them from\n"
      "the store; the chain continues from the signed archive anchor.\n"
      "\n"
      "  --from SEQ          first event (default 1)\n"
      "  --to SEQ            last event to export (default: the head)\n"
      "  --before SEQ        archive the events up to SEQ (at most the newest checkpoint)\n"
      "  --export FILE       verify this export instead of the store\n"
      "  --public-key FILE   Ed25519 public key, 32 bytes or 64 hex digits\n"
      "                      (default DIR/keys/signing.pub)\n"
      "  --output FILE       export or archive to FILE (created, never overwritten; export\n"
      "                      default stdout)\n"
      "  --data DIR, --db URI, --format FORMAT as for every command\n"
      "\n"
      "Exit status: 0 intact (or written), 10 tampering found, 3 not initialised, 5 invalid\n"
      "value, 8 cannot read or write.\n" },
    { "scan", khm_cmd_scan, "Find personal data in files, directories and stdin",
      "Usage: khomun scan [--format table|json|jsonl|sarif] [--show-values] [--jobs N]\n"
      "                   [--input-format auto|csv|tsv|json|jsonl|text]\n"
      "                   [--encoding auto|utf-8|utf-16le|utf-16be|tis-620]\n"
      "                   [--types TYPE,...] [--config FILE] [--no-progress] PATH... | -\n"
      "\n"
      "Scan files, directories (recursively, symbolic links to directories not followed) and\n"
      "stdin ('-') for personal and sensitive (PDPA s.26) data: Thai national IDs, phones,\n"
      "e-mails, names, addresses, dates of birth, religion, health ... (docs/detectors/).\n"
      "Streams in bounded memory; gzip, UTF-16 and TIS-620 are decoded; CSV/TSV columns and\n"
      "JSON fields get a dominant type, and a header or field path is context for its values.\n"
      "\n"
      "  --format FORMAT        table (default), json (one document), jsonl (one record a\n"
      "                         line) or sarif (SARIF 2.1.0); docs/scan-output.md\n"
      "  --show-values          print found values; by default they are masked\n"
      "                         (1-2345-XXXXX-XX-1, 08X-XXX-5678, s****@example.com)\n"
      "  --jobs N               files scanned at once (default: the number of CPUs)\n"
      "  --input-format FORMAT  auto (default: by extension, then content), csv, tsv, json,\n"
      "                         jsonl or text\n"
      "  --encoding ENCODING    auto (default: BOM, UTF-8, TIS-620), utf-8, utf-16le,\n"
      "                         utf-16be or tis-620\n"
      "  --types LIST           only these detectors, e.g. TH_TNIN,PHONE_NUMBER\n"
      "  --config FILE          custom detectors (docs/scan-config.md)\n"
      "  --no-progress          no progress line on a terminal\n"
      "\n"
      "Exit status: 0 every file scanned, 2 usage, 5 invalid --config file, 8 a path could\n"
      "not be read or failed part-way (the others were still scanned).\n" },
};
/* clang-format on */

const size_t khm_command_count = sizeof(khm_commands) / sizeof(khm_commands[0]);

const khm_cmd *khm_cli_find(const char *name)
{
    for (size_t i = 0; i < khm_command_count; i++)
        if (strcmp(khm_commands[i].name, name) == 0)
            return &khm_commands[i];
    return NULL;
}
