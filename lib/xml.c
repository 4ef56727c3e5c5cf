#include <string.h>

#include "xml.h"

struct frame {
	const char	*name;
	size_t		 namelen;
	int		 children;	/* has child elements */
	const char	*text;		/* first raw text piece */
	int		 has_text;	/* non-blank text seen */
};

struct walk {
	const char	*p, *end;
	xml_fn		 fn;
	void		*arg;
	struct err	*e;
	struct frame	 st[XML_MAX_DEPTH];
	int		 depth;
	int		 roots;
	struct strbuf	 text;		/* decoded text, open element */
};

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	    c == ':' || c >= 0x80;
}

static int
name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int
truncated(struct walk *w)
{
	return err_set(w->e, ERR_FORMAT, "xml: document ends early");
}

static void
utf8(struct strbuf *sb, unsigned long c)
{
	char b[4];

	if (c < 0x80) {
		b[0] = (char)c;
		sb_add(sb, b, 1);
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | c >> 18);
		b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 4);
	}
}

/* One reference at s[0] == '&' within n bytes; returns its length. */
static long
entity(struct strbuf *out, const char *s, size_t n, struct err *e)
{
	static const struct { const char *name; char c; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' }
	};
	unsigned long c = 0;
	size_t i, k, len;
	int hex, d;

	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		len = strlen(named[k].name);
		if (n > len && memcmp(s + 1, named[k].name, len) == 0) {
			sb_addc(out, named[k].c);
			return (long)len + 1;
		}
	}
	if (n < 4 || s[1] != '#')
		return err_set(e, ERR_FORMAT, "xml: bad entity reference");
	hex = s[2] == 'x';
	for (i = hex ? 3 : 2; i < n && s[i] != ';'; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return err_set(e, ERR_FORMAT,
			    "xml: bad character reference");
		c = c * (hex ? 16 : 10) + (unsigned long)d;
		if (c > 0x10ffff)
			return err_set(e, ERR_FORMAT,
			    "xml: character reference out of range");
	}
	if (i == n || i == (hex ? 3u : 2u))
		return err_set(e, ERR_FORMAT, "xml: bad character reference");
	if (c == 0 || (c >= 0xd800 && c <= 0xdfff))
		return err_set(e, ERR_FORMAT,
		    "xml: character reference to U+%04lX", c);
	utf8(out, c);
	return (long)i + 1;
}

int
xml_decode(struct strbuf *out, const char *s, size_t n, struct err *e)
{
	const char *amp;
	size_t i = 0;
	long k;

	while (i < n) {
		if ((amp = memchr(s + i, '&', n - i)) == NULL) {
			sb_add(out, s + i, n - i);
			break;
		}
		sb_add(out, s + i, (size_t)(amp - (s + i)));
		i = (size_t)(amp - s);
		if ((k = entity(out, s + i, n - i, e)) < 0)
			return -1;
		i += (size_t)k;
	}
	return sb_error(out, "xml: text", e);
}

static int
emit(struct walk *w, enum xml_event_type type, const struct frame *f)
{
	struct xml_event ev;

	ev.type = type;
	ev.depth = w->depth;
	ev.name = f->name;
	ev.namelen = f->namelen;
	ev.parent = w->depth > 1 ? w->st[w->depth - 2].name : NULL;
	ev.parentlen = w->depth > 1 ? w->st[w->depth - 2].namelen : 0;
	ev.text = type == XML_TEXT ? sb_cstr(&w->text) : NULL;
	ev.textlen = type == XML_TEXT ? w->text.len : 0;
	return w->fn(w->arg, &ev, w->e);
}

/* Skip past the terminator term, which must occur before end. */
static int
skip_to(struct walk *w, const char *term)
{
	const char *q = memmem(w->p, (size_t)(w->end - w->p), term,
	    strlen(term));

	if (q == NULL)
		return truncated(w);
	w->p = q + strlen(term);
	return 0;
}

static int
read_name(struct walk *w, const char **name, size_t *len)
{
	const char *s = w->p;

	if (w->p == w->end)
		return truncated(w);
	if (!name_start((unsigned char)*w->p))
		return err_set(w->e, ERR_FORMAT, "xml: bad element name");
	while (w->p < w->end && name_char((unsigned char)*w->p))
		w->p++;
	if (w->p == w->end)
		return truncated(w);
	*name = s;
	*len = (size_t)(w->p - s);
	if (*len > XML_MAX_NAME)
		return err_set(w->e, ERR_LIMIT, "xml: name longer than %d",
		    XML_MAX_NAME);
	return 0;
}

