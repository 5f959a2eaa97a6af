#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
static const char magic[] = "SQLite format 3";
/* The check the sqlite3 shell makes at start-up, then a look at a file's database header. */
int main(int argc, char **argv) {
    if (strncmp(sqlite3_sourceid(), SQLITE_SOURCE_ID, 60) != 0) {
        fprintf(stderr, "SQLite header and source version mismatch\n%s\n%s\n",
                sqlite3_sourceid(), SQLITE_SOURCE_ID);
        return 1;
    }
    char head[sizeof magic] = {0};
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    if (f != NULL) {
        if (fread(head, 1, sizeof head, f) != sizeof head) head[0] = 0;
        fclose(f);
    }
    printf("%s: %s\n", magic, memcmp(head, magic, sizeof magic) == 0 ? "yes" : "no");
    return 0;
}
