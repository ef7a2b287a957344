// A C translation unit: C language, structs, typedefs, enums, macros.
// RUN: rm -rf %t && %python %inputs/make-project.py %t %s -std=c11
// RUN: %code-indexer extract -p %t/build --db mem --json %t/graph.json --quiet
// RUN: %summary %t/graph.json --no-external | FileCheck %s
// RUN: FileCheck --check-prefix=LANG %s < %t/graph.json

#define MAX_ITEMS 8
typedef struct list { int items[MAX_ITEMS]; int count; } list_t;
enum state { EMPTY, FULL };
static int list_push(list_t *l, int v) {
  if (l->count == MAX_ITEMS) return FULL;
  l->items[l->count++] = v;
  return EMPTY;
}
int fill(list_t *l) { return list_push(l, 1); }

// CHECK-DAG: entity struct list | struct list |  | c-file.c:8:9 | def
// CHECK-DAG: entity type_alias list_t | typedef struct list list_t |  | c-file.c:8:1 | def
// CHECK-DAG: entity enumerator FULL | FULL = 1 |  | c-file.c:9:21 | def parent=state
// CHECK-DAG: entity function list_push | int list_push(list_t *, int) | static | c-file.c:10:1 | def
// CHECK-DAG: entity macro MAX_ITEMS | #define MAX_ITEMS |  | c-file.c:7:9 | def
// CHECK-DAG: edge calls fill -> list_push | c-file.c:15:30
// CHECK-DAG: edge references list_push -> FULL | c-file.c:11:37
// CHECK-DAG: edge references list_push -> list::count | c-file.c:11:10, c-file.c:12:15
// CHECK-DAG: edge expands_macro list_push -> MAX_ITEMS | c-file.c:11:19
// CHECK-DAG: edge expands_macro list::items -> MAX_ITEMS | c-file.c:8:33
// CHECK-DAG: entity field list::count | int list::count |  | c-file.c:8:45 | def parent=list
// CHECK-DAG: entity function fill | int fill(list_t *) |  | c-file.c:15:1 | def
// CHECK-DAG: edge uses_type fill -> list_t | c-file.c:15:10
// LANG: "path":"c-file.c","language":"c","role":"source"
