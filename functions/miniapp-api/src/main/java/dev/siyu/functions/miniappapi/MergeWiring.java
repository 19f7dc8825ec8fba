package dev.siyu.functions.miniappapi;

import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.miniapp.PhoneSeal;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a merge does with the members' Mini Program details, whichever route links two customers (an order, a
 * login, a phone): the data key opens the absorbed member's phone and seals it again for the survivor.
 */
public class MergeWiring {
    @Produces
    @Singleton
    MemberDetailsMerge detailsMerge(MemberDetailsStore details,
                                    @ConfigProperty(name = "siyu.miniapp.data-key") String dataKey) {
        return new MemberDetailsMerge(details, new PhoneSeal(dataKey.getBytes(StandardCharsets.UTF_8)));
    }
}
