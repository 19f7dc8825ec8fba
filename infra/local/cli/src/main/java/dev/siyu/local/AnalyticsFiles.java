package dev.siyu.local;

import dev.siyu.analytics.data.TransactionCsv;
import dev.siyu.analytics.ltv.Transaction;
import dev.siyu.embedded.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The files the analytics commands read: plain or gzipped CSV, relative to the working directory or the project root. */
final class AnalyticsFiles {
    private AnalyticsFiles() {
    }

    static Path existing(String name, String option, Path root) {
        Path p = Path.of(name);
        if (!Files.exists(p) && !p.isAbsolute() && Files.exists(root.resolve(name))) {
            p = root.resolve(name);
        }
        if (!Files.isRegularFile(p)) {
            throw new UsageException("--" + option + ": no such file " + name);
        }
        return p;
    }

    static BufferedReader open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    static List<Transaction> transactions(Path p) throws IOException {
        try (BufferedReader in = open(p)) {
            return TransactionCsv.read(in, p.getFileName().toString());
        }
    }

    static LocalDate date(String value, String option) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + option + " must be a date YYYY-MM-DD, got '" + value + "'");
        }
    }
}
