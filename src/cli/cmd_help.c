/* khomun help [COMMAND]: the command list, or one command's manual page (docs/cli/<cmd>.md,
 * embedded in the binary). */
#include "cli.h"

#include <khomun/err.h>
#include <khomun/server.h>

#include <stdio.h>
#include <string.h>

int khm_cmd_help(int argc, char **argv)
{
    /* --data and --format are accepted like on every command, and ignored */
    const khm_cmd *self = khm_cli_find("help");
    khm_common c;
    char **args;
    int nargs, rc = khm_cli_parse(self, &c, NULL, argc, argv, 2, &args, &nargs);
    if (rc >= 0)
        return rc;
    if (nargs > 1)
        return khm_cli_usage(self, "help takes at most one command name");
    if (nargs == 1) {
        const khm_cmd *cmd = khm_cli_find(args[0]);
        if (!cmd) {
            fprintf(stderr, "khomun: error: unknown command '%s'\nTry 'khomun help'.\n", args[0]);
            return khm_err_info_get(KHM_EUSAGE)->exit_code;
        }
        char key[64];
        const void *data;
        size_t len;
        snprintf(key, sizeof(key), "help:%s", cmd->name);
        if (khm_asset_get(key, &data, &len) == 0)
            fwrite(data, 1, len, stdout);
        else
            fputs(cmd->usage, stdout);
        return 0;
    }
    printf("khomun — data governance for Thai government agencies (ข้อมูล)\n\n"
           "Usage: khomun COMMAND [OPTIONS]\n\nCommands:\n");
    for (size_t i = 0; i < khm_command_count; i++)
        printf("  %-9s %s\n", khm_commands[i].name, khm_commands[i].summary);
    printf("\nRun 'khomun COMMAND --help' for a command's options, 'khomun help COMMAND' for its\n"
           "manual page. Exit status: 0 ok, 1 internal error, 2 usage, 3 not found, 4 exists,\n"
           "5 invalid input, 6 denied, 7 over a limit, 8 I/O error, 9 store unavailable.\n");
    return 0;
}
