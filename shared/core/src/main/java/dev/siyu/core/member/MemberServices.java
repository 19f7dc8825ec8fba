package dev.siyu.core.member;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.ingest.EventIngest;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.ingest.OrderIngest;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.port.PointsLedger;

/**
 * The membership services on one engine (its ports, blueprint and clock) and a points ledger: what the ingest
 * routes and, later, the Mini Program routes use. Built per blueprint version, as the engine is.
 */
public final class MemberServices {
    private final Engine engine;
    private final PointsLedger ledger;
    private final PointsRules rules;
    private final IdentityResolver identities;
    private final PointsAccount points;
    private final OrderIngest orders;
    private final EventIngest events;
    private final IngestJson json;

    /** Without the Mini Program's details: a merge moves none (the benches and the ledger tests have none). */
    public MemberServices(Engine engine, PointsLedger ledger, IdentityKeys keys) {
        this(engine, ledger, keys, null);
    }

    /** @param details moves a merged member's Mini Program details onto the survivor (null: none to move) */
    public MemberServices(Engine engine, PointsLedger ledger, IdentityKeys keys, MemberDetailsMerge details) {
        this.engine = engine;
        this.ledger = ledger;
        String tenant = engine.config().tenant();
        this.rules = new PointsRules(engine.config().membership());
        CustomerMerge merge = new CustomerMerge(engine.ports().customers(), ledger, rules, engine.ports().tenantLog(),
                engine.ports().triggers(), engine.ports().subscriptions(), details);
        this.identities = new IdentityResolver(engine.ports().customers(), merge, engine.config().membership(),
                engine.ports().tenantLog());
        this.points = new PointsAccount(ledger, rules);
        this.orders = new OrderIngest(tenant, engine.ports().customers(), ledger, rules, identities,
                engine.ports().triggers(), engine.clock());
        this.events = new EventIngest(tenant, engine.ports().customers(), identities, engine.clock());
        this.json = new IngestJson(keys, engine.config().membership().currency());
    }

    public Engine engine() {
        return engine;
    }

    public String tenant() {
        return engine.config().tenant();
    }

    public PointsLedger ledger() {
        return ledger;
    }

    public IdentityResolver identities() {
        return identities;
    }

    public PointsAccount points() {
        return points;
    }

    public OrderIngest orders() {
        return orders;
    }

    public EventIngest events() {
        return events;
    }

    public IngestJson json() {
        return json;
    }
}
