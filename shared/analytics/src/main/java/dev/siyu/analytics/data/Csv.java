package dev.siyu.analytics.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records, one at a time: quoted fields may hold commas, doubled quotes and line breaks
 * (the Online Retail descriptions do), and half a million rows never sit in memory twice.
 */
public final class Csv {
    private final BufferedReader in;
    private final String fileName;
    private final List<String> header;
    private long line;

    /** Reads the header; an empty file is an {@link InputException}. */
    public Csv(BufferedReader in, String fileName) {
        this.in = in;
        this.fileName = fileName;
        List<String> h = nextRaw();
        if (h == null || (h.size() == 1 && h.get(0).isBlank())) {
            throw new InputException(fileName + ": the file is empty (expected a header line)");
        }
        if (h.get(0).startsWith("\uFEFF")) {
            h.set(0, h.get(0).substring(1));
        }
        h.replaceAll(String::trim);
        this.header = List.copyOf(h);
    }

    public List<String> header() {
        return header;
    }

    public String fileName() {
        return fileName;
    }

    /** The line number of the record last returned (the header is line 1). */
    public long line() {
        return line;
    }

    /** The next non-blank record, or null at the end of the file. */
    public List<String> next() {
        List<String> r;
        do {
            r = nextRaw();
        } while (r != null && r.size() == 1 && r.get(0).isBlank());
        return r;
    }

    /** The index of a header column, or an {@link InputException} naming what the header should be. */
    public int column(String name, String expected) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new InputException(fileName + ": the header has no column '" + name + "' (expected a header like "
                    + expected + ", found " + String.join(",", header) + ")");
        }
        return i;
    }

    public InputException problem(String what) {
        return new InputException(fileName + " line " + line + ": " + what);
    }

    private List<String> nextRaw() {
        try {
            String s = in.readLine();
            if (s == null) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (true) {
                if (i >= s.length()) {
                    if (!quoted) {
                        break;
                    }
                    String more = in.readLine();
                    if (more == null) {
                        break;
                    }
                    line++;
                    field.append('\n');
                    s = more;
                    i = 0;
                    continue;
                }
                char c = s.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
                i++;
            }
            fields.add(field.toString());
            return fields;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field as CSV: quoted when it holds a comma, a quote or a line break. */
    public static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
