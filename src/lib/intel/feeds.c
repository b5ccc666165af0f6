/*
 * feeds.c - reading a feed file and handing it to the right loader.
 *
 * The format is recognised from the content, not the file name: a JSON
 * document is a STIX 2.1 bundle or a MISP event; anything else is a plain
 * list or CSV. Also here: the attribution text shared by all loaders.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intel/actors.h"
#include "intel/builder.h"
#include "util/error.h"

void bw_intel_names_add(bw_intel_names *n, const char *kind, const char *name) {
  if (!name || !*name) return;
  const bw_actor *a = bw_actor_find(name);
  char line[300];
  snprintf(line, sizeof(line), "%s:%s", a ? "actor" : kind, a ? a->name : name);
  for (char *p = line; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  size_t len = strlen(line);
  for (const char *p = n->text; (p = strstr(p, line)) != NULL; p += len)
    if ((p == n->text || p[-1] == '\n') && (p[len] == '\n' || p[len] == 0)) return;
  if (n->len + len + 2 > sizeof(n->text)) return;
  if (n->len) n->text[n->len++] = '\n';
  memcpy(n->text + n->len, line, len + 1);
  n->len += len;
}

/* Tags naming actors: MISP galaxies of threat actors and intrusion sets. */
void bw_intel_names_from_tags(bw_intel_names *n, const char *text) {
  static const char *const prefixes[] = {
      "misp-galaxy:threat-actor=", "misp-galaxy:mitre-intrusion-set=",
      "misp-galaxy:microsoft-activity-group=",
      "misp-galaxy:mitre-enterprise-attack-intrusion-set="};
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
    for (const char *p = text; (p = strstr(p, prefixes[i])) != NULL;) {
      p += strlen(prefixes[i]);
      while (*p == '"') p++;
      size_t len = strcspn(p, "\"");
      char name[256];
      if (len >= sizeof(name)) len = sizeof(name) - 1;
      memcpy(name, p, len);
      name[len] = 0;
      char *g = strstr(name, " - G"); /* "ZIRCONIUM - G0128" */
      if (g) *g = 0;
      bw_intel_names_add(n, "actor", name);
      p += len;
    }
  }
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int first_char(const char *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)data[i];
    if (c == 0xef && i + 2 < len) { /* UTF-8 byte order mark */
      i += 2;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return 0;
}

static int load_json(bw_intel_builder *b, const char *name, const char *data, size_t len,
                     bw_intel_report *report, bw_error *err) {
  json_error_t jerr;
  json_t *root = json_loadb(data, len, 0, &jerr);
  if (!root)
    return bw_error_set(err, BW_EFORMAT, "%s: invalid JSON at line %d: %s", name, jerr.line,
                        jerr.text);
  const char *type = json_string_value(json_object_get(root, "type"));
  int rc = type && strcmp(type, "bundle") == 0 ? bw_intel_load_stix(b, name, root, report, err)
                                               : bw_intel_load_misp(b, name, root, report, err);
  json_decref(root);
  return rc;
}

int bw_intel_builder_load_buffer(bw_intel_builder *b, const char *name, const char *data,
                                 size_t len, bw_intel_report *report, bw_error *err) {
  if (len > BW_INTEL_MAX_FEED_BYTES)
    return bw_error_set(err, BW_ELIMIT, "%s: feed larger than %u bytes", name,
                        (unsigned)BW_INTEL_MAX_FEED_BYTES);
  int c = first_char(data, len);
  if (c == '{' || c == '[') return load_json(b, name, data, len, report, err);
  return bw_intel_load_list(b, name, data, len, report, err);
}

int bw_intel_builder_load_file(bw_intel_builder *b, const char *path, bw_intel_report *report,
                               bw_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return bw_error_set(err, BW_EIO, "%s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > BW_INTEL_MAX_FEED_BYTES) {
    fclose(f);
    return bw_error_set(err, BW_ELIMIT, "%s: not a regular file or larger than %u bytes", path,
                        (unsigned)BW_INTEL_MAX_FEED_BYTES);
  }
  char *data = malloc((size_t)st.st_size + 1);
  size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
  fclose(f);
  if (!data) return bw_error_set(err, BW_ENOMEM, "out of memory reading %s", path);
  if (n != (size_t)st.st_size) {
    free(data);
    return bw_error_set(err, BW_EIO, "%s: short read", path);
  }
  data[n] = 0;
  int rc = bw_intel_builder_load_buffer(b, base_name(path), data, n, report, err);
  free(data);
  return rc;
}
