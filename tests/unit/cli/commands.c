/* Tests for src/cli/commands.c: walk the command table (style.md §2.7, §2.10). Names are
 * unique, every row has a function, a summary, a usage text and a page docs/cli/<name>.md, and
 * every page has a row. Run from the repository root. */
#include "unit.h"

#include "cli.h"

#include <dirent.h>

#define CLI_DOCS "docs/cli"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    assert_non_null(p);
    size_t r;
    while ((r = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            cap *= 2;
            p = realloc(p, cap);
            assert_non_null(p);
        }
    }
    p[n] = '\0';
    fclose(f);
    return p;
}

/* 1 when the front matter (between the first two "---" lines) has the line @p want. */
static int front_matter_has(const char *doc, const char *want)
{
    if (strncmp(doc, "---\n", 4) != 0)
        return 0;
    const char *end = strstr(doc + 4, "\n---\n");
    size_t wl = strlen(want);
    for (const char *line = doc + 4; end && line <= end;) {
        const char *nl = strchr(line, '\n');
        size_t len = (size_t)(nl - line);
        while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
            len--;
        if (len == wl && strncmp(line, want, wl) == 0)
            return 1;
        line = nl + 1;
    }
    return 0;
}

static void test_cli_commands__rows_unique_and_complete(void **state)
{
    (void)state;
    assert_true(khm_command_count > 0);
    for (size_t i = 0; i < khm_command_count; i++) {
        const khm_cmd *c = &khm_commands[i];
        assert_non_null(c->name);
        assert_true(strlen(c->name) > 0);
        if (!c->fn)
            fail_msg("command '%s' has no function", c->name);
        if (!c->summary || !*c->summary)
            fail_msg("command '%s' has no summary", c->name);
        if (!c->usage || !*c->usage)
            fail_msg("command '%s' has no usage", c->name);
        char want[128];
        snprintf(want, sizeof(want), "Usage: khomun %s", c->name);
        size_t wl = strlen(want);
        if (strncmp(c->usage, want, wl) != 0 || (c->usage[wl] != ' ' && c->usage[wl] != '\n'))
            fail_msg("usage of '%s' does not start with '%s'", c->name, want);
        assert_true(c->usage[strlen(c->usage) - 1] == '\n');
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->name, khm_commands[j].name) == 0)
                fail_msg("command '%s' appears twice", c->name);
    }
}

static void test_cli_commands__every_row_has_page(void **state)
{
    (void)state;
    for (size_t i = 0; i < khm_command_count; i++) {
        char path[256], want[128];
        snprintf(path, sizeof(path), "%s/%s.md", CLI_DOCS, khm_commands[i].name);
        char *doc = slurp(path);
        if (!doc)
            fail_msg("command '%s': page %s is missing", khm_commands[i].name, path);
        snprintf(want, sizeof(want), "Command: khomun %s", khm_commands[i].name);
        if (!front_matter_has(doc, want))
            fail_msg("%s: front matter lacks '%s'", path, want);
        free(doc);
    }
}

static void test_cli_commands__every_page_has_row(void **state)
{
    (void)state;
    DIR *d = opendir(CLI_DOCS);
    if (!d)
        fail_msg("cannot open %s (run from the repository root)", CLI_DOCS);
    struct dirent *e;
    size_t pages = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 ||
            strcmp(e->d_name, "README.md") == 0)
            continue;
        pages++;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 3), e->d_name);
        if (!khm_cli_find(name))
            fail_msg("%s/%s has no row in the command table", CLI_DOCS, e->d_name);
    }
    closedir(d);
    assert_int_equal(pages, khm_command_count);
}

static void test_cli_commands__find(void **state)
{
    (void)state;
    for (size_t i = 0; i < khm_command_count; i++)
        assert_ptr_equal(khm_cli_find(khm_commands[i].name), &khm_commands[i]);
    assert_null(khm_cli_find("nosuch"));
    assert_null(khm_cli_find(""));
    assert_null(khm_cli_find("HELP"));
    assert_null(khm_cli_find("hel"));
    assert_null(khm_cli_find("helpx"));
}

KHM_UNIT_MAIN(cmocka_unit_test(test_cli_commands__rows_unique_and_complete),
              cmocka_unit_test(test_cli_commands__every_row_has_page),
              cmocka_unit_test(test_cli_commands__every_page_has_row),
              cmocka_unit_test(test_cli_commands__find))
