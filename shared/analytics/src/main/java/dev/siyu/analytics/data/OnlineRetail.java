package dev.siyu.analytics.data;

import dev.siyu.analytics.ltv.Transaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The UCI Online Retail log (one row per invoice line) as transactions (one per invoice):
 * rows without a CustomerID are dropped (they cannot be followed over time); cancellations
 * (InvoiceNo starting with C) are dropped rather than netted, because they do not name the
 * invoice they cancel and most cancel lines bought before the log starts; lines with a
 * non-positive Quantity or UnitPrice (adjustments, bad debt, free samples) are dropped; the
 * amount is the sum of Quantity x UnitPrice over the invoice's remaining lines.
 */
public final class OnlineRetail {
    static final List<String> COLUMNS = List.of("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID");

    private OnlineRetail() {
    }

    public static boolean matches(List<String> header) {
        return header.containsAll(COLUMNS);
    }

    static List<Transaction> transactions(Csv csv) {
        int invoice = csv.column("InvoiceNo", "");
        int quantity = csv.column("Quantity", "");
        int date = csv.column("InvoiceDate", "");
        int price = csv.column("UnitPrice", "");
        int customer = csv.column("CustomerID", "");
        int last = Math.max(Math.max(invoice, quantity), Math.max(Math.max(date, price), customer));
        Map<String, Invoice> invoices = new LinkedHashMap<>();
        List<String> f;
        while ((f = csv.next()) != null) {
            if (f.size() <= last) {
                throw csv.problem("expected " + csv.header().size() + " fields, found " + f.size());
            }
            String id = f.get(customer).trim();
            String no = f.get(invoice).trim();
            if (id.isEmpty() || no.startsWith("C")) {
                continue;
            }
            if (id.endsWith(".0")) {
                id = id.substring(0, id.length() - 2);
            }
            double q = TransactionCsv.amount(csv, f.get(quantity).trim());
            double p = TransactionCsv.amount(csv, f.get(price).trim());
            if (q <= 0 || p <= 0) {
                continue;
            }
            LocalDate day = TransactionCsv.date(csv, f.get(date).trim());
            String customerId = id;
            invoices.computeIfAbsent(no, k -> new Invoice(customerId, day)).amount += q * p;
        }
        List<Transaction> out = new ArrayList<>(invoices.size());
        for (Invoice i : invoices.values()) {
            out.add(new Transaction(i.customer, i.day, Math.round(i.amount * 100) / 100.0));
        }
        return out;
    }

    private static final class Invoice {
        final String customer;
        final LocalDate day;
        double amount;

        Invoice(String customer, LocalDate day) {
            this.customer = customer;
            this.day = day;
        }
    }
}
