package dev.siyu.analytics.churn;

import dev.siyu.analytics.data.Csv;
import dev.siyu.analytics.data.InputException;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;

/** A CSV table as text: a header and rows with exactly the header's number of fields. */
public record Table(String name, List<String> columns, List<List<String>> rows) {

    public static Table read(BufferedReader in, String fileName) {
        Csv csv = new Csv(in, fileName);
        List<String> header = csv.header();
        if (header.size() < 2) {
            throw new InputException(fileName + ": the header has " + header.size()
                    + " column; expected a header line naming at least a feature and the label");
        }
        if (header.stream().anyMatch(String::isEmpty) || header.stream().distinct().count() != header.size()) {
            throw new InputException(fileName + ": the first line must be a header with distinct, non-empty column names, found "
                    + String.join(",", header));
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> f;
        while ((f = csv.next()) != null) {
            if (f.size() != header.size()) {
                throw csv.problem("expected " + header.size() + " fields as in the header, found " + f.size());
            }
            rows.add(f);
        }
        if (rows.isEmpty()) {
            throw new InputException(fileName + ": no rows after the header");
        }
        return new Table(fileName, header, rows);
    }

    public int column(String name, String option) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new InputException(this.name + ": no column '" + name + "' for " + option + " (columns: " + String.join(",", columns) + ")");
        }
        return i;
    }
}
