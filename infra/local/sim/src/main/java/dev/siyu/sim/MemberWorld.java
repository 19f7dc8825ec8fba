package dev.siyu.sim;

import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.port.PointsLedger;
import java.util.Map;
import java.util.Optional;

/**
 * What the miniapp-api function is built from, for the demo's members: the points ledger and member details on the
 * demo's stores, WeChat's Mini Program API (in memory, or WxJava to the local stub), the sources' HMAC secrets and
 * the function's keys. The simulation builds the function's endpoints from it as MiniappWiring and IngestWiring do.
 *
 * @param sourceSecrets the order sources the demo sends from (pos, webshop) and their secrets
 * @param tokenKey      signs member session tokens and member codes (SIYU_MINIAPP_TOKEN_KEY, 32 bytes or more)
 * @param dataKey       seals phone numbers (SIYU_MINIAPP_DATA_KEY)
 * @param identityKey   hashes phone numbers and emails for the identity index (SIYU_IDENTITY_HASH_KEY)
 */
public record MemberWorld(PointsLedger ledger, MemberDetailsStore details, MiniProgram miniProgram, SimulatedWeChat weChat,
                          Map<String, byte[]> sourceSecrets, byte[] tokenKey, byte[] dataKey, byte[] identityKey) {
    public static final String POS = "pos";
    public static final String WEBSHOP = "webshop";

    public MemberWorld {
        sourceSecrets = Map.copyOf(sourceSecrets);
        if (!sourceSecrets.containsKey(POS) || !sourceSecrets.containsKey(WEBSHOP)) {
            throw new IllegalArgumentException("the demo sends orders from sources pos and webshop: both need a secret");
        }
    }

    /** The secret of a source, as the function's SourceSecrets answers. */
    public Optional<byte[]> secret(String source) {
        return Optional.ofNullable(sourceSecrets.get(source)).map(byte[]::clone);
    }
}