static void
skip_space(struct walk *w)
{
	while (w->p < w->end && is_space((unsigned char)*w->p))
		w->p++;
}

/* Attributes up to '>' or '/>'; sets *empty for the latter. */
static int
attributes(struct walk *w, int *empty)
{
	const char *name, *q;
	size_t len;
	struct strbuf scratch;
	char quote;
	int rc;

	for (;;) {
		skip_space(w);
		if (w->p == w->end)
			return truncated(w);
		if (*w->p == '>') {
			w->p++;
			*empty = 0;
			return 0;
		}
		if (*w->p == '/') {
			if (w->end - w->p < 2)
				return truncated(w);
			if (w->p[1] != '>')
				return err_set(w->e, ERR_FORMAT,
				    "xml: bad empty-element tag");
			w->p += 2;
			*empty = 1;
			return 0;
		}
		if (!is_space((unsigned char)w->p[-1]))
			return err_set(w->e, ERR_FORMAT,
			    "xml: no space before attribute");
		if (read_name(w, &name, &len) != 0)
			return -1;
		skip_space(w);
		if (w->p == w->end)
			return truncated(w);
		if (*w->p++ != '=')
			return err_set(w->e, ERR_FORMAT, "xml: attribute "
			    "without value");
		skip_space(w);
		if (w->p == w->end)
			return truncated(w);
		quote = *w->p++;
		if (quote != '"' && quote != '\'')
			return err_set(w->e, ERR_FORMAT,
			    "xml: unquoted attribute value");
		if ((q = memchr(w->p, quote, (size_t)(w->end - w->p))) == NULL)
			return truncated(w);
		if (memchr(w->p, '<', (size_t)(q - w->p)) != NULL)
			return err_set(w->e, ERR_FORMAT,
			    "xml: '<' in attribute value");
		sb_init(&scratch, XML_MAX_TEXT);
		rc = xml_decode(&scratch, w->p, (size_t)(q - w->p), w->e);
		sb_free(&scratch);
		if (rc != 0)
			return -1;
		w->p = q + 1;
	}
}

/* Text up to the next '<'; raw span checked and, for leaves, decoded. */
static int
text(struct walk *w)
{
	const char *s = w->p, *lt;
	struct frame *f;
	size_t i, n;
	int blank = 1;

	lt = memchr(w->p, '<', (size_t)(w->end - w->p));
	n = lt != NULL ? (size_t)(lt - s) : (size_t)(w->end - s);
	w->p = s + n;
	for (i = 0; i < n && blank; i++)
		blank = is_space((unsigned char)s[i]);
	if (w->depth == 0) {
		if (!blank)
			return err_set(w->e, ERR_FORMAT,
			    "xml: text outside the root element");
		return 0;
	}
	f = &w->st[w->depth - 1];
	if (!blank) {
		if (f->children)
			return err_set(w->e, ERR_FORMAT,
			    "xml: text beside child elements in <%.*s>",
			    (int)(f->namelen > 64 ? 64 : f->namelen),
			    f->name);
		f->has_text = 1;
	}
	if (!f->children)
		return xml_decode(&w->text, s, n, w->e);
	return 0;
}

static int
start_tag(struct walk *w)
{
	struct frame *f;
	int empty = 0;

	if (w->depth == 0 && w->roots++ > 0)
		return err_set(w->e, ERR_FORMAT, "xml: second root element");
	if (w->depth == XML_MAX_DEPTH)
		return err_set(w->e, ERR_LIMIT, "xml: nested deeper than %d",
		    XML_MAX_DEPTH);
	if (w->depth > 0) {
		f = &w->st[w->depth - 1];
		if (f->has_text)
			return err_set(w->e, ERR_FORMAT,
			    "xml: child element after text in <%.*s>",
			    (int)(f->namelen > 64 ? 64 : f->namelen),
			    f->name);
		f->children = 1;
	}
	f = &w->st[w->depth++];
	memset(f, 0, sizeof(*f));
	if (read_name(w, &f->name, &f->namelen) != 0)
		return -1;
	if (attributes(w, &empty) != 0)
		return -1;
	sb_reset(&w->text);
	if (emit(w, XML_OPEN, f) != 0)
		return -1;
	if (empty) {
		if (emit(w, XML_TEXT, f) != 0 || emit(w, XML_CLOSE, f) != 0)
			return -1;
		w->depth--;
	}
	return 0;
}

