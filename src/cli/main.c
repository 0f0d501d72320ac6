/* khomun: one binary, many commands (khomun help lists them). Results go to stdout,
 * diagnostics to stderr; exit codes come from the library's one error table. */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/log.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    umask(077); /* databases, keys and resources are private to the service user */
    if (sodium_init() < 0) {
        fprintf(stderr, "khomun: error: cannot initialise libsodium\n");
        return 1;
    }
    if (argc < 2) {
        char help[] = "help";
        char *hv[] = { help, NULL };
        khm_cmd_help(1, hv);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    else if (strcmp(name, "--version") == 0)
        name = "version";
    const khm_cmd *cmd = khm_cli_find(name);
    if (!cmd) {
        fprintf(stderr, "khomun: error: unknown command '%s'\nTry 'khomun help'.\n", argv[1]);
        return 2;
    }
    return cmd->fn(argc - 1, argv + 1);
}
