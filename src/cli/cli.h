/* cli.h — what the command files share: the command table row, option parsing helpers, output
 * in table or JSON form, and error reporting through the library's one error table. Commands
 * parse, call libkhomun and format; they hold no domain logic. */
#ifndef KHM_CLI_H
#define KHM_CLI_H

#include <khomun/arena.h>
#include <khomun/buf.h>
#include <khomun/store.h>

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full --help text */
} khm_cmd;

extern const khm_cmd khm_commands[];
extern const size_t khm_command_count;

const khm_cmd *khm_cli_find(const char *name);

/* Output format of listings. */
typedef enum { KHM_OUT_TABLE = 0, KHM_OUT_JSON } khm_out;

/* Common options every command understands. */
typedef struct {
    const char *data_dir; /* --data, $KHOMUN_DATA, "khomun-data" */
    const char *db;       /* --db */
    khm_out format;       /* --format */
} khm_common;

/* One subcommand of a command ("agency add"): a row of that command's table. */
typedef struct {
    const char *name;
    int (*fn)(const khm_cmd *cmd, int argc, char **argv); /* argv[0] is the subcommand */
} khm_subcmd;

/*
 * Run the subcommand named by argv[1] from @p subs (ended by {NULL}); "--help" prints the
 * command's usage; a missing or unknown name is a usage error listing the names.
 */
int khm_cli_dispatch(const char *command, const khm_subcmd *subs, int argc, char **argv);

/* An option of a command, besides the common ones: a string value or a flag. A row named like
 * a common option ("format") replaces it. */
typedef struct {
    const char *name; /* long name, without "--" */
    const char **str; /* receives the value (an option that takes one), or NULL */
    int *flag;        /* set to 1 (an option that takes none), or NULL */
} khm_cli_opt;

#define KHM_CLI_MAX_OPTS 24

/*
 * Parse argv (argv[0] is the command or subcommand): the common options and @p opts (ended by
 * {NULL}), then at most @p max_args positional arguments, left in *@p args / *@p nargs (may be
 * NULL when max_args is 0). Returns -1 when the caller should go on, else the exit status to
 * return at once (0 after --help; 2 for a usage error, already reported).
 */
int khm_cli_parse(const khm_cmd *cmd, khm_common *c, const khm_cli_opt *opts, int argc, char **argv,
                  int max_args, char ***args, int *nargs);

/* Report the last library error on stderr and return its exit code. */
int khm_cli_fail(int code);

/* Report a usage error (exit code 2) with a hint at the command's --help. */
int khm_cli_usage(const khm_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the store of the data directory @p c (it must be initialised). */
int khm_cli_open_store(khm_store **out, const khm_common *c, khm_arena *a);

/* The audit actor of a command-line change: "cli:<login>" ($USER, or the account name). */
void khm_cli_actor(char *out, size_t cap);

/*
 * Record a change made from the command line in the audit trail, inside the change's own write
 * transaction @p tx, and sign the new head (the CLI has the keys of @p c's data directory).
 * The actor is "cli:<login>".
 */
int khm_cli_audit(khm_tx *tx, const khm_common *c, const char *action, const char *target);

/* End a command that opened a store: report a failure @p rc (< 0) on stderr, close @p s (may
 * be NULL), free @p a. Returns the exit status. */
int khm_cli_close(int rc, khm_store *s, khm_arena *a);

/* Print @p v as indented JSON on stdout (consumes v). */
int khm_cli_print_json(json_t *v);

/** Write @p b to file @p output (created; an existing file is never overwritten: KHM_EEXISTS)
 *  or to stdout when @p output is NULL or "-". */
int khm_cli_write_out(const char *output, const khm_buf *b);

/* A simple terminal table: columns aligned by display width (Thai-aware). */
typedef struct {
    size_t ncols;
    size_t nrows;
    const char **cells; /* nrows * ncols, row-major; row 0 is the header */
    size_t cap;
    khm_arena *a;
} khm_table;

void khm_table_init(khm_table *t, size_t ncols, khm_arena *a);
int khm_table_row(khm_table *t, const char *const *cells);
void khm_table_print(const khm_table *t);
/* The same text appended to @p out; 0 or the buffer's error. */
int khm_table_format(const khm_table *t, khm_buf *out);

/* End a listing command: when @p rc is 0 print @p arr as JSON (--format json) or the table @p t;
 * @p arr is consumed either way; then khm_cli_close. Returns the exit status. */
int khm_cli_finish_list(int rc, const khm_common *c, json_t *arr, const khm_table *t, khm_store *s,
                        khm_arena *a);

/* Time left as "3d 4h" or "5h 12m"; negative as "overdue 2d 1h". */
void khm_cli_left(char *out, size_t cap, int64_t ms);

/* Print what khomun init made (the admin token, once); used by init and serve --demo. */
int khm_cli_print_init(const void *result, const char *data_dir, khm_out format);

/* Command entry points, one file each. */
int khm_cmd_help(int argc, char **argv);
int khm_cmd_version(int argc, char **argv);
int khm_cmd_init(int argc, char **argv);
int khm_cmd_serve(int argc, char **argv);
int khm_cmd_agency(int argc, char **argv);
int khm_cmd_export(int argc, char **argv);
int khm_cmd_ropa(int argc, char **argv);
int khm_cmd_user(int argc, char **argv);
int khm_cmd_token(int argc, char **argv);
int khm_cmd_audit(int argc, char **argv);
int khm_cmd_scan(int argc, char **argv);
int khm_cmd_catalog(int argc, char **argv);
int khm_cmd_requests(int argc, char **argv);
int khm_cmd_breaches(int argc, char **argv);
int khm_cmd_consent(int argc, char **argv);
int khm_cmd_resource(int argc, char **argv);
int khm_cmd_dataset(int argc, char **argv);

#endif