static int
end_tag(struct walk *w)
{
	struct frame *f;
	const char *name;
	size_t len;

	if (read_name(w, &name, &len) != 0)
		return -1;
	skip_space(w);
	if (w->p == w->end)
		return truncated(w);
	if (*w->p++ != '>')
		return err_set(w->e, ERR_FORMAT, "xml: bad end tag");
	if (w->depth == 0)
		return err_set(w->e, ERR_FORMAT, "xml: end tag without start");
	f = &w->st[w->depth - 1];
	if (len != f->namelen || memcmp(name, f->name, len) != 0)
		return err_set(w->e, ERR_FORMAT,
		    "xml: </%.*s> closes <%.*s>", (int)(len > 64 ? 64 : len),
		    name, (int)(f->namelen > 64 ? 64 : f->namelen), f->name);
	if (!f->children && emit(w, XML_TEXT, f) != 0)
		return -1;
	if (emit(w, XML_CLOSE, f) != 0)
		return -1;
	w->depth--;
	sb_reset(&w->text);
	return 0;
}

static int
markup(struct walk *w)
{
	size_t left = (size_t)(w->end - w->p);

	/* w->p is just past '<'. */
	if (left == 0)
		return truncated(w);
	if (*w->p == '/') {
		w->p++;
		return end_tag(w);
	}
	if (*w->p == '?') {
		if (w->roots > 0 && w->depth == 0 && left >= 4 &&
		    memcmp(w->p, "?xml", 4) == 0)
			return err_set(w->e, ERR_FORMAT,
			    "xml: declaration after the root");
		return skip_to(w, "?>");
	}
	if (*w->p == '!') {
		if (left >= 3 && memcmp(w->p, "!--", 3) == 0) {
			w->p += 3;
			return skip_to(w, "-->");
		}
		if (left >= 8 && memcmp(w->p, "![CDATA[", 8) == 0) {
			const char *s = w->p + 8;
			struct frame *f;

			if (w->depth == 0)
				return err_set(w->e, ERR_FORMAT,
				    "xml: CDATA outside the root");
			w->p = s;
			if (skip_to(w, "]]>") != 0)
				return -1;
			f = &w->st[w->depth - 1];
			if (f->children)
				return err_set(w->e, ERR_FORMAT,
				    "xml: CDATA beside child elements");
			f->has_text = 1;
			sb_add(&w->text, s, (size_t)(w->p - 3 - s));
			return sb_error(&w->text, "xml: text", w->e);
		}
		if (left < 8 && (memcmp(w->p, "![CDATA[", left) == 0 ||
		    memcmp(w->p, "!--", left < 3 ? left : 3) == 0))
			return truncated(w);
		return err_set(w->e, ERR_FORMAT,
		    "xml: DOCTYPE and other declarations are not accepted");
	}
	return start_tag(w);
}

int
xml_walk(const char *buf, size_t len, xml_fn fn, void *arg, struct err *e)
{
	struct walk w;
	int rc = 0;

	if (len > XML_MAX_DOC)
		return err_set(e, ERR_LIMIT, "xml: document larger than %d",
		    XML_MAX_DOC);
	memset(&w, 0, sizeof(w));
	w.p = buf;
	w.end = buf + len;
	w.fn = fn;
	w.arg = arg;
	w.e = e;
	sb_init(&w.text, XML_MAX_TEXT);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		w.p += 3;
	while (w.p < w.end) {
		if (*w.p == '<') {
			w.p++;
			rc = markup(&w);
		} else
			rc = text(&w);
		if (rc != 0)
			break;
	}
	if (rc == 0 && (w.depth > 0 || w.roots == 0))
		rc = truncated(&w);
	sb_free(&w.text);
	return rc;
}

int
xml_is(const struct xml_event *ev, const char *s)
{
	return ev->namelen == strlen(s) && memcmp(ev->name, s, ev->namelen) ==
	    0;
}

int
xml_parent_is(const struct xml_event *ev, const char *s)
{
	return ev->parent != NULL && ev->parentlen == strlen(s) &&
	    memcmp(ev->parent, s, ev->parentlen) == 0;
}
