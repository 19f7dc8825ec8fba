package dev.siyu.core.schedule;

import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.ConditionException;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.config.AutoTaggingRule;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.journey.ConditionTriggers;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code daily-rules} schedule: for every customer of the tenant, in this order,
 * <ol>
 *   <li>refresh the churn score ({@link ChurnScorer}; the heuristic until the model lands);</li>
 *   <li>recalculate the lifecycle stage ({@link LifecycleStage}), appending {@code stage_changed} when it moves;</li>
 *   <li>apply the auto_tagging_rules whose {@code when} holds, in blueprint order (a later rule wins over an
 *       earlier one for the same tag), seeing the fresh stage and score;</li>
 *   <li>keep exactly one Lifecycle Stage tag, the stage's: the stage owns that dimension, so a rule that
 *       adds or removes one of its tags is overruled there (and reported);</li>
 *   <li>mark the tag change in WeCom through the customer's active friendships ({@code tags_changed});</li>
 *   <li>save, only when something changed, then let {@link ConditionTriggers} start the condition and
 *       score journeys (dormancy, churn warning) against the refreshed profile.</li>
 * </ol>
 * A rule applies while its condition holds, not only on the day it starts to: it adds and removes its
 * tags every run, which changes nothing once they are in place. A rule whose condition does not hold does
 * nothing; in particular it does not undo what it added (that is another rule's remove_tags).
 * A rule without {@code when} (written before rules had one) or whose condition does not compile is
 * skipped and reported once per run, never guessed at.
 */
public final class DailyRules {
    private static final System.Logger LOG = System.getLogger(DailyRules.class.getName());

    private final ScrmConfig config;
    private final ProfileScan profiles;
    private final CustomerStore customers;
    private final WeComTagging tagging;
    private final ConditionCompiler compiler;
    private final ConditionTriggers triggers;
    private final ChurnScorer churn;
    private final Ids ids;

    public DailyRules(ScrmConfig config, ProfileScan profiles, CustomerStore customers,
                      WeComApi wecom, CorpTags corpTags, ConditionCompiler compiler,
                      ConditionTriggers triggers, ChurnScorer churn, Ids ids) {
        this.config = Objects.requireNonNull(config, "config");
        this.profiles = profiles;
        this.customers = customers;
        this.tagging = new WeComTagging(wecom, corpTags);
        this.compiler = compiler;
        this.triggers = triggers;
        this.churn = Objects.requireNonNull(churn, "churn");
        this.ids = ids;
    }

    /** A rule that was not applied, or not fully, and why, in the operator's words. */
    public record RuleProblem(String trigger, String problem) { }

    /**
     * What one run did.
     *
     * @param stages             customers per stage code after the run
     * @param markedInWeCom      customers whose tag change reached WeCom
     * @param withoutActiveContact customers whose tags changed on the profile only (no active friendship)
     * @param failed             customers left as they were because something failed (logged one by one)
     */
    public record Summary(int profiles, int saved, int stageChanges, Map<String, Integer> stages, int tagsAdded,
                          int tagsRemoved, int markedInWeCom, int weComFailures, int withoutActiveContact,
                          int journeysStarted, int failed, List<RuleProblem> ruleProblems) {
        public Summary {
            stages = Map.copyOf(stages);
            ruleProblems = List.copyOf(ruleProblems);
        }
    }

    public Summary run(Instant now) {
        List<RuleProblem> problems = new ArrayList<>();
        List<CompiledRule> rules = compile(problems);
        Set<String> stageTags = stageTags();
        Tally t = new Tally();
        // A pass per tenant-local day: an invocation stopped at its deadline is continued by the next one
        // (Lambda's retry, a redrive) instead of starting over.
        List<String> again = new ArrayList<>();
        ProfileScan.Pass pass = profiles.pass(config.tenant(), "daily-rules#" + LocalDate.ofInstant(now, config.timezone()), p -> {
            t.profiles++;
            try {
                apply(p, rules, stageTags, now, t);
            } catch (RuntimeException e) {
                // One customer's bad data or a failed write must not stop the other customers' rules; the pass
                // goes on past them, so they are tried once more at its end rather than waiting a day (a journey
                // step the condition check started and failed to hand off would wait with them).
                again.add(p.customerId());
                LOG.log(Level.WARNING, JsonLog.line("daily rules failed for a customer", "tenant", config.tenant(),
                        "customer", p.customerId(), "error", e.toString()));
            }
        });
        for (String customerId : again) {
            try {
                customers.profile(config.tenant(), customerId).ifPresent(p -> apply(p, rules, stageTags, now, t));
            } catch (RuntimeException e) {
                t.failed++;
                LOG.log(Level.WARNING, JsonLog.line("daily rules failed for a customer twice", "tenant",
                        config.tenant(), "customer", customerId, "error", e.toString()));
            }
        }
        for (Map.Entry<String, Integer> e : t.ruleErrors.entrySet()) {
            problems.add(new RuleProblem(e.getKey(), "the condition failed to evaluate for " + e.getValue()
                    + " customer(s); their tags from this rule were left as they were"));
        }
        Summary summary = new Summary(t.profiles, t.saved, t.stageChanges, t.stages, t.tagsAdded, t.tagsRemoved, t.marked,
                t.weComFailures, t.noContact, t.journeys, t.failed, problems);
        if (!pass.complete()) {
            LOG.log(Level.INFO, JsonLog.line("daily rules stopped before the deadline; the next invocation goes on",
                    "tenant", config.tenant(), "profiles", t.profiles, "saved", t.saved));
        }
        pass.requireComplete();
        return summary;
    }

    private void apply(CustomerProfile p, List<CompiledRule> rules, Set<String> stageTags, Instant now, Tally t) {
        Activity before = p.activity();
        Double score = churn.score(p, now);
        Activity scored = score == null ? before : before.withChurnScore(score);
        LifecycleStage stage = LifecycleStage.of(p.withActivity(scored, p.updatedAt()), now);
        Activity after = scored.withStage(stage.code());
        CustomerProfile current = p.withActivity(after, p.updatedAt());

        Map<String, Object> vars = Facts.vars(Facts.customer(current, now), Map.of(), Map.of(), now);
        Set<String> tags = new TreeSet<>(p.tags());
        List<String> fired = new ArrayList<>();
        for (CompiledRule rule : rules) {
            boolean holds;
            try {
                holds = rule.condition().holds(vars);
            } catch (RuntimeException e) {
                t.ruleErrors.merge(rule.rule().trigger(), 1, Integer::sum);
                continue;
            }
            if (holds) {
                tags.removeAll(rule.rule().removeTags());
                tags.addAll(rule.rule().addTags());
                fired.add(rule.rule().trigger());
            }
        }
        tags.removeAll(stageTags);
        tags.add(stage.tag());

        Set<String> added = new TreeSet<>(tags);
        added.removeAll(p.tags());
        Set<String> removed = new TreeSet<>(p.tags());
        removed.removeAll(tags);
        boolean stageChanged = !stage.code().equals(before.stage());
        boolean scoreChanged = !Objects.equals(before.churnScore(), after.churnScore());

        List<TimelineEvent> events = new ArrayList<>();
        if (stageChanged) {
            t.stageChanges++;
            Map<String, String> d = new LinkedHashMap<>();
            d.put("stage", stage.code());
            d.put("from", before.stage() == null ? "none" : before.stage());
            d.put("churn_score", after.churnScore() == null ? "none" : after.churnScore().toString());
            d.put("source", "daily_rules");
            events.add(new TimelineEvent(ids.next("ev", now), now, "stage_changed", null, d));
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            t.tagsAdded += added.size();
            t.tagsRemoved += removed.size();
            WeComTagging.Result marked = tagging.mark(p, added, removed);
            switch (marked.outcome()) {
                case MARKED:
                    t.marked++;
                    break;
                case NO_ACTIVE_CONTACT:
                    t.noContact++;
                    break;
                default:
                    t.weComFailures++;
                    break;
            }
            Map<String, String> d = new LinkedHashMap<>();
            d.put("added", String.join(",", added));
            d.put("removed", String.join(",", removed));
            d.put("rules", String.join(" | ", fired));
            d.put("source", "daily_rules");
            d.putAll(marked.details());
            events.add(new TimelineEvent(ids.next("ev", now), now, "tags_changed", null, d));
            // Every tag a customer gains is a tag_added, whoever added it (docs/groups.md, Tags both ways).
            events.addAll(dev.siyu.core.tags.TagsAdded.events(ids, p.customerId(), added, "rule", null, now,
                    "daily_rules|" + now.atZone(config.timezone()).toLocalDate()));
        }
        t.stages.merge(stage.code(), 1, Integer::sum);

        CustomerProfile next = current;
        if (!events.isEmpty() || scoreChanged) {
            // What the rules decided from the scan copy, applied to the latest one: a delete or a consent
            // withdrawal written since the scan read it stays.
            CustomerProfile decided = p.withActivity(after, now).withTags(added, removed, now);
            next = customers.update(p.tenant(), p.customerId(), latest -> {
                Activity a = latest.activity();
                if (score != null) {
                    a = a.withChurnScore(score);
                }
                a = a.withStage(stage.code());
                CustomerProfile changed = latest.withActivity(a, now).withTags(added, removed, now);
                return changed.activity().equals(latest.activity()) && changed.tags().equals(latest.tags())
                        ? null : changed;
            }, events).orElse(decided);
            t.saved++;
        }
        t.journeys += triggers.check(next, now).size();
    }

    private List<CompiledRule> compile(List<RuleProblem> problems) {
        Set<String> stageTags = stageTags();
        List<CompiledRule> rules = new ArrayList<>();
        for (AutoTaggingRule rule : config.autoTaggingRules()) {
            if (rule.when() == null || rule.when().isBlank()) {
                problems.add(new RuleProblem(rule.trigger(), "no `when` condition, so it is never applied; add one"
                        + " (e.g. customer.total_spend > 2000.0)"));
                continue;
            }
            Condition condition;
            try {
                condition = compiler.compile(rule.when());
            } catch (ConditionException e) {
                problems.add(new RuleProblem(rule.trigger(), "the condition does not compile (column " + e.column()
                        + "): " + e.getMessage()));
                continue;
            }
            Set<String> owned = new LinkedHashSet<>(rule.addTags());
            owned.addAll(rule.removeTags());
            owned.retainAll(stageTags);
            if (!owned.isEmpty()) {
                problems.add(new RuleProblem(rule.trigger(), "adds or removes " + String.join(", ", owned)
                        + ", which belong to the " + LifecycleStage.DIMENSION + " dimension the lifecycle stage keeps"
                        + " in sync; the stage's tag wins there (its other tags are applied)"));
            }
            rules.add(new CompiledRule(rule, condition));
        }
        return rules;
    }

    /** The blueprint's Lifecycle Stage tags and the stages' own, so a renamed dimension still has one tag. */
    private Set<String> stageTags() {
        Set<String> tags = new TreeSet<>();
        for (LifecycleStage s : LifecycleStage.values()) {
            tags.add(s.tag());
        }
        TagSystem system = config.tagSystem();
        if (system != null) {
            system.dimension(LifecycleStage.DIMENSION).ifPresent(d -> tags.addAll(d.tags()));
        }
        return tags;
    }

    private record CompiledRule(AutoTaggingRule rule, Condition condition) { }

    /** Counts of one run; lives only inside {@link #run}. */
    private static final class Tally {
        int profiles;
        int saved;
        int stageChanges;
        int tagsAdded;
        int tagsRemoved;
        int marked;
        int weComFailures;
        int noContact;
        int journeys;
        int failed;
        final Map<String, Integer> stages = new TreeMap<>();
        final Map<String, Integer> ruleErrors = new LinkedHashMap<>();
    }
}
