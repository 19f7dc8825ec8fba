package dev.siyu.core.engine;

import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.port.ChannelStore;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.MediaCache;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TransferLedger;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.timer.StepQueue;
import dev.siyu.core.timer.TimerStore;
import java.util.Objects;

/**
 * Everything the engine talks to: the DynamoDB/SQS/WxJava set in AWS and on the local stack, the
 * in-memory set in the simulator's memory mode, benchmarks and tests. One record, so a new port is
 * added in one place and every assembly gets a compile error until it provides it.
 *
 * @param snapshots a customer's state read, and a step's writes made, together (one Query and one
 *                  BatchWriteItem on DynamoDB; the three ports composed in memory)
 * @param steps    where a due journey step goes (SQS with DelaySeconds in AWS)
 * @param triggers where a journey trigger goes (the same queue in AWS)
 * @param media    the tenant's pictures as uploaded to WeCom, with their expiry (one item per picture in AWS)
 * @param desk     the staff desk's tasks (one item per task under its staff member in AWS)
 * @param subscriptions the members' one-time subscription-message subscriptions (one item per member and template)
 * @param miniProgram   the Mini Program's server API, for subscription messages ({@link MiniProgram#NONE} where
 *                      the stack has no Mini Program)
 */
public record Ports(CustomerStore customers, CustomerSnapshots snapshots, ProfileScan profiles, JourneyRunStore runs,
                    OutreachCounters counters, DecisionCounts decisions, GroupStore groups, ChannelStore channels,
                    StaffLoadStore loads, TransferLedger transfers, TenantLog tenantLog, TimerStore timers, StepQueue steps, JourneyQueue triggers,
                    ConfigStore configs, WeComApi wecom, MediaCache media, DeskStore desk,
                    SubscriptionStore subscriptions, MiniProgram miniProgram) {
    public Ports {
        Objects.requireNonNull(customers, "customers");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(loads, "loads");
        Objects.requireNonNull(transfers, "transfers");
        Objects.requireNonNull(tenantLog, "tenantLog");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(triggers, "triggers");
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(wecom, "wecom");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(desk, "desk");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(miniProgram, "miniProgram");
    }


    /** The same stores with another WeCom API (the engine's, which uploads card pictures before a send). */
    public Ports withWeCom(WeComApi other) {
        return new Ports(customers, snapshots, profiles, runs, counters, decisions, groups, channels, loads, transfers,
                tenantLog, timers, steps, triggers, configs, other, media, desk, subscriptions, miniProgram);
    }

    /**
     * The same stores with other queues and timers: the simulator keeps DynamoDB Local for every store
     * but runs delays on its virtual clock, which SQS's wall-clock DelaySeconds cannot follow.
     */
    public Ports withQueues(StepQueue steps, JourneyQueue triggers, TimerStore timers) {
        return new Ports(customers, snapshots, profiles, runs, counters, decisions, groups, channels, loads, transfers,
                tenantLog, timers, steps, triggers, configs, wecom, media, desk, subscriptions, miniProgram);
    }

    /** The same stores with the Mini Program's API (a function that has the Mini Program's app id and secret). */
    public Ports withMiniProgram(MiniProgram other) {
        return new Ports(customers, snapshots, profiles, runs, counters, decisions, groups, channels, loads, transfers,
                tenantLog, timers, steps, triggers, configs, wecom, media, desk, subscriptions, other);
    }
}
