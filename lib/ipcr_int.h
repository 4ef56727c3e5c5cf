/*
 * ipcr_int.h: internals shared by ipcread.c (framing, batches) and
 * ipcr_schema.c (Schema and Field tables). Not a public interface.
 */
#ifndef IPCR_INT_H
#define IPCR_INT_H

#include "fb.h"
#include "ipcread.h"

/*
 * Parse the Schema table into a tree of fields. *total is the number of
 * fields in pre-order over the whole tree. 0, or -1 with err; on error
 * nothing is left allocated.
 */
int	ipcr_schema_parse(const struct fb_table *schema,
	    struct ipcr_field **out, size_t *n, size_t *total, struct err *);
void	ipcr_fields_free(struct ipcr_field *, size_t n);

/* Fields in pre-order under and including f. */
size_t	ipcr_field_count(const struct ipcr_field *f);

/* The field that carries dictionary id, or NULL. */
const struct ipcr_field *ipcr_find_dict(const struct ipcr_field *, size_t n,
	    int64_t id);

#endif
