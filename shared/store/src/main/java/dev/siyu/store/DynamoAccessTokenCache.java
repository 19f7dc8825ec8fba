package dev.siyu.store;

import dev.siyu.core.port.AccessTokenCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link AccessTokenCache} as one item, {@code WECOM#<corp>#<secret digest>} / {@code TOKEN}: the token, its
 * expiry and a refresh lease, each change one conditional UpdateItem. The key names the corp and app, not a
 * tenant, since the token is the corp's (one stack serves one corp). The token is a 2-hour bearer credential
 * stored in plain text in the item: the table's SSE with the AWS-managed key (aws/dynamodb) protects the storage
 * only, and every function role that can read the table can read the token (each of them calls WeCom, so each
 * needs it). What limits the harm is its life: the item expires with the token ({@value SiyuTable#EXPIRES_AT}),
 * and a leaked token is revoked by rotating the app's secret (docs/operations.md, Access token).
 *
 * <p>Reads are strongly consistent: an instance that just lost the lease must see the winner's token.
 * Every instance reads the item once per token lifetime (and while waiting for a refresh), far under
 * the item's read limit.
 */
public final class DynamoAccessTokenCache implements AccessTokenCache {
    private static final String VALUE = "token";
    private static final String EXPIRES = "token_expires";
    private static final String LEASE = "lease_until";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, AttributeValue> key;
    private final CapacityMeter meter;

    /** @param tokenKey names the corp and app, e.g. {@code WeComSettings.accessTokenKey()} */
    public DynamoAccessTokenCache(DynamoDbClient dynamo, String table, String tokenKey, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.key = SiyuTable.key("WECOM#" + tokenKey, "TOKEN");
        this.meter = meter;
    }

    @Override
    public Optional<Token> current() {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        if (!r.hasItem() || r.item().get(VALUE) == null || r.item().get(EXPIRES) == null) {
            return Optional.empty();
        }
        return Optional.of(new Token(r.item().get(VALUE).s(), Instant.ofEpochMilli(Attrs.number(r.item(), EXPIRES))));
    }

    @Override
    public boolean claimRefresh(Instant now, Instant validUntil, Duration lease) {
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("SET #l = :until")
                    .conditionExpression("(attribute_not_exists(#l) OR #l < :now)"
                            + " AND (attribute_not_exists(#e) OR #e < :valid)")
                    .expressionAttributeNames(Map.of("#l", LEASE, "#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":until", Attrs.number(now.plus(lease).toEpochMilli()),
                            ":now", Attrs.number(now.toEpochMilli()), ":valid", Attrs.number(validUntil.toEpochMilli())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            meter.rejectedWrite(1.0);
            return false;
        }
    }

    @Override
    public void publish(Token token) {
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("SET #v = :v, #e = :e, #x = :x REMOVE #l")
                    .conditionExpression("attribute_not_exists(#e) OR #e < :e")
                    .expressionAttributeNames(Map.of("#v", VALUE, "#e", EXPIRES, "#x", SiyuTable.EXPIRES_AT, "#l", LEASE))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(token.value()),
                            ":e", Attrs.number(token.expiresAt().toEpochMilli()),
                            ":x", Attrs.number(token.expiresAt().getEpochSecond())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (ConditionalCheckFailedException newerThere) {
            meter.rejectedWrite(1.0);
        }
    }

    @Override
    public void discard(String value) {
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("SET #e = :zero")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", VALUE, "#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value), ":zero", Attrs.number(0)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (ConditionalCheckFailedException replaced) {
            meter.rejectedWrite(1.0);
        }
    }
}
