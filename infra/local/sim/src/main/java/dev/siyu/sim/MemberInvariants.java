package dev.siyu.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The members' invariants, from the points ledger and the profiles at the end of a run: each accepted order's
 * points posted exactly once, every ledger summing to its balance, no balance ever below zero, every member who is
 * also a WeCom contact one customer with it. (No touch after a marketing withdrawal is {@link Invariants}'
 * touches_after_consent_withdrawal, which counts every touch, promotions among them.)
 *
 * @param ordersPostedMoreThanOnce     orders whose points were earned by more than one ledger entry
 * @param ordersAcceptedWithoutPoints  orders answered 200 with no earn entry in any ledger
 * @param ledgerBalanceMismatches      customers whose ledger entries do not sum to their balance
 * @param negativeBalances             customers whose balance, or balance after any entry, is below zero
 * @param membersNotLinkedToWeCom      members with a WeCom contact who are not one customer with it
 */
public record MemberInvariants(long ordersPostedMoreThanOnce, long ordersAcceptedWithoutPoints,
                               long ledgerBalanceMismatches, long negativeBalances, long membersNotLinkedToWeCom) {

    /** Each invariant by its report name. */
    public void forEach(BiConsumer<String, Long> to) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("orders_posted_more_than_once", ordersPostedMoreThanOnce);
        m.put("orders_accepted_without_points", ordersAcceptedWithoutPoints);
        m.put("ledger_balance_mismatches", ledgerBalanceMismatches);
        m.put("negative_balances", negativeBalances);
        m.put("members_not_linked_to_wecom", membersNotLinkedToWeCom);
        m.forEach(to);
    }

    /** What broke, in words an operator reads; empty when every one holds. */
    public List<String> violations() {
        List<String> broken = new ArrayList<>();
        if (ordersPostedMoreThanOnce > 0) {
            broken.add(ordersPostedMoreThanOnce + " order(s) whose points were posted more than once");
        }
        if (ordersAcceptedWithoutPoints > 0) {
            broken.add(ordersAcceptedWithoutPoints + " accepted order(s) with no points posted");
        }
        if (ledgerBalanceMismatches > 0) {
            broken.add(ledgerBalanceMismatches + " customer(s) whose ledger does not sum to their balance");
        }
        if (negativeBalances > 0) {
            broken.add(negativeBalances + " customer(s) whose balance went below zero");
        }
        if (membersNotLinkedToWeCom > 0) {
            broken.add(membersNotLinkedToWeCom + " Mini Program member(s) not one customer with their WeCom contact");
        }
        return broken;
    }
}
