package dev.siyu.analytics.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.siyu.analytics.ltv.CustomerSummary;
import dev.siyu.analytics.ltv.PeriodUnit;
import dev.siyu.analytics.ltv.Summaries;
import dev.siyu.analytics.ltv.Transaction;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transaction CSV, the Online Retail conversion and the summary the models are fitted on. */
class TransactionFilesTest {

    static List<Transaction> read(String text) {
        return TransactionCsv.read(new BufferedReader(new StringReader(text)), "t.csv");
    }

    @Test
    void sameDayPurchasesMergeAndTheFirstPurchaseIsNotARepeat() {
        List<Transaction> t = read("""
                customer_id,date,amount
                a,2024-01-01,10
                a,20240101,5
                a,2024-01-15,20
                a,2024-01-29,40
                a,2024-03-01,99
                b,2024-02-01,7
                """);

        List<CustomerSummary> s = Summaries.of(t, LocalDate.of(2024, 1, 31), LocalDate.of(2024, 3, 31), PeriodUnit.WEEK);

        assertThat(s).hasSize(1);
        CustomerSummary a = s.get(0);
        assertThat(a.frequency()).isEqualTo(2);
        assertThat(a.recency()).isCloseTo(4.0, within(1e-9));
        assertThat(a.age()).isCloseTo(30 / 7.0, within(1e-9));
        assertThat(a.monetary()).isCloseTo(30.0, within(1e-9));
        assertThat(a.holdout()).isEqualTo(1);
    }

    @Test
    void onlineRetailRowsBecomeOneTransactionPerInvoice() {
        List<Transaction> t = read("""
                InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
                536365,85123A,\"WHITE HANGING HEART, T-LIGHT \"\"HOLDER\"\"\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
                536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
                536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom
                C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom
                536380,22961,JAM MAKING SET,0,2010-12-01 09:41:00,1.45,14527.0,United Kingdom
                536381,22961,JAM MAKING SET,2,2010-12-02 09:41:00,1.45,14527.0,United Kingdom
                """);

        assertThat(t).containsExactly(
                new Transaction("17850", LocalDate.of(2010, 12, 1), 35.64),
                new Transaction("14527", LocalDate.of(2010, 12, 2), 2.90));
    }

    @Test
    void aFileWithoutTheHeaderIsNamedAsSuch() {
        assertThatThrownBy(() -> read("a,2024-01-01,10\n"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("t.csv: the header has no column 'customer_id'")
                .hasMessageContaining("customer_id,date,amount");
    }

    @Test
    void aBadDateOrAmountNamesItsLine() {
        assertThatThrownBy(() -> read("customer_id,date,amount\na,2024-13-01,10\n"))
                .hasMessage("t.csv line 2: date '2024-13-01' is not YYYY-MM-DD or YYYYMMDD");
        assertThatThrownBy(() -> read("customer_id,date,amount\na,2024-01-01,ten\n"))
                .hasMessage("t.csv line 2: amount 'ten' is not a number");
        assertThatThrownBy(() -> read(""))
                .hasMessageContaining("the file is empty");
    }
}
