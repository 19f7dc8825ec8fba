package dev.siyu.analytics.data;

import dev.siyu.analytics.ltv.Transaction;
import java.io.BufferedReader;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's transaction file: header {@code customer_id,date,amount}, date as YYYY-MM-DD or YYYYMMDD.
 * A file with the UCI Online Retail log's header is converted on the way in ({@link OnlineRetail}).
 */
public final class TransactionCsv {
    public static final String HEADER = "customer_id,date,amount";

    private TransactionCsv() {
    }

    public static List<Transaction> read(BufferedReader in, String fileName) {
        Csv csv = new Csv(in, fileName);
        if (OnlineRetail.matches(csv.header())) {
            return OnlineRetail.transactions(csv);
        }
        int id = csv.column("customer_id", HEADER);
        int date = csv.column("date", HEADER);
        int amount = csv.column("amount", HEADER);
        List<Transaction> out = new ArrayList<>();
        List<String> f;
        while ((f = csv.next()) != null) {
            if (f.size() <= Math.max(id, Math.max(date, amount))) {
                throw csv.problem("expected " + csv.header().size() + " fields, found " + f.size());
            }
            String customer = f.get(id).trim();
            if (customer.isEmpty()) {
                throw csv.problem("customer_id is empty");
            }
            out.add(new Transaction(customer, date(csv, f.get(date).trim()), amount(csv, f.get(amount).trim())));
        }
        return out;
    }

    static LocalDate date(Csv csv, String s) {
        try {
            if (s.length() == 8 && s.chars().allMatch(Character::isDigit)) {
                return LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE);
            }
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (DateTimeException e) {
            throw csv.problem("date '" + s + "' is not YYYY-MM-DD or YYYYMMDD");
        }
    }

    static double amount(Csv csv, String s) {
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw csv.problem("amount '" + s + "' is not a number");
        }
    }
}
