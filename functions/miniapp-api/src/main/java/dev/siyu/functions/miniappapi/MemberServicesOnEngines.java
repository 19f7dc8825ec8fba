package dev.siyu.functions.miniappapi;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.port.PointsLedger;
import java.util.function.Supplier;

/** The member services on the tenant's current engine, rebuilt only when the engine is (a new blueprint). */
final class MemberServicesOnEngines {
    private final Supplier<Engine> engines;
    private final PointsLedger ledger;
    private final IdentityKeys keys;
    private final MemberDetailsMerge details;
    private MemberServices current;

    /** @param details what a merge does with the members' Mini Program details */
    MemberServicesOnEngines(Supplier<Engine> engines, PointsLedger ledger, IdentityKeys keys,
                            MemberDetailsMerge details) {
        this.engines = engines;
        this.ledger = ledger;
        this.keys = keys;
        this.details = details;
    }

    synchronized MemberServices current() {
        Engine engine = engines.get();
        if (current == null || current.engine() != engine) {
            current = new MemberServices(engine, ledger, keys, details);
        }
        return current;
    }
}
